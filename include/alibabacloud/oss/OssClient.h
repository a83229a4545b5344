/*
 * The OSS C++ SDK's upload-callback surface, header-only, over ossffi's C API.
 *
 * Code written for the official Alibaba Cloud OSS C++ SDK (aliyun-oss-cpp-sdk 1.10.x) that
 * uploads objects with PutObject and upload callbacks compiles against this header unchanged
 * and links with -lossffi:
 *
 *     #include <alibabacloud/oss/OssClient.h>
 *     using namespace AlibabaCloud::OSS;
 *
 *     c++ -std=c++11 app.cpp -Iinclude -Ltarget/release -lossffi
 *
 * What is here, with the SDK's names, signatures and defaults (namespace AlibabaCloud::OSS):
 *   InitializeSdk, ShutdownSdk, IsSdkInitialized, SetLogLevel, SetLogCallback, LogLevel;
 *   ClientConfiguration, SignatureVersionType, Http::Scheme, RetryStrategy, RateLimiter;
 *   Credentials, CredentialsProvider, SimpleCredentialsProvider,
 *   EnvironmentVariableCredentialsProvider;
 *   OssClient (four constructors, SetRegion, DisableRequest/EnableRequest, five PutObject
 *   overloads); PutObjectRequest, ObjectMetaData, ObjectCallbackBuilder,
 *   ObjectCallbackVariableBuilder, TransferProgress; Outcome, PutObjectOutcome, PutObjectResult,
 *   OssError; the utility functions ComputeContentMD5, ComputeContentETag, UrlEncode, UrlDecode,
 *   Base64Encode, Base64EncodeUrlSafe, ToGmtTime, ToUtcTime, UtcToUnixTime, ComputeCRC64,
 *   CombineCRC64.
 * The rest of the SDK (GetObject, multipart and resumable uploads, presigned URLs, bucket
 * operations, async variants) does not exist here: ossffi uploads objects with callbacks.
 *
 * Where ossffi behaves differently from the SDK, on purpose:
 *   - Callback builders escape `"`, `\` and control characters inside the JSON they build, where
 *     the SDK pastes them raw and produces JSON that OSS rejects. Text that is already valid
 *     inside a JSON string comes out byte-identical to the SDK's output.
 *   - Exceptions. The SDK would let an exception from your TransferProgress handler, your
 *     CredentialsProvider or your stream unwind through C code. Here every callback that ossffi
 *     calls catches everything; the upload is stopped and the exception is rethrown from
 *     PutObject once the C call has returned and every C object is freed.
 *   - A request body is sent from its current read position to its end (the SDK measures the
 *     whole stream but reads from the current position), and afterwards the stream is put back
 *     at that position, as the SDK does, so a request can be uploaded again.
 *   - Credentials with an empty AccessKeyId fail the upload locally with code
 *     "InvalidCredentials" instead of being sent for OSS to refuse.
 *   - Signature V4 without SetRegion fails locally with "ValidateError" and a message saying
 *     what to set, instead of a request OSS rejects.
 *
 * Threads: as with the SDK, one OssClient may be used by many threads at once (copies share
 * one connection pool); configure it (SetRegion) before sharing it. Requests, builders,
 * metadata and results are plain values: use each from one thread at a time.
 *
 * Names this layer adds that the SDK does not have live in namespace ::ossffi, so that
 * `using namespace AlibabaCloud::OSS;` never brings in a name an SDK program could already use.
 */
#ifndef ALIBABACLOUD_OSS_OSSCLIENT_H_OSSFFI
#define ALIBABACLOUD_OSS_OSSCLIENT_H_OSSFFI

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <exception>
#include <fstream>
#include <functional>
#include <iostream>
#include <limits>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

/* Found next to this directory both in the source tree and in an installed include/. */
#include "../../ossffi.h"

/* ---------------------------------------------------------------------------------------- */
/* Extras that the SDK does not have, and the plumbing between C++ and C.                    */
/* ---------------------------------------------------------------------------------------- */
namespace ossffi {

/* Whether a failed upload left the object in the bucket (OssError::ObjectStored()). */
enum class Stored {
  No = OSSFFI_OBJECT_STORED_NO,           /* nothing was stored */
  Yes = OSSFFI_OBJECT_STORED_YES,         /* e.g. the upload callback failed (HTTP 203) */
  Unknown = OSSFFI_OBJECT_STORED_UNKNOWN  /* the connection broke after the body was sent */
};

/*
 * A cancel switch for one upload, which the SDK lacks (it can only disable a whole client).
 * Give a copy to PutObjectRequest::setCancellationToken and call cancel() from any thread: the
 * upload stops before its next chunk of body and fails with "ClientError:200042". Copies share
 * one switch; reset() re-arms it for another upload.
 */
class CancellationToken {
 public:
  CancellationToken() : cancelled_(std::make_shared<std::atomic<bool> >(false)) {}
  void cancel() const { cancelled_->store(true); }
  void reset() const { cancelled_->store(false); }
  bool isCancelled() const { return cancelled_->load(); }

