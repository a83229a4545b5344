// The SDK's value types without the network: ObjectMetaData, PutObjectRequest's setters,
// Outcome, PutObjectResult, OssError, ClientConfiguration's defaults, credentials providers,
// and the SDK lifecycle and logging functions.
#include <cstdlib>
#include <string>
#include <vector>

#include "sdk_support.h"

using namespace AlibabaCloud::OSS;

static void metadata_headers_are_case_insensitive_and_keep_the_first_spelling() {
  ObjectMetaData meta;
  meta.addHeader("x-oss-Callback", "first");
  meta.addHeader("X-OSS-CALLBACK", "second");
  CHECK_INTEQ(meta.HttpMetaData().size(), 1);
  CHECK_STREQ(meta.HttpMetaData().begin()->first, "x-oss-Callback");
  CHECK_STREQ(meta.HttpMetaData().begin()->second, "second");
  CHECK(meta.hasHeader("x-oss-callback"));
  meta.removeHeader("X-Oss-Callback");
  CHECK(!meta.hasHeader("x-oss-callback"));
}

static void metadata_typed_getters_and_setters() {
  ObjectMetaData meta;
  CHECK_INTEQ(meta.ContentLength(), -1);
  CHECK(meta.CRC64() == 0);
  CHECK_STREQ(meta.ContentType(), "");
  meta.setContentType("text/plain");
  meta.setContentLength(42);
  meta.setCacheControl("no-cache");
  meta.setContentDisposition("attachment");
  meta.setContentEncoding("identity");
  meta.setExpirationTime("Wed, 21 Oct 2015 07:28:00 GMT");
  meta.setContentMd5("XUFAKrxLKna5cZ2REBfFkg==");
  meta.setETag("ABC");
  meta.setCrc64(18446744073709551615ULL);
  CHECK_STREQ(meta.ContentType(), "text/plain");
  CHECK_INTEQ(meta.ContentLength(), 42);
  CHECK_STREQ(meta.CacheControl(), "no-cache");
  CHECK_STREQ(meta.ContentDisposition(), "attachment");
  CHECK_STREQ(meta.ContentEncoding(), "identity");
  CHECK_STREQ(meta.ExpirationTime(), "Wed, 21 Oct 2015 07:28:00 GMT");
  CHECK_STREQ(meta.ContentMd5(), "XUFAKrxLKna5cZ2REBfFkg==");
  CHECK_STREQ(meta.ETag(), "ABC");
  CHECK(meta.CRC64() == 18446744073709551615ULL);
  CHECK_STREQ(meta.HttpMetaData().at("content-type"), "text/plain");
}

static void metadata_user_entries_are_sent_with_the_meta_prefix() {
  ObjectMetaData meta;
  meta.addUserHeader("Author", "alice");
  CHECK(meta.hasUserHeader("author"));
  CHECK_STREQ(meta.toHeaderCollection().at("x-oss-meta-Author"), "alice");
  meta.removeUserHeader("AUTHOR");
  CHECK(meta.UserMetaData().empty());
}

static void metadata_from_response_headers_splits_user_metadata() {
  HeaderCollection headers;
  headers["ETag"] = "\"5EB63BBBE01EEED093CB22BB8F5ACDC3\"";
  headers["x-oss-meta-author"] = "alice";
  headers["X-Oss-Meta-Case"] = "stays an HTTP header, as in the SDK";
  headers["x-oss-hash-crc64ecma"] = "12345";
  ObjectMetaData meta(headers);
  CHECK_STREQ(meta.ETag(), "5EB63BBBE01EEED093CB22BB8F5ACDC3");
  CHECK_STREQ(meta.UserMetaData().at("author"), "alice");
  CHECK(meta.hasHeader("X-Oss-Meta-Case"));
  CHECK(meta.CRC64() == 12345);
}

