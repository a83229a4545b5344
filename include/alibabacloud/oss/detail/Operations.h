/*
 * ossffi's C++ layer, private: the one path from an SDK request to a C verb and back. A request
 * becomes an ossffi_request (its headers and parameters, then what the operation adds), the
 * verb runs, and the ossffi_response becomes the SDK's result. Every callback the C library
 * calls catches every exception; OssClient rethrows it once the C call has returned.
 */
#ifndef ALIBABACLOUD_OSS_DETAIL_OPERATIONS_H_OSSFFI
#define ALIBABACLOUD_OSS_DETAIL_OPERATIONS_H_OSSFFI

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>
#include <utility>

#include "../OssError.h"
#include "../OssRequest.h"
#include "../Types.h"
#include "../model/Bucket.h"
#include "../model/CompleteMultipartUploadRequest.h"
#include "../model/CompleteMultipartUploadResult.h"
#include "../model/CreateBucketRequest.h"
#include "../model/DeleteObjectResult.h"
#include "../model/DeleteObjectsRequest.h"
#include "../model/DeleteObjectsResult.h"
#include "../model/GetObjectByUrlRequest.h"
#include "../model/GetObjectRequest.h"
#include "../model/InitiateMultipartUploadResult.h"
#include "../model/ListMultipartUploadsResult.h"
#include "../model/ListObjectsResult.h"
#include "../model/ListPartsResult.h"
#include "../model/ObjectMetaData.h"
#include "../model/Owner.h"
#include "../model/Part.h"
#include "../model/PutObjectByUrlRequest.h"
#include "../model/PutObjectRequest.h"
#include "../model/PutObjectResult.h"
#include "../model/UploadObjectRequest.h"
#include "../model/UploadPartCopyRequest.h"
#include "../model/UploadPartCopyResult.h"
#include "../model/UploadPartRequest.h"
#include "../model/VoidResult.h"
#include "../utils/Outcome.h"
#include "CApi.h"
#include "Client.h"
#include "RequestAccess.h"

/* ThreadSanitizer cannot see libossffi's own synchronisation (the library is not instrumented),
 * so in a program built with -fsanitize=thread the ordering the C API promises for a resumable
 * upload's progress callbacks (they run on the part threads one at a time, and all have returned
 * when the call returns) is stated to it here (see ResumableProgress); otherwise nothing. */
#if defined(__SANITIZE_THREAD__)
#define OSSFFI_DETAIL_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define OSSFFI_DETAIL_TSAN 1
#endif
#endif
#ifdef OSSFFI_DETAIL_TSAN
extern "C" void __tsan_acquire(void *addr);
extern "C" void __tsan_release(void *addr);
#endif

namespace ossffi {
namespace detail {

/* The response body's destination, the request body (UploadPart) and the progress handler of
 * one call; lives on the stack of the call. */
struct Transfer {
  Transfer()
      : progress(nullptr), clientDisabled(nullptr), started(false), body(nullptr), length(0), remaining(0) {}
  Transfer(const Transfer &) = delete;
  Transfer &operator=(const Transfer &) = delete;
  /* A request body goes back to where it started, however the call ends, as in the SDK. */
  ~Transfer() {
    if (body == nullptr) return;
    try {
      body->clear();
      body->seekg(start);
    } catch (...) {
      /* A stream that throws from seekg is left where it is rather than ending the program. */
    }
  }

  const AlibabaCloud::OSS::TransferProgress *progress;
  const std::atomic<bool> *clientDisabled;
  /* Called when the first byte of a 2xx body arrives (GetObject); a stringstream if empty. */
  AlibabaCloud::OSS::IOStreamFactory factory;
  std::shared_ptr<std::iostream> content;
  bool started;
  /* The SDK's "ClientError:200023" message when the stream could not take the body. */
  std::string writeFailure;
  std::exception_ptr exception;
  /* UploadPart: `length` bytes of `body` from `start`; `remaining` of them not yet read. */
  std::iostream *body;
  std::streampos start;
  uint64_t length;
  uint64_t remaining;

  /* What GetObjectResult::Content() holds: the stream written to, or an empty stringstream when
   * the body was empty and no stream was asked for (as in the SDK). */
  std::shared_ptr<std::iostream> result() const {
    if (started && content) return content;
    return std::make_shared<std::stringstream>();
  }

