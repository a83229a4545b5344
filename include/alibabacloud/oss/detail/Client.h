/*
 * ossffi's C++ layer, private: how an OssClient crosses into C. Its configuration and
 * credentials provider become a C client, C errors become OssErrors, and a PutObject body is
 * streamed to the C library through callbacks that catch every exception.
 */
#ifndef ALIBABACLOUD_OSS_DETAIL_CLIENT_H_OSSFFI
#define ALIBABACLOUD_OSS_DETAIL_CLIENT_H_OSSFFI

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <iostream>
#include <limits>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "../OssError.h"
#include "../Types.h"
#include "../auth/CredentialsProvider.h"
#include "../client/ClientConfiguration.h"
#include "../client/Error.h"
#include "../client/RetryStrategy.h"
#include "../http/HttpType.h"
#include "../model/PutObjectRequest.h"
#include "CApi.h"

namespace ossffi {
namespace detail {

inline AlibabaCloud::OSS::OssError fromC(const ossffi_error *err, ossffi_result rc) {
  if (err == nullptr) {
    /* Only argument errors come without an error object; name the category. */
    return AlibabaCloud::OSS::OssError("ValidateError", copy(ossffi_result_name(rc)));
  }
  AlibabaCloud::OSS::OssError e(copy(ossffi_error_code(err)), copy(ossffi_error_message(err)));
  /* The SDK has no message for an error reply without a body (a 304, a HEAD 404); ossffi's C
   * API describes the status there. */
  if (startsWith(e.Code(), "ServerError:")) e.setMessage(std::string());
  /* ossffi says what was wrong with the body after tinyxml2's error name; the SDK says the name. */
  if (startsWith(e.Code(), "ParseXMLError:")) e.setMessage(e.Message().substr(0, e.Message().find(':')));
  e.setRequestId(copy(ossffi_error_request_id(err)));
  e.setHost(copy(ossffi_error_host_id(err)));
  e.setStatus(ossffi_error_http_status(err));
  e.setObjectStored(static_cast<Stored>(ossffi_error_object_stored(err)));
  return e;
}

/* Everything the C callbacks of one PutObject need; lives on PutObject's stack. */
struct Upload {
  std::iostream *body;
  std::streampos start;
  uint64_t length;
  uint64_t remaining;
  const AlibabaCloud::OSS::TransferProgress *progress;
  const CancellationToken *cancellation;
  const std::atomic<bool> *clientDisabled;
  std::exception_ptr exception;

  bool stopped() const { return cancellation->isCancelled() || clientDisabled->load(); }

  /* Reads the next chunk; never past `length`, so the stream's end is never hit early. */
  static int32_t read(void *userdata, uint8_t *buffer, size_t capacity, size_t *written) {
    Upload *u = static_cast<Upload *>(userdata);
    try {
      if (u->stopped()) return 1;
      uint64_t want = std::min<uint64_t>(capacity, u->remaining);
      if (want == 0) {
        *written = 0;
        return 0;
      }
      u->body->read(reinterpret_cast<char *>(buffer), static_cast<std::streamsize>(want));
      std::streamsize got = u->body->gcount();
      if (got <= 0 && u->body->bad()) return 2;
      *written = static_cast<size_t>(got > 0 ? got : 0);
      u->remaining -= *written;
      return 0;
    } catch (...) {
      u->exception = std::current_exception();
      return 3;
    }
  }

  /* Back to where the body started, for a retry. */
  static int32_t rewind(void *userdata) {
    Upload *u = static_cast<Upload *>(userdata);
    try {
      u->body->clear();
      u->body->seekg(u->start);
      u->remaining = u->length;
      return u->body->fail() ? 1 : 0;
    } catch (...) {
      u->exception = std::current_exception();
      return 3;
    }
  }

  static int32_t onProgress(void *userdata, uint64_t increment, uint64_t transferred, uint64_t total) {
    Upload *u = static_cast<Upload *>(userdata);
    try {
      if (u->stopped()) return 1;
      u->progress->Handler(static_cast<size_t>(increment), static_cast<int64_t>(transferred),
                           static_cast<int64_t>(total), u->progress->UserData);
      return 0;
    } catch (...) {
      u->exception = std::current_exception();
      return 3;
    }
  }
};

/* Puts a body stream back at its starting position however PutObject leaves, as the SDK does. */
class RestorePosition {
 public:
  RestorePosition(std::iostream &stream, std::streampos position) : stream_(stream), position_(position) {}
  ~RestorePosition() {
    try {
      stream_.clear();
      stream_.seekg(position_);
    } catch (...) {
      /* A stream that throws from seekg is left where it is rather than ending the program. */
    }
  }

