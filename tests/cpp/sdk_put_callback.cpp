// PutObject with upload callbacks through the C++ SDK layer, against the emulator and the
// verifying callback receiver the runner starts: the SDK's callback scenarios
// (ObjectCallbackTest.cc) plus the client's constructors, signatures and validation.
#include <string>

#include "sdk_support.h"

using namespace AlibabaCloud::OSS;

static const sdktest::Services services;
static const std::string kBody = "Thank you for using Aliyun Object Storage Service!";
static const std::string kBodyMd5 = "320F8966555D96A4FCF7484EB6D6C414";

static OssClient client(const ClientConfiguration &conf = ClientConfiguration()) {
  return OssClient(services.endpoint, services.accessKeyId, services.accessKeySecret, conf);
}

static std::string callbackHeader(const std::string &url = services.callbackUrl) {
  return ObjectCallbackBuilder(url, sdktest::formCallbackBody()).build();
}

static std::string varHeader() {
  ObjectCallbackVariableBuilder vars;
  vars.addCallbackVariable("x:var1", "value1");
  vars.addCallbackVariable("x:var2", "value2");
  return vars.build();
}

static void put_with_form_callback_and_variables_returns_the_reply() {
  PutObjectRequest request(services.bucket, "callback/form.txt", sdktest::stream(kBody));
  request.setCallback(callbackHeader(), varHeader());
  PutObjectOutcome outcome = client().PutObject(request);
  CHECK_SUCCESS(outcome);
  CHECK_STREQ(outcome.result().ETag(), kBodyMd5);
  CHECK(outcome.result().CRC64() == sdktest::crc64(kBody));
  CHECK(!outcome.result().RequestId().empty());
  // The receiver verified OSS's signature and names the object it was told about.
  CHECK_STREQ(sdktest::readAll(outcome.result().Content()), "{\"Status\":\"OK\",\"object\":\"callback/form.txt\"}");
}

static void callback_headers_set_through_metadata_work_like_set_callback() {
  // The SDK documentation's way: MetaData().addHeader instead of setCallback.
  PutObjectRequest request(services.bucket, "callback/metadata.txt", sdktest::stream(kBody));
  request.MetaData().addHeader("x-oss-callback", callbackHeader());
  request.MetaData().addHeader("x-oss-callback-var", varHeader());
  PutObjectOutcome outcome = client().PutObject(request);
  CHECK_SUCCESS(outcome);
  CHECK(sdktest::contains(sdktest::readAll(outcome.result().Content()), "\"object\":\"callback/metadata.txt\""));
}

static void put_with_json_callback_body() {
  // Pre-escaped as OSS documents it, and raw (which ossffi escapes; the SDK would break it).
  const char *bodies[] = {"{\\\"bucket\\\":${bucket},\\\"object\\\":${object},\\\"var1\\\":${x:var1}}",
                          "{\"bucket\":${bucket},\"object\":${object},\"var1\":${x:var1}}"};
  for (const char *body : bodies) {
    ObjectCallbackBuilder builder(services.callbackUrl, body, "", ObjectCallbackBuilder::JSON);
    PutObjectRequest request(services.bucket, "callback/json.txt", sdktest::stream(kBody));
    request.setCallback(builder.build(), varHeader());
    PutObjectOutcome outcome = client().PutObject(request);
    CHECK_SUCCESS(outcome);
    CHECK(sdktest::contains(sdktest::readAll(outcome.result().Content()), "\"Status\":\"OK\""));
  }
}

static void put_without_callback_has_no_content() {
  PutObjectOutcome outcome = client().PutObject(services.bucket, "callback/none.txt", sdktest::stream(kBody));
  CHECK_SUCCESS(outcome);
  CHECK(outcome.result().Content() == nullptr);
  CHECK_STREQ(outcome.result().ETag(), kBodyMd5);
}

static void failed_callback_is_callback_failed_with_the_object_stored() {
  PutObjectRequest request(services.bucket, "callback/dead.txt", sdktest::stream(kBody));
  request.setCallback(callbackHeader(services.deadCallbackUrl));
  PutObjectOutcome outcome = client().PutObject(request);
  CHECK(!outcome.isSuccess());
  CHECK_STREQ(outcome.error().Code(), "CallbackFailed");
  CHECK_INTEQ(outcome.error().Status(), 203);
  CHECK(outcome.error().ObjectStored() == ossffi::Stored::Yes);
  CHECK(!outcome.error().RequestId().empty());
  CHECK(!outcome.error().Message().empty());
}

