/* InitiateMultipartUploadRequest: start a multipart upload of an object. */
#ifndef ALIBABACLOUD_OSS_MODEL_INITIATEMULTIPARTUPLOADREQUEST_H_OSSFFI
#define ALIBABACLOUD_OSS_MODEL_INITIATEMULTIPARTUPLOADREQUEST_H_OSSFFI

#include <string>

#include "../OssRequest.h"
#include "../Types.h"
#include "ObjectMetaData.h"

namespace AlibabaCloud {
namespace OSS {

/*
 * The metadata (Content-Type, Cache-Control, user metadata, x-oss-storage-class, ...) is the
 * object's, sent now and applied when the upload completes; without a Content-Type one is
 * guessed from the key, as PutObject does. As in the SDK there are no getters but MetaData(),
 * and setVersionId is not sent.
 */
class InitiateMultipartUploadRequest : public OssObjectRequest {
 public:
  InitiateMultipartUploadRequest(const std::string &bucket, const std::string &key)
      : OssObjectRequest(bucket, key), encodingTypeIsSet_(false), sequential_(false) {}
  InitiateMultipartUploadRequest(const std::string &bucket, const std::string &key, const ObjectMetaData &metaData)
      : OssObjectRequest(bucket, key), metaData_(metaData), encodingTypeIsSet_(false), sequential_(false) {}

  void setCacheControl(const std::string &value) { metaData_.addHeader("Cache-Control", value); }
  void setContentDisposition(const std::string &value) { metaData_.addHeader("Content-Disposition", value); }
  void setContentEncoding(const std::string &value) { metaData_.addHeader("Content-Encoding", value); }
  void setExpires(const std::string &value) { metaData_.addHeader("Expires", value); }
  /* An already URL-encoded "k=v&k2=v2" string. */
  void setTagging(const std::string &value) { metaData_.addHeader("x-oss-tagging", value); }
  /* "url": OSS URL-encodes the key it returns, and the result holds it decoded. */
  void setEncodingType(const std::string &encodingType) {
    encodingType_ = encodingType;
    encodingTypeIsSet_ = true;
  }
  /* Asks OSS for a sequential upload (the `sequential` parameter). */
  void setSequential(bool value) { sequential_ = value; }
  ObjectMetaData &MetaData() { return metaData_; }
  const ObjectMetaData &MetaData() const { return metaData_; }

 protected:
  HeaderCollection specialHeaders() const override {
    HeaderCollection headers = metaData_.toHeaderCollection();
    HeaderCollection base = OssObjectRequest::specialHeaders();
    headers.insert(base.begin(), base.end());
    return headers;
  }
  ParameterCollection specialParameters() const override {
    ParameterCollection parameters;
    if (encodingTypeIsSet_) parameters["encoding-type"] = encodingType_;
    if (sequential_) parameters["sequential"] = "";
    parameters["uploads"] = "";
    return parameters;
  }

 private:
  ObjectMetaData metaData_;
  std::string encodingType_;
  bool encodingTypeIsSet_;
  bool sequential_;
};

}  // namespace OSS
}  // namespace AlibabaCloud

#endif /* ALIBABACLOUD_OSS_MODEL_INITIATEMULTIPARTUPLOADREQUEST_H_OSSFFI */
