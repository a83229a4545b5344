// The resumable upload (OssClient::ResumableUploadObject, UploadObjectRequest) through the C++
// SDK layer, written as an SDK user writes it, against the emulator and the verifying callback
// receiver: the request's defaults and file status, the SDK's validation messages and order,
// the single-PutObject and multipart paths with upload callbacks, aggregated progress from the
// worker threads, DisableRequest (with and without a checkpoint directory), ossffi's
// CancellationToken, and a progress handler that throws. tests/cpp_sdk.rs checks what the
// callback receiver was sent.
#include <alibabacloud/oss/Const.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utime.h>

#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "sdk_support.h"

using namespace AlibabaCloud::OSS;

static const sdktest::Services services;
static const uint64_t kPartSize = 102400;  // OSS's smallest part but the last
static const char kDisabled[] = "Disable all requests by upper.";

static OssClient client() {
  return OssClient(services.endpoint, services.accessKeyId, services.accessKeySecret, ClientConfiguration());
}

static std::string scratch(const std::string &name) {
  const char *tmp = std::getenv("TMPDIR");
  return std::string(tmp != nullptr ? tmp : "/tmp") + "/ossffi_sdk_resumable_" + std::to_string(::getpid()) + "_" +
         name;
}

// `size` bytes that differ from offset to offset (seeded), so a misplaced part changes the object.
static std::string bytes(size_t size, unsigned seed) {
  std::string out(size, '\0');
  unsigned x = seed * 2654435761u + 1;
  for (size_t i = 0; i < size; ++i) {
    x = x * 1103515245u + 12345u;
    out[i] = static_cast<char>(x >> 16);
  }
  return out;
}

static std::string writeFile(const std::string &name, const std::string &data) {
  const std::string path = scratch(name);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
  return path;
}

static std::string makeDir(const std::string &name) {
  const std::string path = scratch(name);
  ::mkdir(path.c_str(), 0700);
  return path;
}

static bool fileExists(const std::string &path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

static std::string readFile(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Where the SDK (and ossffi) keep the checkpoint record of `file` uploaded to `key`.
static std::string recordPath(const std::string &dir, const std::string &file, const std::string &key) {
  const std::string object = "oss://" + services.bucket + "/" + key;
  return dir + "/" + ComputeContentETag(file.data(), file.size()) + "--" +
         ComputeContentETag(object.data(), object.size());
}

static std::string hexToBytes(const std::string &hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::strtoul(hex.substr(i, 2).c_str(), nullptr, 16)));
  }
  return out;
}

// OSS's ETag of `data` uploaded in parts of `partSize`: MD5 of the parts' MD5s, "-", the count.
static std::string multipartETag(const std::string &data, size_t partSize) {
  std::string digests;
  size_t count = 0;
  for (size_t at = 0; at < data.size(); at += partSize, ++count) {
    const std::string part = data.substr(at, partSize);
    digests += hexToBytes(ComputeContentETag(part.data(), part.size()));
  }
  return ComputeContentETag(digests.data(), digests.size()) + "-" + std::to_string(count);
}

static std::string getObject(const std::string &key) {
  GetObjectOutcome outcome = client().GetObject(services.bucket, key);
  CHECK_SUCCESS(outcome);
  return sdktest::readAll(outcome.result().Content());
}

static size_t uploadsInProgress(const std::string &key) {
  ListMultipartUploadsRequest request(services.bucket);
  request.setPrefix(key);
  ListMultipartUploadsOutcome outcome = client().ListMultipartUploads(request);
  CHECK_SUCCESS(outcome);
  return outcome.result().MultipartUploadList().size();
}

static void checkError(const PutObjectOutcome &outcome, const std::string &code, const std::string &message) {
  CHECK(!outcome.isSuccess());
  CHECK_STREQ(outcome.error().Code(), code);
  CHECK_STREQ(outcome.error().Message(), message);
}

static std::string variables() {
  ObjectCallbackVariableBuilder vars;
  vars.addCallbackVariable("x:var1", "value1");
  return vars.build();
}

// What the progress handler saw, across however many threads called it.
struct Progress {
  std::thread::id caller = std::this_thread::get_id();
  int calls = 0;
  int fromCaller = 0;
  uint64_t sum = 0;
  int64_t lastTransferred = 0;
  bool monotonic = true;
  bool totalIsSize = true;
  int64_t size = 0;
};