static void response_stream_factory_receives_the_reply() {
  std::shared_ptr<std::iostream> mine = std::make_shared<std::stringstream>();
  PutObjectRequest request(services.bucket, "callback/factory.txt", sdktest::stream(kBody));
  request.setCallback(callbackHeader(), varHeader());
  request.setResponseStreamFactory([mine]() { return mine; });
  PutObjectOutcome outcome = client().PutObject(request);
  CHECK_SUCCESS(outcome);
  CHECK(outcome.result().Content() == mine);
  CHECK(sdktest::contains(sdktest::readAll(mine), "callback/factory.txt"));
}

static void signature_v4_with_set_region() {
  ClientConfiguration conf;
  conf.signatureVersion = SignatureVersionType::V4;
  OssClient v4 = client(conf);
  v4.SetRegion(services.region);
  PutObjectRequest request(services.bucket, "callback/v4.txt", sdktest::stream(kBody));
  request.setCallback(callbackHeader(), varHeader());
  PutObjectOutcome outcome = v4.PutObject(request);
  CHECK_SUCCESS(outcome);
  CHECK(outcome.result().Content() != nullptr);
}

static void signature_v4_without_region_says_what_to_set() {
  ClientConfiguration conf;
  conf.signatureVersion = SignatureVersionType::V4;
  PutObjectOutcome outcome = client(conf).PutObject(services.bucket, "v4/noregion.txt", sdktest::stream(kBody));
  CHECK(!outcome.isSuccess());
  CHECK_STREQ(outcome.error().Code(), "ValidateError");
  CHECK(sdktest::contains(outcome.error().Message(), "SetRegion"));
}

static void every_constructor_uploads() {
  ClientConfiguration conf;
  OssClient a(services.endpoint, services.accessKeyId, services.accessKeySecret, conf);
  OssClient b(services.endpoint, services.accessKeyId, services.accessKeySecret, "", conf);
  OssClient c(services.endpoint, Credentials(services.accessKeyId, services.accessKeySecret), conf);
  OssClient d(services.endpoint,
              std::make_shared<SimpleCredentialsProvider>(services.accessKeyId, services.accessKeySecret), conf);
  OssClient e(services.endpoint, std::make_shared<EnvironmentVariableCredentialsProvider>(), conf);
  for (const OssClient *each : {&a, &b, &c, &d, &e}) {
    CHECK_SUCCESS(each->PutObject(services.bucket, "ctor/object.txt", sdktest::stream(kBody)));
  }
}

static void wrong_secret_is_refused_by_oss() {
  OssClient wrong(services.endpoint, services.accessKeyId, "not-the-secret", ClientConfiguration());
  PutObjectOutcome outcome = wrong.PutObject(services.bucket, "auth/wrong.txt", sdktest::stream(kBody));
  CHECK(!outcome.isSuccess());
  CHECK_STREQ(outcome.error().Code(), "SignatureDoesNotMatch");
  CHECK_INTEQ(outcome.error().Status(), 403);
  CHECK(outcome.error().ObjectStored() == ossffi::Stored::No);
}

static void invalid_endpoint_fails_every_call_with_validate_error() {
  OssClient bad("http://bad host name", services.accessKeyId, services.accessKeySecret, ClientConfiguration());
  bad.SetRegion("cn-hangzhou");  // harmless on a client that could not be made
  for (int i = 0; i < 2; ++i) {
    PutObjectOutcome outcome = bad.PutObject(services.bucket, "key", sdktest::stream(kBody));
    CHECK(!outcome.isSuccess());
    CHECK_STREQ(outcome.error().Code(), "ValidateError");
    CHECK(outcome.error().Message().compare(0, 24, "The endpoint is invalid.") == 0);
  }
}

static void validation_errors_carry_the_sdk_messages() {
  OssClient c = client();
  CHECK_STREQ(c.PutObject("Bad_Bucket", "key", sdktest::stream(kBody)).error().Message(),
              "The bucket name is invalid. A bucket name must  be comprised of lower-case characters, numbers or "
              "dash(-) with 3-63 characters long.");
  CHECK_STREQ(c.PutObject(services.bucket, "", sdktest::stream(kBody)).error().Message(),
              "The object key is invalid. An object name should be between 1-1023 bytes long and cannot begin "
              "with '/' or '\\'");
  CHECK_STREQ(c.PutObject(services.bucket, "key", std::shared_ptr<std::iostream>()).error().Message(),
              "Request body is null.");
  std::shared_ptr<std::iostream> failed = sdktest::stream(kBody);
  failed->setstate(std::ios_base::failbit);
  PutObjectOutcome outcome = c.PutObject(services.bucket, "key", failed);
  CHECK_STREQ(outcome.error().Code(), "ValidateError");
  CHECK_STREQ(outcome.error().Message(), "Request body is in fail state. Logical error on i/o operation.");
  std::shared_ptr<std::iostream> bad = sdktest::stream(kBody);
  bad->setstate(std::ios_base::badbit);
  CHECK_STREQ(c.PutObject(services.bucket, "key", bad).error().Message(),
              "Request body is in bad state. Read/writing error on i/o operation.");
}

