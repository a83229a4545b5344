/*
 * Runnable: one async call, as OssClient hands it to a ClientConfiguration::executor. The
 * executor calls run() once, on whichever thread it likes, and then deletes it.
 */
#ifndef ALIBABACLOUD_OSS_UTILS_RUNNABLE_H_OSSFFI
#define ALIBABACLOUD_OSS_UTILS_RUNNABLE_H_OSSFFI

#include <functional>

#include "../Export.h"

namespace AlibabaCloud {
namespace OSS {

class ALIBABACLOUD_OSS_EXPORT Runnable {
 public:
  /* By value and const, as the SDK declares it. */
  explicit Runnable(const std::function<void()> f) : f_(f) {}
  /* Runs the operation and then its handler (or fulfils its future). An OssClient Runnable
   * never throws: what the handler throws is caught and reported (see OssClient.h). */
  void run() const { f_(); }

 private:
  std::function<void()> f_;
};

}  // namespace OSS
}  // namespace AlibabaCloud

#endif /* ALIBABACLOUD_OSS_UTILS_RUNNABLE_H_OSSFFI */