static void record(size_t increment, int64_t transferred, int64_t total, void *userData) {
  Progress *p = static_cast<Progress *>(userData);
  ++p->calls;
  if (std::this_thread::get_id() == p->caller) ++p->fromCaller;
  p->sum += increment;
  if (transferred < p->lastTransferred) p->monotonic = false;
  p->lastTransferred = transferred;
  if (total != p->size) p->totalIsSize = false;
}

static void defaults_and_the_file_status_at_construction() {
  const std::string data = bytes(4321, 1);
  const std::string path = writeFile("status.bin", data);
  struct utimbuf times = {1796133567, 1796133567};  // Tue, 01 Dec 2026 13:59:27 GMT
  CHECK(::utime(path.c_str(), &times) == 0);

  UploadObjectRequest request(services.bucket, "res/status.bin", path);
  CHECK_INTEQ(request.PartSize(), 8388608);
  CHECK_INTEQ(request.PartSize(), DefaultPartSize);
  CHECK_INTEQ(request.ThreadNum(), 3);
  CHECK_INTEQ(request.ThreadNum(), DefaultResumableThreadNum);
  CHECK_INTEQ(request.TrafficLimit(), 0);
  CHECK_STREQ(request.CheckpointDir(), "");
  CHECK(!request.hasCheckpointDir());
  CHECK_STREQ(request.EncodingType(), "");
  CHECK_STREQ(request.FilePath(), path);
  CHECK(request.FilePathW().empty());
  CHECK_STREQ(request.Bucket(), services.bucket);
  CHECK_STREQ(request.Key(), "res/status.bin");
  CHECK_STREQ(request.VersionId(), "");
  CHECK(request.RequestPayer() == RequestPayer::NotSet);
  CHECK_INTEQ(request.ObjectSize(), 4321);
  CHECK_STREQ(request.ObjectMtime(), "Tue, 01 Dec 2026 13:59:27 GMT");
  CHECK(request.Content() == nullptr);
  CHECK(!request.TransferProgress().Handler);

  // The stat is taken when the request is made, not when it is read.
  CHECK(::truncate(path.c_str(), 10) == 0);
  CHECK_INTEQ(request.ObjectSize(), 4321);
  std::remove(path.c_str());

  UploadObjectRequest missing(services.bucket, "res/missing.bin", scratch("no-such-file"), "", 102400, 0);
  CHECK_INTEQ(missing.ObjectSize(), 0);
  CHECK_STREQ(missing.ObjectMtime(), "Thu, 01 Jan 1970 00:00:00 GMT");
  CHECK_INTEQ(missing.ThreadNum(), 1);  // 0 in the constructor becomes 1
  CHECK_INTEQ(missing.PartSize(), 102400);
  missing.setThreadNum(0);
  CHECK_INTEQ(missing.ThreadNum(), 0);  // the setter keeps it, and validation refuses it

  ObjectMetaData meta;
  meta.setContentType("text/plain");
  UploadObjectRequest withMeta(services.bucket, "res/meta.bin", "", "/cp", meta);
  CHECK_STREQ(withMeta.MetaData().ContentType(), "text/plain");
  CHECK_STREQ(withMeta.CheckpointDir(), "/cp");
  CHECK(withMeta.hasCheckpointDir());
  CHECK_INTEQ(withMeta.PartSize(), 8388608);
  CHECK_INTEQ(withMeta.ThreadNum(), 3);
  withMeta.setCheckpointDir(std::wstring(L"/wide"));
  CHECK_STREQ(withMeta.CheckpointDir(), "");
  CHECK(withMeta.CheckpointDirW() == L"/wide");
  withMeta.setCheckpointDir(std::string("/narrow"));
  CHECK(withMeta.CheckpointDirW().empty());
  CHECK_STREQ(withMeta.CheckpointDir(), "/narrow");

  // Wide paths outside Windows: nothing is stat'ed.
  UploadObjectRequest wide(services.bucket, "res/wide.bin", std::wstring(L"/etc/hostname"));
  CHECK(wide.FilePathW() == L"/etc/hostname");
  CHECK_STREQ(wide.FilePath(), "");
  CHECK_INTEQ(wide.ObjectSize(), 0);
  CHECK_STREQ(wide.ObjectMtime(), "Thu, 01 Jan 1970 00:00:00 GMT");
  UploadObjectRequest wideFull(services.bucket, "res/wide.bin", std::wstring(L"/f"), std::wstring(L"/d"), 204800, 5);
  CHECK(wideFull.CheckpointDirW() == L"/d");
  CHECK_INTEQ(wideFull.PartSize(), 204800);
  CHECK_INTEQ(wideFull.ThreadNum(), 5);

  // The setters write the SDK's headers into MetaData().
  request.setCacheControl("no-cache");
  request.setContentDisposition("attachment");
  request.setContentEncoding("identity");
  request.setExpires("Wed, 02 Dec 2026 00:00:00 GMT");
  CannedAccessControlList acl = PublicRead;
  request.setAcl(acl);
  request.setTagging("a=1&b=2");
  request.setCallback("cb", "vars");
  request.setCallback("cb2");
  request.setEncodingType("url");
  request.setTrafficLimit(819200);
  request.setRequestPayer(RequestPayer::Requester);
  request.setVersionId("v1");
  MetaData &headers = request.MetaData().HttpMetaData();
  CHECK_STREQ(headers["Cache-Control"], "no-cache");
  CHECK_STREQ(headers["Content-Disposition"], "attachment");
  CHECK_STREQ(headers["Content-Encoding"], "identity");
  CHECK_STREQ(headers["Expires"], "Wed, 02 Dec 2026 00:00:00 GMT");
  CHECK_STREQ(headers["x-oss-object-acl"], "public-read");
  CHECK_STREQ(headers["x-oss-tagging"], "a=1&b=2");
  CHECK_STREQ(headers["x-oss-callback"], "cb2");
  CHECK(headers.count("x-oss-callback-var") == 0);  // removed, then not set again
  CHECK_STREQ(request.EncodingType(), "url");
  CHECK_INTEQ(request.TrafficLimit(), 819200);
  CHECK(request.RequestPayer() == RequestPayer::Requester);
  CHECK_STREQ(request.VersionId(), "v1");
  request.setPartSize(204800);
  request.setThreadNum(7);
  request.setObjectSize(99);
  request.setObjectMtime("then");
  CHECK_INTEQ(request.PartSize(), 204800);
  CHECK_INTEQ(request.ThreadNum(), 7);
  CHECK_INTEQ(request.ObjectSize(), 99);
  CHECK_STREQ(request.ObjectMtime(), "then");

  // Flags are kept as set, the SDK's test-hook bit included.
  const int hook = 1 << 30;
  request.setFlags(request.Flags() | hook);
  CHECK((request.Flags() & hook) != 0);
  request.setFlags(request.Flags() ^ hook);
  CHECK((request.Flags() & hook) == 0);
}

