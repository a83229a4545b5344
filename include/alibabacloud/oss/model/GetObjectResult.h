/* GetObjectResult: the object's content stream and its metadata. */
#ifndef ALIBABACLOUD_OSS_MODEL_GETOBJECTRESULT_H_OSSFFI
#define ALIBABACLOUD_OSS_MODEL_GETOBJECTRESULT_H_OSSFFI

#include <iostream>
#include <memory>
#include <string>

#include "../OssResult.h"
#include "../Types.h"
#include "ObjectMetaData.h"

namespace AlibabaCloud {
namespace OSS {

class GetObjectResult : public OssObjectResult {
 public:
  GetObjectResult() {}
  GetObjectResult(const std::string &bucket, const std::string &key, const std::shared_ptr<std::iostream> &content,
                  const HeaderCollection &headers)
      : OssObjectResult(headers), bucket_(bucket), key_(key), content_(content), metaData_(headers) {}
  /* Takes the request id and version id from the metadata's x-oss-request-id and
   * x-oss-version-id (inserting them empty when absent, as the SDK does). */
  GetObjectResult(const std::string &bucket, const std::string &key, const ObjectMetaData &metaData)
      : bucket_(bucket), key_(key), metaData_(metaData) {
    requestId_ = metaData_.HttpMetaData()["x-oss-request-id"];
    versionId_ = metaData_.HttpMetaData()["x-oss-version-id"];
  }
  const std::string &Bucket() const { return bucket_; }
  const std::string &Key() const { return key_; }
  const ObjectMetaData &Metadata() const { return metaData_; }
  /* The stream the body was written to: a std::stringstream at position 0 by default, the
   * stream given to GetObject, or the file it saved to. */
  const std::shared_ptr<std::iostream> &Content() const { return content_; }
  void setContent(const std::shared_ptr<std::iostream> &content) { content_ = content; }
  void setMetaData(const ObjectMetaData &meta) { metaData_ = meta; }

 private:
  std::string bucket_;
  std::string key_;
  std::shared_ptr<std::iostream> content_;
  ObjectMetaData metaData_;
};

}  // namespace OSS
}  // namespace AlibabaCloud

#endif /* ALIBABACLOUD_OSS_MODEL_GETOBJECTRESULT_H_OSSFFI */