  static int32_t write(void *userdata, const uint8_t *data, size_t len) {
    Transfer *t = static_cast<Transfer *>(userdata);
    try {
      if (t->clientDisabled != nullptr && t->clientDisabled->load()) return 1;
      if (!t->started) {
        t->started = true;
        t->content = t->factory ? t->factory() : std::make_shared<std::stringstream>();
      }
      const char *refused = nullptr;
      if (!t->content) {
        refused = "content is null.";
      } else if (t->content->bad()) {
        refused = "content is in bad state(Read/writing error on i/o operation).";
      } else if (t->content->fail()) {
        refused = "content is in fail state(Logical error on i/o operation).";
      } else {
        t->content->write(reinterpret_cast<const char *>(data), static_cast<std::streamsize>(len));
        if (!t->content->good()) refused = "content is in bad state(Read/writing error on i/o operation).";
      }
      if (refused == nullptr) return 0;
      t->writeFailure = std::string("Failed writing received data to disk/application. Caused by ") + refused;
      return 2;
    } catch (...) {
      t->exception = std::current_exception();
      return 3;
    }
  }

  /* Reads the next chunk of the request body; never past `length`. */
  static int32_t read(void *userdata, uint8_t *buffer, size_t capacity, size_t *written) {
    Transfer *t = static_cast<Transfer *>(userdata);
    try {
      if (t->clientDisabled != nullptr && t->clientDisabled->load()) return 1;
      uint64_t want = capacity < t->remaining ? capacity : t->remaining;
      *written = 0;
      if (want == 0) return 0;
      t->body->read(reinterpret_cast<char *>(buffer), static_cast<std::streamsize>(want));
      std::streamsize got = t->body->gcount();
      if (got <= 0 && t->body->bad()) return 2;
      *written = static_cast<size_t>(got > 0 ? got : 0);
      t->remaining -= *written;
      return 0;
    } catch (...) {
      t->exception = std::current_exception();
      return 3;
    }
  }

  /* Back to where the request body started, for a retry. */
  static int32_t rewind(void *userdata) {
    Transfer *t = static_cast<Transfer *>(userdata);
    try {
      t->body->clear();
      t->body->seekg(t->start);
      t->remaining = t->length;
      return t->body->fail() ? 1 : 0;
    } catch (...) {
      t->exception = std::current_exception();
      return 3;
    }
  }