// The SDK's checks, in its order, each before anything is sent.
static void validation_messages_in_the_sdks_order() {
  const std::string path = writeFile("valid.bin", bytes(1000, 2));
  const std::string notADir = writeFile("not-a-dir", "x");
  OssClient c = client();

  UploadObjectRequest badBucket("Bad_Bucket", "k", path, "", 1, 0);
  checkError(c.ResumableUploadObject(badBucket), "ValidateError",
             "The bucket name is invalid. A bucket name must  be comprised of lower-case characters, numbers or "
             "dash(-) with 3-63 characters long.");
  UploadObjectRequest badKey(services.bucket, "", path, "", 1, 0);
  checkError(c.ResumableUploadObject(badKey), "ValidateError",
             "The object key is invalid. An object name should be between 1-1023 bytes long and cannot begin with "
             "'/' or '\\'");

  UploadObjectRequest request(services.bucket, "res/valid.bin", path, scratch("no-such-dir"), 102399, 1);
  request.setThreadNum(0);
  checkError(c.ResumableUploadObject(request), "ValidateError", "The part size is less than 100KB.");
  request.setPartSize(102400);
  checkError(c.ResumableUploadObject(request), "ValidateError", "The thread num is less than 1.");
  request.setThreadNum(1);
  checkError(c.ResumableUploadObject(request), "ValidateError", "Checkpoint directory is not exist.");
  request.setCheckpointDir(notADir);
  checkError(c.ResumableUploadObject(request), "ValidateError", "Checkpoint directory is not exist.");
  request.setCheckpointDir(std::wstring(L"/tmp"));
  checkError(c.ResumableUploadObject(request), "ValidateError", "Only support wstring path in windows os.");
  request.setCheckpointDir("");
  CHECK_SUCCESS(c.ResumableUploadObject(request));  // 102400 is allowed

  UploadObjectRequest wide(services.bucket, "res/valid.bin", std::wstring(L"/tmp/f"), std::wstring(), 102400, 1);
  checkError(c.ResumableUploadObject(wide), "ValidateError", "Only support wstring path in windows os.");

  UploadObjectRequest missing(services.bucket, "res/missing.bin", scratch("no-such-file"));
  checkError(c.ResumableUploadObject(missing), "ValidateError", "Open upload file failed.");
  UploadObjectRequest empty(services.bucket, "res/missing.bin", "");
  checkError(c.ResumableUploadObject(empty), "ValidateError", "Open upload file failed.");
  // A file made after the request was made still counts as missing, as in the SDK.
  const std::string late = scratch("late.bin");
  UploadObjectRequest early(services.bucket, "res/late.bin", late);
  writeFile("late.bin", "now it exists");
  checkError(c.ResumableUploadObject(early), "ValidateError", "Open upload file failed.");

  // Validation comes before DisableRequest's refusal; a valid request is refused, unsent.
  c.DisableRequest();
  checkError(c.ResumableUploadObject(missing), "ValidateError", "Open upload file failed.");
  UploadObjectRequest refused(services.bucket, "res/refused.bin", path);
  checkError(c.ResumableUploadObject(refused), "ClientError:100002", kDisabled);
  c.EnableRequest();
  CHECK(!c.DoesObjectExist(services.bucket, "res/refused.bin"));

  std::remove(path.c_str());
  std::remove(notADir.c_str());
  std::remove(late.c_str());
}

