/* GetObjectByUrlRequest: a download from a presigned GET URL (OssClient::GetObjectByUrl). */
#ifndef ALIBABACLOUD_OSS_MODEL_GETOBJECTBYURLREQUEST_H_OSSFFI
#define ALIBABACLOUD_OSS_MODEL_GETOBJECTBYURLREQUEST_H_OSSFFI

#include <iostream>
#include <memory>
#include <string>

#include "../ServiceRequest.h"
#include "../Types.h"
#include "ObjectMetaData.h"

namespace AlibabaCloud {
namespace OSS {

/*
 * As in the SDK: Path() is the URL, sent as given; Headers() are the metadata's headers (a
 * Range among them fetches part of the object and turns the CRC-64 check off), plus an empty
 * Date that is never sent; Parameters() is empty; there is no body. The object goes where
 * ResponseStreamFactory() says (a new std::stringstream by default).
 */
class GetObjectByUrlRequest : public ServiceRequest {
 public:
  explicit GetObjectByUrlRequest(const std::string &url) { init(url); }
  GetObjectByUrlRequest(const std::string &url, const ObjectMetaData &metaData) : metaData_(metaData) { init(url); }

  virtual HeaderCollection Headers() const {
    HeaderCollection headers = metaData_.toHeaderCollection();
    if (headers.find("Date") == headers.end()) headers["Date"] = "";
    return headers;
  }
  virtual ParameterCollection Parameters() const { return ParameterCollection(); }
  virtual std::shared_ptr<std::iostream> Body() const { return nullptr; }

 private:
  void init(const std::string &url) {
    setPath(url);
    setFlags(Flags() | REQUEST_FLAG_PARAM_IN_PATH | REQUEST_FLAG_CHECK_CRC64);
  }

  ObjectMetaData metaData_;
};

}  // namespace OSS
}  // namespace AlibabaCloud

#endif /* ALIBABACLOUD_OSS_MODEL_GETOBJECTBYURLREQUEST_H_OSSFFI */
