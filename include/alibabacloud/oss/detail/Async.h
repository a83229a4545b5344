/*
 * ossffi's C++ layer, private: how OssClient's ...Async and ...Callable calls reach a thread.
 * Without ClientConfiguration::executor a call becomes a PoolTask on the C client's bounded
 * pool (ossffi_client_execute); with one it becomes the SDK's Runnable. Either way nothing a
 * handler throws leaves the task: C and Rust frames sit below it on a pool thread.
 */
#ifndef ALIBABACLOUD_OSS_DETAIL_ASYNC_H_OSSFFI
#define ALIBABACLOUD_OSS_DETAIL_ASYNC_H_OSSFFI

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <functional>
#include <string>

#include "../OssError.h"
#include "../Types.h"
#include "CApi.h"
#include "Utilities.h"

namespace ossffi {
namespace detail {

/* What an exception says about itself, for a message. */
inline std::string describeException(std::exception_ptr e) {
  try {
    std::rethrow_exception(e);
  } catch (const std::exception &caught) {
    return caught.what();
  } catch (...) {
    return "an exception that is not a std::exception";
  }
}

/*
 * An exception that escaped an async handler has nobody to go to: it is written to standard
 * error and given to the SDK log callback (SetLogCallback), and the pool thread carries on.
 */
inline void reportEscaped(const char *where, std::exception_ptr e) {
  const std::string line = std::string("ossffi: an exception escaped ") + where + ": " + describeException(e);
  try {
    std::fprintf(stderr, "%s\n", line.c_str());
    AlibabaCloud::OSS::LogCallback callback = logCallback().load();
    if (callback != nullptr) callback(AlibabaCloud::OSS::LogError, line);
  } catch (...) {
    /* The log callback threw too; the line is already on standard error. */
  }
}

/* The error a handler or future receives when the operation itself threw (a TransferProgress
 * handler, a CredentialsProvider, a stream), which a synchronous call would have rethrown. The
 * transfer was stopped by an application callback: curl's 42, as the SDK numbers it. */
inline AlibabaCloud::OSS::OssError thrownByOperation(std::exception_ptr e) {
  return AlibabaCloud::OSS::OssError("ClientError:200042",
                                     "An exception stopped the operation: " + describeException(e));
}

/* The error a handler or future receives for a call the pool did not take or did not run. */
inline AlibabaCloud::OSS::OssError notRun(ossffi_result rc) {
  switch (rc) {
    case OSSFFI_RESULT_QUEUE_FULL:
      return AlibabaCloud::OSS::OssError(
          "ClientError:QueueFull",
          "The async queue is full, and a call made from an async handler (a pool thread) does not wait for room.");
    case OSSFFI_RESULT_CLIENT_CLOSING:
      return AlibabaCloud::OSS::OssError("ClientError:ClientClosing",
                                         "The OssClient is being destroyed and takes no more async calls.");
    case OSSFFI_RESULT_CANCELLED:
      /* The C API's own words for a call cancelled while queued. */
      return AlibabaCloud::OSS::OssError(
          "ClientError:200042",
          "Operation was aborted by an application callback. (the call was cancelled before it started; nothing "
          "was sent)");
    default:
      return AlibabaCloud::OSS::OssError("ValidateError", copy(ossffi_result_name(rc)));
  }
}

/*
 * One call on the C client's pool. `run` performs the operation and delivers its outcome;
 * `fail` delivers an error instead, without performing it. The pool calls `trampoline`
 * exactly once, which deletes the task.
 */
struct PoolTask {
  std::function<void()> run;
  std::function<void(const AlibabaCloud::OSS::OssError &)> fail;
  const char *name; /* the OssClient method, for reports */
  /*
   * Stored (release) by the submitting thread just before ossffi_client_execute and loaded
   * (acquire) first thing on the pool thread. The C library's queue already orders the two,
   * but inside Rust, where ThreadSanitizer cannot see it; this pair says the same thing in
   * C++, so that everything the caller did before submitting is visibly done for the task.
   */
  std::atomic<bool> published;

  PoolTask() : name(""), published(false) {}

  static void trampoline(void *userdata, uint32_t cancelled) {
    PoolTask *task = static_cast<PoolTask *>(userdata);
    (void)task->published.load(std::memory_order_acquire);
    try {
      if (cancelled != 0) {
        task->fail(notRun(OSSFFI_RESULT_CANCELLED));
      } else {
        task->run();
      }
    } catch (...) {
      reportEscaped(task->name, std::current_exception());
    }
    /* The handler may have destroyed the last OssClient copy; the task owns what it uses. */
    delete task;
  }
};

}  // namespace detail
}  // namespace ossffi

#endif /* ALIBABACLOUD_OSS_DETAIL_ASYNC_H_OSSFFI */