 private:
  RestorePosition(const RestorePosition &);
  RestorePosition &operator=(const RestorePosition &);
  std::iostream &stream_;
  std::streampos position_;
};

/* The client-side state every copy of an OssClient shares. */
struct ClientState {
  Owned<ossffi_client> client;
  AlibabaCloud::OSS::OssError constructionError; /* returned by every call when !client */
  std::atomic<bool> disabled;
  bool verifyObjectStrict; /* ClientConfiguration::isVerifyObjectStrict, for presigned URLs */
  std::shared_ptr<AlibabaCloud::OSS::Executor> executor; /* ClientConfiguration::executor */
  /* Async calls running now (RunningTask), on the pool or on the executor. */
  std::mutex tasksMutex;
  std::condition_variable tasksDone;
  unsigned running;

  ClientState() : disabled(false), verifyObjectStrict(true), running(0) {}

  /*
   * Async calls reach this state through a plain pointer, so it outlives them. First
   * ossffi_client_free runs every queued pool call and waits for the running ones, while every
   * member is intact and `client` still answers get() (reset() would clear it before freeing).
   * Then the wait on `running` covers calls running on an executor, and, for pool calls, says
   * in C++ (where ThreadSanitizer sees it) what the C library already guaranteed. A call
   * running on this very thread (a handler destroying the last copy) is not waited for.
   */
  ~ClientState() {
    if (client) ossffi_client_free(client.get());
    (void)client.release();
    unsigned own = 0;
    std::vector<ClientState *> &mine = activeOnThisThread();
    for (size_t i = 0; i < mine.size(); ++i) {
      if (mine[i] == this) {
        mine[i] = nullptr; /* tells that RunningTask the state is gone */
        ++own;
      }
    }
    std::unique_lock<std::mutex> lock(tasksMutex);
    tasksDone.wait(lock, [this, own]() { return running == own; });
  }

  /* The states whose async calls this thread is running, innermost last (a handler may make a
   * call that an inline executor runs at once). */
  static std::vector<ClientState *> &activeOnThisThread() {
    static thread_local std::vector<ClientState *> active;
    return active;
  }

 private:
  ClientState(const ClientState &);
  ClientState &operator=(const ClientState &);
};

/* Marks one async call of `state` as running on this thread, for ~ClientState to wait for. */
class RunningTask {
 public:
  explicit RunningTask(ClientState *state) {
    {
      std::lock_guard<std::mutex> lock(state->tasksMutex);
      ++state->running;
    }
    ClientState::activeOnThisThread().push_back(state);
  }
  ~RunningTask() {
    std::vector<ClientState *> &active = ClientState::activeOnThisThread();
    ClientState *state = active.back();
    active.pop_back();
    if (state == nullptr) return; /* destroyed on this thread during the call */
    std::lock_guard<std::mutex> lock(state->tasksMutex);
    /* Notified under the lock: the destructor cannot go on (and free the mutex) before the
     * lock is released, and nothing here touches the state after that. */
    if (--state->running == 0) state->tasksDone.notify_all();
  }
  /* False once the state was destroyed on this thread after this call began. */
  static bool stateAlive() { return ClientState::activeOnThisThread().back() != nullptr; }

