// GetObject, HeadObject, GetObjectMeta, DoesObjectExist and DeleteObject through the C++ SDK
// layer, written as an SDK user writes them (only the SDK's API: this program also builds
// against aliyun-oss-cpp-sdk 1.10.1), end to end against the emulator.
//
// Without arguments (as tests/c_api.rs runs every program) the emulator is honest.
// `sdk_get_object wrong-crc` is run by tests/cpp_sdk.rs with the emulator told to falsify
// x-oss-hash-crc64ecma in its next two replies.
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>

#include "sdk_support.h"

using namespace AlibabaCloud::OSS;

static const sdktest::Services services;
static const std::string kKey = "basics/hello.txt";
static const std::string kBody = "hello world";
static const std::string kETag = "5EB63BBBE01EEED093CB22BB8F5ACDC3";  // MD5 of "hello world"
static const std::string kRangeMessage =
    "The range is invalid. The start should not be less than 0 or less then the end. The end could be -1 to get "
    "the rest of the data.";

static OssClient client() {
  ClientConfiguration conf;
  return OssClient(services.endpoint, services.accessKeyId, services.accessKeySecret, conf);
}

static void put_hello() {
  ObjectMetaData meta;
  meta.setContentType("text/plain");
  meta.addUserHeader("author", "ossffi");
  CHECK_SUCCESS(client().PutObject(services.bucket, kKey, sdktest::stream(kBody), meta));
}

