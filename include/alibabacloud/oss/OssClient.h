/*
 * The OSS C++ SDK's upload-callback surface, multipart upload and the object basics around
 * them, header-only, over ossffi's C API.
 *
 * Code written for the official Alibaba Cloud OSS C++ SDK (aliyun-oss-cpp-sdk 1.10.x) that
 * uploads objects with PutObject or multipart uploads (with upload callbacks), downloads,
 * inspects, lists and deletes them, and creates and deletes buckets, compiles against this
 * header unchanged and links with -lossffi:
 *
 *     #include <alibabacloud/oss/OssClient.h>
 *     using namespace AlibabaCloud::OSS;
 *
 *     c++ -std=c++11 app.cpp -Iinclude -Ltarget/release -lossffi
 *
 * The headers are the SDK's, at the SDK's paths, each usable on its own (include what you use,
 * or just this file, which includes them all except Const.h, as the SDK's OssClient.h does):
 *   OssClient.h        InitializeSdk, ShutdownSdk, IsSdkInitialized, SetLogLevel,
 *                      SetLogCallback; the utility functions ComputeContentMD5,
 *                      ComputeContentETag, UrlEncode, UrlDecode, Base64Encode,
 *                      Base64EncodeUrlSafe, ToGmtTime, ToUtcTime, UtcToUnixTime, ComputeCRC64,
 *                      CombineCRC64; class OssClient (four constructors, SetRegion,
 *                      DisableRequest/EnableRequest; PutObject (5 overloads), GetObject (4),
 *                      HeadObject (2), GetObjectMeta (2), DoesObjectExist, DeleteObject (2),
 *                      DeleteObjects (2), ListObjects (3), CreateBucket (3), DeleteBucket (2),
 *                      InitiateMultipartUpload, UploadPart, UploadPartCopy,
 *                      CompleteMultipartUpload, AbortMultipartUpload, ListParts,
 *                      ListMultipartUploads, ResumableUploadObject, GeneratePresignedUrl (4),
 *                      PutObjectByUrl (5), GetObjectByUrl (3); async: PutObjectAsync,
 *                      UploadPartAsync, GetObjectAsync, ListObjectsAsync, UploadPartCopyAsync
 *                      and their ...Callable forms); the async handler and callable aliases
 *                      (PutObjectAsyncHandler, PutObjectOutcomeCallable, ...).
 *   OssFwd.h           the ...Outcome aliases; includes every model header.
 *   Types.h            the SDK's enums (StorageClass, CannedAccessControlList, LogLevel,
 *                      RequestPayer, SignatureVersionType, ...), HeaderCollection, MetaData,
 *                      TransferProgress, IOStreamFactory.
 *   Const.h            limits and defaults (DefaultPartSize, DefaultResumableThreadNum, ...);
 *                      not included by this file.
 *   Config.h, Global.h, Export.h   ALIBABACLOUD_OSS_VERSION(_STR) = the SDK API level, 1.10.1.
 *   OssError.h, utils/Outcome.h, OssResult.h, ServiceRequest.h, OssRequest.h
 *                      OssError, Outcome, OssResult, OssObjectResult, ServiceRequest,
 *                      OssRequest, OssBucketRequest, OssObjectRequest,
 *                      OssResumableBaseRequest, REQUEST_FLAG_*.
 *   client/            ClientConfiguration.h, Error.h, RetryStrategy.h, RateLimiter.h,
 *                      AsyncCallerContext.h.
 *   utils/Executor.h, utils/Runnable.h   Executor and Runnable, for ClientConfiguration::executor.
 *   auth/              Credentials.h, CredentialsProvider.h (Simple..., EnvironmentVariable...).
 *   http/HttpType.h    class Http (Method, Scheme, header names).
 *   model/             ObjectMetaData.h, PutObjectRequest.h, PutObjectResult.h,
 *                      ObjectCallbackBuilder.h (with ObjectCallbackVariableBuilder),
 *                      GetObjectRequest.h, GetObjectResult.h, HeadObjectRequest.h,
 *                      GetObjectMetaRequest.h, DeleteObjectRequest.h, DeleteObjectResult.h,
 *                      DeleteObjectsRequest.h (DeletedKeyList), DeleteObjectsResult.h,
 *                      ListObjectsRequest.h, ListObjectsResult.h (ObjectSummary),
 *                      CreateBucketRequest.h, DeleteBucketRequest.h, Bucket.h, Owner.h,
 *                      VoidResult.h; multipart: InitiateMultipartUploadRequest.h,
 *                      InitiateMultipartUploadResult.h, UploadPartRequest.h,
 *                      UploadPartCopyRequest.h, UploadPartCopyResult.h, Part.h (PartList),
 *                      CompleteMultipartUploadRequest.h, CompleteMultipartUploadResult.h,
 *                      AbortMultipartUploadRequest.h, ListPartsRequest.h, ListPartsResult.h,
 *                      ListMultipartUploadsRequest.h, ListMultipartUploadsResult.h
 *                      (MultipartUpload, MultipartUploadList); resumable:
 *                      UploadObjectRequest.h; presigned URLs: GeneratePresignedUrlRequest.h,
 *                      PutObjectByUrlRequest.h, GetObjectByUrlRequest.h.
 *   detail/            ossffi's plumbing between these classes and the C API: not the SDK's,
 *                      not for programs to include.
 * The rest of the SDK (CopyObject and the other copy operations, resumable downloads and
 * copies, bucket configuration, async variants of other operations) does not exist here. The SDK
 * spellings stay: DeleteObjecstOutcome, ObjectSummarys(), CommonPrefixeList,
 * DeleteObjectsResult::keyList(), UploadPartRequest::setConetent.
 *
 * Where ossffi behaves differently from the SDK, on purpose:
 *   - PutObjectByUrl(url, file) refuses a file it cannot open ("ValidateError"); the SDK uploads
 *     an empty object in its place. A stream body is sent from its position to its end, where
 *     the SDK announces the stream's whole length.
 *   - Callback builders escape `"`, `\` and control characters inside the JSON they build, where
 *     the SDK pastes them raw and produces JSON that OSS rejects. Text that is already valid
 *     inside a JSON string comes out byte-identical to the SDK's output.
 *   - Exceptions. The SDK would let an exception from your TransferProgress handler, your
 *     CredentialsProvider, your stream or your ResponseStreamFactory unwind through C code.
 *     Here every callback that ossffi calls catches everything; the transfer is stopped and the
 *     exception is rethrown from the OssClient method once the C call has returned and every C
 *     object is freed (except a CredentialsProvider's on a ResumableUploadObject worker thread,
 *     which becomes that part's OssError; see ResumableUploadObject).
 *   - Result classes are filled by OssClient; the SDK's constructors that parse a reply's XML
 *     (ListObjectsResult(const std::string&), ...) do not exist.
 *   - A request body is sent from its current read position to its end (the SDK measures the
 *     whole stream but reads from the current position), and afterwards the stream is put back
 *     at that position, as the SDK does, so a request can be uploaded again.
 *   - CompleteMultipartUpload: a callback server's reply whose Content-Type is not exactly
 *     application/json (which the SDK tries to parse as XML) fails, as in the SDK, with code
 *     "CompleteMultipartUpload" and an empty message, and here ObjectStored() Yes. The quoted
 *     ETag() of an XML reply is rebuilt as "\"" + ETag + "\"" from OSS's quoted ETag.
 *   - Credentials with an empty AccessKeyId fail the upload locally with code
 *     "InvalidCredentials" instead of being sent for OSS to refuse.
 *   - Signature V4 without SetRegion fails locally with "ValidateError" and a message saying
 *     what to set, instead of a request OSS rejects.
 *
 * Threads: as with the SDK, one OssClient may be used by many threads at once (copies share
 * one connection pool); configure it (SetRegion) before sharing it. Requests, builders,
 * metadata and results are plain values: use each from one thread at a time. Synchronous
 * calls run every callback you give them (body stream, ResponseStreamFactory, TransferProgress,
 * CredentialsProvider) on the calling thread, except ResumableUploadObject's parts. Async calls
 * run the whole operation and then the handler on one of the client's pool threads (or
 * wherever ClientConfiguration::executor runs them); see PutObjectAsync.
 *
 * Names this layer adds that the SDK does not have live in namespace ::ossffi, so that
 * `using namespace AlibabaCloud::OSS;` never brings in a name an SDK program could already use:
 * ossffi::Stored (OssError::ObjectStored(), with OssError::Status() the additions to OssError),
 * ossffi::CancellationToken (PutObjectRequest::setCancellationToken,
 * UploadObjectRequest::setCancellationToken), ossffi::AsyncPoolConfiguration (the async
 * pool's size; see PutObjectAsync), ossffi::CancelQueuedAsyncCalls and
 * ossffi::DefaultRetryStrategy (the SDK's default, which the SDK keeps private).
 */
