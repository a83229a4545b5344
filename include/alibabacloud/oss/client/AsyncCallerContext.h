/*
 * AsyncCallerContext: what a program passes to an OssClient ...Async call to recognise the call
 * in its handler. The handler receives the very shared pointer it was given (nullptr when none
 * was). Programs derive from it to carry their own state, as the SDK's tests do.
 */
#ifndef ALIBABACLOUD_OSS_CLIENT_ASYNCCALLERCONTEXT_H_OSSFFI
#define ALIBABACLOUD_OSS_CLIENT_ASYNCCALLERCONTEXT_H_OSSFFI

#include <string>

#include "../Export.h"

namespace AlibabaCloud {
namespace OSS {

class ALIBABACLOUD_OSS_EXPORT AsyncCallerContext {
 public:
  /* The uuid is empty, as in the SDK. */
  AsyncCallerContext() {}
  explicit AsyncCallerContext(const std::string &uuid) : uuid_(uuid) {}
  virtual ~AsyncCallerContext() {}

  const std::string &Uuid() const { return uuid_; }
  void setUuid(const std::string &uuid) { uuid_ = uuid; }

 private:
  std::string uuid_;
};

}  // namespace OSS
}  // namespace AlibabaCloud

#endif /* ALIBABACLOUD_OSS_CLIENT_ASYNCCALLERCONTEXT_H_OSSFFI */