  static int32_t onProgress(void *userdata, uint64_t increment, uint64_t transferred, uint64_t total) {
    Transfer *t = static_cast<Transfer *>(userdata);
    try {
      if (t->clientDisabled != nullptr && t->clientDisabled->load()) return 1;
      t->progress->Handler(static_cast<size_t>(increment), static_cast<int64_t>(transferred),
                           static_cast<int64_t>(total), t->progress->UserData);
      return 0;
    } catch (...) {
      t->exception = std::current_exception();
      return 3;
    }
  }
};

/*
 * A C request from an SDK request: bucket, key (none for a bucket request), its headers (empty
 * values are not sent, as in the SDK) and its query parameters. "" on success, else why the
 * request cannot be described (a string that is not UTF-8).
 */
inline std::string describeRequest(const AlibabaCloud::OSS::OssRequest &request, Owned<ossffi_request> &out) {
  const std::string &key = RequestAccess::key(request);
  ossffi_request *raw = nullptr;
  if (ossffi_request_new(RequestAccess::bucket(request).c_str(), key.empty() ? nullptr : key.c_str(), &raw) !=
      OSSFFI_RESULT_OK) {
    return "The bucket name or object key is not valid UTF-8.";
  }
  out.reset(raw);
  AlibabaCloud::OSS::HeaderCollection headers = RequestAccess::headers(request);
  for (AlibabaCloud::OSS::HeaderCollection::const_iterator it = headers.begin(); it != headers.end(); ++it) {
    if (it->second.empty()) continue;
    if (ossffi_request_set_header(raw, it->first.c_str(), it->second.c_str()) != OSSFFI_RESULT_OK) {
      return "Header " + it->first + " is not valid UTF-8.";
    }
  }
  AlibabaCloud::OSS::ParameterCollection parameters = RequestAccess::parameters(request);
  for (AlibabaCloud::OSS::ParameterCollection::const_iterator it = parameters.begin(); it != parameters.end();
       ++it) {
    if (ossffi_request_set_parameter(raw, it->first.c_str(), it->second.c_str()) != OSSFFI_RESULT_OK) {
      return "Parameter " + it->first + " is not valid UTF-8.";
    }
  }
  return std::string();
}

/* For operations that need nothing beyond the request's headers and parameters. */
inline std::string nothingMore(ossffi_request *, Transfer &) { return std::string(); }

/* GetObject's additions: the range (which the C library must know of, to skip the CRC-64 check
 * of a part), the CRC-64 flag, and the body written through `transfer` into the request's
 * stream. */
inline std::string describeGetObject(const AlibabaCloud::OSS::GetObjectRequest &request, ossffi_request *c,
                                     Transfer &transfer) {
  (void)ossffi_request_remove_header(c, "Range");
  (void)ossffi_request_remove_header(c, "x-oss-range-behavior");
  std::pair<int64_t, int64_t> range = request.Range();
  if (range.first != -1 || range.second != -1) {
    if (ossffi_request_set_range(c, range.first, range.second, RequestAccess::standardRange(request) ? 1u : 0u) !=
        OSSFFI_RESULT_OK) {
      return validationMessage(RangeInvalid);
    }
  }
  bool checkCrc64 = (request.Flags() & AlibabaCloud::OSS::REQUEST_FLAG_CHECK_CRC64) != 0;
  (void)ossffi_request_set_check_crc64(c, checkCrc64 ? 1u : 0u);
  transfer.factory = request.ResponseStreamFactory();
  (void)ossffi_request_set_output_callback(c, &Transfer::write, &transfer);
  /* Only a download has a body to report; the C library refuses progress on other verbs. */
  if (request.TransferProgress().Handler) {
    transfer.progress = &request.TransferProgress();
    (void)ossffi_request_set_progress(c, &Transfer::onProgress, &transfer);
  }
  return std::string();
}

/* DeleteObjects' additions: the keys and the quiet flag of its XML body. */
inline std::string describeDeleteObjects(const AlibabaCloud::OSS::DeleteObjectsRequest &request, ossffi_request *c) {
  const AlibabaCloud::OSS::DeletedKeyList &keys = request.KeyList();
  for (AlibabaCloud::OSS::DeletedKeyList::const_iterator it = keys.begin(); it != keys.end(); ++it) {
    if (ossffi_request_add_key(c, it->c_str()) != OSSFFI_RESULT_OK) return "Key " + *it + " is not valid UTF-8.";
  }
  (void)ossffi_request_set_quiet(c, request.Quiet() ? 1u : 0u);
  return std::string();
}

/* CreateBucket's additions: the storage class and data redundancy of its XML body. */
inline std::string describeCreateBucket(const AlibabaCloud::OSS::CreateBucketRequest &request, ossffi_request *c) {
  static const char *const classes[] = {"Standard", "IA", "Archive", "ColdArchive"};
  AlibabaCloud::OSS::StorageClass storageClass = RequestAccess::storageClass(request);
  if (storageClass < AlibabaCloud::OSS::Standard || storageClass > AlibabaCloud::OSS::ColdArchive ||
      ossffi_request_set_storage_class(c, classes[storageClass]) != OSSFFI_RESULT_OK) {
    return "The storage class is invalid.";
  }
  switch (RequestAccess::dataRedundancyType(request)) {
    case AlibabaCloud::OSS::DataRedundancyType::LRS:
      (void)ossffi_request_set_data_redundancy_type(c, "LRS");
      break;
    case AlibabaCloud::OSS::DataRedundancyType::ZRS:
      (void)ossffi_request_set_data_redundancy_type(c, "ZRS");
      break;
    default:
      break;
  }
  return std::string();
}

/*
 * Every multipart verb's additions: the sub-resources the SDK's requests put among their
 * parameters (uploadId, partNumber, sequential, uploads) are given to the C library through
 * its own setters, which send them; the other parameters stay as describeRequest set them.
 */
inline std::string describeMultipart(const AlibabaCloud::OSS::OssRequest &request, ossffi_request *c,
                                     Transfer &) {
  AlibabaCloud::OSS::ParameterCollection parameters = RequestAccess::parameters(request);
  AlibabaCloud::OSS::ParameterCollection::const_iterator it = parameters.find("uploadId");
  if (it != parameters.end() && ossffi_request_set_upload_id(c, it->second.c_str()) != OSSFFI_RESULT_OK) {
    return "The upload id is not valid UTF-8.";
  }
  it = parameters.find("partNumber");
  if (it != parameters.end()) {
    (void)ossffi_request_set_part_number(c, static_cast<uint32_t>(std::strtoul(it->second.c_str(), nullptr, 10)));
  }
  if (parameters.find("sequential") != parameters.end()) (void)ossffi_request_set_sequential(c, 1u);
  static const char *const moved[] = {"uploadId", "partNumber", "sequential", "uploads"};
  for (size_t i = 0; i < sizeof(moved) / sizeof(moved[0]); ++i) (void)ossffi_request_set_parameter(c, moved[i], nullptr);
  return std::string();
}

/* describeMultipart of one request, in the shape OssClient::invoke calls. */
struct MultipartSubresources {
  const AlibabaCloud::OSS::OssRequest &request;
  std::string operator()(ossffi_request *c, Transfer &transfer) const { return describeMultipart(request, c, transfer); }
};

inline MultipartSubresources subresourcesOf(const AlibabaCloud::OSS::OssRequest &request) {
  MultipartSubresources more = {request};
  return more;
}

/*
 * A request body read through `transfer` from the stream's current position: `*declared`
 * bytes, else the rest of the stream; and the request's progress handler.
 */
inline std::string describeBody(const AlibabaCloud::OSS::ServiceRequest &request, std::iostream *body,
                                const uint64_t *declared, ossffi_request *c, Transfer &transfer) {
  std::streampos start = body->tellg();
  body->seekg(0, std::ios_base::end);
  std::streampos end = body->tellg();
  body->clear();
  body->seekg(start);
  if (start == std::streampos(-1) || end == std::streampos(-1) || body->fail()) {
    body->clear();
    return "Request body cannot seek: ossffi needs its length and seeks back for retries.";
  }
  transfer.body = body;
  transfer.start = start;
  transfer.length = declared != nullptr ? *declared : static_cast<uint64_t>(end - start);
  transfer.remaining = transfer.length;
  (void)ossffi_request_set_body_callback(c, &Transfer::read, &Transfer::rewind, &transfer, transfer.length);
  if (request.TransferProgress().Handler) {
    transfer.progress = &request.TransferProgress();
    (void)ossffi_request_set_progress(c, &Transfer::onProgress, &transfer);
  }
  return std::string();
}

/*
 * A C request for a presigned URL (PutObjectByUrl, GetObjectByUrl): Path() is the URL, and the
 * headers are the request's (empty values, such as the SDK's empty Date, are not sent).
 */
inline std::string describeUrlRequest(const AlibabaCloud::OSS::ServiceRequest &request, Owned<ossffi_request> &out) {
  ossffi_request *raw = nullptr;
  if (ossffi_request_new_url(request.Path().c_str(), &raw) != OSSFFI_RESULT_OK) return "The URL is not valid UTF-8.";
  out.reset(raw);
  AlibabaCloud::OSS::HeaderCollection headers = request.Headers();
  for (AlibabaCloud::OSS::HeaderCollection::const_iterator it = headers.begin(); it != headers.end(); ++it) {
    if (it->second.empty() || caseInsensitiveEquals(it->first, "Content-Length")) continue;
    if (ossffi_request_set_header(raw, it->first.c_str(), it->second.c_str()) != OSSFFI_RESULT_OK) {
      return "Header " + it->first + " is not valid UTF-8.";
    }
  }
  return std::string();
}

/*
 * UploadPart's additions: the body, read through `transfer` from the stream's current position
 * (setContentLength bytes, else the rest of the stream), and the progress handler.
 */
inline std::string describeUploadPart(const AlibabaCloud::OSS::UploadPartRequest &request, ossffi_request *c,
                                      Transfer &transfer) {
  std::string refused = describeMultipart(request, c, transfer);
  if (!refused.empty()) return refused;
  uint64_t length = 0;
  bool declared = RequestAccess::partLength(request, length);
  return describeBody(request, request.Body().get(), declared ? &length : nullptr, c, transfer);
}

/*
 * UploadPartCopy's additions: the sub-resources, then the source (with VersionId(), which names
 * the source's version, as the SDK sends it) and its range, through the C library's setters.
 */
inline std::string describeUploadPartCopy(const AlibabaCloud::OSS::UploadPartCopyRequest &request,
                                          ossffi_request *c, Transfer &transfer) {
  std::string refused = describeMultipart(request, c, transfer);
  if (!refused.empty()) return refused;
  const std::string &version = request.VersionId();
  if (ossffi_request_set_copy_source(c, RequestAccess::sourceBucket(request).c_str(),
                                     RequestAccess::sourceKey(request).c_str(),
                                     version.empty() ? nullptr : version.c_str()) != OSSFFI_RESULT_OK) {
    return "The source bucket, key or version id is not valid UTF-8.";
  }
  uint64_t begin = 0;
  uint64_t end = 0;
  if (RequestAccess::copySourceRange(request, begin, end)) (void)ossffi_request_set_copy_source_range(c, begin, end);
  return std::string();
}

/* CompleteMultipartUpload's additions: the sub-resources, then the part list of its XML body. */
inline std::string describeComplete(const AlibabaCloud::OSS::CompleteMultipartUploadRequest &request,
                                    ossffi_request *c, Transfer &transfer) {
  std::string refused = describeMultipart(request, c, transfer);
  if (!refused.empty()) return refused;
  const AlibabaCloud::OSS::PartList &parts = RequestAccess::partList(request);
  for (AlibabaCloud::OSS::PartList::const_iterator it = parts.begin(); it != parts.end(); ++it) {
    if (ossffi_request_add_part(c, static_cast<uint32_t>(it->PartNumber()), it->ETag().c_str()) != OSSFFI_RESULT_OK) {
      return "ETag " + it->ETag() + " is not valid UTF-8.";
    }
  }
  return std::string();
}

/*
 * The progress callback of one ResumableUploadObject, installed whether or not the program set
 * a TransferProgress handler: it is how DisableRequest() and the CancellationToken stop every
 * worker before its next chunk. ossffi calls it from its worker threads (the calling thread on
 * the single-PutObject path), one call at a time, so its fields need no lock; OssClient reads
 * them after the C call has returned.
 */
struct ResumableProgress {
  enum Stop { Running, Disabled, Cancelled, HandlerThrew };

