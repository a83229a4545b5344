/* DeleteObjectResult: whether the delete left a delete marker (versioned buckets). */
#ifndef ALIBABACLOUD_OSS_MODEL_DELETEOBJECTRESULT_H_OSSFFI
#define ALIBABACLOUD_OSS_MODEL_DELETEOBJECTRESULT_H_OSSFFI

#include "../OssResult.h"
#include "../Types.h"

namespace AlibabaCloud {
namespace OSS {

class DeleteObjectResult : public OssObjectResult {
 public:
  DeleteObjectResult() : deleteMarker_(false) {}
  /* DeleteMarker() is true when x-oss-delete-marker is present, whatever its value. */
  explicit DeleteObjectResult(const HeaderCollection &headers)
      : OssObjectResult(headers), deleteMarker_(headers.find("x-oss-delete-marker") != headers.end()) {}
  bool DeleteMarker() const { return deleteMarker_; }

 private:
  bool deleteMarker_;
};

}  // namespace OSS
}  // namespace AlibabaCloud

#endif /* ALIBABACLOUD_OSS_MODEL_DELETEOBJECTRESULT_H_OSSFFI */