// A file no larger than the part size is one PutObject, with the upload callback's reply.
static void a_small_file_is_one_put_with_the_callback_reply() {
  const std::string data = bytes(5000, 3);
  const std::string path = writeFile("small.bin", data);
  const std::string dir = makeDir("small-cp");
  UploadObjectRequest request(services.bucket, "res/small.bin", path, dir);
  request.setCallback(ObjectCallbackBuilder(services.callbackUrl, sdktest::formCallbackBody()).build(), variables());
  Progress progress;
  progress.size = 5000;
  request.setTransferProgress({&record, &progress});

  PutObjectOutcome outcome = client().ResumableUploadObject(request);
  CHECK_SUCCESS(outcome);
  CHECK_STREQ(sdktest::readAll(outcome.result().Content()), "{\"Status\":\"OK\",\"object\":\"res/small.bin\"}");
  CHECK_STREQ(outcome.result().ETag(), ComputeContentETag(data.data(), data.size()));
  CHECK(outcome.result().CRC64() == sdktest::crc64(data));
  CHECK_INTEQ(outcome.result().RequestId().size(), 24);
  CHECK(getObject("res/small.bin") == data);
  CHECK_INTEQ(progress.lastTransferred, 5000);
  CHECK_INTEQ(progress.sum, 5000);
  CHECK(progress.totalIsSize);
  CHECK_INTEQ(progress.fromCaller, progress.calls);  // the single PutObject reports on this thread
  CHECK(!fileExists(recordPath(dir, path, "res/small.bin")));  // no record on this path
  std::remove(path.c_str());
  ::rmdir(dir.c_str());
}

// 1 MiB + 777 bytes in 100 KiB parts by 4 threads, with a form callback and a custom variable.
static void a_large_file_is_a_multipart_upload_with_the_callback_reply() {
  const std::string data = bytes(1024 * 1024 + 777, 4);
  const std::string path = writeFile("large.bin", data);
  const std::string dir = makeDir("large-cp");
  const std::string key = "res/large.bin";
  UploadObjectRequest request(services.bucket, key, path, dir, kPartSize, 4);
  request.setCallback(ObjectCallbackBuilder(services.callbackUrl, sdktest::formCallbackBody()).build(), variables());
  Progress progress;
  progress.size = static_cast<int64_t>(data.size());
  request.setTransferProgress({&record, &progress});

  PutObjectOutcome outcome = client().ResumableUploadObject(request);
  CHECK_SUCCESS(outcome);
  CHECK_STREQ(sdktest::readAll(outcome.result().Content()), "{\"Status\":\"OK\",\"object\":\"res/large.bin\"}");
  CHECK_STREQ(outcome.result().ETag(), multipartETag(data, kPartSize));
  CHECK(sdktest::contains(outcome.result().ETag(), "-11"));
  std::string copy = data;
  CHECK(outcome.result().CRC64() == ComputeCRC64(0, &copy[0], copy.size()));
  CHECK(outcome.result().CRC64() == sdktest::crc64(data));
  CHECK_INTEQ(outcome.result().RequestId().size(), 24);
  CHECK(getObject(key) == data);

  CHECK(progress.calls >= 11);  // at least one per part
  CHECK(progress.monotonic);
  CHECK(progress.totalIsSize);
  CHECK_INTEQ(progress.lastTransferred, data.size());
  CHECK_INTEQ(progress.sum, data.size());
  CHECK_INTEQ(progress.fromCaller, 0);  // ossffi's workers call the handler
  CHECK(!fileExists(recordPath(dir, path, key)));  // deleted on success
  CHECK_INTEQ(uploadsInProgress(key), 0);
  std::remove(path.c_str());
  ::rmdir(dir.c_str());
}