static void the_body_stream_is_put_back_and_the_request_can_be_sent_again() {
  std::shared_ptr<std::iostream> body = sdktest::stream(kBody);
  PutObjectRequest request(services.bucket, "again/object.txt", body);
  OssClient c = client();
  PutObjectOutcome first = c.PutObject(request);
  CHECK(body->tellg() == std::streampos(0));
  CHECK(body->good());
  PutObjectOutcome second = c.PutObject(request);
  CHECK_SUCCESS(first);
  CHECK_SUCCESS(second);
  CHECK_STREQ(second.result().ETag(), kBodyMd5);
}

static void a_stream_is_sent_from_its_read_position() {
  std::shared_ptr<std::iostream> body = sdktest::stream("SKIP:" + kBody);
  body->seekg(5);
  PutObjectOutcome outcome = client().PutObject(services.bucket, "position/object.txt", body);
  CHECK_SUCCESS(outcome);
  CHECK_STREQ(outcome.result().ETag(), kBodyMd5);
  CHECK(body->tellg() == std::streampos(5));
}

static void content_length_in_metadata_limits_the_body() {
  ObjectMetaData meta;
  meta.setContentLength(10);
  meta.setContentType("text/plain");
  meta.addUserHeader("author", "alice");
  PutObjectOutcome outcome = client().PutObject(services.bucket, "length/object.txt", sdktest::stream(kBody), meta);
  CHECK_SUCCESS(outcome);
  CHECK(outcome.result().CRC64() == sdktest::crc64(kBody.substr(0, 10)));
}

static void disable_request_stops_new_uploads_until_enabled() {
  OssClient c = client();
  OssClient copy = c;  // copies share the switch, as they share the SDK's impl
  copy.DisableRequest();
  PutObjectOutcome refused = c.PutObject(services.bucket, "disabled.txt", sdktest::stream(kBody));
  CHECK_STREQ(refused.error().Code(), "ClientError:100002");
  CHECK_STREQ(refused.error().Message(), "Disable all requests by upper.");
  c.EnableRequest();
  CHECK_SUCCESS(copy.PutObject(services.bucket, "disabled.txt", sdktest::stream(kBody)));
}

static void configuration_fields_reach_the_client() {
  ClientConfiguration conf;
  conf.userAgent = "my-app/1.0";
  conf.maxConnections = 1;
  conf.connectTimeoutMs = 2000;
  conf.requestTimeoutMs = 3000;
  conf.isPathStyle = true;
  conf.enableCrc64 = false;
  conf.verifySSL = false;
  conf.enableDateSkewAdjustment = false;  // accepted, ignored
  conf.networkInterface = "eth0";         // accepted, ignored
  CHECK_SUCCESS(client(conf).PutObject(services.bucket, "conf/object.txt", sdktest::stream(kBody)));

  ClientConfiguration deadProxy;
  deadProxy.proxyHost = "127.0.0.1";
  deadProxy.proxyPort = 1;  // nothing listens there
  deadProxy.retryStrategy = nullptr;
  PutObjectOutcome unreachable = client(deadProxy).PutObject(services.bucket, "conf/proxy.txt", sdktest::stream(kBody));
  CHECK(!unreachable.isSuccess());
  CHECK(unreachable.error().Code().compare(0, 12, "ClientError:") == 0);
  CHECK(unreachable.error().ObjectStored() == ossffi::Stored::No);

  ClientConfiguration httpsProxy;
  httpsProxy.proxyScheme = Http::HTTPS;
  httpsProxy.proxyHost = "proxy.example";
  PutObjectOutcome refused = client(httpsProxy).PutObject(services.bucket, "conf/proxy.txt", sdktest::stream(kBody));
  CHECK_STREQ(refused.error().Code(), "ValidateError");
  CHECK(sdktest::contains(refused.error().Message(), "proxyScheme"));
}

int main() {
  put_with_form_callback_and_variables_returns_the_reply();
  callback_headers_set_through_metadata_work_like_set_callback();
  put_with_json_callback_body();
  put_without_callback_has_no_content();
  failed_callback_is_callback_failed_with_the_object_stored();
  response_stream_factory_receives_the_reply();
  signature_v4_with_set_region();
  signature_v4_without_region_says_what_to_set();
  every_constructor_uploads();
  wrong_secret_is_refused_by_oss();
  invalid_endpoint_fails_every_call_with_validate_error();
  validation_errors_carry_the_sdk_messages();
  the_body_stream_is_put_back_and_the_request_can_be_sent_again();
  a_stream_is_sent_from_its_read_position();
  content_length_in_metadata_limits_the_body();
  disable_request_stops_new_uploads_until_enabled();
  configuration_fields_reach_the_client();
  return finish();
}