  ResumableProgress() : progress(nullptr), cancellation(nullptr), clientDisabled(nullptr), stop(Running) {}
  ResumableProgress(const ResumableProgress &) = delete;
  ResumableProgress &operator=(const ResumableProgress &) = delete;

  const AlibabaCloud::OSS::TransferProgress *progress;
  const CancellationToken *cancellation;
  const std::atomic<bool> *clientDisabled;
  /* Why the callback asked ossffi to stop; the first reason wins. */
  Stop stop;
  /* What the program's handler threw (the first exception; it is not called again after). */
  std::exception_ptr exception;

  /* Whether the upload must stop now, remembering why. */
  bool shouldStop() {
    if (stop == Running) {
      if (clientDisabled->load()) {
        stop = Disabled;
      } else if (cancellation->isCancelled()) {
        stop = Cancelled;
      }
    }
    return stop != Running;
  }

  /* What this object holds, written on one thread, is read next on another (see
   * OSSFFI_DETAIL_TSAN): the caller calls handOver() before the upload and takeBack() after it. */
  void handOver() {
#ifdef OSSFFI_DETAIL_TSAN
    __tsan_release(this);
#endif
  }
  void takeBack() {
#ifdef OSSFFI_DETAIL_TSAN
    __tsan_acquire(this);
#endif
  }