#ifndef ALIBABACLOUD_OSS_OSSCLIENT_H_OSSFFI
#define ALIBABACLOUD_OSS_OSSCLIENT_H_OSSFFI

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <ctime>
#include <exception>
#include <fstream>
#include <functional>
#include <future>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <utility>

#include "Export.h"
#include "OssFwd.h"
#include "auth/CredentialsProvider.h"
#include "client/AsyncCallerContext.h"
#include "client/ClientConfiguration.h"
#include "detail/Async.h"
#include "detail/CApi.h"
#include "detail/Client.h"
#include "detail/Operations.h"
#include "detail/Presign.h"
#include "detail/RequestAccess.h"
#include "detail/Utilities.h"

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
/* Async handlers and callables                                                              */
/* ---------------------------------------------------------------------------------------- */

class OssClient;

}  // namespace OSS
}  // namespace AlibabaCloud

namespace ossffi {
/*
 * ossffi's addition: cancels every async call of `client` (and its copies) that is still
 * waiting for a pool thread. Each one's handler is called now, on this thread, with
 * "ClientError:200042" and the C API's message for a call cancelled while queued ("...the call
 * was cancelled before it started; nothing was sent)"), and a Callable's future becomes ready
 * with that outcome; calls already running finish normally. Calls handed to a
 * ClientConfiguration::executor are the executor's and are not affected. Useful before
 * destroying a client whose queue should not be worked through.
 */
inline void CancelQueuedAsyncCalls(const AlibabaCloud::OSS::OssClient &client);
}  // namespace ossffi

namespace AlibabaCloud {
namespace OSS {

/* What an ...Async call calls when its operation is done: the OssClient it was made on, the
 * call's copy of the request, the outcome, and the context it was given (or nullptr). */
using ListObjectAsyncHandler = std::function<void(const AlibabaCloud::OSS::OssClient *, const ListObjectsRequest &,
                                                  const ListObjectOutcome &,
                                                  const std::shared_ptr<const AsyncCallerContext> &)>;
using GetObjectAsyncHandler = std::function<void(const AlibabaCloud::OSS::OssClient *, const GetObjectRequest &,
                                                 const GetObjectOutcome &,
                                                 const std::shared_ptr<const AsyncCallerContext> &)>;
using PutObjectAsyncHandler = std::function<void(const AlibabaCloud::OSS::OssClient *, const PutObjectRequest &,
                                                 const PutObjectOutcome &,
                                                 const std::shared_ptr<const AsyncCallerContext> &)>;
using UploadPartAsyncHandler = std::function<void(const AlibabaCloud::OSS::OssClient *, const UploadPartRequest &,
                                                  const PutObjectOutcome &,
                                                  const std::shared_ptr<const AsyncCallerContext> &)>;
using UploadPartCopyAsyncHandler =
    std::function<void(const AlibabaCloud::OSS::OssClient *, const UploadPartCopyRequest &,
                       const UploadPartCopyOutcome &, const std::shared_ptr<const AsyncCallerContext> &)>;
/* What a ...Callable call returns. As in the SDK there is no UploadPartOutcomeCallable:
 * UploadPartCallable returns a PutObjectOutcomeCallable. */
using ListObjectOutcomeCallable = std::future<ListObjectOutcome>;
using GetObjectOutcomeCallable = std::future<GetObjectOutcome>;
using PutObjectOutcomeCallable = std::future<PutObjectOutcome>;
using UploadPartCopyOutcomeCallable = std::future<UploadPartCopyOutcome>;

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

