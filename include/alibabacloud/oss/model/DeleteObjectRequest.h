/* DeleteObjectRequest: delete one object (or one version of it). */
#ifndef ALIBABACLOUD_OSS_MODEL_DELETEOBJECTREQUEST_H_OSSFFI
#define ALIBABACLOUD_OSS_MODEL_DELETEOBJECTREQUEST_H_OSSFFI

#include <string>

#include "../OssRequest.h"

namespace AlibabaCloud {
namespace OSS {

class DeleteObjectRequest : public OssObjectRequest {
 public:
  DeleteObjectRequest(const std::string &bucket, const std::string &key) : OssObjectRequest(bucket, key) {}
  DeleteObjectRequest(const std::string &bucket, const std::string &key, const std::string &versionId)
      : OssObjectRequest(bucket, key) {
    setVersionId(versionId);
  }
};

}  // namespace OSS
}  // namespace AlibabaCloud

#endif /* ALIBABACLOUD_OSS_MODEL_DELETEOBJECTREQUEST_H_OSSFFI */