  static int32_t onProgress(void *userdata, uint64_t increment, uint64_t transferred, uint64_t total) {
    ResumableProgress *p = static_cast<ResumableProgress *>(userdata);
    p->takeBack();
    int32_t code = p->step(increment, transferred, total);
    p->handOver();
    return code;
  }

 private:
  /* One progress call: 1 asks ossffi to stop. */
  int32_t step(uint64_t increment, uint64_t transferred, uint64_t total) {
    if (shouldStop()) return 1;
    if (progress->Handler) {
      try {
        progress->Handler(static_cast<size_t>(increment), static_cast<int64_t>(transferred),
                          static_cast<int64_t>(total), progress->UserData);
      } catch (...) {
        exception = std::current_exception();
        stop = HandlerThrew;
        return 1;
      }
    }
    /* The handler may have disabled the client or cancelled: stop before the next chunk. */
    return shouldStop() ? 1 : 0;
  }
};

/* ResumableUploadObject's additions: the file, checkpoint directory, part size, threads, the
 * upload callback and the progress callback that watches for a stop. */
inline std::string describeResumableUpload(const AlibabaCloud::OSS::UploadObjectRequest &request, ossffi_request *c,
                                           ResumableProgress &progress) {
  if (ossffi_request_set_body_file(c, request.FilePath().c_str()) != OSSFFI_RESULT_OK) {
    return "The file path is not valid UTF-8.";
  }
  if (!request.CheckpointDir().empty() &&
      ossffi_request_set_checkpoint_dir(c, request.CheckpointDir().c_str()) != OSSFFI_RESULT_OK) {
    return "The checkpoint directory is not valid UTF-8.";
  }
  (void)ossffi_request_set_part_size(c, request.PartSize());
  (void)ossffi_request_set_thread_num(c, request.ThreadNum());
  const AlibabaCloud::OSS::MetaData &meta = request.MetaData().HttpMetaData();
  AlibabaCloud::OSS::MetaData::const_iterator callback = meta.find("x-oss-callback");
  AlibabaCloud::OSS::MetaData::const_iterator variables = meta.find("x-oss-callback-var");
  if (ossffi_request_set_callback(c, callback != meta.end() ? callback->second.c_str() : "",
                                  variables != meta.end() ? variables->second.c_str() : "") != OSSFFI_RESULT_OK) {
    return "The upload callback is not valid UTF-8.";
  }
  progress.progress = &request.TransferProgress();
  progress.cancellation = &request.CancellationToken();
  (void)ossffi_request_set_progress(c, &ResumableProgress::onProgress, &progress);
  return std::string();
}

/* The reply's headers, as the SDK's results read them. */
inline AlibabaCloud::OSS::HeaderCollection responseHeaders(const ossffi_response *response) {
  AlibabaCloud::OSS::HeaderCollection headers;
  size_t count = ossffi_response_header_count(response);
  for (size_t i = 0; i < count; ++i) {
    const char *name = nullptr;
    const char *value = nullptr;
    if (ossffi_response_header_at(response, i, &name, &value) == OSSFFI_RESULT_OK && name != nullptr) {
      headers.insert(std::make_pair(copy(name), copy(value)));
    }
  }
  return headers;
}

/* Each operation's result from the C response, as OssClient::invoke calls them; ListObjects and
 * DeleteObjects fill the fields the SDK reads from XML from the C library's parse of it. */
struct ResultReader {
  static AlibabaCloud::OSS::ObjectMetaData objectMetaData(const ossffi_response *r, Transfer &) {
    return AlibabaCloud::OSS::ObjectMetaData(responseHeaders(r));
  }
  static AlibabaCloud::OSS::DeleteObjectResult deleteObject(const ossffi_response *r, Transfer &) {
    return AlibabaCloud::OSS::DeleteObjectResult(responseHeaders(r));
  }
  /* As in the SDK, a default Bucket: OSS's reply says nothing more. */
  static AlibabaCloud::OSS::Bucket bucket(const ossffi_response *, Transfer &) { return AlibabaCloud::OSS::Bucket(); }
  static AlibabaCloud::OSS::VoidResult voidResult(const ossffi_response *r, Transfer &) {
    AlibabaCloud::OSS::VoidResult result;
    result.setRequestId(copy(ossffi_response_request_id(r)));
    return result;
  }