  /*
   * A URL that lets whoever holds it send one request (GET by default) until the expiry, with
   * no credentials: signed here with the client's signature version (V1 or V4 with SetRegion),
   * endpoint, addressing style and credentials. Nothing is sent, so this works while requests
   * are disabled. The URL is the SDK's: '/' in the key written %2F (unless setUnencodedSlash),
   * query parameters sorted by name. A bad bucket name or key (and, with isVerifyObjectStrict,
   * a key starting with '?') gives "ValidateError" / "The Bucket or Key is invalid.".
   * Differences: an invalid endpoint fails (the SDK builds a URL from it), and V4 without
   * SetRegion fails instead of signing for an empty region.
   */
  StringOutcome GeneratePresignedUrl(const GeneratePresignedUrlRequest &request) const {
    if (!state_->client) return state_->constructionError;
    return ossffi::detail::PresignAccess::url(state_->client.get(), request, state_->verifyObjectStrict);
  }
  /* GET, valid for 900 seconds from now. */
  StringOutcome GeneratePresignedUrl(const std::string &bucket, const std::string &key) const {
    return GeneratePresignedUrl(GeneratePresignedUrlRequest(bucket, key));
  }
  /* GET, valid until `expires` (absolute Unix seconds). */
  StringOutcome GeneratePresignedUrl(const std::string &bucket, const std::string &key, int64_t expires) const {
    GeneratePresignedUrlRequest request(bucket, key);
    request.setExpires(expires);
    return GeneratePresignedUrl(request);
  }
  StringOutcome GeneratePresignedUrl(const std::string &bucket, const std::string &key, int64_t expires,
                                     Http::Method method) const {
    GeneratePresignedUrlRequest request(bucket, key, method);
    request.setExpires(expires);
    return GeneratePresignedUrl(request);
  }

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
    std::string invalid = ossffi::detail::RequestAccess::invalid(request);
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


  /*
   * Downloads an object. The body goes, as it arrives, into a new std::stringstream (result
   * Content() at position 0), into `content` (Content() is that same pointer), into the file
   * `fileToSave` (opened for writing only when a 2xx reply brings at least one byte, so a 404
   * leaves the file alone), or wherever request.ResponseStreamFactory() says. A whole object's
   * CRC-64 is checked ("ClientError:100001"); a 304 is "ServerError:304" with an empty message,
   * a failed If-Match "PreconditionFailed". Rethrows what the stream, the progress handler or the
   * credentials provider threw.
   */
  GetObjectOutcome GetObject(const std::string &bucket, const std::string &key) const {
    return GetObject(GetObjectRequest(bucket, key));
  }
  GetObjectOutcome GetObject(const std::string &bucket, const std::string &key,
                             const std::shared_ptr<std::iostream> &content) const {
    GetObjectRequest request(bucket, key);
    request.setResponseStreamFactory([content]() { return content; });
    return GetObject(request);
  }
  GetObjectOutcome GetObject(const std::string &bucket, const std::string &key, const std::string &fileToSave) const {
    GetObjectRequest request(bucket, key);
    request.setResponseStreamFactory([fileToSave]() {
      return std::make_shared<std::fstream>(fileToSave, std::ios_base::out | std::ios_base::in |
                                                            std::ios_base::trunc | std::ios_base::binary);
    });
    return GetObject(request);
  }
  GetObjectOutcome GetObject(const GetObjectRequest &request) const {
    return invoke<GetObjectResult>(
        &ossffi_client_get_object, request,
        [&request](ossffi_request *c, ossffi::detail::Transfer &t) -> std::string {
          return ossffi::detail::describeGetObject(request, c, t);
        },
        [&request](const ossffi_response *r, ossffi::detail::Transfer &t) {
          return GetObjectResult(request.Bucket(), request.Key(), t.result(), ossffi::detail::responseHeaders(r));
        });
  }

  /*
   * Uploads to a presigned PUT URL (GeneratePresignedUrl with Http::Put) as the SDK does: the
   * URL as given, unsigned, with the metadata's headers (exactly those the URL was signed with)
   * and no validation; the body from the stream's current position to its end, or the file.
   * With a callback in the URL ("callback" parameter), result().Content() is the callback
   * server's reply and a failed callback is the error "CallbackFailed" with the object stored.
   * An expired URL is "AccessDenied". A null stream uploads an empty object; a file that cannot
   * be opened is refused ("ValidateError"), where the SDK would upload an empty object.
   */
  PutObjectOutcome PutObjectByUrl(const std::string &url, const std::string &file) const {
    return PutObjectByUrl(url, file, ObjectMetaData());
  }
  PutObjectOutcome PutObjectByUrl(const std::string &url, const std::string &file, const ObjectMetaData &metaData) const {
    std::shared_ptr<std::iostream> content =
        std::make_shared<std::fstream>(file, std::ios_base::in | std::ios_base::binary);
    if (!content->good()) return OssError("ValidateError", "The file " + file + " cannot be opened for reading.");
    return PutObjectByUrl(PutObjectByUrlRequest(url, content, metaData));
  }
  PutObjectOutcome PutObjectByUrl(const std::string &url, const std::shared_ptr<std::iostream> &content) const {
    return PutObjectByUrl(PutObjectByUrlRequest(url, content));
  }
  PutObjectOutcome PutObjectByUrl(const std::string &url, const std::shared_ptr<std::iostream> &content,
                                  const ObjectMetaData &metaData) const {
    return PutObjectByUrl(PutObjectByUrlRequest(url, content, metaData));
  }
  PutObjectOutcome PutObjectByUrl(const PutObjectByUrlRequest &request) const {
    return invokeUrl<PutObjectResult>(
        &ossffi_client_put_object_by_url, request,
        [&request](ossffi_request *c, ossffi::detail::Transfer &t) -> std::string {
          std::iostream *body = request.Body().get();
          if (body == nullptr) return std::string();
          HeaderCollection headers = request.Headers();
          HeaderCollection::const_iterator length = headers.find("Content-Length");
          uint64_t declared = length == headers.end() ? 0 : std::strtoull(length->second.c_str(), nullptr, 10);
          return ossffi::detail::describeBody(request, body, length == headers.end() ? nullptr : &declared, c, t);
        },
        [&request](const ossffi_response *r, ossffi::detail::Transfer &t) {
          return ossffi::detail::putObjectByUrlResult(request, r, t);
        },
        [&request](const ossffi_error *err, ossffi_result rc) {
          return ossffi::detail::putObjectByUrlError(request, err, rc);
        });
  }

