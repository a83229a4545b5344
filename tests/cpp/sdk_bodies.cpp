// Request bodies and their callbacks through the C++ SDK layer: file paths, streams that are
// generated on the fly (never held whole), progress reports, cancellation, and exceptions thrown
// by user code while ossffi's C code is on the stack.
#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <streambuf>
#include <string>
#include <vector>

#include <unistd.h>

#include "sdk_support.h"

using namespace AlibabaCloud::OSS;

static const sdktest::Services services;

static OssClient client() {
  return OssClient(services.endpoint, services.accessKeyId, services.accessKeySecret, ClientConfiguration());
}

// A read-only stream of `size` bytes made up as they are read, so a test can tell the body is
// streamed: only one buffer of it ever exists. It can seek (the SDK's body streams must).
class GeneratedBuf : public std::streambuf {
 public:
  explicit GeneratedBuf(uint64_t size, bool throwAtHalf = false) : size_(size), throwAtHalf_(throwAtHalf), pos_(0) {}
  static char byteAt(uint64_t i) { return static_cast<char>('a' + (i * 7 + i / 251) % 26); }
  std::string expected() const {
    std::string all;
    for (uint64_t i = 0; i < size_; ++i) all.push_back(byteAt(i));
    return all;
  }
  std::size_t largestRead = 0;

 protected:
  int_type underflow() override {
    if (pos_ >= size_) return traits_type::eof();
    if (throwAtHalf_ && pos_ >= size_ / 2) throw std::runtime_error("disk on fire");
    std::size_t n = static_cast<std::size_t>(std::min<uint64_t>(sizeof(buffer_), size_ - pos_));
    for (std::size_t i = 0; i < n; ++i) buffer_[i] = byteAt(pos_ + i);
    pos_ += n;
    largestRead = std::max(largestRead, n);
    setg(buffer_, buffer_, buffer_ + n);
    return traits_type::to_int_type(buffer_[0]);
  }
  pos_type seekoff(off_type off, std::ios_base::seekdir dir, std::ios_base::openmode) override {
    uint64_t current = pos_ - static_cast<uint64_t>(egptr() - gptr());
    uint64_t base = dir == std::ios_base::beg ? 0 : dir == std::ios_base::end ? size_ : current;
    return seekpos(pos_type(static_cast<off_type>(base) + off), std::ios_base::in);
  }
  pos_type seekpos(pos_type target, std::ios_base::openmode) override {
    off_type t = target;
    if (t < 0 || static_cast<uint64_t>(t) > size_) return pos_type(off_type(-1));
    pos_ = static_cast<uint64_t>(t);
    setg(buffer_, buffer_, buffer_);
    return target;
  }

 private:
  uint64_t size_;
  bool throwAtHalf_;
  uint64_t pos_;
  char buffer_[64 * 1024];
};

static void file_path_body_is_uploaded() {
  const char *tmp = std::getenv("TMPDIR");
  const std::string path = std::string(tmp != nullptr ? tmp : "/tmp") + "/ossffi_sdk_bodies_" +
                           std::to_string(static_cast<long>(getpid())) + ".bin";
  std::string data;
  for (int i = 0; i < 300000; ++i) data.push_back(static_cast<char>(i * 31));
  std::ofstream(path.c_str(), std::ios_base::binary).write(data.data(), static_cast<std::streamsize>(data.size()));
  PutObjectOutcome outcome = client().PutObject(services.bucket, "files/upload.bin", path);
  CHECK_SUCCESS(outcome);
  CHECK(outcome.result().CRC64() == sdktest::crc64(data));

  ObjectMetaData meta;
  meta.setContentType("application/x-test");
  PutObjectRequest request(services.bucket, "files/callback.bin",
                           std::make_shared<std::fstream>(path, std::ios_base::in | std::ios_base::binary), meta);
  request.setCallback(ObjectCallbackBuilder(services.callbackUrl, sdktest::formCallbackBody()).build());
  PutObjectOutcome withCallback = client().PutObject(request);
  CHECK_SUCCESS(withCallback);
  CHECK(sdktest::contains(sdktest::readAll(withCallback.result().Content()), "files/callback.bin"));
  CHECK_SUCCESS(client().PutObject(services.bucket, "files/meta.bin", path, meta));
  std::remove(path.c_str());
}

static void missing_file_is_a_validate_error() {
  PutObjectOutcome outcome = client().PutObject(services.bucket, "files/missing.bin", std::string("/no/such/file"));
  CHECK(!outcome.isSuccess());
  CHECK_STREQ(outcome.error().Code(), "ValidateError");
  CHECK_STREQ(outcome.error().Message(), "Request body is in fail state. Logical error on i/o operation.");
}

static void a_large_stream_is_streamed_not_copied() {
  GeneratedBuf buf(5 * 1024 * 1024 + 17);
  std::shared_ptr<std::iostream> body = std::make_shared<std::iostream>(&buf);
  PutObjectOutcome outcome = client().PutObject(services.bucket, "streams/large.bin", body);
  CHECK_SUCCESS(outcome);
  CHECK(outcome.result().CRC64() == sdktest::crc64(buf.expected()));
  CHECK(buf.largestRead <= 64 * 1024);
}