static void request_setters_write_headers_like_the_sdk() {
  PutObjectRequest request("examplebucket", "dir/key.txt", sdktest::stream("x"));
  request.setCacheControl("no-cache");
  request.setContentDisposition("inline");
  request.setContentEncoding("gzip");
  request.setContentMd5("md5==");
  request.setExpires("never");
  request.setTrafficLimit(819200);
  request.setTagging("a=1&b=2");
  const MetaData &h = request.MetaData().HttpMetaData();
  CHECK_STREQ(h.at("Cache-Control"), "no-cache");
  CHECK_STREQ(h.at("Content-Disposition"), "inline");
  CHECK_STREQ(h.at("Content-Encoding"), "gzip");
  CHECK_STREQ(h.at("Content-MD5"), "md5==");
  CHECK_STREQ(h.at("Expires"), "never");
  CHECK_STREQ(h.at("x-oss-traffic-limit"), "819200");
  CHECK_STREQ(h.at("x-oss-tagging"), "a=1&b=2");
  CHECK_STREQ(request.Bucket(), "examplebucket");
  CHECK_STREQ(request.Key(), "dir/key.txt");
  request.setBucket("other-bucket");
  request.setKey("other-key");
  CHECK_STREQ(request.Bucket() + "/" + request.Key(), "other-bucket/other-key");
  request.setFlags(0x40000000);
  CHECK_INTEQ(request.Flags(), 0x40000000);
  request.setVersionId("v1");
  CHECK_STREQ(request.VersionId(), "v1");
  request.setRequestPayer(RequestPayer::Requester);
  CHECK(request.RequestPayer() == RequestPayer::Requester);
}

static void set_callback_replaces_both_headers() {
  PutObjectRequest request("examplebucket", "key", sdktest::stream("x"));
  request.setCallback("cb", "var");
  CHECK(request.MetaData().hasHeader("x-oss-callback"));
  CHECK(request.MetaData().hasHeader("x-oss-callback-var"));
  request.setCallback("", "only-var");  // the SDK sets each non-empty one independently
  CHECK(!request.MetaData().hasHeader("x-oss-callback"));
  CHECK_STREQ(request.MetaData().HttpMetaData().at("x-oss-callback-var"), "only-var");
  request.setCallback("cb2");
  CHECK_STREQ(request.MetaData().HttpMetaData().at("x-oss-callback"), "cb2");
  CHECK(!request.MetaData().hasHeader("x-oss-callback-var"));
}

static void requests_are_values_that_share_their_stream() {
  std::shared_ptr<std::iostream> body = sdktest::stream("shared");
  PutObjectRequest a("examplebucket", "a", body);
  PutObjectRequest b = a;
  b.setKey("b");
  b.MetaData().addHeader("x-oss-callback", "only-b");
  CHECK_STREQ(a.Key(), "a");
  CHECK(!a.MetaData().hasHeader("x-oss-callback"));
  CHECK(a.Body() == b.Body());
}

static void outcome_default_is_a_failure() {
  PutObjectOutcome none;
  CHECK(!none.isSuccess());
  CHECK_STREQ(none.error().Code(), "");
  PutObjectOutcome failed(OssError("ValidateError", "why"));
  CHECK(!failed.isSuccess());
  CHECK_STREQ(failed.error().Message(), "why");
  PutObjectOutcome ok(PutObjectResult("ETAG", 7));
  CHECK(ok.isSuccess());
  CHECK_STREQ(ok.result().ETag(), "ETAG");
  CHECK(ok.result().CRC64() == 7);
  CHECK(ok.result().Content() == nullptr);
}

static void result_from_headers() {
  HeaderCollection headers;
  headers["etag"] = "\"D41D8CD98F00B204E9800998ECF8427E\"";
  headers["X-Oss-Hash-Crc64ecma"] = "0";
  headers["x-oss-request-id"] = "5C06A3B67B8B5A3DA422299D";
  headers["x-oss-version-id"] = "CAEQ";
  PutObjectResult result(headers, sdktest::stream(""));
  CHECK_STREQ(result.ETag(), "D41D8CD98F00B204E9800998ECF8427E");
  CHECK_STREQ(result.RequestId(), "5C06A3B67B8B5A3DA422299D");
  CHECK_STREQ(result.VersionId(), "CAEQ");
  CHECK(result.Content() == nullptr);  // an empty body is no content
  PutObjectResult withBody(headers, sdktest::stream("{\"Status\":\"OK\"}"));
  CHECK_STREQ(sdktest::readAll(withBody.Content()), "{\"Status\":\"OK\"}");
}

static void error_accessors() {
  OssError e("CallbackFailed", "Error status : 502.");
  e.setRequestId("id");
  e.setHost("host");
  CHECK_STREQ(e.Code() + "|" + e.Message() + "|" + e.RequestId() + "|" + e.Host(),
              "CallbackFailed|Error status : 502.|id|host");
  CHECK_INTEQ(e.Status(), 0);
  CHECK(e.ObjectStored() == ossffi::Stored::No);
}