 private:
  RunningTask(const RunningTask &);
  RunningTask &operator=(const RunningTask &);
};

/* Holds a copy of the provider for the C client; freed by the client through `destroy`. */
inline int32_t provideCredentials(void *userdata, ossffi_credentials *out) {
  try {
    std::shared_ptr<AlibabaCloud::OSS::CredentialsProvider> &provider =
        *static_cast<std::shared_ptr<AlibabaCloud::OSS::CredentialsProvider> *>(userdata);
    AlibabaCloud::OSS::Credentials c = provider->getCredentials();
    return ossffi_credentials_set(out, c.AccessKeyId().c_str(), c.AccessKeySecret().c_str(),
                                  c.SessionToken().c_str()) == OSSFFI_RESULT_OK
               ? 0
               : 1;
  } catch (...) {
    pendingException() = std::current_exception();
    return 1;
  }
}

inline void releaseProvider(void *userdata) {
  delete static_cast<std::shared_ptr<AlibabaCloud::OSS::CredentialsProvider> *>(userdata);
}

/*
 * Asks a retry strategy written for the SDK how it treats a 503: the first attempt number it
 * refuses is the retry count, its first delay the backoff scale. Probing beats ignoring it.
 */
inline void retryKnobs(const std::shared_ptr<AlibabaCloud::OSS::RetryStrategy> &strategy, uint32_t &retries,
                       uint32_t &scaleMs) {
  retries = 0;
  scaleMs = 300;
  if (!strategy) return;
  const DefaultRetryStrategy *known = dynamic_cast<const DefaultRetryStrategy *>(strategy.get());
  long maxRetries = 0;
  long scale = 300;
  if (known != nullptr) {
    maxRetries = known->MaxRetries();
    scale = known->ScaleFactor();
  } else {
    try {
      AlibabaCloud::OSS::Error unavailable("ServiceUnavailable", "probe");
      unavailable.setStatus(503);
      while (maxRetries < 10 && strategy->shouldRetry(unavailable, maxRetries)) ++maxRetries;
      scale = strategy->calcDelayTimeMs(unavailable, 0);
    } catch (...) {
      /* A strategy that cannot answer gets the SDK's defaults. */
      maxRetries = 3;
      scale = 300;
    }
  }
  retries = static_cast<uint32_t>(std::max(0L, std::min(maxRetries, 10L)));
  scaleMs = static_cast<uint32_t>(std::max(0L, std::min(scale, 600000L)));
}

inline uint32_t clampMs(long ms) {
  if (ms < 0) return 0;
  const uint32_t most = std::numeric_limits<uint32_t>::max();
  if (static_cast<unsigned long>(ms) > most) return most;
  return static_cast<uint32_t>(ms);
}

/* A C configuration from a C++ one; "" on success, else what is wrong. */
inline std::string applyConfiguration(const AlibabaCloud::OSS::ClientConfiguration &conf, ossffi_client_config *c) {
  uint32_t retries = 0;
  uint32_t scaleMs = 0;
  retryKnobs(conf.retryStrategy, retries, scaleMs);
  if (conf.proxyScheme == AlibabaCloud::OSS::Http::HTTPS && !conf.proxyHost.empty()) {
    return "ClientConfiguration.proxyScheme HTTPS is not supported by ossffi; use an HTTP proxy";
  }
  uint16_t proxyPort = static_cast<uint16_t>(std::min<unsigned int>(conf.proxyPort, 65535u));
  struct Setting {
    const char *field;
    ossffi_result rc;
  } settings[] = {
      {"userAgent", ossffi_client_config_set_user_agent(c, conf.userAgent.c_str())},
      {"maxConnections", ossffi_client_config_set_max_connections(c, conf.maxConnections)},
      {"requestTimeoutMs", ossffi_client_config_set_request_timeout_ms(c, clampMs(conf.requestTimeoutMs))},
      {"connectTimeoutMs", ossffi_client_config_set_connect_timeout_ms(c, clampMs(conf.connectTimeoutMs))},
      {"retryStrategy", ossffi_client_config_set_max_retries(c, retries)},
      {"retryStrategy", ossffi_client_config_set_retry_scale_ms(c, scaleMs)},
      {"proxyHost", ossffi_client_config_set_proxy(c, conf.proxyHost.c_str(), proxyPort)},
      {"proxyUserName", ossffi_client_config_set_proxy_credentials(c, conf.proxyUserName.c_str(),
                                                                   conf.proxyPassword.c_str())},
      {"verifySSL", ossffi_client_config_set_verify_ssl(c, conf.verifySSL ? 1u : 0u)},
      {"caPath", ossffi_client_config_set_ca_path(c, conf.caPath.c_str())},
      {"caFile", ossffi_client_config_set_ca_file(c, conf.caFile.c_str())},
      {"isCname", ossffi_client_config_set_cname(c, conf.isCname ? 1u : 0u)},
      {"enableCrc64", ossffi_client_config_set_crc64(c, conf.enableCrc64 ? 1u : 0u)},
      {"enableDateSkewAdjustment",
       ossffi_client_config_set_date_skew_adjustment(c, conf.enableDateSkewAdjustment ? 1u : 0u)},
      {"isPathStyle", ossffi_client_config_set_path_style(c, conf.isPathStyle ? 1u : 0u)},
      {"signatureVersion",
       ossffi_client_config_set_signature_version(
           c, conf.signatureVersion == AlibabaCloud::OSS::SignatureVersionType::V4 ? OSSFFI_SIGNATURE_VERSION_V4
                                                                                   : OSSFFI_SIGNATURE_VERSION_V1)},
  };
  const AsyncPoolConfiguration *pool = dynamic_cast<const AsyncPoolConfiguration *>(&conf);
  if (pool != nullptr && pool->asyncThreads != 0 &&
      ossffi_client_config_set_async_threads(c, pool->asyncThreads) != OSSFFI_RESULT_OK) {
    return "AsyncPoolConfiguration.asyncThreads must be between 1 and 256";
  }
  if (pool != nullptr && pool->asyncQueueCapacity != 0 &&
      ossffi_client_config_set_async_queue_capacity(c, pool->asyncQueueCapacity) != OSSFFI_RESULT_OK) {
    return "AsyncPoolConfiguration.asyncQueueCapacity must be between 1 and 1048576";
  }
  for (size_t i = 0; i < sizeof(settings) / sizeof(settings[0]); ++i) {
    if (settings[i].rc != OSSFFI_RESULT_OK) {
      return std::string("ClientConfiguration.") + settings[i].field + " was refused: " +
             copy(ossffi_result_name(settings[i].rc));
    }
  }
  return std::string();
}

}  // namespace detail
}  // namespace ossffi

#endif /* ALIBABACLOUD_OSS_DETAIL_CLIENT_H_OSSFFI */