  static std::string field(const ossffi_response *r, const char *name) { return copy(ossffi_response_field(r, name)); }
  static std::string item(const ossffi_response *r, const char *list, size_t i, const char *name) {
    return copy(ossffi_response_list_field(r, list, i, name));
  }
  /* strtoul's reading of a count the C library wrote in decimal. */
  static uint32_t number(const std::string &text) {
    return static_cast<uint32_t>(std::strtoul(text.c_str(), nullptr, 10));
  }

  static AlibabaCloud::OSS::ListObjectsResult listObjects(const ossffi_response *r, Transfer &) {
    AlibabaCloud::OSS::ListObjectsResult out;
    out.setRequestId(copy(ossffi_response_request_id(r)));
    out.name_ = field(r, "Name");
    out.prefix_ = field(r, "Prefix");
    out.marker_ = field(r, "Marker");
    out.nextMarker_ = field(r, "NextMarker");
    out.delimiter_ = field(r, "Delimiter");
    out.encodingType_ = field(r, "EncodingType");
    out.maxKeys_ = std::atoi(field(r, "MaxKeys").c_str());
    out.isTruncated_ = startsWith(field(r, "IsTruncated"), "true");
    for (size_t i = 0, n = ossffi_response_list_len(r, "CommonPrefixes"); i < n; ++i) {
      out.commonPrefixes_.push_back(item(r, "CommonPrefixes", i, "Prefix"));
    }
    for (size_t i = 0, n = ossffi_response_list_len(r, "Contents"); i < n; ++i) {
      AlibabaCloud::OSS::ObjectSummary summary;
      summary.key_ = item(r, "Contents", i, "Key");
      summary.eTag_ = unquote(item(r, "Contents", i, "ETag"));
      summary.size_ = static_cast<int64_t>(std::strtoll(item(r, "Contents", i, "Size").c_str(), nullptr, 10));
      summary.lastModified_ = item(r, "Contents", i, "LastModified");
      summary.storageClass_ = item(r, "Contents", i, "StorageClass");
      summary.type_ = item(r, "Contents", i, "Type");
      summary.owner_ =
          AlibabaCloud::OSS::Owner(item(r, "Contents", i, "OwnerID"), item(r, "Contents", i, "OwnerDisplayName"));
      summary.restoreInfo_ = item(r, "Contents", i, "RestoreInfo");
      out.objectSummarys_.push_back(summary);
    }
    return out;
  }

  /* ResumableUploadObject's PutObjectResult: the object's ETag and CRC-64, the last reply's
   * request id, and, with an upload callback, the callback server's reply as Content(). */
  static AlibabaCloud::OSS::PutObjectResult resumableUpload(const ossffi_response *r, bool withCallback) {
    AlibabaCloud::OSS::PutObjectResult out(field(r, "ETag"), std::strtoull(field(r, "CRC64").c_str(), nullptr, 10));
    out.setRequestId(copy(ossffi_response_request_id(r)));
    out.setVersionId(field(r, "VersionId"));
    size_t len = 0;
    const uint8_t *body = ossffi_response_body(r, &len);
    if (withCallback && body != nullptr && len > 0) {
      std::shared_ptr<std::stringstream> content = std::make_shared<std::stringstream>();
      content->write(reinterpret_cast<const char *>(body), static_cast<std::streamsize>(len));
      out.setContent(content);
    }
    return out;
  }

  static AlibabaCloud::OSS::InitiateMultipartUploadResult initiateMultipartUpload(const ossffi_response *r,
                                                                                  Transfer &) {
    AlibabaCloud::OSS::InitiateMultipartUploadResult out;
    out.setRequestId(copy(ossffi_response_request_id(r)));
    out.bucket_ = field(r, "Bucket");
    out.key_ = field(r, "Key");
    out.uploadId_ = field(r, "UploadId");
    out.encodingType_ = field(r, "EncodingType");
    return out;
  }