static void configuration_defaults_follow_the_sdk() {
  ClientConfiguration conf;
  CHECK(conf.signatureVersion == SignatureVersionType::V1);
  CHECK_INTEQ(conf.maxConnections, 16);
  CHECK_INTEQ(conf.requestTimeoutMs, 10000);
  CHECK_INTEQ(conf.connectTimeoutMs, 5000);
  CHECK(conf.verifySSL && conf.enableCrc64 && conf.enableDateSkewAdjustment && conf.isVerifyObjectStrict);
  CHECK(!conf.isCname && !conf.isPathStyle);
  CHECK(conf.scheme == Http::HTTP && conf.proxyScheme == Http::HTTP);
  CHECK(conf.proxyHost.empty() && conf.proxyPort == 0);
  CHECK(conf.retryStrategy != nullptr);
  CHECK(conf.sendRateLimiter == nullptr && conf.recvRateLimiter == nullptr);
  CHECK(conf.userAgent.compare(0, 7, "ossffi/") == 0);
  CHECK(conf.retryStrategy->shouldRetry([] {
    Error e("ServiceUnavailable", "");
    e.setStatus(503);
    return e;
  }(), 2));
  CHECK(!conf.retryStrategy->shouldRetry(Error("AccessDenied", ""), 0));
  CHECK_INTEQ(conf.retryStrategy->calcDelayTimeMs(Error(), 2), 1200);
}

static void credentials_providers() {
  Credentials c("id", "secret");
  CHECK_STREQ(c.SessionToken(), "");
  c.setSessionToken("token");
  SimpleCredentialsProvider simple(c);
  CHECK_STREQ(simple.getCredentials().SessionToken(), "token");
  SimpleCredentialsProvider fromStrings("id2", "secret2", "token2");
  CHECK_STREQ(fromStrings.getCredentials().AccessKeyId(), "id2");

  EnvironmentVariableCredentialsProvider env;
  const std::string savedId = sdktest::env("OSS_ACCESS_KEY_ID");
  setenv("OSS_SESSION_TOKEN", "sts", 1);
  CHECK_STREQ(env.getCredentials().AccessKeyId(), savedId);
  CHECK_STREQ(env.getCredentials().SessionToken(), "sts");  // read on every call, no caching
  unsetenv("OSS_SESSION_TOKEN");
  unsetenv("OSS_ACCESS_KEY_ID");
  CHECK_STREQ(env.getCredentials().AccessKeyId(), "");
  CHECK_STREQ(env.getCredentials().AccessKeySecret(), "");
  setenv("OSS_ACCESS_KEY_ID", savedId.c_str(), 1);
}

static std::vector<std::string> logged;
static void remember(LogLevel level, const std::string &message) {
  logged.push_back(std::to_string(static_cast<int>(level)) + ":" + message);
}

static void lifecycle_is_idempotent_and_not_reference_counted() {
  CHECK(!IsSdkInitialized());
  InitializeSdk();
  InitializeSdk();
  CHECK(IsSdkInitialized());
  ShutdownSdk();
  CHECK(!IsSdkInitialized());
  ShutdownSdk();
  CHECK(!IsSdkInitialized());
}

static void log_callback_receives_messages_at_the_level() {
  InitializeSdk();
  SetLogLevel(LogInfo);
  SetLogCallback(&remember);
  ShutdownSdk();  // logs its own shutdown at info level, then silences logging
  CHECK(!logged.empty());
  CHECK(!logged.empty() && logged.back().compare(0, 2, "4:") == 0);
  std::size_t before = logged.size();
  InitializeSdk();  // resets logging: no callback until one is set again
  SetLogLevel(LogAll);
  ShutdownSdk();
  CHECK_INTEQ(logged.size(), before);
  SetLogCallback(nullptr);
}

int main() {
  metadata_headers_are_case_insensitive_and_keep_the_first_spelling();
  metadata_typed_getters_and_setters();
  metadata_user_entries_are_sent_with_the_meta_prefix();
  metadata_from_response_headers_splits_user_metadata();
  request_setters_write_headers_like_the_sdk();
  set_callback_replaces_both_headers();
  requests_are_values_that_share_their_stream();
  outcome_default_is_a_failure();
  result_from_headers();
  error_accessors();
  configuration_defaults_follow_the_sdk();
  credentials_providers();
  lifecycle_is_idempotent_and_not_reference_counted();
  log_callback_receives_messages_at_the_level();
  return finish();
}