 private:
  std::shared_ptr<std::atomic<bool> > cancelled_;
};

namespace detail {

/* One deleter for every C object, so each can be held by a std::unique_ptr. */
struct CFree {
  void operator()(ossffi_client_config *p) const { ossffi_client_config_free(p); }
  void operator()(ossffi_client *p) const { ossffi_client_free(p); }
  void operator()(ossffi_put_request *p) const { ossffi_put_request_free(p); }
  void operator()(ossffi_put_result *p) const { ossffi_put_result_free(p); }
  void operator()(ossffi_error *p) const { ossffi_error_free(p); }
  void operator()(ossffi_callback_builder *p) const { ossffi_callback_builder_free(p); }
  void operator()(ossffi_callback_var_builder *p) const { ossffi_callback_var_builder_free(p); }
  void operator()(ossffi_md5 *p) const { ossffi_md5_free(p); }
  void operator()(char *p) const { ossffi_string_free(p); }
};

template <typename T>
using Owned = std::unique_ptr<T, CFree>;

inline std::string copy(const char *s) { return s != nullptr ? std::string(s) : std::string(); }

/*
 * An exception caught in a callback that has no per-call context (the credentials provider,
 * which belongs to the client). ossffi calls it on the uploading thread, during PutObject, so a
 * per-thread slot reaches the PutObject that must rethrow it.
 */
inline std::exception_ptr &pendingException() {
  static thread_local std::exception_ptr pending;
  return pending;
}

/* ASCII-only lower-casing: header names are ASCII, and locale-dependent tolower is not wanted. */
inline unsigned char lowerAscii(unsigned char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<unsigned char>(c - 'A' + 'a') : c;
}

inline bool caseInsensitiveEquals(const std::string &a, const char *b) {
  std::string::size_type n = std::char_traits<char>::length(b);
  if (a.size() != n) return false;
  for (std::string::size_type i = 0; i < n; ++i) {
    if (lowerAscii(static_cast<unsigned char>(a[i])) != lowerAscii(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

inline bool startsWith(const std::string &s, const char *prefix) {
  return s.compare(0, std::char_traits<char>::length(prefix), prefix) == 0;
}

}  // namespace detail
}  // namespace ossffi

namespace AlibabaCloud {
namespace OSS {

/* ---------------------------------------------------------------------------------------- */
/* Types.h                                                                                   */
/* ---------------------------------------------------------------------------------------- */

enum LogLevel { LogOff = 0, LogFatal, LogError, LogWarn, LogInfo, LogDebug, LogTrace, LogAll };

enum class RequestPayer { NotSet = 0, BucketOwner, Requester };

/* The SDK's signature of a log callback; `stream` is one message. */
typedef void (*LogCallback)(LogLevel level, const std::string &stream);

/* Orders header names as the SDK does: byte-wise after ASCII lower-casing, a prefix first. */
struct caseInsensitiveLess {
  bool operator()(const std::string &lhs, const std::string &rhs) const {
    std::string::size_type n = std::min(lhs.size(), rhs.size());
    for (std::string::size_type i = 0; i < n; ++i) {
      unsigned char a = ossffi::detail::lowerAscii(static_cast<unsigned char>(lhs[i]));
      unsigned char b = ossffi::detail::lowerAscii(static_cast<unsigned char>(rhs[i]));
      if (a != b) return a < b;
    }
    return lhs.size() < rhs.size();
  }
};

struct caseSensitiveLess {
  bool operator()(const std::string &lhs, const std::string &rhs) const { return lhs < rhs; }
};

typedef std::map<std::string, std::string, caseInsensitiveLess> MetaData;
typedef std::map<std::string, std::string, caseInsensitiveLess> HeaderCollection;
typedef std::map<std::string, std::string, caseSensitiveLess> ParameterCollection;
typedef std::function<std::shared_ptr<std::iostream>(void)> IOStreamFactory;

/*
 * Upload progress, as in the SDK: after each chunk handed to the connection, Handler receives
 * the bytes in that chunk, the bytes sent so far in this attempt and the content length, with
 * UserData. Only request bytes are reported (the SDK also counts the callback reply it receives,
 * ending with transferred > total). It runs on the thread that called PutObject. An exception
 * it throws stops the upload and is rethrown by PutObject; to stop an upload without an
 * exception, use an ossffi::CancellationToken.
 */
typedef std::function<void(size_t increment, int64_t transferred, int64_t total, void *userData)>
    TransferProgressHandler;
struct TransferProgress {
  TransferProgressHandler Handler;
  void *UserData;
};

}  // namespace OSS
}  // namespace AlibabaCloud

namespace ossffi {
namespace detail {
/* The LogCallback in force; ossffi's C callback has a userdata pointer, the SDK's has none. */
inline std::atomic<AlibabaCloud::OSS::LogCallback> &logCallback() {
  static std::atomic<AlibabaCloud::OSS::LogCallback> callback(nullptr);
  return callback;
}

inline void forwardLog(void *, uint32_t level, const char *message) {
  AlibabaCloud::OSS::LogCallback callback = logCallback().load();
  if (callback == nullptr) return;
  try {
    callback(static_cast<AlibabaCloud::OSS::LogLevel>(level), copy(message));
  } catch (...) {
    /* A log line is not worth unwinding through the library for; it is dropped. */
  }
}
}  // namespace detail
}  // namespace ossffi

namespace AlibabaCloud {
namespace OSS {

/* ---------------------------------------------------------------------------------------- */
/* Lifecycle and logging                                                                     */
/* ---------------------------------------------------------------------------------------- */

/*
 * Like the SDK: idempotent, not reference-counted. Resets logging (level off, no callback),
 * then honours OSS_SDK_LOG_LEVEL (off, fatal, error, warn, info, debug, trace, all) with a
 * callback writing to standard error. ossffi needs no global initialisation: everything works
 * without this call, including from several threads at once.
 */
inline void InitializeSdk() {
  if (!ossffi_is_sdk_initialized()) ossffi::detail::logCallback().store(nullptr);
  ossffi_initialize_sdk();
}

/* Undoes InitializeSdk: logging goes off. Clients and requests that exist stay usable. */
inline void ShutdownSdk() {
  if (ossffi_is_sdk_initialized()) {
    ossffi_shutdown_sdk();
    ossffi::detail::logCallback().store(nullptr);
  }
}

inline bool IsSdkInitialized() { return ossffi_is_sdk_initialized(); }

/* Messages at `level` or more severe are passed to the log callback, when one is set. */
inline void SetLogLevel(LogLevel level) { (void)ossffi_set_log_level(static_cast<uint32_t>(level)); }

/*
 * Sets the function that receives log messages (nullptr removes it). It may be called from any
 * thread that uses ossffi, several at once; an exception it throws is swallowed.
 */
inline void SetLogCallback(LogCallback callback) {
  ossffi::detail::logCallback().store(callback);
  (void)ossffi_set_log_callback(callback != nullptr ? &ossffi::detail::forwardLog : nullptr, nullptr);
}

}  // namespace OSS
}  // namespace AlibabaCloud

namespace ossffi {
namespace detail {
inline const uint8_t *bytes(const void *p) { return static_cast<const uint8_t *>(p); }

/*
 * The string a C utility built into `*out`, or "" when it failed; the C string is freed either
 * way. Takes `out` by address so that `takeString(ossffi_f(..., &out), &out)` reads it only
 * after the call has written it (argument evaluation order is unspecified).
 */
inline std::string takeString(ossffi_result result, char **out) {
  Owned<char> owned(*out);
  return result == OSSFFI_RESULT_OK ? copy(owned.get()) : std::string();
}

/*
 * The MD5 of a whole stream, as the SDK's ComputeContentMD5/ComputeContentETag read it: from
 * offset 0 whatever the current position, then the state flags are cleared and the previous
 * get position restored (a stream whose tellg() fails counts as being at 0). An unopened
 * fstream hashes as empty. The stream is read in pieces, never whole.
 */
inline Owned<ossffi_md5> md5OfStream(std::istream &stream) {
  Owned<ossffi_md5> md5(ossffi_md5_new());
  std::streampos position = stream.tellg();
  if (position == std::streampos(-1)) {
    position = 0;
    stream.clear();
  }
  stream.seekg(0, std::ios::beg);
  std::vector<char> buffer(64 * 1024);
  while (stream.good()) {
    stream.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    std::streamsize got = stream.gcount();
    if (got > 0) (void)ossffi_md5_update(md5.get(), bytes(buffer.data()), static_cast<size_t>(got));
  }
  stream.clear();
  stream.seekg(position, std::ios::beg);
  return md5;
}

inline std::string base64(const char *src, size_t len, bool urlSafe) {
  if (src == nullptr || len == 0) return std::string();
  char *out = nullptr;
  ossffi_result result = urlSafe ? ossffi_base64_encode_url_safe(bytes(src), len, &out)
                                 : ossffi_base64_encode(bytes(src), len, &out);
  return takeString(result, &out);
}
}  // namespace detail
}  // namespace ossffi

namespace AlibabaCloud {
namespace OSS {

/* ---------------------------------------------------------------------------------------- */
/* Utility functions                                                                         */
/* ---------------------------------------------------------------------------------------- */

/* Content-MD5: standard base64 of the MD5 of `data` ("XrY7u+Ae7tCTyyK7j1rNww==" for "hello
 * world"); "" when `data` is nullptr. */
inline std::string ComputeContentMD5(const char *data, size_t size) {
  if (data == nullptr) return std::string();
  char *out = nullptr;
  return ossffi::detail::takeString(ossffi_content_md5(ossffi::detail::bytes(data), size, &out), &out);
}

/* ComputeContentMD5 of the whole stream from offset 0; its get position is restored. */
inline std::string ComputeContentMD5(std::istream &stream) {
  ossffi::detail::Owned<ossffi_md5> md5 = ossffi::detail::md5OfStream(stream);
  char *out = nullptr;
  return ossffi::detail::takeString(ossffi_md5_content_md5(md5.get(), &out), &out);
}

/* The MD5 of `data` as 32 upper-case hex digits ("5EB63BBBE01EEED093CB22BB8F5ACDC3" for "hello
 * world"), OSS's ETag of such a PutObject without its quotes; "" when `data` is nullptr. */
inline std::string ComputeContentETag(const char *data, size_t size) {
  if (data == nullptr) return std::string();
  char *out = nullptr;
  return ossffi::detail::takeString(ossffi_content_etag(ossffi::detail::bytes(data), size, &out), &out);
}

/* ComputeContentETag of the whole stream from offset 0; its get position is restored. */
inline std::string ComputeContentETag(std::istream &stream) {
  ossffi::detail::Owned<ossffi_md5> md5 = ossffi::detail::md5OfStream(stream);
  char *out = nullptr;
  return ossffi::detail::takeString(ossffi_md5_etag(md5.get(), &out), &out);
}

/* Byte-wise percent-encoding: A-Z a-z 0-9 - _ . ~ stay, every other byte (space, '/', '+',
 * each UTF-8 byte) becomes %XX with upper-case hex. */
inline std::string UrlEncode(const std::string &src) {
  char *out = nullptr;
  return ossffi::detail::takeString(
      ossffi_url_encode(ossffi::detail::bytes(src.data()), src.size(), &out), &out);
}

/* Decodes each %XY to the byte strtol("XY", 16) gives (so "%zz" is a zero byte, as in the SDK);
 * '+' stays '+'. Where the SDK reads past the end of `src` (a '%' in its last two bytes), the
 * characters that exist are decoded. */
inline std::string UrlDecode(const std::string &src) {
  std::string decoded(src.size(), '\0');
  size_t len = 0;
  if (ossffi_url_decode(ossffi::detail::bytes(src.data()), src.size(),
                        reinterpret_cast<uint8_t *>(&decoded[0]), &len) != OSSFFI_RESULT_OK) {
    return std::string();
  }
  decoded.resize(len);
  return decoded;
}

/* Standard base64 with '=' padding, no line breaks. */
inline std::string Base64Encode(const std::string &src) {
  return ossffi::detail::base64(src.data(), src.size(), false);
}

/* Standard base64 of `len` bytes at `src`; "" when `src` is nullptr or `len` is not positive. */
inline std::string Base64Encode(const char *src, int len) {
  return len > 0 ? ossffi::detail::base64(src, static_cast<size_t>(len), false) : std::string();
}

/* Base64 with '+' as '-', '/' as '_' and no trailing '='. */
inline std::string Base64EncodeUrlSafe(const std::string &src) {
  return ossffi::detail::base64(src.data(), src.size(), true);
}

/* Base64EncodeUrlSafe of `len` bytes at `src`; "" when `src` is nullptr or `len` is not
 * positive. */
inline std::string Base64EncodeUrlSafe(const char *src, int len) {
  return len > 0 ? ossffi::detail::base64(src, static_cast<size_t>(len), true) : std::string();
}

/* "Thu, 01 Jan 1970 00:00:00 GMT", in English whatever the locale. Years outside 1000..9999,
 * whose form the SDK leaves to the C library, give "". */
inline std::string ToGmtTime(std::time_t &t) {
  char *out = nullptr;
  return ossffi::detail::takeString(ossffi_format_gmt_time(static_cast<int64_t>(t), &out), &out);
}

/* "1970-01-01T00:00:00.000Z" (milliseconds always 000). Years outside 1000..9999 give "". */
inline std::string ToUtcTime(std::time_t &t) {
  char *out = nullptr;
  return ossffi::detail::takeString(ossffi_format_utc_time(static_cast<int64_t>(t), &out), &out);
}

/*
 * Unix seconds of "2018-03-07T08:35:19.123Z", read as the SDK reads it (sscanf with
 * "%4d-%2d-%2dT%2d:%2d:%2d.%dZ", then timegm): the fraction is required, what follows it is
 * not checked, out-of-range fields carry over. -1 when a field is missing, the time is before
 * 1970, or the text is not UTF-8.
 */
inline std::time_t UtcToUnixTime(const std::string &t) {
  int64_t seconds = 0;
  if (ossffi_parse_utc_time(t.c_str(), &seconds) != OSSFFI_RESULT_OK) return -1;
  return static_cast<std::time_t>(seconds);
}

/* Continues the CRC-64 (CRC-64/XZ, OSS's x-oss-hash-crc64ecma) `crc` (0 to start) over `len`
 * bytes at `buf`: hashing pieces one after the other equals hashing their concatenation.
 * A nullptr `buf` hashes nothing and returns `crc`. */
inline uint64_t ComputeCRC64(uint64_t crc, void *buf, size_t len) {
  uint64_t out = 0;
  if (buf == nullptr) return crc;
  return ossffi_crc64(crc, static_cast<const uint8_t *>(buf), len, &out) == OSSFFI_RESULT_OK ? out : crc;
}

/* The CRC-64 of A followed by B from CRC(A), CRC(B) and the length of B; `len2 == 0` gives
 * `crc1`. */
inline uint64_t CombineCRC64(uint64_t crc1, uint64_t crc2, uintmax_t len2) {
  return ossffi_crc64_combine(crc1, crc2, static_cast<uint64_t>(len2));
}

/* ---------------------------------------------------------------------------------------- */
/* Client configuration                                                                      */
/* ---------------------------------------------------------------------------------------- */

struct Http {
  enum Scheme { HTTP, HTTPS };
};

enum class SignatureVersionType { V1, V4 };

/*
 * The SDK's internal error record, as retry strategies receive it. ossffi never calls a retry
 * strategy (see ClientConfiguration::retryStrategy); the type exists so that strategies written
 * for the SDK compile.
 */
class Error {
 public:
  Error() : status_(0) {}
  Error(const std::string &code, const std::string &message) : status_(0), code_(code), message_(message) {}
  long Status() const { return status_; }
  const std::string &Code() const { return code_; }
  const std::string &Message() const { return message_; }
  const HeaderCollection &Headers() const { return headers_; }
  void setStatus(long status) { status_ = status; }
  void setCode(const std::string &code) { code_ = code; }
  void setMessage(const std::string &message) { message_ = message; }
  void setHeaders(const HeaderCollection &headers) { headers_ = headers; }

 private:
  long status_;
  std::string code_;
  std::string message_;
  HeaderCollection headers_;
};

class RetryStrategy {
 public:
  virtual ~RetryStrategy() {}
  virtual bool shouldRetry(const Error &error, long attemptedRetries) const = 0;
  virtual long calcDelayTimeMs(const Error &error, long attemptedRetries) const = 0;
};

/* Bandwidth limits in KB/s. Accepted and ignored (see ClientConfiguration). */
class RateLimiter {
 public:
  virtual ~RateLimiter() {}
  virtual void setRate(int rate) = 0;
  virtual int Rate() const = 0;
};

}  // namespace OSS
}  // namespace AlibabaCloud

namespace ossffi {
/*
 * The SDK's default retry strategy (its class is private to ClientConfiguration.cc): retry 5xx,
 * RequestTimeTooSkewed and connection failures up to maxRetries times, waiting
 * (1 << n) * scaleFactor ms before retry n.
 */
class DefaultRetryStrategy : public AlibabaCloud::OSS::RetryStrategy {
 public:
  explicit DefaultRetryStrategy(long maxRetries = 3, long scaleFactor = 300)
      : maxRetries_(maxRetries), scaleFactor_(scaleFactor) {}
  bool shouldRetry(const AlibabaCloud::OSS::Error &error, long attemptedRetries) const override {
    if (attemptedRetries >= maxRetries_) return false;
    long status = error.Status();
    if (status == 403 && error.Message().find("RequestTimeTooSkewed") != std::string::npos) return true;
    if (status > 499 && status < 599) return true;
    switch (status - 200000) { /* the SDK's curl codes that are worth another attempt */
      case 7: case 18: case 23: case 28: case 52: case 55: case 56: case 65: return true;
      default: return false;
    }
  }
  long calcDelayTimeMs(const AlibabaCloud::OSS::Error &, long attemptedRetries) const override {
    return (1L << attemptedRetries) * scaleFactor_;
  }
  long MaxRetries() const { return maxRetries_; }
  long ScaleFactor() const { return scaleFactor_; }

 private:
  long maxRetries_;
  long scaleFactor_;
};
}  // namespace ossffi

namespace AlibabaCloud {
namespace OSS {

/*
 * Client settings, with the SDK's field names and defaults; the configuration is copied into
 * each client made from it. Field by field:
 *
 *   userAgent          sent as User-Agent. Default "ossffi/<version> (<platform>)": ossffi does
 *                      not claim to be aliyun-sdk-cpp.
 *   maxConnections     idle keep-alive connections kept per host (default 16). The SDK blocks a
 *                      17th concurrent request until a handle frees up; ossffi opens another
 *                      connection and keeps at most this many idle ones.
 *   requestTimeoutMs   a stall timeout (default 10000): a request fails with "ClientError:200028"
 *                      when the server neither takes nor sends a byte for this long. The SDK
 *                      means the same (a 1 byte/s speed limit); neither bounds a whole upload.
 *   connectTimeoutMs   default 5000.
 *   retryStrategy      default ossffi::DefaultRetryStrategy(3, 300); nullptr disables retries.
 *                      ossffi retries the SDK's retryable failures itself and does not call the
 *                      strategy per failure: it asks a custom strategy once, when the client is
 *                      made, how many times it retries a 503 and how long it waits before the
 *                      first retry, and applies that count and backoff scale.
 *   proxyScheme/Host/Port/UserName/Password
 *                      an HTTP proxy, used when proxyHost is not empty (port 0 means 80).
 *                      proxyScheme HTTPS (TLS to the proxy itself) is not available through the
 *                      C API yet: such a client fails every call with "ValidateError".
 *   verifySSL          default true; false accepts any certificate (testing only).
 *   caPath, caFile     trust these CA certificates instead of the built-in Mozilla roots.
 *   isCname            the endpoint is a custom domain bound to the bucket.
 *   enableCrc64        default true: a CRC-64 mismatch fails with "ClientError:100001".
 *   isPathStyle        address buckets as endpoint/bucket/key (IP endpoints always are).
 *   signatureVersion   default SignatureVersionType::V1, as in the SDK, so SDK programs sign
 *                      exactly as before. (ossffi's C API defaults to V4.) V4 needs
 *                      OssClient::SetRegion.
 *   enableDateSkewAdjustment  default true: after a RequestTimeTooSkewed answer, later
 *                      requests are signed with the server's clock.
 *
 * Accepted and ignored, so that SDK programs setting them still compile:
 *   scheme                    unused by the SDK too: the scheme comes from the endpoint.
 *   sendRateLimiter, recvRateLimiter
 *                             ossffi has no bandwidth limiter; per request, OSS's own
 *                             PutObjectRequest::setTrafficLimit works.
 *   networkInterface          ossffi does not bind to an interface.
 *   isVerifyObjectStrict      only affects presigned URLs, which ossffi does not make.
 * Not present (a program that sets them does not compile): executor, httpClient,
 * httpInterceptor; they hook into the SDK's curl transport, which ossffi replaces.
 */
class ClientConfiguration {
 public:
  ClientConfiguration()
      : userAgent(DefaultUserAgent()),
        scheme(Http::HTTP),
        maxConnections(16),
        requestTimeoutMs(10000),
        connectTimeoutMs(5000),
        retryStrategy(std::make_shared<ossffi::DefaultRetryStrategy>(3, 300)),
        proxyScheme(Http::HTTP),
        proxyPort(0),
        verifySSL(true),
        isCname(false),
        enableCrc64(true),
        enableDateSkewAdjustment(true),
        isPathStyle(false),
        isVerifyObjectStrict(true),
        signatureVersion(SignatureVersionType::V1) {}
  virtual ~ClientConfiguration() {}

  std::string userAgent;
  Http::Scheme scheme;
  unsigned int maxConnections;
  long requestTimeoutMs;
  long connectTimeoutMs;
  std::shared_ptr<RetryStrategy> retryStrategy;
  Http::Scheme proxyScheme;
  std::string proxyHost;
  unsigned int proxyPort;
  std::string proxyUserName;
  std::string proxyPassword;
  bool verifySSL;
  std::string caPath;
  std::string caFile;
  bool isCname;
  bool enableCrc64;
  bool enableDateSkewAdjustment;
  std::shared_ptr<RateLimiter> sendRateLimiter;
  std::shared_ptr<RateLimiter> recvRateLimiter;
  std::string networkInterface;
  bool isPathStyle;
  bool isVerifyObjectStrict;
  SignatureVersionType signatureVersion;

 private:
  static std::string DefaultUserAgent() {
#if defined(_WIN32)
    const char *platform = "Windows";
#elif defined(__ANDROID__)
    const char *platform = "Android";
#elif defined(__APPLE__)
    const char *platform = "MacOS";
#elif defined(__linux__)
    const char *platform = "Linux";
#else
    const char *platform = "Unknown";
#endif
    return std::string("ossffi/") + ossffi::detail::copy(ossffi_version()) + " (" + platform + ")";
  }
};

/* ---------------------------------------------------------------------------------------- */
/* Credentials                                                                               */
/* ---------------------------------------------------------------------------------------- */

class Credentials {
 public:
  Credentials(const std::string &accessKeyId, const std::string &accessKeySecret,
              const std::string &sessionToken = "")
      : accessKeyId_(accessKeyId), accessKeySecret_(accessKeySecret), sessionToken_(sessionToken) {}
  ~Credentials() {}
  const std::string &AccessKeyId() const { return accessKeyId_; }
  const std::string &AccessKeySecret() const { return accessKeySecret_; }
  const std::string &SessionToken() const { return sessionToken_; }
  void setAccessKeyId(const std::string &accessKeyId) { accessKeyId_ = accessKeyId; }
  void setAccessKeySecret(const std::string &accessKeySecret) { accessKeySecret_ = accessKeySecret; }
  void setSessionToken(const std::string &sessionToken) { sessionToken_ = sessionToken; }

 private:
  std::string accessKeyId_;
  std::string accessKeySecret_;
  std::string sessionToken_;
};

/*
 * Where a client's credentials come from. getCredentials() is called once per HTTP attempt
 * (retries included), on the thread that called PutObject, so a provider that rotates STS
 * credentials takes effect on the next attempt. With a client shared by several threads it runs
 * on several threads at once: make it thread-safe. An exception it throws fails the upload and
 * is rethrown by PutObject. The client keeps a reference to the provider until the last copy of
 * the client is destroyed.
 */
class CredentialsProvider {
 public:
  CredentialsProvider() = default;
  virtual ~CredentialsProvider() {}
  virtual Credentials getCredentials() = 0;
};

class SimpleCredentialsProvider : public CredentialsProvider {
 public:
  explicit SimpleCredentialsProvider(const Credentials &credentials) : credentials_(credentials) {}
  SimpleCredentialsProvider(const std::string &accessKeyId, const std::string &accessKeySecret,
                            const std::string &securityToken = "")
      : credentials_(accessKeyId, accessKeySecret, securityToken) {}
  Credentials getCredentials() override { return credentials_; }

 private:
  Credentials credentials_;
};

/*
 * OSS_ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET and OSS_SESSION_TOKEN, read on every call (no
 * caching), as in the SDK. When OSS_ACCESS_KEY_ID is unset the credentials are empty and the
 * upload fails with "InvalidCredentials".
 */
class EnvironmentVariableCredentialsProvider : public CredentialsProvider {
 public:
  Credentials getCredentials() override {
    const char *id = std::getenv("OSS_ACCESS_KEY_ID");
    if (id == nullptr) return Credentials("", "", "");
    return Credentials(id, ossffi::detail::copy(std::getenv("OSS_ACCESS_KEY_SECRET")),
                       ossffi::detail::copy(std::getenv("OSS_SESSION_TOKEN")));
  }
};

/* ---------------------------------------------------------------------------------------- */
/* Errors, outcomes, results                                                                 */
/* ---------------------------------------------------------------------------------------- */

/*
 * A failure, with the SDK's codes: OSS's own ("AccessDenied", "CallbackFailed", ...),
 * "ValidateError" for a request refused before any I/O, "ClientError:100001" for a CRC-64
 * mismatch, "ClientError:2000xx" for transport failures (the SDK's curl numbering),
 * "ServerError:<status>" for an error reply without a body.
 * ossffi adds Status() (the HTTP status, 0 when there was no reply) and ObjectStored().
 */
class OssError {
 public:
  OssError() : status_(0), stored_(ossffi::Stored::No) {}
  OssError(const std::string &code, const std::string &message)
      : code_(code), message_(message), status_(0), stored_(ossffi::Stored::No) {}
  ~OssError() {}
  const std::string &Code() const { return code_; }
  const std::string &Message() const { return message_; }
  const std::string &RequestId() const { return requestId_; }
  const std::string &Host() const { return host_; }
  void setCode(const std::string &value) { code_ = value; }
  void setMessage(const std::string &value) { message_ = value; }
  void setRequestId(const std::string &value) { requestId_ = value; }
  void setHost(const std::string &value) { host_ = value; }

  /* ossffi: the HTTP status of OSS's reply (203 for CallbackFailed), 0 when there was none. */
  uint32_t Status() const { return status_; }
  /* ossffi: whether the object is in the bucket despite the failure (Yes for CallbackFailed). */
  ossffi::Stored ObjectStored() const { return stored_; }
  void setStatus(uint32_t value) { status_ = value; }
  void setObjectStored(ossffi::Stored value) { stored_ = value; }

 private:
  std::string code_;
  std::string message_;
  std::string requestId_;
  std::string host_;
  uint32_t status_;
  ossffi::Stored stored_;
};

/* Either a result or an error. Default-constructed, it is a failure with an empty error. */
template <typename E, typename R>
class Outcome {
 public:
  Outcome() : success_(false) {}
  Outcome(const E &e) : e_(e), success_(false) {}
  Outcome(const R &r) : r_(r), success_(true) {}
  Outcome(E &&e) : e_(std::move(e)), success_(false) {}
  Outcome(R &&r) : r_(std::move(r)), success_(true) {}
  Outcome(const Outcome &other) = default;
  Outcome(Outcome &&other) = default;
  Outcome &operator=(const Outcome &other) = default;
  Outcome &operator=(Outcome &&other) = default;
  ~Outcome() {}

  bool isSuccess() const { return success_; }
  const E &error() const { return e_; }
  const R &result() const { return r_; }
  E &error() { return e_; }
  R &result() { return r_; }

 private:
  E e_;
  R r_;
  bool success_;
};

class PutObjectResult {
 public:
  PutObjectResult() : crc64_(0) {}
  PutObjectResult(const std::string eTag, const uint64_t crc64) : eTag_(eTag), crc64_(crc64) {}
  /* From response headers (ETag, x-oss-hash-crc64ecma, x-oss-request-id, x-oss-version-id). */
  explicit PutObjectResult(const HeaderCollection &headers) : crc64_(0) { readHeaders(headers); }
  PutObjectResult(const HeaderCollection &headers, const std::shared_ptr<std::iostream> &content)
      : crc64_(0) {
    readHeaders(headers);
    if (content && content->peek() != std::char_traits<char>::eof()) content_ = content;
  }

  /* The object's ETag without quotes (upper-case hex MD5 for a PutObject). */
  const std::string &ETag() const { return eTag_; }
  /* The object's CRC-64/XZ as OSS computed it; 0 if OSS did not say. */
  uint64_t CRC64() const { return crc64_; }
  const std::string &RequestId() const { return requestId_; }
  const std::string &VersionId() const { return versionId_; }
  /*
   * The reply body: with an upload callback, the callback server's reply (OSS relays it, at
   * most 3 MB); nullptr when the body was empty, i.e. without a callback.
   */
  const std::shared_ptr<std::iostream> &Content() const { return content_; }

  void setRequestId(const std::string &value) { requestId_ = value; }
  void setVersionId(const std::string &value) { versionId_ = value; }
  void setContent(const std::shared_ptr<std::iostream> &value) { content_ = value; }

 private:
  void readHeaders(const HeaderCollection &headers) {
    HeaderCollection::const_iterator it = headers.find("ETag");
    if (it != headers.end()) {
      eTag_ = it->second;
      if (eTag_.size() >= 2 && eTag_[0] == '"' && eTag_[eTag_.size() - 1] == '"') eTag_ = eTag_.substr(1, eTag_.size() - 2);
    }
    it = headers.find("x-oss-hash-crc64ecma");
    if (it != headers.end()) crc64_ = std::strtoull(it->second.c_str(), nullptr, 10);
    it = headers.find("x-oss-request-id");
    if (it != headers.end()) requestId_ = it->second;
    it = headers.find("x-oss-version-id");
    if (it != headers.end()) versionId_ = it->second;
  }

  std::string eTag_;
  uint64_t crc64_;
  std::string requestId_;
  std::string versionId_;
  std::shared_ptr<std::iostream> content_;
};

typedef Outcome<OssError, PutObjectResult> PutObjectOutcome;

/* ---------------------------------------------------------------------------------------- */
/* Object metadata                                                                           */
/* ---------------------------------------------------------------------------------------- */

/*
 * HTTP headers and user metadata of an object, each a case-insensitive ordered map: adding a
 * name that exists in another case replaces the value and keeps the first spelling. User
 * metadata is sent as x-oss-meta-<name>. As in the SDK, a Content-Length set here is the number
 * of body bytes sent (by default, the rest of the stream).
 */
class ObjectMetaData {
 public:
  ObjectMetaData() = default;
  /* Splits response headers: names starting with x-oss-meta- (exact case) are user metadata. */
  ObjectMetaData(const HeaderCollection &data) { *this = data; }
  ObjectMetaData &operator=(const HeaderCollection &data) {
    for (HeaderCollection::const_iterator it = data.begin(); it != data.end(); ++it) {
      if (ossffi::detail::startsWith(it->first, "x-oss-meta-")) {
        userMetaData_[it->first.substr(11)] = it->second;
      } else {
        metaData_[it->first] = it->second;
      }
    }
    HeaderCollection::iterator etag = metaData_.find("ETag");
    if (etag != metaData_.end()) {
      std::string &v = etag->second;
      if (v.size() >= 2 && v[0] == '"' && v[v.size() - 1] == '"') v = v.substr(1, v.size() - 2);
    }
    return *this;
  }

  const std::string &LastModified() const { return get("Last-Modified"); }
  const std::string &ExpirationTime() const { return get("Expires"); }
  /* -1 when not set. */
  int64_t ContentLength() const {
    MetaData::const_iterator it = metaData_.find("Content-Length");
    return it == metaData_.end() ? -1 : static_cast<int64_t>(std::strtoll(it->second.c_str(), nullptr, 10));
  }
  const std::string &ContentType() const { return get("Content-Type"); }
  const std::string &ContentEncoding() const { return get("Content-Encoding"); }
  const std::string &CacheControl() const { return get("Cache-Control"); }
  const std::string &ContentDisposition() const { return get("Content-Disposition"); }
  const std::string &ETag() const { return get("ETag"); }
  const std::string &ContentMd5() const { return get("Content-MD5"); }
  const std::string &ObjectType() const { return get("x-oss-object-type"); }
  const std::string &VersionId() const { return get("x-oss-version-id"); }
  /* 0 when not set. */
  uint64_t CRC64() const {
    MetaData::const_iterator it = metaData_.find("x-oss-hash-crc64ecma");
    return it == metaData_.end() ? 0 : static_cast<uint64_t>(std::strtoull(it->second.c_str(), nullptr, 10));
  }

  void setExpirationTime(const std::string &value) { metaData_["Expires"] = value; }
  void setContentLength(int64_t value) { metaData_["Content-Length"] = std::to_string(value); }
  void setContentType(const std::string &value) { metaData_["Content-Type"] = value; }
  void setContentEncoding(const std::string &value) { metaData_["Content-Encoding"] = value; }
  void setCacheControl(const std::string &value) { metaData_["Cache-Control"] = value; }
  void setContentDisposition(const std::string &value) { metaData_["Content-Disposition"] = value; }
  void setETag(const std::string &value) { metaData_["ETag"] = value; }
  void setContentMd5(const std::string &value) { metaData_["Content-MD5"] = value; }
  void setCrc64(uint64_t value) { metaData_["x-oss-hash-crc64ecma"] = std::to_string(value); }

  void addHeader(const std::string &key, const std::string &value) { metaData_[key] = value; }
  bool hasHeader(const std::string &key) const { return metaData_.find(key) != metaData_.end(); }
  void removeHeader(const std::string &key) { metaData_.erase(key); }
  MetaData &HttpMetaData() { return metaData_; }
  const MetaData &HttpMetaData() const { return metaData_; }

  void addUserHeader(const std::string &key, const std::string &value) { userMetaData_[key] = value; }
  bool hasUserHeader(const std::string &key) const { return userMetaData_.find(key) != userMetaData_.end(); }
  void removeUserHeader(const std::string &key) { userMetaData_.erase(key); }
  MetaData &UserMetaData() { return userMetaData_; }
  const MetaData &UserMetaData() const { return userMetaData_; }

  /* The headers as sent: HTTP headers plus x-oss-meta-<name> for each user entry. */
  HeaderCollection toHeaderCollection() const {
    HeaderCollection headers(metaData_);
    for (MetaData::const_iterator it = userMetaData_.begin(); it != userMetaData_.end(); ++it) {
      headers["x-oss-meta-" + it->first] = it->second;
    }
    return headers;
  }

 private:
  const std::string &get(const char *name) const {
    static const std::string empty;
    MetaData::const_iterator it = metaData_.find(name);
    return it == metaData_.end() ? empty : it->second;
  }

  MetaData userMetaData_;
  MetaData metaData_;
};

/* ---------------------------------------------------------------------------------------- */
/* Callback builders                                                                         */
/* ---------------------------------------------------------------------------------------- */

/*
 * Builds the x-oss-callback header value: base64 of
 * {"callbackUrl":..,"callbackHost":.. (when not empty),"callbackBody":..,
 *  "callbackBodyType":"application/json" (JSON only)}, byte for byte as the SDK does, except
 * that `"`, `\` and control characters are escaped (see the top of this file). build() returns
 * "" when the URL or the body is empty, or when a string is not valid UTF-8.
 */
class ObjectCallbackBuilder {
 public:
  enum Type { URL = 0, JSON };

  ObjectCallbackBuilder(const std::string &url, const std::string &body)
      : callbackUrl_(url), callbackBody_(body), callbackBodyType_(URL) {}
  ObjectCallbackBuilder(const std::string &url, const std::string &body, const std::string &host, Type type)
      : callbackUrl_(url), callbackHost_(host), callbackBody_(body), callbackBodyType_(type) {}

  const std::string &CallbackUrl() const { return callbackUrl_; }
  const std::string &CallbackHost() const { return callbackHost_; }
  const std::string &CallbackBody() const { return callbackBody_; }
  Type CallbackBodyType() const { return callbackBodyType_; }
  void setCallbackUrl(const std::string &url) { callbackUrl_ = url; }
  void setCallbackHost(const std::string &host) { callbackHost_ = host; }
  void setCallbackBody(const std::string &body) { callbackBody_ = body; }
  void setCallbackBodyType(Type type) { callbackBodyType_ = type; }

  std::string build() {
    ossffi::detail::Owned<ossffi_callback_builder> builder(ossffi_callback_builder_new());
    char *out = nullptr;
    if (!builder || ossffi_callback_builder_set_url(builder.get(), callbackUrl_.c_str()) != OSSFFI_RESULT_OK ||
        ossffi_callback_builder_set_body(builder.get(), callbackBody_.c_str()) != OSSFFI_RESULT_OK ||
        ossffi_callback_builder_set_host(builder.get(), callbackHost_.c_str()) != OSSFFI_RESULT_OK ||
        ossffi_callback_builder_set_body_type(builder.get(), static_cast<uint32_t>(callbackBodyType_)) !=
            OSSFFI_RESULT_OK ||
        ossffi_callback_builder_build(builder.get(), &out) != OSSFFI_RESULT_OK) {
      return std::string();
    }
    ossffi::detail::Owned<char> owned(out);
    return std::string(owned.get());
  }

 private:
  std::string callbackUrl_;
  std::string callbackHost_;
  std::string callbackBody_;
  Type callbackBodyType_;
};

/*
 * Builds the x-oss-callback-var header value: base64 of {"x:name":"value",...} in
 * caseInsensitiveLess order. Keys must start with lower-case "x:"; others are refused
 * (addCallbackVariable returns false). build() returns "" with no variables, or when a string
 * is not valid UTF-8.
 */
class ObjectCallbackVariableBuilder {
 public:
  ObjectCallbackVariableBuilder() {}
  const HeaderCollection &CallbackVariable() const { return callbackParams_; }
  bool addCallbackVariable(const std::string &key, const std::string &value) {
    if (!ossffi::detail::startsWith(key, "x:")) return false;
    callbackParams_[key] = value;
    return true;
  }
  std::string build() {
    ossffi::detail::Owned<ossffi_callback_var_builder> builder(ossffi_callback_var_builder_new());
    if (!builder) return std::string();
    for (HeaderCollection::const_iterator it = callbackParams_.begin(); it != callbackParams_.end(); ++it) {
      if (ossffi_callback_var_builder_add(builder.get(), it->first.c_str(), it->second.c_str()) != OSSFFI_RESULT_OK) {
        return std::string();
      }
    }
    char *out = nullptr;
    if (ossffi_callback_var_builder_build(builder.get(), &out) != OSSFFI_RESULT_OK) return std::string();
    ossffi::detail::Owned<char> owned(out);
    return std::string(owned.get());
  }

 private:
  HeaderCollection callbackParams_;
};

/* ---------------------------------------------------------------------------------------- */
/* PutObjectRequest                                                                          */
/* ---------------------------------------------------------------------------------------- */

const int REQUEST_FLAG_CONTENTMD5 = (1 << 0);
const int REQUEST_FLAG_PARAM_IN_PATH = (1 << 1);
const int REQUEST_FLAG_CHECK_CRC64 = (1 << 2);

/*
 * A PutObject request, a plain copyable value (the body stream is shared between copies, as in
 * the SDK). The setters write headers into MetaData(), exactly as the SDK's do; OssClient builds
 * the C request from it for each call.
 */
class PutObjectRequest {
 public:
  PutObjectRequest(const std::string &bucket, const std::string &key, const std::shared_ptr<std::iostream> &content)
      : bucket_(bucket), key_(key), content_(content), flags_(REQUEST_FLAG_CHECK_CRC64),
        requestPayer_(AlibabaCloud::OSS::RequestPayer::NotSet) {
    transferProgress_.UserData = nullptr;
  }
  PutObjectRequest(const std::string &bucket, const std::string &key, const std::shared_ptr<std::iostream> &content,
                   const ObjectMetaData &meta)
      : bucket_(bucket), key_(key), content_(content), metaData_(meta), flags_(REQUEST_FLAG_CHECK_CRC64),
        requestPayer_(AlibabaCloud::OSS::RequestPayer::NotSet) {
    transferProgress_.UserData = nullptr;
  }
  virtual ~PutObjectRequest() {}

  void setBucket(const std::string &bucket) { bucket_ = bucket; }
  const std::string &Bucket() const { return bucket_; }
  void setKey(const std::string &key) { key_ = key; }
  const std::string &Key() const { return key_; }

  void setCacheControl(const std::string &value) { metaData_.addHeader("Cache-Control", value); }
  void setContentDisposition(const std::string &value) { metaData_.addHeader("Content-Disposition", value); }
  void setContentEncoding(const std::string &value) { metaData_.addHeader("Content-Encoding", value); }
  /* The caller's base64 MD5 of the body; OSS rejects a body that does not match. */
  void setContentMd5(const std::string &value) { metaData_.addHeader("Content-MD5", value); }
  void setExpires(const std::string &value) { metaData_.addHeader("Expires", value); }
  /*
   * Removes x-oss-callback and x-oss-callback-var, then sets each one that is not empty
   * (typically ObjectCallbackBuilder::build() and ObjectCallbackVariableBuilder::build()).
   */
  void setCallback(const std::string &callback, const std::string &callbackVar = "") {
    metaData_.removeHeader("x-oss-callback");
    metaData_.removeHeader("x-oss-callback-var");
    if (!callback.empty()) metaData_.addHeader("x-oss-callback", callback);
    if (!callbackVar.empty()) metaData_.addHeader("x-oss-callback-var", callbackVar);
  }
  /* In bit/s; OSS accepts 819200 to 838860800. */
  void setTrafficLimit(uint64_t value) { metaData_.addHeader("x-oss-traffic-limit", std::to_string(value)); }
  /* An already URL-encoded "k=v&k2=v2" string. */
  void setTagging(const std::string &value) { metaData_.addHeader("x-oss-tagging", value); }
  ObjectMetaData &MetaData() { return metaData_; }
  const ObjectMetaData &MetaData() const { return metaData_; }

  /* Sends x-oss-request-payer: requester for RequestPayer::Requester. */
  void setRequestPayer(AlibabaCloud::OSS::RequestPayer value) { requestPayer_ = value; }
  AlibabaCloud::OSS::RequestPayer RequestPayer() const { return requestPayer_; }
  /*
   * Kept for SDK compatibility but not sent: the SDK adds ?versionId= to the URL, which OSS
   * ignores for PutObject, and ossffi's C API has no query parameters.
   */
  void setVersionId(const std::string &versionId) { versionId_ = versionId; }
  const std::string &VersionId() const { return versionId_; }

  void setTransferProgress(const AlibabaCloud::OSS::TransferProgress &arg) { transferProgress_ = arg; }
  const AlibabaCloud::OSS::TransferProgress &TransferProgress() const { return transferProgress_; }
  /*
   * Where a non-empty reply body (the callback server's reply) is written for Content();
   * default: a new std::stringstream.
   */
  void setResponseStreamFactory(const IOStreamFactory &factory) { responseStreamFactory_ = factory; }
  const IOStreamFactory &ResponseStreamFactory() const { return responseStreamFactory_; }
  /* Accepted and kept; ossffi has none of the SDK's internal flags (the test hooks included). */
  void setFlags(int flags) { flags_ = flags; }
  int Flags() const { return flags_; }

  void setBody(const std::shared_ptr<std::iostream> &content) { content_ = content; }
  std::shared_ptr<std::iostream> Body() const { return content_; }

  /* ossffi: lets another thread stop this upload (see ossffi::CancellationToken). */
  void setCancellationToken(const ossffi::CancellationToken &token) { cancellation_ = token; }
  const ossffi::CancellationToken &CancellationToken() const { return cancellation_; }

 private:
  std::string bucket_;
  std::string key_;
  std::shared_ptr<std::iostream> content_;
  ObjectMetaData metaData_;
  int flags_;
  AlibabaCloud::OSS::RequestPayer requestPayer_;
  std::string versionId_;
  AlibabaCloud::OSS::TransferProgress transferProgress_;
  IOStreamFactory responseStreamFactory_;
  ossffi::CancellationToken cancellation_;
};

}  // namespace OSS
}  // namespace AlibabaCloud

/* ---------------------------------------------------------------------------------------- */
/* How a PutObject crosses into C                                                            */
/* ---------------------------------------------------------------------------------------- */
namespace ossffi {
namespace detail {

/* The SDK's client-side validation (ModelError.cc), in its order, with its messages. */
inline std::string validatePut(const std::string &bucket, const std::string &key,
                               const std::shared_ptr<std::iostream> &content) {
  bool bucketOk = bucket.size() >= 3 && bucket.size() <= 63 && bucket[0] != '-' && bucket[bucket.size() - 1] != '-';
  for (std::string::size_type i = 0; bucketOk && i < bucket.size(); ++i) {
    char c = bucket[i];
    bucketOk = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  }
  if (!bucketOk) {
    return "The bucket name is invalid. A bucket name must  be comprised of lower-case characters, numbers or "
           "dash(-) with 3-63 characters long.";
  }
  if (key.empty() || key[0] == '\\' || key.size() > 1023) {
    return "The object key is invalid. An object name should be between 1-1023 bytes long and cannot begin with "
           "'/' or '\\'";
  }
  if (!content) return "Request body is null.";
  if (content->bad()) return "Request body is in bad state. Read/writing error on i/o operation.";
  if (content->fail()) return "Request body is in fail state. Logical error on i/o operation.";
  return std::string();
}

inline AlibabaCloud::OSS::OssError fromC(const ossffi_error *err, ossffi_result rc) {
  if (err == nullptr) {
    /* Only argument errors come without an error object; name the category. */
    return AlibabaCloud::OSS::OssError("ValidateError", copy(ossffi_result_name(rc)));
  }
  AlibabaCloud::OSS::OssError e(copy(ossffi_error_code(err)), copy(ossffi_error_message(err)));
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
  ClientState() : disabled(false) {}
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
  if (static_cast<unsigned long>(ms) > std::numeric_limits<uint32_t>::max()) return std::numeric_limits<uint32_t>::max();
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

namespace AlibabaCloud {
namespace OSS {

/* ---------------------------------------------------------------------------------------- */
/* OssClient                                                                                 */
/* ---------------------------------------------------------------------------------------- */

/*
 * An OSS client. Copies share one connection pool and one DisableRequest switch. As in the SDK,
 * an invalid endpoint does not throw: every call then fails with "ValidateError" /
 * "The endpoint is invalid. (...)". An endpoint without a scheme is http://.
 */
class OssClient {
 public:
  OssClient(const std::string &endpoint, const std::string &accessKeyId, const std::string &accessKeySecret,
            const ClientConfiguration &configuration)
      : state_(std::make_shared<ossffi::detail::ClientState>()) {
    init(endpoint, configuration, accessKeyId, accessKeySecret, "", nullptr);
  }
  OssClient(const std::string &endpoint, const std::string &accessKeyId, const std::string &accessKeySecret,
            const std::string &securityToken, const ClientConfiguration &configuration)
      : state_(std::make_shared<ossffi::detail::ClientState>()) {
    init(endpoint, configuration, accessKeyId, accessKeySecret, securityToken, nullptr);
  }
  OssClient(const std::string &endpoint, const Credentials &credentials, const ClientConfiguration &configuration)
      : state_(std::make_shared<ossffi::detail::ClientState>()) {
    init(endpoint, configuration, credentials.AccessKeyId(), credentials.AccessKeySecret(),
         credentials.SessionToken(), nullptr);
  }
  /* getCredentials() is called once per attempt; see CredentialsProvider. */
  OssClient(const std::string &endpoint, const std::shared_ptr<CredentialsProvider> &credentialsProvider,
            const ClientConfiguration &configuration)
      : state_(std::make_shared<ossffi::detail::ClientState>()) {
    if (!credentialsProvider) {
      state_->constructionError = OssError("ValidateError", "The credentials provider is null.");
      return;
    }
    init(endpoint, configuration, "", "", "", &credentialsProvider);
  }
  virtual ~OssClient() {}

  /*
   * The bucket's region ("cn-hangzhou"), needed for SignatureVersionType::V4; it does not
   * change the endpoint. Applies to uploads that start afterwards; safe to call while other
   * threads upload, though the SDK asks you to set it before sharing the client.
   */
  void SetRegion(const std::string &region) {
    if (state_->client) (void)ossffi_client_set_region(state_->client.get(), region.c_str());
  }

  /*
   * The SDK's client-wide kill switch: while disabled, new uploads fail at once with
   * "ClientError:100002" and uploads in flight stop before their next chunk with
   * "ClientError:200042". EnableRequest() lifts it.
   */
  void DisableRequest() { state_->disabled.store(true); }
  void EnableRequest() { state_->disabled.store(false); }

  PutObjectOutcome PutObject(const std::string &bucket, const std::string &key,
                             const std::shared_ptr<std::iostream> &content) const {
    return PutObject(PutObjectRequest(bucket, key, content));
  }
  /* Opens the file as the SDK does (std::fstream, in | binary) and streams it. */
  PutObjectOutcome PutObject(const std::string &bucket, const std::string &key, const std::string &fileToUpload) const {
    std::shared_ptr<std::iostream> content =
        std::make_shared<std::fstream>(fileToUpload, std::ios_base::in | std::ios_base::binary);
    return PutObject(PutObjectRequest(bucket, key, content));
  }
  PutObjectOutcome PutObject(const std::string &bucket, const std::string &key,
                             const std::shared_ptr<std::iostream> &content, const ObjectMetaData &meta) const {
    return PutObject(PutObjectRequest(bucket, key, content, meta));
  }
  PutObjectOutcome PutObject(const std::string &bucket, const std::string &key, const std::string &fileToUpload,
                             const ObjectMetaData &meta) const {
    std::shared_ptr<std::iostream> content =
        std::make_shared<std::fstream>(fileToUpload, std::ios_base::in | std::ios_base::binary);
    return PutObject(PutObjectRequest(bucket, key, content, meta));
  }

  /*
   * Uploads the request's body from its current position to its end (or Content-Length bytes
   * when MetaData() sets one), streaming it through ossffi without copying it; failed attempts
   * are retried after seeking back, and afterwards the stream is back at its starting position.
   * With an upload callback, OSS calls the callback server before answering and
   * result().Content() holds the server's reply; a failed callback is an error with Code()
   * "CallbackFailed" while the object is stored (ObjectStored() == ossffi::Stored::Yes).
   * Blocks the calling thread. Rethrows what a progress handler, a credentials provider or the
   * stream threw.
   */
  PutObjectOutcome PutObject(const PutObjectRequest &request) const {
    if (!state_->client) return state_->constructionError;
    if (state_->disabled.load()) return OssError("ClientError:100002", "Disable all requests by upper.");
    const std::shared_ptr<std::iostream> body = request.Body();
    std::string invalid = ossffi::detail::validatePut(request.Bucket(), request.Key(), body);
    if (!invalid.empty()) return OssError("ValidateError", invalid);

    /* Measure the body the way the SDK's GetIOStreamLength does: seek to the end and back. */
    ossffi::detail::Upload upload;
    upload.body = body.get();
    upload.start = body->tellg();
    body->seekg(0, std::ios_base::end);
    std::streampos end = body->tellg();
    body->clear();
    body->seekg(upload.start);
    if (upload.start == std::streampos(-1) || end == std::streampos(-1) || body->fail()) {
      body->clear();
      return OssError("ValidateError", "Request body cannot seek: ossffi needs its length and seeks back for retries.");
    }
    upload.length = static_cast<uint64_t>(end - upload.start);
    int64_t declared = request.MetaData().ContentLength();
    if (declared >= 0) upload.length = static_cast<uint64_t>(declared);
    upload.remaining = upload.length;
    upload.progress = &request.TransferProgress();
    upload.cancellation = &request.CancellationToken();
    upload.clientDisabled = &state_->disabled;

    ossffi::detail::RestorePosition restore(*body, upload.start);
    ossffi::detail::pendingException() = nullptr;
    PutObjectOutcome outcome = send(request, upload);
    std::exception_ptr fromProvider;
    std::swap(fromProvider, ossffi::detail::pendingException());
    if (upload.exception) std::rethrow_exception(upload.exception);
    if (fromProvider) std::rethrow_exception(fromProvider);
    return outcome;
  }

 private:
  void init(const std::string &endpoint, const ClientConfiguration &configuration, const std::string &id,
            const std::string &secret, const std::string &token,
            const std::shared_ptr<CredentialsProvider> *provider) {
    ossffi::detail::Owned<ossffi_client_config> config(ossffi_client_config_new());
    if (!config) {
      state_->constructionError = OssError("ValidateError", "ossffi could not create a configuration.");
      return;
    }
    std::string refused = ossffi::detail::applyConfiguration(configuration, config.get());
    if (!refused.empty()) {
      state_->constructionError = OssError("ValidateError", refused);
      return;
    }
    ossffi_client *client = nullptr;
    ossffi_error *err = nullptr;
    ossffi_result rc;
    if (provider != nullptr) {
      /* The C client owns this copy of the provider and deletes it through releaseProvider. */
      rc = ossffi_client_new_with_credentials_callback(
          endpoint.c_str(), &ossffi::detail::provideCredentials, new std::shared_ptr<CredentialsProvider>(*provider),
          &ossffi::detail::releaseProvider, config.get(), &client, &err);
    } else {
      rc = ossffi_client_new(endpoint.c_str(), id.c_str(), secret.c_str(), token.c_str(), config.get(), &client, &err);
    }
    ossffi::detail::Owned<ossffi_error> error(err);
    if (rc != OSSFFI_RESULT_OK) {
      state_->constructionError = ossffi::detail::fromC(error.get(), rc);
      return;
    }
    state_->client.reset(client);
  }

  PutObjectOutcome send(const PutObjectRequest &request, ossffi::detail::Upload &upload) const {
    ossffi_put_request *raw = nullptr;
    ossffi_result rc = ossffi_put_request_new(request.Bucket().c_str(), request.Key().c_str(), &raw);
    ossffi::detail::Owned<ossffi_put_request> c(raw);
    if (rc != OSSFFI_RESULT_OK) return OssError("ValidateError", "The bucket name or object key is not valid UTF-8.");

    const MetaData &headers = request.MetaData().HttpMetaData();
    for (MetaData::const_iterator it = headers.begin(); it != headers.end(); ++it) {
      if (ossffi::detail::caseInsensitiveEquals(it->first, "Content-Length")) continue; /* sent from upload.length */
      if (ossffi_put_request_set_header(c.get(), it->first.c_str(), it->second.c_str()) != OSSFFI_RESULT_OK) {
        return OssError("ValidateError", "Header " + it->first + " is not valid UTF-8.");
      }
    }
    const MetaData &user = request.MetaData().UserMetaData();
    for (MetaData::const_iterator it = user.begin(); it != user.end(); ++it) {
      if (ossffi_put_request_set_user_metadata(c.get(), it->first.c_str(), it->second.c_str()) != OSSFFI_RESULT_OK) {
        return OssError("ValidateError", "User metadata " + it->first + " is not valid UTF-8.");
      }
    }
    if (request.RequestPayer() == RequestPayer::Requester) {
      (void)ossffi_put_request_set_header(c.get(), "x-oss-request-payer", "requester");
    }
    (void)ossffi_put_request_set_body_callback(c.get(), &ossffi::detail::Upload::read, &ossffi::detail::Upload::rewind,
                                               &upload, upload.length);
    if (request.TransferProgress().Handler) {
      (void)ossffi_put_request_set_progress(c.get(), &ossffi::detail::Upload::onProgress, &upload);
    }

    ossffi_put_result *result = nullptr;
    ossffi_error *err = nullptr;
    rc = ossffi_client_put_object(state_->client.get(), c.get(), &result, &err);
    ossffi::detail::Owned<ossffi_put_result> res(result);
    ossffi::detail::Owned<ossffi_error> error(err);
    if (rc != OSSFFI_RESULT_OK) return ossffi::detail::fromC(error.get(), rc);

    PutObjectResult out(ossffi::detail::copy(ossffi_put_result_etag(res.get())), ossffi_put_result_crc64(res.get()));
    out.setRequestId(ossffi::detail::copy(ossffi_put_result_request_id(res.get())));
    out.setVersionId(ossffi::detail::copy(ossffi_put_result_version_id(res.get())));
    size_t len = 0;
    const uint8_t *bytes = ossffi_put_result_body(res.get(), &len);
    if (bytes != nullptr && len > 0) {
      std::shared_ptr<std::iostream> content;
      if (request.ResponseStreamFactory()) content = request.ResponseStreamFactory()();
      if (!content) content = std::make_shared<std::stringstream>();
      content->write(reinterpret_cast<const char *>(bytes), static_cast<std::streamsize>(len));
      out.setContent(content);
    }
    return out;
  }

  std::shared_ptr<ossffi::detail::ClientState> state_;
};

}  // namespace OSS
}  // namespace AlibabaCloud

#endif /* ALIBABACLOUD_OSS_OSSCLIENT_H_OSSFFI */