  /*
   * Downloads from a presigned GET URL as the SDK does (no validation, no signature of its
   * own); the body goes where GetObject sends it: a new std::stringstream, the file `file`
   * (created only when a 2xx reply brings a byte), or request.ResponseStreamFactory(). A Range
   * in the metadata fetches part of the object; a whole object's CRC-64 is checked.
   */
  GetObjectOutcome GetObjectByUrl(const std::string &url) const { return GetObjectByUrl(GetObjectByUrlRequest(url)); }
  GetObjectOutcome GetObjectByUrl(const std::string &url, const std::string &file) const {
    GetObjectByUrlRequest request(url);
    request.setResponseStreamFactory([file]() {
      return std::make_shared<std::fstream>(file, std::ios_base::out | std::ios_base::in | std::ios_base::trunc);
    });
    return GetObjectByUrl(request);
  }
  GetObjectOutcome GetObjectByUrl(const GetObjectByUrlRequest &request) const {
    return invokeUrl<GetObjectResult>(
        &ossffi_client_get_object_by_url, request,
        [&request](ossffi_request *c, ossffi::detail::Transfer &t) -> std::string {
          bool checkCrc64 = (request.Flags() & REQUEST_FLAG_CHECK_CRC64) != 0;
          (void)ossffi_request_set_check_crc64(c, checkCrc64 ? 1u : 0u);
          t.factory = request.ResponseStreamFactory();
          (void)ossffi_request_set_output_callback(c, &ossffi::detail::Transfer::write, &t);
          if (request.TransferProgress().Handler) {
            t.progress = &request.TransferProgress();
            (void)ossffi_request_set_progress(c, &ossffi::detail::Transfer::onProgress, &t);
          }
          return std::string();
        },
        [](const ossffi_response *r, ossffi::detail::Transfer &t) {
          return GetObjectResult("", "", t.result(), ossffi::detail::responseHeaders(r));
        },
        &ossffi::detail::fromC);
  }

  /* The object's metadata (HEAD). A missing object is "ServerError:404" or "NoSuchKey". */
  ObjectMetaDataOutcome HeadObject(const std::string &bucket, const std::string &key) const {
    return HeadObject(HeadObjectRequest(bucket, key));
  }
  ObjectMetaDataOutcome HeadObject(const HeadObjectRequest &request) const {
    return invoke<ObjectMetaData>(&ossffi_client_head_object, request, ossffi::detail::nothingMore,
                                  &ossffi::detail::ResultReader::objectMetaData);
  }

  /* The object's basic metadata (ETag, Content-Length, Last-Modified; HEAD ?objectMeta). */
  ObjectMetaDataOutcome GetObjectMeta(const std::string &bucket, const std::string &key) const {
    return GetObjectMeta(GetObjectMetaRequest(bucket, key));
  }
  ObjectMetaDataOutcome GetObjectMeta(const GetObjectMetaRequest &request) const {
    return invoke<ObjectMetaData>(&ossffi_client_get_object_meta, request, ossffi::detail::nothingMore,
                                  &ossffi::detail::ResultReader::objectMetaData);
  }

  /* As in the SDK: GetObjectMeta succeeded. Any failure (absent, denied, unreachable) is false. */
  bool DoesObjectExist(const std::string &bucket, const std::string &key) const {
    return GetObjectMeta(bucket, key).isSuccess();
  }

  /* OSS answers a key that is not there as a success. */
  DeleteObjectOutcome DeleteObject(const std::string &bucket, const std::string &key) const {
    return DeleteObject(DeleteObjectRequest(bucket, key));
  }
  DeleteObjectOutcome DeleteObject(const DeleteObjectRequest &request) const {
    return invoke<DeleteObjectResult>(&ossffi_client_delete_object, request, ossffi::detail::nothingMore,
                                      &ossffi::detail::ResultReader::deleteObject);
  }

  /* The bucket by value, as in the SDK. */
  DeleteObjecstOutcome DeleteObjects(const std::string bucket, const DeletedKeyList &keyList) const {
    DeleteObjectsRequest request(bucket);
    request.setKeyList(keyList);
    return DeleteObjects(request);
  }
  DeleteObjecstOutcome DeleteObjects(const DeleteObjectsRequest &request) const {
    return invoke<DeleteObjectsResult>(
        &ossffi_client_delete_objects, request,
        [&request](ossffi_request *c, ossffi::detail::Transfer &) {
          return ossffi::detail::describeDeleteObjects(request, c);
        },
        &ossffi::detail::ResultReader::deleteObjects);
  }

  /* One page of the bucket's objects (100 unless setMaxKeys says otherwise). */
  ListObjectOutcome ListObjects(const std::string &bucket) const { return ListObjects(ListObjectsRequest(bucket)); }
  ListObjectOutcome ListObjects(const std::string &bucket, const std::string &prefix) const {
    ListObjectsRequest request(bucket);
    request.setPrefix(prefix);
    return ListObjects(request);
  }
  ListObjectOutcome ListObjects(const ListObjectsRequest &request) const {
    return invoke<ListObjectsResult>(&ossffi_client_list_objects, request, ossffi::detail::nothingMore,
                                     &ossffi::detail::ResultReader::listObjects);
  }

