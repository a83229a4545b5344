/* ClientConfiguration: client settings with the SDK's field names and defaults. */
#ifndef ALIBABACLOUD_OSS_CLIENT_CLIENTCONFIGURATION_H_OSSFFI
#define ALIBABACLOUD_OSS_CLIENT_CLIENTCONFIGURATION_H_OSSFFI

#include <memory>
#include <string>

#include "../Types.h"
#include "../auth/CredentialsProvider.h"
#include "../detail/CApi.h"
#include "../http/HttpType.h"
#include "../utils/Executor.h"
#include "RateLimiter.h"
#include "RetryStrategy.h"

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
 *   isVerifyObjectStrict default true: GeneratePresignedUrl also refuses keys starting with '?'.
 *   executor           default nullptr: OssClient's ...Async and ...Callable calls run on the
 *                      client's own pool of ossffi threads (see OssClient.h). Set, each call is
 *                      handed to it as a new Runnable, as in the SDK.
 *
 * Accepted and ignored, so that SDK programs setting them still compile:
 *   scheme                    unused by the SDK too: the scheme comes from the endpoint.
 *   sendRateLimiter, recvRateLimiter
 *                             ossffi has no bandwidth limiter; per request, OSS's own
 *                             PutObjectRequest::setTrafficLimit works.
 *   networkInterface          ossffi does not bind to an interface.
 * Not present (a program that sets them does not compile): httpClient, httpInterceptor; they hook into the SDK's curl transport, which ossffi replaces.
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
  std::shared_ptr<Executor> executor;

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

}  // namespace OSS
}  // namespace AlibabaCloud

namespace ossffi {
/*
 * A ClientConfiguration that also sizes the pool OssClient's async calls run on (the SDK has
 * no such knob: it starts a thread per call). Pass it wherever a ClientConfiguration goes.
 *   asyncThreads        threads of the pool, 1..256; 0 (default) means ossffi's default,
 *                       min(4, maxConnections). They start with the first async call.
 *   asyncQueueCapacity  calls that may wait for a thread, 1..1048576; 0 (default) means 1024.
 *                       A call made while the queue is full waits for room, except one made
 *                       from a handler (a pool thread), which fails at once (see OssClient.h).
 */
class AsyncPoolConfiguration : public AlibabaCloud::OSS::ClientConfiguration {
 public:
  AsyncPoolConfiguration() : asyncThreads(0), asyncQueueCapacity(0) {}
  unsigned int asyncThreads;
  unsigned int asyncQueueCapacity;
};
}  // namespace ossffi

#endif /* ALIBABACLOUD_OSS_CLIENT_CLIENTCONFIGURATION_H_OSSFFI */