struct ProgressLog {
  std::vector<size_t> increments;
  int64_t lastTransferred = 0;
  int64_t lastTotal = 0;
  void *userData = nullptr;
};

static void progress_reports_every_chunk_with_user_data() {
  GeneratedBuf buf(3 * 1024 * 1024);
  ProgressLog log;
  int marker = 0;
  PutObjectRequest request(services.bucket, "progress/object.bin", std::make_shared<std::iostream>(&buf));
  TransferProgress progress;
  progress.Handler = [&log](size_t increment, int64_t transferred, int64_t total, void *userData) {
    log.increments.push_back(increment);
    log.lastTransferred = transferred;
    log.lastTotal = total;
    log.userData = userData;
  };
  progress.UserData = &marker;
  request.setTransferProgress(progress);
  CHECK_SUCCESS(client().PutObject(request));
  size_t sum = 0;
  for (size_t n : log.increments) sum += n;
  CHECK(log.increments.size() >= 2);
  CHECK_INTEQ(sum, 3 * 1024 * 1024);
  CHECK_INTEQ(log.lastTransferred, 3 * 1024 * 1024);
  CHECK_INTEQ(log.lastTotal, 3 * 1024 * 1024);
  CHECK(log.userData == &marker);
}

struct HandlerGaveUp : std::runtime_error {
  HandlerGaveUp() : std::runtime_error("the progress handler gave up") {}
};

static void an_exception_from_the_progress_handler_reaches_the_caller() {
  GeneratedBuf buf(2 * 1024 * 1024);
  PutObjectRequest request(services.bucket, "progress/throws.bin", std::make_shared<std::iostream>(&buf));
  TransferProgress progress;
  progress.Handler = [](size_t, int64_t, int64_t, void *) { throw HandlerGaveUp(); };
  progress.UserData = nullptr;
  request.setTransferProgress(progress);
  OssClient c = client();
  bool caught = false;
  try {
    c.PutObject(request);
  } catch (const HandlerGaveUp &) {
    caught = true;
  }
  CHECK(caught);
  CHECK(request.Body()->tellg() == std::streampos(0));  // put back even when unwinding
  CHECK_SUCCESS(c.PutObject(services.bucket, "progress/after.bin", sdktest::stream("still usable")));
}

static void an_exception_from_the_stream_reaches_the_caller() {
  GeneratedBuf buf(2 * 1024 * 1024, true);
  std::shared_ptr<std::iostream> body = std::make_shared<std::iostream>(&buf);
  body->exceptions(std::ios_base::badbit);  // let the streambuf's exception out of read()
  bool caught = false;
  try {
    client().PutObject(services.bucket, "streams/throws.bin", body);
  } catch (const std::runtime_error &e) {
    caught = std::string(e.what()) == "disk on fire";
  }
  CHECK(caught);
}

static void a_stream_that_fails_midway_is_an_error() {
  GeneratedBuf buf(2 * 1024 * 1024, true);  // without exceptions(): read() sets badbit instead
  PutObjectOutcome outcome =
      client().PutObject(services.bucket, "streams/bad.bin", std::make_shared<std::iostream>(&buf));
  CHECK(!outcome.isSuccess());
  CHECK_STREQ(outcome.error().Code(), "ClientError:200042");
}

static void a_cancellation_token_stops_the_upload() {
  GeneratedBuf buf(4 * 1024 * 1024);
  PutObjectRequest request(services.bucket, "cancel/object.bin", std::make_shared<std::iostream>(&buf));
  ossffi::CancellationToken token;
  request.setCancellationToken(token);
  TransferProgress progress;
  progress.Handler = [token](size_t, int64_t, int64_t, void *) { token.cancel(); };  // from any thread
  progress.UserData = nullptr;
  request.setTransferProgress(progress);
  PutObjectOutcome outcome = client().PutObject(request);
  CHECK(!outcome.isSuccess());
  CHECK_STREQ(outcome.error().Code(), "ClientError:200042");
  CHECK(token.isCancelled());
  token.reset();
  request.setTransferProgress(TransferProgress());
  CHECK_SUCCESS(client().PutObject(request));
}

static void disable_request_stops_an_upload_in_flight() {
  GeneratedBuf buf(4 * 1024 * 1024);
  OssClient c = client();
  PutObjectRequest request(services.bucket, "cancel/disabled.bin", std::make_shared<std::iostream>(&buf));
  TransferProgress progress;
  progress.Handler = [&c](size_t, int64_t, int64_t, void *) { c.DisableRequest(); };
  progress.UserData = nullptr;
  request.setTransferProgress(progress);
  PutObjectOutcome outcome = c.PutObject(request);
  CHECK_STREQ(outcome.error().Code(), "ClientError:200042");
  c.EnableRequest();
  CHECK_SUCCESS(c.PutObject(services.bucket, "cancel/enabled.txt", sdktest::stream("again")));
}

int main() {
  file_path_body_is_uploaded();
  missing_file_is_a_validate_error();
  a_large_stream_is_streamed_not_copied();
  progress_reports_every_chunk_with_user_data();
  an_exception_from_the_progress_handler_reaches_the_caller();
  an_exception_from_the_stream_reaches_the_caller();
  a_stream_that_fails_midway_is_an_error();
  a_cancellation_token_stops_the_upload();
  disable_request_stops_an_upload_in_flight();
  return finish();
}
