// ListObjects, DeleteObjects, CreateBucket and DeleteBucket through the C++ SDK layer, written
// as an SDK user writes them (only the SDK's API: this program also builds against
// aliyun-oss-cpp-sdk 1.10.1), end to end against the emulator.
#include <string>
#include <vector>

#include "sdk_support.h"

using namespace AlibabaCloud::OSS;

static const sdktest::Services services;

static OssClient client() {
  ClientConfiguration conf;
  return OssClient(services.endpoint, services.accessKeyId, services.accessKeySecret, conf);
}

static void put(const std::string &bucket, const std::string &key, const std::string &body) {
  CHECK_SUCCESS(client().PutObject(bucket, key, sdktest::stream(body)));
}

static std::vector<std::string> keysOf(const ListObjectsResult &result) {
  std::vector<std::string> keys;
  for (const ObjectSummary &summary : result.ObjectSummarys()) keys.push_back(summary.Key());
  return keys;
}

static void list_objects_lists_a_prefix_with_each_objects_summary() {
  put(services.bucket, "list/a.txt", "aaa");
  put(services.bucket, "list/b/c.txt", "cc");
  put(services.bucket, "list/d.txt", "hello world");
  put(services.bucket, "other.txt", "x");

  ListObjectOutcome outcome = client().ListObjects(services.bucket, "list/");
  CHECK_SUCCESS(outcome);
  const ListObjectsResult &result = outcome.result();
  CHECK_STREQ(result.Name(), services.bucket);
  CHECK_STREQ(result.Prefix(), "list/");
  CHECK_INTEQ(result.MaxKeys(), 100);
  CHECK(!result.IsTruncated());
  CHECK(keysOf(result) == std::vector<std::string>({"list/a.txt", "list/b/c.txt", "list/d.txt"}));
  CHECK_INTEQ(result.CommonPrefixes().size(), 0);
  CHECK_INTEQ(result.RequestId().size(), 24);
  const ObjectSummary &d = result.ObjectSummarys().at(2);
  CHECK_INTEQ(d.Size(), 11);
  CHECK_STREQ(d.ETag(), "5EB63BBBE01EEED093CB22BB8F5ACDC3");
  CHECK_STREQ(d.StorageClass(), "Standard");
  CHECK_STREQ(d.Type(), "Normal");
  CHECK(!d.LastModified().empty());
  CHECK(!d.Owner().Id().empty());

  CHECK_INTEQ(client().ListObjects(services.bucket).result().ObjectSummarys().size(), 4);
}

static void a_delimiter_rolls_up_common_prefixes_and_max_keys_pages() {
  ListObjectsRequest request(services.bucket);
  request.setPrefix("list/");
  request.setDelimiter("/");
  ListObjectOutcome rolled = client().ListObjects(request);
  CHECK_SUCCESS(rolled);
  CHECK(keysOf(rolled.result()) == std::vector<std::string>({"list/a.txt", "list/d.txt"}));
  CHECK(rolled.result().CommonPrefixes() == CommonPrefixeList({"list/b/"}));
  CHECK_STREQ(rolled.result().Delimiter(), "/");

  ListObjectsRequest page(services.bucket);
  page.setPrefix("list/");
  page.setMaxKeys(2);
  ListObjectOutcome first = client().ListObjects(page);
  CHECK_SUCCESS(first);
  CHECK(first.result().IsTruncated());
  CHECK_INTEQ(first.result().MaxKeys(), 2);
  CHECK_STREQ(first.result().NextMarker(), "list/b/c.txt");
  page.setMarker(first.result().NextMarker());
  ListObjectOutcome second = client().ListObjects(page);
  CHECK(keysOf(second.result()) == std::vector<std::string>({"list/d.txt"}));
  CHECK_STREQ(second.result().Marker(), "list/b/c.txt");
  CHECK(!second.result().IsTruncated());
}

static void url_encoding_comes_back_decoded() {
  put(services.bucket, "enc/a b+c.txt", "1");
  ListObjectsRequest request(services.bucket);
  request.setPrefix("enc/");
  request.setEncodingType("url");
  ListObjectOutcome outcome = client().ListObjects(request);
  CHECK_SUCCESS(outcome);
  CHECK_STREQ(outcome.result().EncodingType(), "url");
  CHECK_STREQ(outcome.result().Prefix(), "enc/");
  CHECK(keysOf(outcome.result()) == std::vector<std::string>({"enc/a b+c.txt"}));
}

