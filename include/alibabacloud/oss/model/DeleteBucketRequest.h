/* DeleteBucketRequest: delete an empty bucket. */
#ifndef ALIBABACLOUD_OSS_MODEL_DELETEBUCKETREQUEST_H_OSSFFI
#define ALIBABACLOUD_OSS_MODEL_DELETEBUCKETREQUEST_H_OSSFFI

#include <string>

#include "../OssRequest.h"

namespace AlibabaCloud {
namespace OSS {

class DeleteBucketRequest : public OssBucketRequest {
 public:
  DeleteBucketRequest(const std::string &bucket) : OssBucketRequest(bucket) {}
};

}  // namespace OSS
}  // namespace AlibabaCloud

#endif /* ALIBABACLOUD_OSS_MODEL_DELETEBUCKETREQUEST_H_OSSFFI */