  /* As in the SDK, success gives a default-constructed Bucket. */
  CreateBucketOutcome CreateBucket(const std::string &bucket,
                                   StorageClass storageClass = StorageClass::Standard) const {
    return CreateBucket(CreateBucketRequest(bucket, storageClass));
  }
  CreateBucketOutcome CreateBucket(const std::string &bucket, StorageClass storageClass,
                                   CannedAccessControlList acl) const {
    return CreateBucket(CreateBucketRequest(bucket, storageClass, acl));
  }
  CreateBucketOutcome CreateBucket(const CreateBucketRequest &request) const {
    return invoke<Bucket>(
        &ossffi_client_create_bucket, request,
        [&request](ossffi_request *c, ossffi::detail::Transfer &) {
          return ossffi::detail::describeCreateBucket(request, c);
        },
        &ossffi::detail::ResultReader::bucket);
  }

  /*
   * Starts a multipart upload; result().UploadId() names it in UploadPart, UploadPartCopy,
   * ListParts, CompleteMultipartUpload and AbortMultipartUpload.
   */
  InitiateMultipartUploadOutcome InitiateMultipartUpload(const InitiateMultipartUploadRequest &request) const {
    return invoke<InitiateMultipartUploadResult>(&ossffi_client_initiate_multipart_upload, request,
                                                 ossffi::detail::subresourcesOf(request),
                                                 &ossffi::detail::ResultReader::initiateMultipartUpload);
  }

  /*
   * Uploads one part, streamed from the request's content without copying it (failed attempts
   * are retried after seeking back; afterwards the stream is back where it started). As in the
   * SDK the result is a PutObjectResult: ETag() (keep it for CompleteMultipartUpload), CRC64(),
   * no Content(). Rethrows what the stream or the progress handler threw.
   */
  PutObjectOutcome UploadPart(const UploadPartRequest &request) const {
    return invoke<PutObjectResult>(
        &ossffi_client_upload_part, request,
        [&request](ossffi_request *c, ossffi::detail::Transfer &t) {
          return ossffi::detail::describeUploadPart(request, c, t);
        },
        &ossffi::detail::ResultReader::uploadPart);
  }

  /*
   * Makes one part from an object OSS already holds (SetCopySource; setCopySourceRange for
   * some of its bytes; setVersionId for a version of it), copied by OSS: nothing but the
   * request head is sent. result().ETag() (without quotes) goes to CompleteMultipartUpload.
   * A source condition that does not hold is "PreconditionFailed" (412); a missing source
   * "NoSuchKey".
   */
  UploadPartCopyOutcome UploadPartCopy(const UploadPartCopyRequest &request) const {
    return invoke<UploadPartCopyResult>(
        &ossffi_client_upload_part_copy, request,
        [&request](ossffi_request *c, ossffi::detail::Transfer &t) {
          return ossffi::detail::describeUploadPartCopy(request, c, t);
        },
        &ossffi::detail::ResultReader::uploadPartCopy);
  }

  /*
   * Makes the object from the request's part list. With an upload callback, OSS calls the
   * callback server first and result().Content() holds its reply; a failed callback is an error
   * with Code() "CallbackFailed" while the object is stored (ObjectStored() == ossffi::Stored::Yes).
   */
  CompleteMultipartUploadOutcome CompleteMultipartUpload(const CompleteMultipartUploadRequest &request) const {
    return invoke<CompleteMultipartUploadResult>(
        &ossffi_client_complete_multipart_upload, request,
        [&request](ossffi_request *c, ossffi::detail::Transfer &t) {
          return ossffi::detail::describeComplete(request, c, t);
        },
        &ossffi::detail::ResultReader::completeMultipartUpload);
  }

  /* Abandons the upload and its parts; later calls naming it are "NoSuchUpload". */
  VoidOutcome AbortMultipartUpload(const AbortMultipartUploadRequest &request) const {
    return invoke<VoidResult>(&ossffi_client_abort_multipart_upload, request, ossffi::detail::subresourcesOf(request),
                              &ossffi::detail::ResultReader::voidResult);
  }

  /* One page of the parts uploaded so far (1000 unless setMaxParts says fewer). */
  ListPartsOutcome ListParts(const ListPartsRequest &request) const {
    return invoke<ListPartsResult>(&ossffi_client_list_parts, request, ossffi::detail::subresourcesOf(request),
                                   &ossffi::detail::ResultReader::listParts);
  }

  /* One page of the bucket's uploads in progress (1000 unless setMaxUploads says fewer). */
  ListMultipartUploadsOutcome ListMultipartUploads(const ListMultipartUploadsRequest &request) const {
    return invoke<ListMultipartUploadsResult>(&ossffi_client_list_multipart_uploads, request,
                                              ossffi::detail::subresourcesOf(request),
                                              &ossffi::detail::ResultReader::listMultipartUploads);
  }