static std::string fileContents(const std::string &path) {
  std::ifstream in(path.c_str(), std::ios::in | std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

static bool fileExists(const std::string &path) {
  std::ifstream in(path.c_str());
  return in.good();
}

static void get_object_returns_the_body_and_its_metadata() {
  GetObjectOutcome outcome = client().GetObject(services.bucket, kKey);
  CHECK_SUCCESS(outcome);
  CHECK_STREQ(sdktest::readAll(outcome.result().Content()), kBody);
  const ObjectMetaData &meta = outcome.result().Metadata();
  CHECK_INTEQ(meta.ContentLength(), 11);
  CHECK_STREQ(meta.ContentType(), "text/plain");
  CHECK_STREQ(meta.ETag(), kETag);
  CHECK(meta.CRC64() == sdktest::crc64(kBody));
  CHECK_STREQ(meta.ObjectType(), "Normal");
  CHECK(!meta.LastModified().empty());
  CHECK_INTEQ(meta.UserMetaData().size(), 1);
  CHECK_STREQ(meta.UserMetaData().at("author"), "ossffi");
  CHECK(!meta.HttpMetaData().count("x-oss-meta-author"));
  CHECK_STREQ(outcome.result().Bucket(), services.bucket);
  CHECK_STREQ(outcome.result().Key(), kKey);
  CHECK_INTEQ(outcome.result().RequestId().size(), 24);
}

static void get_object_into_a_stream_returns_that_stream() {
  std::shared_ptr<std::iostream> content = std::make_shared<std::stringstream>();
  GetObjectOutcome outcome = client().GetObject(services.bucket, kKey, content);
  CHECK_SUCCESS(outcome);
  CHECK(outcome.result().Content() == content);
  CHECK_STREQ(sdktest::readAll(content), kBody);
}

static void get_object_into_a_file_writes_it_and_a_404_leaves_no_file() {
  const std::string path = "sdk_get_object_download.txt";
  std::remove(path.c_str());
  {
    GetObjectOutcome outcome = client().GetObject(services.bucket, kKey, path);
    CHECK_SUCCESS(outcome);
  }
  CHECK_STREQ(fileContents(path), kBody);
  std::remove(path.c_str());

  GetObjectOutcome missing = client().GetObject(services.bucket, "basics/missing.txt", path);
  CHECK(!missing.isSuccess());
  CHECK_STREQ(missing.error().Code(), "NoSuchKey");
  CHECK(!missing.error().Message().empty());
  CHECK_INTEQ(missing.error().RequestId().size(), 24);
  CHECK(!fileExists(path));
}

// As in the SDK, the file is opened at the first byte of the body: an empty object leaves an
// existing file as it was, and Content() is an empty stream.
static void an_empty_object_does_not_touch_the_file() {
  CHECK_SUCCESS(client().PutObject(services.bucket, "basics/empty.txt", sdktest::stream("")));
  const std::string path = "sdk_get_object_empty.txt";
  {
    std::ofstream previous(path.c_str(), std::ios::out | std::ios::binary);
    previous << "previous";
  }
  GetObjectOutcome outcome = client().GetObject(services.bucket, "basics/empty.txt", path);
  CHECK_SUCCESS(outcome);
  CHECK_INTEQ(outcome.result().Metadata().ContentLength(), 0);
  CHECK_STREQ(sdktest::readAll(outcome.result().Content()), "");
  CHECK_STREQ(fileContents(path), "previous");
  std::remove(path.c_str());
}

static void ranges_return_parts_and_invalid_ranges_are_refused_locally() {
  GetObjectRequest head(services.bucket, kKey);
  head.setRange(0, 4);
  GetObjectOutcome first = client().GetObject(head);
  CHECK_SUCCESS(first);
  CHECK_STREQ(sdktest::readAll(first.result().Content()), "hello");
  CHECK_INTEQ(first.result().Metadata().ContentLength(), 5);

  GetObjectRequest tail(services.bucket, kKey);
  tail.setRange(6, -1);
  CHECK_STREQ(sdktest::readAll(client().GetObject(tail).result().Content()), "world");
  CHECK(tail.Range() == std::make_pair(int64_t(6), int64_t(-1)));

  GetObjectRequest backwards(services.bucket, kKey);
  backwards.setRange(5, 2);
  GetObjectOutcome refused = client().GetObject(backwards);
  CHECK(!refused.isSuccess());
  CHECK_STREQ(refused.error().Code(), "ValidateError");
  CHECK_STREQ(refused.error().Message(), kRangeMessage);

  GetObjectRequest negative(services.bucket, kKey);
  negative.setRange(-1, 2);
  CHECK_STREQ(client().GetObject(negative).error().Message(), kRangeMessage);
}

static void conditions_give_304_and_412() {
  GetObjectRequest unchanged(services.bucket, kKey);
  unchanged.addNonmatchingETagConstraint("\"" + kETag + "\"");
  GetObjectOutcome notModified = client().GetObject(unchanged);
  CHECK(!notModified.isSuccess());
  CHECK_STREQ(notModified.error().Code(), "ServerError:304");
  CHECK_STREQ(notModified.error().Message(), "");

  GetObjectRequest other(services.bucket, kKey);
  other.addMatchingETagConstraint("\"0123456789ABCDEF0123456789ABCDEF\"");
  GetObjectOutcome failed = client().GetObject(other);
  CHECK(!failed.isSuccess());
  CHECK_STREQ(failed.error().Code(), "PreconditionFailed");

  GetObjectRequest matching(services.bucket, kKey);
  matching.addMatchingETagConstraint("\"" + kETag + "\"");
  CHECK_STREQ(sdktest::readAll(client().GetObject(matching).result().Content()), kBody);
}

static void a_null_response_stream_is_client_error_200023() {
  GetObjectRequest request(services.bucket, kKey);
  request.setResponseStreamFactory([]() { return std::shared_ptr<std::iostream>(); });
  GetObjectOutcome outcome = client().GetObject(request);
  CHECK(!outcome.isSuccess());
  CHECK_STREQ(outcome.error().Code(), "ClientError:200023");
  CHECK_STREQ(outcome.error().Message(),
              "Failed writing received data to disk/application. Caused by content is null.");
}

static void progress_reports_the_body_as_it_arrives() {
  struct Seen {
    int64_t sum = 0;
    int64_t transferred = 0;
    int64_t total = 0;
  } seen;
  TransferProgress progress;
  progress.Handler = [](size_t increment, int64_t transferred, int64_t total, void *userData) {
    Seen *s = static_cast<Seen *>(userData);
    s->sum += static_cast<int64_t>(increment);
    s->transferred = transferred;
    s->total = total;
  };
  progress.UserData = &seen;
  GetObjectRequest request(services.bucket, kKey);
  request.setTransferProgress(progress);
  CHECK_SUCCESS(client().GetObject(request));
  CHECK_INTEQ(seen.sum, 11);
  CHECK_INTEQ(seen.transferred, 11);
  CHECK_INTEQ(seen.total, 11);
}

// The exception leaves GetObject; it never unwinds through the C library.
static void exceptions_from_the_progress_handler_and_the_stream_factory_reach_the_caller() {
  GetObjectRequest throwing(services.bucket, kKey);
  TransferProgress progress;
  progress.Handler = [](size_t, int64_t, int64_t, void *) { throw std::runtime_error("from progress"); };
  progress.UserData = nullptr;
  throwing.setTransferProgress(progress);
  std::string caught;
  try {
    client().GetObject(throwing);
  } catch (const std::runtime_error &e) {
    caught = e.what();
  }
  CHECK_STREQ(caught, "from progress");

  GetObjectRequest factory(services.bucket, kKey);
  factory.setResponseStreamFactory(
      []() -> std::shared_ptr<std::iostream> { throw std::runtime_error("from factory"); });
  caught.clear();
  try {
    client().GetObject(factory);
  } catch (const std::runtime_error &e) {
    caught = e.what();
  }
  CHECK_STREQ(caught, "from factory");
}

static void head_object_and_get_object_meta_read_the_metadata() {
  ObjectMetaDataOutcome head = client().HeadObject(services.bucket, kKey);
  CHECK_SUCCESS(head);
  CHECK_INTEQ(head.result().ContentLength(), 11);
  CHECK_STREQ(head.result().ETag(), kETag);
  CHECK_STREQ(head.result().ContentType(), "text/plain");
  CHECK_STREQ(head.result().UserMetaData().at("author"), "ossffi");

  ObjectMetaDataOutcome meta = client().GetObjectMeta(services.bucket, kKey);
  CHECK_SUCCESS(meta);
  CHECK_INTEQ(meta.result().ContentLength(), 11);
  CHECK_STREQ(meta.result().ETag(), kETag);
  CHECK(meta.result().CRC64() == sdktest::crc64(kBody));
  CHECK(!meta.result().LastModified().empty());
  CHECK_INTEQ(meta.result().UserMetaData().size(), 0);

  // A progress handler on a request without a body to report is allowed, as in the SDK.
  HeadObjectRequest withProgress(services.bucket, kKey);
  TransferProgress progress;
  progress.Handler = [](size_t, int64_t, int64_t, void *) {};
  progress.UserData = nullptr;
  withProgress.setTransferProgress(progress);
  ObjectMetaDataOutcome headWithProgress = client().HeadObject(withProgress);
  CHECK_SUCCESS(headWithProgress);
  CHECK_STREQ(headWithProgress.result().ETag(), kETag);

  ObjectMetaDataOutcome missing = client().HeadObject(services.bucket, "basics/missing.txt");
  CHECK(!missing.isSuccess());
  CHECK_STREQ(missing.error().Code(), "NoSuchKey");
  CHECK_INTEQ(missing.error().RequestId().size(), 24);
  CHECK_INTEQ(missing.result().ContentLength(), -1);
}

static void does_object_exist_and_delete_object() {
  CHECK(client().DoesObjectExist(services.bucket, kKey));
  CHECK(!client().DoesObjectExist(services.bucket, "basics/missing.txt"));
  CHECK(!client().DoesObjectExist("no-such-bucket-here", kKey));
  CHECK(!client().DoesObjectExist("Invalid_Bucket", kKey));

  DeleteObjectOutcome deleted = client().DeleteObject(services.bucket, kKey);
  CHECK_SUCCESS(deleted);
  CHECK(!deleted.result().DeleteMarker());
  CHECK_INTEQ(deleted.result().RequestId().size(), 24);
  CHECK(!client().DoesObjectExist(services.bucket, kKey));
  // OSS answers 204 for a key that is not there.
  CHECK_SUCCESS(client().DeleteObject(DeleteObjectRequest(services.bucket, kKey)));

  GetObjectOutcome gone = client().GetObject(services.bucket, kKey);
  CHECK_STREQ(gone.error().Code(), "NoSuchKey");
  CHECK_STREQ(client().GetObject("no-such-bucket-here", kKey).error().Code(), "NoSuchBucket");
}

static void invalid_names_are_validate_errors() {
  GetObjectOutcome bucket = client().GetObject("Bad_Bucket", kKey);
  CHECK_STREQ(bucket.error().Code(), "ValidateError");
  CHECK_STREQ(bucket.error().Message(),
              "The bucket name is invalid. A bucket name must  be comprised of lower-case characters, numbers or "
              "dash(-) with 3-63 characters long.");
  CHECK_STREQ(client().HeadObject(services.bucket, "").error().Message(),
              "The object key is invalid. An object name should be between 1-1023 bytes long and cannot begin "
              "with '/' or '\\'");
}

// The emulator lies about the next two CRC-64s: the upload's, then the download's.
static void a_wrong_crc_is_client_error_100001() {
  PutObjectOutcome put = client().PutObject(services.bucket, kKey, sdktest::stream(kBody));
  CHECK_STREQ(put.error().Code(), "ClientError:100001");
  GetObjectOutcome outcome = client().GetObject(services.bucket, kKey);
  CHECK(!outcome.isSuccess());
  CHECK_STREQ(outcome.error().Code(), "ClientError:100001");
  CHECK(sdktest::contains(outcome.error().Message(),
                          "not equal to calculated hash:" + std::to_string(sdktest::crc64(kBody))));
  CHECK_INTEQ(outcome.error().RequestId().size(), 24);
  // The lies are used up.
  CHECK_STREQ(sdktest::readAll(client().GetObject(services.bucket, kKey).result().Content()), kBody);
}

int main(int argc, char **argv) {
  if (argc > 1 && std::string(argv[1]) == "wrong-crc") {
    a_wrong_crc_is_client_error_100001();
    return finish();
  }
  put_hello();
  get_object_returns_the_body_and_its_metadata();
  get_object_into_a_stream_returns_that_stream();
  get_object_into_a_file_writes_it_and_a_404_leaves_no_file();
  an_empty_object_does_not_touch_the_file();
  ranges_return_parts_and_invalid_ranges_are_refused_locally();
  conditions_give_304_and_412();
  a_null_response_stream_is_client_error_200023();
  progress_reports_the_body_as_it_arrives();
  exceptions_from_the_progress_handler_and_the_stream_factory_reach_the_caller();
  head_object_and_get_object_meta_read_the_metadata();
  invalid_names_are_validate_errors();
  does_object_exist_and_delete_object();
  return finish();
}
