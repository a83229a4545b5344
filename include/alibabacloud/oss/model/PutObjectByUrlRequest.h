/* PutObjectByUrlRequest: an upload to a presigned PUT URL (OssClient::PutObjectByUrl). */
#ifndef ALIBABACLOUD_OSS_MODEL_PUTOBJECTBYURLREQUEST_H_OSSFFI
#define ALIBABACLOUD_OSS_MODEL_PUTOBJECTBYURLREQUEST_H_OSSFFI

#include <iostream>
#include <memory>
#include <string>

#include "../ServiceRequest.h"
#include "../Types.h"
#include "ObjectMetaData.h"

namespace AlibabaCloud {
namespace OSS {

/*
 * As in the SDK: Path() is the URL, sent as given; Headers() are the metadata's headers (which
 * must be the ones the URL was signed with: Content-Type, Content-MD5, x-oss-meta-*), plus an
 * empty Date that is never sent; Parameters() is empty (the query is the URL's); Body() is the
 * content, read from its current position.
 */
class PutObjectByUrlRequest : public ServiceRequest {
 public:
  PutObjectByUrlRequest(const std::string &url, const std::shared_ptr<std::iostream> &content)
      : content_(content) {
    init(url);
  }
  PutObjectByUrlRequest(const std::string &url, const std::shared_ptr<std::iostream> &content,
                        const ObjectMetaData &metaData)
      : content_(content), metaData_(metaData) {
    init(url);
  }

  virtual HeaderCollection Headers() const {
    HeaderCollection headers = metaData_.toHeaderCollection();
    if (headers.find("Date") == headers.end()) headers["Date"] = "";
    return headers;
  }
  virtual ParameterCollection Parameters() const { return ParameterCollection(); }
  virtual std::shared_ptr<std::iostream> Body() const { return content_; }

 private:
  void init(const std::string &url) {
    setPath(url);
    setFlags(Flags() | REQUEST_FLAG_PARAM_IN_PATH | REQUEST_FLAG_CHECK_CRC64);
  }

  std::shared_ptr<std::iostream> content_;
  ObjectMetaData metaData_;
};

}  // namespace OSS
}  // namespace AlibabaCloud

#endif /* ALIBABACLOUD_OSS_MODEL_PUTOBJECTBYURLREQUEST_H_OSSFFI */