  /*
   * Uploads request.FilePath() as the SDK's ResumableUploadObject does: a file no larger than
   * PartSize() is one PutObject; a larger one is a multipart upload whose parts ThreadNum()
   * worker threads stream from the file, with the checkpoint record in CheckpointDir() when
   * one is set. Validation first, with the SDK's messages and order; then, while
   * DisableRequest() is in force, "ClientError:100002" with nothing sent.
   *
   * Result: ETag() (without quotes; "<hex>-<parts>" for a multipart upload), CRC64() of the
   * whole object, RequestId() and VersionId() of the last reply, and, with an upload callback,
   * Content() = the callback server's reply.
   *
   * Progress: the TransferProgress handler sees (increment, transferred across all parts,
   * file size). On the multipart path ossffi's worker threads call it, never the calling
   * thread, one call at a time (never concurrently), with `transferred` never going back;
   * on the single-PutObject path the calling thread calls it.
   *
   * Stopping: DisableRequest() and the request's ossffi::CancellationToken stop every worker
   * before its next chunk. DisableRequest() during the parts gives "ClientError:100002"
   * "Disable all requests by upper." as in the SDK (during a single PutObject,
   * "ClientError:200042", as PutObject gives); a cancelled token gives "ClientError:200042".
   *
   * Failure, and where ossffi differs from the SDK on purpose:
   *   - A part that fails (after its retries) stops new parts from starting and its error is
   *     returned; the SDK goes on with every remaining part and then fails anyway.
   *   - With a checkpoint directory the upload and its record are kept: call again with the
   *     same file, bucket and key to send only the missing parts. The record is written byte
   *     for byte as the SDK writes it, under the SDK's name (ComputeContentETag of the file path,
   *     "--", ComputeContentETag of "oss://bucket/key"), so either library resumes the other's
   *     upload; it is deleted on success.
   *   - Without a checkpoint directory the multipart upload is aborted, so no parts are left
   *     behind; the SDK leaves it open and orphaned.
   *   - The single-PutObject/multipart choice is made on the file's size when uploading
   *     (setObjectSize does not change it), and at most 64 worker threads run.
   *   - Exceptions: one thrown by the TransferProgress handler stops the upload and is rethrown
   *     from here once the C call has returned (the handler is not called again after it). One
   *     thrown by a CredentialsProvider on the calling thread (the single PutObject, Initiate,
   *     ListParts, Complete) is rethrown too; one thrown on a worker thread (signing a part)
   *     cannot cross threads and makes that part fail: the upload returns an OssError.
   *   - Wide-character paths are refused on every platform ("Only support wstring path in
   *     windows os."), where the SDK accepts them on Windows.
   * Blocks the calling thread until every worker is done.
   */
  PutObjectOutcome ResumableUploadObject(const UploadObjectRequest &request) const {
    if (!state_->client) return state_->constructionError;
    std::string refused = ossffi::detail::RequestAccess::invalid(request);
    if (!refused.empty()) return OssError("ValidateError", refused);
    if (state_->disabled.load()) return OssError("ClientError:100002", "Disable all requests by upper.");

    ossffi::detail::ResumableProgress progress;
    progress.clientDisabled = &state_->disabled;
    ossffi::detail::Owned<ossffi_request> c;
    refused = ossffi::detail::describeRequest(request, c);
    if (refused.empty()) refused = ossffi::detail::describeResumableUpload(request, c.get(), progress);
    if (!refused.empty()) return OssError("ValidateError", refused);
    /* The C library chooses its path on the file's size when uploading, as this does. */
    bool multipart = ossffi::detail::fileStatus(request.FilePath()).size > request.PartSize();

    ossffi_response *response = nullptr;
    ossffi_error *err = nullptr;
    ossffi::detail::pendingException() = nullptr;
    progress.handOver();
    ossffi_result rc = ossffi_client_resumable_upload_object(state_->client.get(), c.get(), &response, &err);
    progress.takeBack();
    ossffi::detail::Owned<ossffi_response> reply(response);
    ossffi::detail::Owned<ossffi_error> error(err);
    std::exception_ptr fromProvider;
    std::swap(fromProvider, ossffi::detail::pendingException());
    if (progress.exception) std::rethrow_exception(progress.exception);
    if (fromProvider) std::rethrow_exception(fromProvider);
    if (rc != OSSFFI_RESULT_OK) {
      if (rc == OSSFFI_RESULT_ABORTED_BY_CALLBACK && multipart &&
          progress.stop == ossffi::detail::ResumableProgress::Disabled) {
        return OssError("ClientError:100002", "Disable all requests by upper.");
      }
      return ossffi::detail::fromC(error.get(), rc);
    }
    bool withCallback = request.MetaData().HttpMetaData().count("x-oss-callback") != 0;
    return ossffi::detail::ResultReader::resumableUpload(reply.get(), withCallback);
  }

  /* A bucket that still holds objects is "BucketNotEmpty". */
  VoidOutcome DeleteBucket(const std::string &bucket) const { return DeleteBucket(DeleteBucketRequest(bucket)); }
  VoidOutcome DeleteBucket(const DeleteBucketRequest &request) const {
    return invoke<VoidResult>(&ossffi_client_delete_bucket, request, ossffi::detail::nothingMore,
                              &ossffi::detail::ResultReader::voidResult);
  }

  /*
   * Async calls. Each copies the request, the handler and the context when it is made and
   * returns at once; later the synchronous operation runs (PutObject, UploadPart, GetObject,
   * ListObjects, UploadPartCopy) and handler(this, copy of the request, outcome, context) is
   * called on the thread that ran it. Validation errors, DisableRequest() and failures all
   * arrive through the handler. As in the SDK, the request copy shares its body stream with
   * the request, so calls in flight must not share one stream, and the OssClient object the
   * call was made on must outlive its handler if the handler uses the pointer it receives.
   *
   * Where they run (the SDK starts one std::thread per call; ossffi does not):
   *   - By default on this client's pool of ossffi threads (ossffi::AsyncPoolConfiguration
   *     sizes it; default min(4, maxConnections) threads and 1024 waiting calls), shared by
   *     all copies of the client. The pool thread runs the whole operation: the request
   *     body's reads, the ResponseStreamFactory and its stream's writes, the TransferProgress
   *     handler, the CredentialsProvider, and then the handler, all on that one thread. A call
   *     made while the queue is full waits for room, except one made from a handler (on a
   *     pool thread, which must never wait for its own pool): it is not queued and its
   *     handler is called at once, on that thread, with "ClientError:QueueFull".
   *   - With ClientConfiguration::executor set, as in the SDK: executor->execute(new
   *     Runnable(...)) on the calling thread, before the call returns; the operation and the
   *     handler run wherever the executor runs the Runnable. If every copy of the client is
   *     gone by then, the handler receives "ClientError:ClientClosing" without the operation
   *     running (where the SDK would use a destroyed client).
   *   - A client whose construction failed runs the call at once on the calling thread: its
   *     handler receives the construction error.
   *
   * Exceptions never unwind into ossffi's threads: one thrown by the operation (a progress
   * handler, a credentials provider, a stream), which the synchronous call would rethrow,
   * becomes the outcome "ClientError:200042" with its what() in the message; one thrown by the
   * handler is written to standard error and given to the SetLogCallback callback, and the
   * thread goes on with the next call. (The SDK lets either end the program.)
   *
   * Destroying the last copy of the client runs every queued call and waits for those
   * running and their handlers, as the SDK's destructor joins its threads (with an executor:
   * waits for the calls it is running; those it has not started get "ClientClosing"). A
   * handler may destroy the last copy itself: the others are waited for, not its own.
   */
  void ListObjectsAsync(const ListObjectsRequest &request, const ListObjectAsyncHandler &handler,
                        const std::shared_ptr<const AsyncCallerContext> &context = nullptr) const {
    async<ListObjectOutcome, ListObjectsRequest>(request, handler, context, &OssClient::ListObjects,
                                                 "a ListObjectsAsync handler");
  }
  void GetObjectAsync(const GetObjectRequest &request, const GetObjectAsyncHandler &handler,
                      const std::shared_ptr<const AsyncCallerContext> &context = nullptr) const {
    async<GetObjectOutcome, GetObjectRequest>(request, handler, context, &OssClient::GetObject,
                                              "a GetObjectAsync handler");
  }
  void PutObjectAsync(const PutObjectRequest &request, const PutObjectAsyncHandler &handler,
                      const std::shared_ptr<const AsyncCallerContext> &context = nullptr) const {
    async<PutObjectOutcome, PutObjectRequest>(request, handler, context, &OssClient::PutObject,
                                              "a PutObjectAsync handler");
  }
  void UploadPartAsync(const UploadPartRequest &request, const UploadPartAsyncHandler &handler,
                       const std::shared_ptr<const AsyncCallerContext> &context = nullptr) const {
    async<PutObjectOutcome, UploadPartRequest>(request, handler, context, &OssClient::UploadPart,
                                               "an UploadPartAsync handler");
  }
  void UploadPartCopyAsync(const UploadPartCopyRequest &request, const UploadPartCopyAsyncHandler &handler,
                           const std::shared_ptr<const AsyncCallerContext> &context = nullptr) const {
    async<UploadPartCopyOutcome, UploadPartCopyRequest>(request, handler, context, &OssClient::UploadPartCopy,
                                                        "an UploadPartCopyAsync handler");
  }

