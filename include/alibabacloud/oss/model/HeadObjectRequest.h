/* HeadObjectRequest: HEAD an object (its metadata, no content). */
#ifndef ALIBABACLOUD_OSS_MODEL_HEADOBJECTREQUEST_H_OSSFFI
#define ALIBABACLOUD_OSS_MODEL_HEADOBJECTREQUEST_H_OSSFFI

#include <string>

#include "../OssRequest.h"

namespace AlibabaCloud {
namespace OSS {

class HeadObjectRequest : public OssObjectRequest {
 public:
  HeadObjectRequest(const std::string &bucket, const std::string &key) : OssObjectRequest(bucket, key) {}
};

}  // namespace OSS
}  // namespace AlibabaCloud

#endif /* ALIBABACLOUD_OSS_MODEL_HEADOBJECTREQUEST_H_OSSFFI */