  /* As the SDK's UploadPart: a PutObjectResult without content. */
  static AlibabaCloud::OSS::PutObjectResult uploadPart(const ossffi_response *r, Transfer &) {
    AlibabaCloud::OSS::PutObjectResult out(field(r, "ETag"), std::strtoull(field(r, "CRC64").c_str(), nullptr, 10));
    out.setRequestId(copy(ossffi_response_request_id(r)));
    out.setVersionId(field(r, "VersionId"));
    return out;
  }

  static AlibabaCloud::OSS::UploadPartCopyResult uploadPartCopy(const ossffi_response *r, Transfer &) {
    AlibabaCloud::OSS::UploadPartCopyResult out;
    out.setRequestId(copy(ossffi_response_request_id(r)));
    out.setVersionId(copy(ossffi_response_header(r, "x-oss-version-id")));
    out.eTag_ = field(r, "ETag");
    out.lastModified_ = field(r, "LastModified");
    out.sourceVersionId_ = field(r, "SourceVersionId");
    return out;
  }

  /*
   * The SDK's reading (see CompleteMultipartUploadResult): a reply whose Content-Type is
   * exactly application/json is the callback server's, kept in Content(); an XML reply gives
   * the fields and the ETag with the quotes the C library removed. A callback server's reply
   * in another type, which the SDK cannot parse, is its error "CompleteMultipartUpload" with an
   * empty message, here with ObjectStored() Yes, since OSS stored the object.
   */
  static AlibabaCloud::OSS::Outcome<AlibabaCloud::OSS::OssError, AlibabaCloud::OSS::CompleteMultipartUploadResult>
  completeMultipartUpload(const ossffi_response *r, Transfer &) {
    AlibabaCloud::OSS::CompleteMultipartUploadResult out;
    out.setRequestId(copy(ossffi_response_request_id(r)));
    out.setVersionId(field(r, "VersionId"));
    out.cRC64_ = std::strtoull(field(r, "CRC64").c_str(), nullptr, 10);
    out.eTag_ = field(r, "ETag");
    size_t len = 0;
    const uint8_t *body = ossffi_response_body(r, &len);
    std::string type = copy(ossffi_response_header(r, "Content-Type"));
    if (caseInsensitiveEquals(type, "application/json")) {
      std::shared_ptr<std::stringstream> content = std::make_shared<std::stringstream>();
      content->write(reinterpret_cast<const char *>(body), static_cast<std::streamsize>(len));
      out.content_ = content;
      return out;
    }
    out.location_ = field(r, "Location");
    out.bucket_ = field(r, "Bucket");
    out.key_ = field(r, "Key");
    out.encodingType_ = field(r, "EncodingType");
    bool fromXml = !out.bucket_.empty() || !out.key_.empty() || !out.location_.empty();
    if (fromXml && !out.eTag_.empty()) out.eTag_ = "\"" + out.eTag_ + "\"";
    if (!fromXml && len > 0) {
      AlibabaCloud::OSS::OssError error("CompleteMultipartUpload", "");
      error.setRequestId(out.RequestId());
      error.setStatus(ossffi_response_http_status(r));
      error.setObjectStored(Stored::Yes);
      return error;
    }
    return out;
  }

  static AlibabaCloud::OSS::ListPartsResult listParts(const ossffi_response *r, Transfer &) {
    AlibabaCloud::OSS::ListPartsResult out;
    out.setRequestId(copy(ossffi_response_request_id(r)));
    out.bucket_ = field(r, "Bucket");
    out.key_ = field(r, "Key");
    out.uploadId_ = field(r, "UploadId");
    out.encodingType_ = field(r, "EncodingType");
    out.maxParts_ = number(field(r, "MaxParts"));
    out.partNumberMarker_ = number(field(r, "PartNumberMarker"));
    out.nextPartNumberMarker_ = number(field(r, "NextPartNumberMarker"));
    out.isTruncated_ = field(r, "IsTruncated") == "true";
    for (size_t i = 0, n = ossffi_response_list_len(r, "Part"); i < n; ++i) {
      AlibabaCloud::OSS::Part part;
      part.partNumber_ = std::atoi(item(r, "Part", i, "PartNumber").c_str());
      part.eTag_ = item(r, "Part", i, "ETag");
      part.size_ = static_cast<int64_t>(std::strtoll(item(r, "Part", i, "Size").c_str(), nullptr, 10));
      part.lastModified_ = item(r, "Part", i, "LastModified");
      part.cRC64_ = std::strtoull(item(r, "Part", i, "HashCrc64ecma").c_str(), nullptr, 10);
      out.partList_.push_back(part);
    }
    return out;
  }

