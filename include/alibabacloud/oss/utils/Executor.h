/*
 * Executor: where a program's own threads take OssClient's async calls instead of ossffi's
 * pool (ClientConfiguration::executor). OssClient calls execute() on the thread that made the
 * ...Async or ...Callable call, before that call returns; the executor owns the Runnable from
 * then on and must call run() once and delete it. Running it inline is allowed (the handler
 * then runs, and the future is ready, before the call returns).
 */
#ifndef ALIBABACLOUD_OSS_UTILS_EXECUTOR_H_OSSFFI
#define ALIBABACLOUD_OSS_UTILS_EXECUTOR_H_OSSFFI

/* The SDK's Executor.h brings these in, and programs written for it may rely on them. */
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <queue>
#include <thread>
#include <unordered_map>
#include <vector>

#include "../Export.h"
#include "Runnable.h"

namespace AlibabaCloud {
namespace OSS {

class ALIBABACLOUD_OSS_EXPORT Executor {
 public:
  Executor() {}
  virtual ~Executor() {}
  virtual void execute(Runnable *task) = 0;
};

}  // namespace OSS
}  // namespace AlibabaCloud

#endif /* ALIBABACLOUD_OSS_UTILS_EXECUTOR_H_OSSFFI */