  /*
   * Callable calls: the same scheduling as the Async calls, with the outcome delivered through
   * the returned future instead of a handler. An exception the operation throws (a progress
   * handler, a credentials provider) is stored in the future and rethrown by get(), as the
   * SDK's std::packaged_task does. A call the pool refuses or cancels makes the future ready
   * with that error; the future is never left with a broken promise.
   */
  ListObjectOutcomeCallable ListObjectsCallable(const ListObjectsRequest &request) const {
    return callable<ListObjectOutcome, ListObjectsRequest>(request, &OssClient::ListObjects);
  }
  GetObjectOutcomeCallable GetObjectCallable(const GetObjectRequest &request) const {
    return callable<GetObjectOutcome, GetObjectRequest>(request, &OssClient::GetObject);
  }
  PutObjectOutcomeCallable PutObjectCallable(const PutObjectRequest &request) const {
    return callable<PutObjectOutcome, PutObjectRequest>(request, &OssClient::PutObject);
  }
  PutObjectOutcomeCallable UploadPartCallable(const UploadPartRequest &request) const {
    return callable<PutObjectOutcome, UploadPartRequest>(request, &OssClient::UploadPart);
  }
  UploadPartCopyOutcomeCallable UploadPartCopyCallable(const UploadPartCopyRequest &request) const {
    return callable<UploadPartCopyOutcome, UploadPartCopyRequest>(request, &OssClient::UploadPartCopy);
  }

 private:
  friend void ossffi::CancelQueuedAsyncCalls(const OssClient &client);

  /* An OssClient that shares `state` without owning it: what an async task runs the
   * synchronous operation on, so that the task never keeps the client alive. */
  struct Borrowed {};
  OssClient(Borrowed, ossffi::detail::ClientState *state)
      : state_(std::shared_ptr<ossffi::detail::ClientState>(), state) {}

  /* Runs `operation` on `client`; what it throws becomes a failed outcome (see the Async
   * calls). */
  template <typename Out, typename Request>
  static Out perform(const OssClient &client, Out (OssClient::*operation)(const Request &) const,
                     const Request &request) {
    try {
      return (client.*operation)(request);
    } catch (...) {
      return ossffi::detail::thrownByOperation(std::current_exception());
    }
  }

  template <typename Out, typename Request, typename Handler>
  void async(const Request &request, const Handler &handler, const std::shared_ptr<const AsyncCallerContext> &context,
             Out (OssClient::*operation)(const Request &) const, const char *name) const {
    const OssClient *self = this;
    const Request copy(request);
    schedule(
        [self, copy, handler, context, operation](const OssClient &client) {
          const Out outcome = perform(client, operation, copy);
          handler(self, copy, outcome, context);
        },
        [self, copy, handler, context](const OssError &error) {
          const Out outcome(error);
          handler(self, copy, outcome, context);
        },
        name);
  }

  template <typename Out, typename Request>
  std::future<Out> callable(const Request &request, Out (OssClient::*operation)(const Request &) const) const {
    std::shared_ptr<std::promise<Out> > promise = std::make_shared<std::promise<Out> >();
    std::future<Out> future = promise->get_future();
    const Request copy(request);
    schedule(
        [promise, copy, operation](const OssClient &client) {
          try {
            promise->set_value((client.*operation)(copy));
          } catch (...) {
            promise->set_exception(std::current_exception());
          }
        },
        [promise](const OssError &error) { promise->set_value(Out(error)); }, "a Callable's task");
    return future;
  }

