/* DeleteObjectsResult: the keys OSS reports deleted (none in quiet mode). */
#ifndef ALIBABACLOUD_OSS_MODEL_DELETEOBJECTSRESULT_H_OSSFFI
#define ALIBABACLOUD_OSS_MODEL_DELETEOBJECTSRESULT_H_OSSFFI

#include <list>
#include <string>

#include "../OssResult.h"

namespace ossffi {
namespace detail {
struct ResultReader;
}  // namespace detail
}  // namespace ossffi

namespace AlibabaCloud {
namespace OSS {

/* Quiet() is true when OSS's answer had no body (a quiet delete), as in the SDK. */
class DeleteObjectsResult : public OssResult {
 public:
  DeleteObjectsResult() : quiet_(false) {}
  bool Quiet() const { return quiet_; }
  const std::list<std::string> &keyList() const { return keyList_; }

 private:
  friend struct ossffi::detail::ResultReader;
  bool quiet_;
  std::list<std::string> keyList_;
};

}  // namespace OSS
}  // namespace AlibabaCloud

#endif /* ALIBABACLOUD_OSS_MODEL_DELETEOBJECTSRESULT_H_OSSFFI */