  static AlibabaCloud::OSS::ListMultipartUploadsResult listMultipartUploads(const ossffi_response *r, Transfer &) {
    AlibabaCloud::OSS::ListMultipartUploadsResult out;
    out.setRequestId(copy(ossffi_response_request_id(r)));
    out.bucket_ = field(r, "Bucket");
    out.keyMarker_ = field(r, "KeyMarker");
    out.uploadIdMarker_ = field(r, "UploadIdMarker");
    out.encodingType_ = field(r, "EncodingType");
    out.nextKeyMarker_ = field(r, "NextKeyMarker");
    out.nextUploadIdMarker_ = field(r, "NextUploadIdMarker");
    out.maxUploads_ = number(field(r, "MaxUploads"));
    out.isTruncated_ = field(r, "IsTruncated") == "true";
    for (size_t i = 0, n = ossffi_response_list_len(r, "CommonPrefixes"); i < n; ++i) {
      out.commonPrefixes_.push_back(item(r, "CommonPrefixes", i, "Prefix"));
    }
    for (size_t i = 0, n = ossffi_response_list_len(r, "Upload"); i < n; ++i) {
      AlibabaCloud::OSS::MultipartUpload upload;
      upload.Key = item(r, "Upload", i, "Key");
      upload.UploadId = item(r, "Upload", i, "UploadId");
      upload.Initiated = item(r, "Upload", i, "Initiated");
      out.multipartUploadList_.push_back(upload);
    }
    return out;
  }

  static AlibabaCloud::OSS::DeleteObjectsResult deleteObjects(const ossffi_response *r, Transfer &) {
    AlibabaCloud::OSS::DeleteObjectsResult out;
    out.setRequestId(copy(ossffi_response_request_id(r)));
    out.quiet_ = field(r, "Quiet") == "true";
    for (size_t i = 0, n = ossffi_response_list_len(r, "Deleted"); i < n; ++i) {
      out.keyList_.push_back(item(r, "Deleted", i, "Key"));
    }
    return out;
  }
};

/*
 * PutObjectByUrl's result, as PutObject's: with a callback in the URL, the callback server's
 * reply is written into the request's ResponseStreamFactory() stream (after what it already
 * holds, as the SDK writes) or a new std::stringstream; Content() stays null without one.
 */
inline AlibabaCloud::OSS::PutObjectResult putObjectByUrlResult(const AlibabaCloud::OSS::ServiceRequest &request,
                                                               const ossffi_response *r, Transfer &transfer) {
  AlibabaCloud::OSS::PutObjectResult out = ResultReader::uploadPart(r, transfer);
  size_t len = 0;
  const uint8_t *body = ossffi_response_body(r, &len);
  if (body == nullptr || len == 0) return out;
  std::shared_ptr<std::iostream> content;
  if (request.ResponseStreamFactory()) content = request.ResponseStreamFactory()();
  if (!content) content = std::make_shared<std::stringstream>();
  content->write(reinterpret_cast<const char *>(body), static_cast<std::streamsize>(len));
  out.setContent(content);
  return out;
}

/*
 * A failed PutObjectByUrl as the SDK reports it. OSS's 203 (the callback failed; the object
 * is stored) is a 2xx reply, so the SDK writes its body into the request's
 * ResponseStreamFactory() stream and reads the error from that stream, from its get position to
 * its end, text already in it included: a stream that held "invlid data" turns the reply into
 * "ParseXMLError:13" (cpp-sdk-surface-2.md 4.8). Without a factory the error is the C library's.
 */
inline AlibabaCloud::OSS::OssError putObjectByUrlError(const AlibabaCloud::OSS::ServiceRequest &request,
                                                       const ossffi_error *err, ossffi_result rc) {
  uint32_t status = ossffi_error_http_status(err);
  if (err == nullptr || !request.ResponseStreamFactory() || status < 200 || status > 299) return fromC(err, rc);
  std::shared_ptr<std::iostream> content = request.ResponseStreamFactory()();
  if (!content) return fromC(err, rc);
  size_t len = 0;
  const uint8_t *body = ossffi_error_body(err, &len);
  if (body != nullptr) content->write(reinterpret_cast<const char *>(body), static_cast<std::streamsize>(len));
  std::string text((std::istreambuf_iterator<char>(*content)), std::istreambuf_iterator<char>());
  content->clear();
  ossffi_error *reread = nullptr;
  if (ossffi_error_from_reply(status, reinterpret_cast<const uint8_t *>(text.data()), text.size(), &reread) !=
      OSSFFI_RESULT_OK) {
    return fromC(err, rc);
  }
  Owned<ossffi_error> owned(reread);
  AlibabaCloud::OSS::OssError error = fromC(reread, rc);
  if (error.RequestId().empty()) error.setRequestId(copy(ossffi_error_request_id(err)));
  error.setObjectStored(static_cast<Stored>(ossffi_error_object_stored(err)));
  return error;
}

}  // namespace detail
}  // namespace ossffi

#endif /* ALIBABACLOUD_OSS_DETAIL_OPERATIONS_H_OSSFFI */
