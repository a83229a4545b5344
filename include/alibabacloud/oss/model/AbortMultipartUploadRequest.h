/* AbortMultipartUploadRequest: abandon a multipart upload and its parts. */
#ifndef ALIBABACLOUD_OSS_MODEL_ABORTMULTIPARTUPLOADREQUEST_H_OSSFFI
#define ALIBABACLOUD_OSS_MODEL_ABORTMULTIPARTUPLOADREQUEST_H_OSSFFI

#include <string>

#include "../OssRequest.h"
#include "../Types.h"

namespace AlibabaCloud {
namespace OSS {

/* As in the SDK: no other members, and setVersionId is not sent. */
class AbortMultipartUploadRequest : public OssObjectRequest {
 public:
  AbortMultipartUploadRequest(const std::string &bucket, const std::string &key, const std::string &uploadId)
      : OssObjectRequest(bucket, key), uploadId_(uploadId) {}

 protected:
  ParameterCollection specialParameters() const override {
    ParameterCollection parameters;
    parameters["uploadId"] = uploadId_;
    return parameters;
  }

 private:
  std::string uploadId_;
};

}  // namespace OSS
}  // namespace AlibabaCloud

#endif /* ALIBABACLOUD_OSS_MODEL_ABORTMULTIPARTUPLOADREQUEST_H_OSSFFI */
