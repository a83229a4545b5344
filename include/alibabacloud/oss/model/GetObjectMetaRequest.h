/* GetObjectMetaRequest: HEAD /key?objectMeta, an object's basic metadata (ETag, size, time). */
#ifndef ALIBABACLOUD_OSS_MODEL_GETOBJECTMETAREQUEST_H_OSSFFI
#define ALIBABACLOUD_OSS_MODEL_GETOBJECTMETAREQUEST_H_OSSFFI

#include <string>

#include "../OssRequest.h"

namespace AlibabaCloud {
namespace OSS {

/* The objectMeta sub-resource is added by the operation, not listed in Parameters(). */
class GetObjectMetaRequest : public OssObjectRequest {
 public:
  GetObjectMetaRequest(const std::string &bucket, const std::string &key) : OssObjectRequest(bucket, key) {}
};

}  // namespace OSS
}  // namespace AlibabaCloud

#endif /* ALIBABACLOUD_OSS_MODEL_GETOBJECTMETAREQUEST_H_OSSFFI */