// What a handler needs to stop its own upload.
struct Stopper {
  OssClient *client = nullptr;
  ossffi::CancellationToken token;
  int64_t at = 0;
  int calls = 0;
  int callsAfterStop = 0;
  bool stopped = false;
};

static void disableAt(size_t, int64_t transferred, int64_t, void *userData) {
  Stopper *s = static_cast<Stopper *>(userData);
  ++s->calls;
  if (s->stopped) ++s->callsAfterStop;
  if (transferred >= s->at && !s->stopped) {
    s->stopped = true;
    s->client->DisableRequest();
  }
}

// DisableRequest during the parts: "ClientError:100002", the record and the upload kept; after
// EnableRequest the same request resumes to success and the record is gone.
static void disable_request_mid_upload_keeps_the_record_and_a_second_call_resumes() {
  const std::string data = bytes(6 * kPartSize + 100, 5);
  const std::string path = writeFile("disable.bin", data);
  const std::string dir = makeDir("disable-cp");
  const std::string key = "res/disable.bin";
  OssClient c = client();
  Stopper stopper;
  stopper.client = &c;
  stopper.at = static_cast<int64_t>(kPartSize) + 1;
  UploadObjectRequest request(services.bucket, key, path, dir, kPartSize, 2);
  request.setTransferProgress({&disableAt, &stopper});

  checkError(c.ResumableUploadObject(request), "ClientError:100002", kDisabled);
  CHECK(stopper.stopped);
  CHECK_INTEQ(stopper.callsAfterStop, 0);  // the handler's own DisableRequest stopped every worker
  const std::string checkpoint = recordPath(dir, path, key);
  CHECK(fileExists(checkpoint));
  const std::string text = readFile(checkpoint);
  CHECK(sdktest::contains(text, "\t\"opType\" : \"ResumableUpload\",\n"));
  CHECK(sdktest::contains(text, "\t\"filePath\" : \"" + path + "\",\n"));
  CHECK(sdktest::contains(text, "\t\"size\" : " + std::to_string(data.size()) + ",\n"));
  CHECK_INTEQ(uploadsInProgress(key), 1);

  c.EnableRequest();
  CHECK(!c.DoesObjectExist(services.bucket, key));
  Progress progress;
  progress.size = static_cast<int64_t>(data.size());
  request.setTransferProgress({&record, &progress});
  PutObjectOutcome resumed = c.ResumableUploadObject(request);
  CHECK_SUCCESS(resumed);
  CHECK_STREQ(resumed.result().ETag(), multipartETag(data, kPartSize));
  CHECK(resumed.result().Content() == nullptr);  // no callback
  CHECK(!fileExists(checkpoint));
  CHECK_INTEQ(progress.lastTransferred, data.size());
  CHECK(progress.monotonic);
  CHECK(getObject(key) == data);
  CHECK_INTEQ(uploadsInProgress(key), 0);
  std::remove(path.c_str());
  ::rmdir(dir.c_str());
}

// Without a checkpoint directory ossffi aborts the stopped upload (the SDK leaves it open).
static void disable_request_without_a_checkpoint_dir_aborts_the_upload() {
  const std::string data = bytes(4 * kPartSize, 6);
  const std::string path = writeFile("disable-nocp.bin", data);
  const std::string key = "res/disable-nocp.bin";
  OssClient c = client();
  Stopper stopper;
  stopper.client = &c;
  stopper.at = 1;
  UploadObjectRequest request(services.bucket, key, path, "", kPartSize, 3);
  request.setTransferProgress({&disableAt, &stopper});
  checkError(c.ResumableUploadObject(request), "ClientError:100002", kDisabled);
  c.EnableRequest();
  CHECK_INTEQ(uploadsInProgress(key), 0);
  CHECK(!c.DoesObjectExist(services.bucket, key));
  std::remove(path.c_str());
}