  /*
   * Hands one call to the executor or the pool. `run` performs it on the client it is given;
   * `fail` delivers an error instead. Whatever either throws is reported, never propagated:
   * below them are C frames (the pool) or a program's executor.
   */
  void schedule(const std::function<void(const OssClient &)> &run,
                const std::function<void(const OssError &)> &fail, const char *name) const {
    if (state_->executor) {
      /*
       * The executor may hold the Runnable past every copy of the client, so it holds the
       * state weakly. Once running, the call is registered and the strong reference dropped:
       * destroying the last copy then waits for the call on the destroying thread, rather than
       * the call destroying the client (and maybe the executor) on the executor's thread.
       */
      std::weak_ptr<ossffi::detail::ClientState> weak(state_);
      state_->executor->execute(new Runnable([weak, run, fail, name]() {
        try {
          std::unique_ptr<ossffi::detail::RunningTask> registered;
          ossffi::detail::ClientState *raw = nullptr;
          {
            std::shared_ptr<ossffi::detail::ClientState> state = weak.lock();
            if (state) {
              raw = state.get();
              registered.reset(new ossffi::detail::RunningTask(raw));
            }
          }
          if (raw != nullptr && ossffi::detail::RunningTask::stateAlive()) {
            OssClient client(Borrowed(), raw);
            run(client);
          } else {
            fail(ossffi::detail::notRun(OSSFFI_RESULT_CLIENT_CLOSING));
          }
        } catch (...) {
          ossffi::detail::reportEscaped(name, std::current_exception());
        }
      }));
      return;
    }
    if (!state_->client) {
      try {
        run(*this);
      } catch (...) {
        ossffi::detail::reportEscaped(name, std::current_exception());
      }
      return;
    }
    /* A plain pointer: ossffi_client_free, run by ~ClientState, waits for every task. */
    ossffi::detail::ClientState *state = state_.get();
    ossffi::detail::PoolTask *task = new ossffi::detail::PoolTask;
    task->run = [state, run]() {
      ossffi::detail::RunningTask registered(state);
      OssClient client(Borrowed(), state);
      run(client);
    };
    task->fail = fail;
    task->name = name;
    task->published.store(true, std::memory_order_release);
    ossffi_result rc = ossffi_client_execute(state_->client.get(), &ossffi::detail::PoolTask::trampoline, task,
                                             OSSFFI_WHEN_FULL_BLOCK);
    if (rc != OSSFFI_RESULT_OK) {
      /* Not taken, so never called: deliver the refusal here, on the calling thread. */
      std::unique_ptr<ossffi::detail::PoolTask> refused(task);
      try {
        refused->fail(ossffi::detail::notRun(rc));
      } catch (...) {
        ossffi::detail::reportEscaped(name, std::current_exception());
      }
    }
  }

  typedef ossffi_result (*Verb)(const ossffi_client *, const ossffi_request *, ossffi_response **,
                                ossffi_error **);

  /*
   * The one path of every operation but PutObject: validate as the SDK does, describe the
   * request to C (its headers and parameters, then `more`), run `verb`, and make the reply into
   * an R with `read` or the failure into an OssError. Exceptions caught in callbacks are
   * rethrown here, after every C object is freed.
   */
  template <typename R, typename More, typename Read>
  Outcome<OssError, R> invoke(Verb verb, const OssRequest &request, More more, Read read) const {
    if (!state_->client) return state_->constructionError;
    if (state_->disabled.load()) return OssError("ClientError:100002", "Disable all requests by upper.");
    std::string refused = ossffi::detail::RequestAccess::invalid(request);
    if (!refused.empty()) return OssError("ValidateError", refused);

    ossffi::detail::Transfer transfer;
    transfer.clientDisabled = &state_->disabled;
    ossffi::detail::Owned<ossffi_request> c;
    refused = ossffi::detail::describeRequest(request, c);
    if (refused.empty()) refused = more(c.get(), transfer);
    if (!refused.empty()) return OssError("ValidateError", refused);
    return call<R>(verb, c.get(), transfer, read, &ossffi::detail::fromC);
  }

  /*
   * invoke for a presigned URL (PutObjectByUrl, GetObjectByUrl): as in the SDK, nothing is
   * validated; the URL and the request's headers go to C as they are.
   */
  template <typename R, typename More, typename Read, typename Fail>
  Outcome<OssError, R> invokeUrl(Verb verb, const ServiceRequest &request, More more, Read read, Fail fail) const {
    if (!state_->client) return state_->constructionError;
    if (state_->disabled.load()) return OssError("ClientError:100002", "Disable all requests by upper.");
    ossffi::detail::Transfer transfer;
    transfer.clientDisabled = &state_->disabled;
    ossffi::detail::Owned<ossffi_request> c;
    std::string refused = ossffi::detail::describeUrlRequest(request, c);
    if (refused.empty()) refused = more(c.get(), transfer);
    if (!refused.empty()) return OssError("ValidateError", refused);
    return call<R>(verb, c.get(), transfer, read, fail);
  }

  /* Runs `verb` on the described request; `read` makes the reply into an R, `fail` the failure
   * into an OssError. */
  template <typename R, typename Read, typename Fail>
  Outcome<OssError, R> call(Verb verb, ossffi_request *c, ossffi::detail::Transfer &transfer, Read read,
                            Fail fail) const {
    ossffi_response *response = nullptr;
    ossffi_error *err = nullptr;
    ossffi::detail::pendingException() = nullptr;
    ossffi_result rc = verb(state_->client.get(), c, &response, &err);
    ossffi::detail::Owned<ossffi_response> reply(response);
    ossffi::detail::Owned<ossffi_error> error(err);
    std::exception_ptr fromProvider;
    std::swap(fromProvider, ossffi::detail::pendingException());
    if (transfer.exception) std::rethrow_exception(transfer.exception);
    if (fromProvider) std::rethrow_exception(fromProvider);
    if (transfer.content) transfer.content->flush();
    if (!transfer.writeFailure.empty()) return OssError("ClientError:200023", transfer.writeFailure);
    if (rc != OSSFFI_RESULT_OK) return fail(error.get(), rc);
    return read(reply.get(), transfer);
  }

  void init(const std::string &endpoint, const ClientConfiguration &configuration, const std::string &id,
            const std::string &secret, const std::string &token,
            const std::shared_ptr<CredentialsProvider> *provider) {
    state_->verifyObjectStrict = configuration.isVerifyObjectStrict;
    state_->executor = configuration.executor;
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

inline void ossffi::CancelQueuedAsyncCalls(const AlibabaCloud::OSS::OssClient &client) {
  if (client.state_->client) ossffi_client_cancel_all(client.state_->client.get());
}

#endif /* ALIBABACLOUD_OSS_OSSCLIENT_H_OSSFFI */