static void delete_objects_lists_the_deleted_keys_unless_quiet() {
  DeletedKeyList keys;
  keys.push_back("list/a.txt");
  keys.push_back("list/b/c.txt");
  keys.push_back("list/never-existed.txt");
  DeleteObjecstOutcome outcome = client().DeleteObjects(services.bucket, keys);
  CHECK_SUCCESS(outcome);
  CHECK(!outcome.result().Quiet());
  CHECK(outcome.result().keyList() == keys);
  CHECK_INTEQ(outcome.result().RequestId().size(), 24);
  CHECK(!client().DoesObjectExist(services.bucket, "list/a.txt"));

  DeleteObjectsRequest quiet(services.bucket);
  quiet.addKey("list/d.txt");
  quiet.addKey("enc/a b+c.txt");
  quiet.setQuiet(true);
  DeleteObjecstOutcome silent = client().DeleteObjects(quiet);
  CHECK_SUCCESS(silent);
  CHECK(silent.result().Quiet());
  CHECK_INTEQ(silent.result().keyList().size(), 0);
  CHECK(keysOf(client().ListObjects(services.bucket).result()) == std::vector<std::string>({"other.txt"}));

  // Keys that XML must escape, listed back URL-encoded by OSS and decoded here.
  const std::string odd = "del/a&b <c> \"d\" 'e'.txt";
  put(services.bucket, odd, "odd");
  DeleteObjectsRequest encoded(services.bucket);
  encoded.setEncodingType("url");
  encoded.addKey(odd);
  DeleteObjecstOutcome decoded = client().DeleteObjects(encoded);
  CHECK_SUCCESS(decoded);
  CHECK(decoded.result().keyList() == DeletedKeyList({odd}));
  CHECK(!client().DoesObjectExist(services.bucket, odd));

  DeleteObjecstOutcome nowhere = client().DeleteObjects("no-such-bucket-here", keys);
  CHECK_STREQ(nowhere.error().Code(), "NoSuchBucket");
}

static void buckets_are_created_refused_while_not_empty_and_deleted() {
  const std::string bucket = "ossffi-cpp-made-bucket";
  CreateBucketOutcome created = client().CreateBucket(bucket, StorageClass::IA, CannedAccessControlList::Private);
  CHECK_SUCCESS(created);
  CHECK_STREQ(created.result().Name(), "");
  CHECK_INTEQ(client().ListObjects(bucket).result().ObjectSummarys().size(), 0);

  CreateBucketRequest request("ossffi-cpp-second-bucket");
  request.setDataRedundancyType(DataRedundancyType::LRS);
  CHECK_SUCCESS(client().CreateBucket(request));
  CHECK_SUCCESS(client().DeleteBucket(DeleteBucketRequest("ossffi-cpp-second-bucket")));

  put(bucket, "inside.txt", "still here");
  VoidOutcome refused = client().DeleteBucket(bucket);
  CHECK(!refused.isSuccess());
  CHECK_STREQ(refused.error().Code(), "BucketNotEmpty");
  CHECK_INTEQ(refused.error().RequestId().size(), 24);

  CHECK_SUCCESS(client().DeleteObject(bucket, "inside.txt"));
  VoidOutcome deleted = client().DeleteBucket(bucket);
  CHECK_SUCCESS(deleted);
  CHECK_INTEQ(deleted.result().RequestId().size(), 24);

  ListObjectOutcome gone = client().ListObjects(bucket);
  CHECK(!gone.isSuccess());
  CHECK_STREQ(gone.error().Code(), "NoSuchBucket");
  CHECK_STREQ(client().DeleteBucket(bucket).error().Code(), "NoSuchBucket");
  CHECK_STREQ(client().CreateBucket("Bad_Bucket").error().Code(), "ValidateError");
}

int main() {
  list_objects_lists_a_prefix_with_each_objects_summary();
  a_delimiter_rolls_up_common_prefixes_and_max_keys_pages();
  url_encoding_comes_back_decoded();
  delete_objects_lists_the_deleted_keys_unless_quiet();
  buckets_are_created_refused_while_not_empty_and_deleted();
  return finish();
}
