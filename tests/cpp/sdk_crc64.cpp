// CRC-64 checking of uploads through the C++ SDK layer (ClientConfiguration::enableCrc64).
//
// Without arguments (as tests/c_api.rs runs every program) the emulator is honest: the CRC-64
// OSS reports matches the body. `sdk_crc64 wrong-crc` is run by tests/cpp_sdk.rs with the
// emulator told to falsify x-oss-hash-crc64ecma in its next two replies.
#include <string>

#include "sdk_support.h"

using namespace AlibabaCloud::OSS;

static const sdktest::Services services;
static const std::string kBody = "Thank you for using Aliyun Object Storage Service!";

static OssClient client(bool enableCrc64) {
  ClientConfiguration conf;
  conf.enableCrc64 = enableCrc64;
  return OssClient(services.endpoint, services.accessKeyId, services.accessKeySecret, conf);
}

static void an_honest_crc_passes() {
  PutObjectOutcome outcome = client(true).PutObject(services.bucket, "crc/honest.txt", sdktest::stream(kBody));
  CHECK_SUCCESS(outcome);
  CHECK(outcome.result().CRC64() == sdktest::crc64(kBody));
}

static void a_wrong_crc_is_client_error_100001_with_the_object_stored() {
  PutObjectRequest request(services.bucket, "crc/lied.txt", sdktest::stream(kBody));
  request.setCallback(ObjectCallbackBuilder(services.callbackUrl, sdktest::formCallbackBody()).build());
  PutObjectOutcome outcome = client(true).PutObject(request);
  CHECK(!outcome.isSuccess());
  CHECK_STREQ(outcome.error().Code(), "ClientError:100001");
  const std::string prefix = "Crc64 validation failed. Expected hash:";
  CHECK_STREQ(outcome.error().Message().substr(0, prefix.size()), prefix);
  CHECK(sdktest::contains(outcome.error().Message(),
                          "not equal to calculated hash:" + std::to_string(sdktest::crc64(kBody)) +
                              ". Transferd bytes:" + std::to_string(kBody.size()) + "."));
  CHECK(!outcome.error().RequestId().empty());
  CHECK(outcome.error().ObjectStored() == ossffi::Stored::Yes);
}

static void a_wrong_crc_passes_when_checking_is_off() {
  CHECK_SUCCESS(client(false).PutObject(services.bucket, "crc/unchecked.txt", sdktest::stream(kBody)));
}

int main(int argc, char **argv) {
  if (argc > 1 && std::string(argv[1]) == "wrong-crc") {
    a_wrong_crc_is_client_error_100001_with_the_object_stored();
    a_wrong_crc_passes_when_checking_is_off();
  }
  an_honest_crc_passes();  // in wrong-crc mode, the lies are used up by now
  return finish();
}
