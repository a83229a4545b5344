/* VoidResult: the result of an operation that returns nothing but its request id (DeleteBucket). */
#ifndef ALIBABACLOUD_OSS_MODEL_VOIDRESULT_H_OSSFFI
#define ALIBABACLOUD_OSS_MODEL_VOIDRESULT_H_OSSFFI

#include "../OssResult.h"

namespace AlibabaCloud {
namespace OSS {

class VoidResult : public OssResult {
 public:
  VoidResult() {}
};

}  // namespace OSS
}  // namespace AlibabaCloud

#endif /* ALIBABACLOUD_OSS_MODEL_VOIDRESULT_H_OSSFFI */