static void cancelAt(size_t, int64_t transferred, int64_t, void *userData) {
  Stopper *s = static_cast<Stopper *>(userData);
  ++s->calls;
  if (s->stopped) ++s->callsAfterStop;
  if (transferred >= s->at && !s->stopped) {
    s->stopped = true;
    s->token.cancel();
  }
}

// ossffi's CancellationToken: "ClientError:200042", for this upload only.
static void a_cancellation_token_stops_the_upload_with_200042() {
  const std::string data = bytes(5 * kPartSize, 7);
  const std::string path = writeFile("cancel.bin", data);
  const std::string key = "res/cancel.bin";
  OssClient c = client();
  Stopper stopper;
  stopper.at = static_cast<int64_t>(kPartSize);
  UploadObjectRequest request(services.bucket, key, path, "", kPartSize, 2);
  request.setCancellationToken(stopper.token);
  request.setTransferProgress({&cancelAt, &stopper});
  PutObjectOutcome outcome = c.ResumableUploadObject(request);
  CHECK(!outcome.isSuccess());
  CHECK_STREQ(outcome.error().Code(), "ClientError:200042");
  CHECK(sdktest::contains(outcome.error().Message(), "Operation was aborted by an application callback."));
  CHECK(stopper.stopped);
  CHECK_INTEQ(stopper.callsAfterStop, 0);
  CHECK_INTEQ(uploadsInProgress(key), 0);  // aborted: no checkpoint directory
  CHECK(!c.DoesObjectExist(services.bucket, key));

  // Cancelled before the call, the small path too; the client itself is not disabled.
  UploadObjectRequest small(services.bucket, "res/cancel-small.bin", path, "", 8 * kPartSize, 1);
  small.setCancellationToken(stopper.token);
  PutObjectOutcome early = c.ResumableUploadObject(small);
  CHECK_STREQ(early.isSuccess() ? "success" : early.error().Code(), "ClientError:200042");

  stopper.token.reset();
  request.setTransferProgress(TransferProgress());
  CHECK_SUCCESS(c.ResumableUploadObject(request));
  CHECK(getObject(key) == data);
  std::remove(path.c_str());
}

struct Thrower {
  int calls = 0;
  int throwAt = 0;
};

static void throwAtCall(size_t, int64_t, int64_t, void *userData) {
  Thrower *t = static_cast<Thrower *>(userData);
  if (++t->calls == t->throwAt) throw std::runtime_error("the handler gave up");
}

// An exception from the handler stops the upload and is rethrown from ResumableUploadObject,
// whether a worker thread (multipart) or the calling thread (one PutObject) called it.
static void a_throwing_handler_is_rethrown_from_the_call() {
  const std::string data = bytes(4 * kPartSize + 9, 8);  // 5 parts of one chunk each
  const std::string path = writeFile("throw.bin", data);
  const std::string key = "res/throw.bin";
  OssClient c = client();
  for (int multipart = 1; multipart >= 0; --multipart) {
    Thrower thrower;
    thrower.throwAt = multipart ? 3 : 1;
    UploadObjectRequest request(services.bucket, key, path, "", multipart ? kPartSize : 8 * kPartSize, 3);
    request.setTransferProgress({&throwAtCall, &thrower});
    std::string caught = "nothing";
    try {
      PutObjectOutcome outcome = c.ResumableUploadObject(request);
      caught = outcome.isSuccess() ? "success" : outcome.error().Code();
    } catch (const std::runtime_error &e) {
      caught = e.what();
    }
    CHECK_STREQ(caught, "the handler gave up");
    CHECK_INTEQ(thrower.calls, thrower.throwAt);  // never called again after it threw
    CHECK_INTEQ(uploadsInProgress(key), 0);
    if (multipart) CHECK(!c.DoesObjectExist(services.bucket, key));  // aborted before Complete
  }
  // The client goes on working.
  UploadObjectRequest again(services.bucket, key, path, "", kPartSize, 3);
  CHECK_SUCCESS(c.ResumableUploadObject(again));
  CHECK(getObject(key) == data);
  std::remove(path.c_str());
}

int main() {
  defaults_and_the_file_status_at_construction();
  validation_messages_in_the_sdks_order();
  a_small_file_is_one_put_with_the_callback_reply();
  a_large_file_is_a_multipart_upload_with_the_callback_reply();
  disable_request_mid_upload_keeps_the_record_and_a_second_call_resumes();
  disable_request_without_a_checkpoint_dir_aborts_the_upload();
  a_cancellation_token_stops_the_upload_with_200042();
  a_throwing_handler_is_rethrown_from_the_call();
  return finish();
}
