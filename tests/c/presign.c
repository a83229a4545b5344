/* Presigned URLs through the C API: made with no client (a pure computation) and byte-equal to
 * the shared vectors and the C++ SDK's verified output, made with a client against the emulator
 * the Rust harness announces (OSSFFI_TEST_*), and refused arguments. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "ossffi.h"

static const char *env(const char *name) {
  const char *value = getenv(name);
  if (value == NULL) {
    fprintf(stderr, "%s is not set: run this program through `cargo test --test c_api`\n", name);
    exit(2);
  }
  return value;
}

static ossffi_presign_request *presign_request(const char *bucket, const char *key) {
  ossffi_presign_request *request = NULL;
  CHECK_RESULT(ossffi_presign_request_new(bucket, key, &request), OSSFFI_RESULT_OK);
  return request;
}

static ossffi_client_config *config_for(uint32_t version, const char *region) {
  ossffi_client_config *config = ossffi_client_config_new();
  CHECK_RESULT(ossffi_client_config_set_signature_version(config, version), OSSFFI_RESULT_OK);
  if (region != NULL) CHECK_RESULT(ossffi_client_config_set_region(config, region), OSSFFI_RESULT_OK);
  return config;
}

/* presign_v4.json#p4-get-sts: V4 query signature with an STS token, as alibabacloud-oss-v2
 * writes it (parameters in signing order, `/` kept in the path), signed at 2024-03-17T10:00:00Z
 * and expiring at 10:30:00Z. */
static void v4_vector_with_sts_token(void) {
  ossffi_presign_request *request = presign_request("vec-shared-bkt", "secure/data.bin");
  CHECK_RESULT(ossffi_presign_request_set_signing_time(request, 1710669600), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_presign_request_set_expires(request, 1710671400), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_presign_request_set_sorted_query(request, 0), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_presign_request_set_unencoded_slash(request, 1), OSSFFI_RESULT_OK);
  ossffi_client_config *config = config_for(OSSFFI_SIGNATURE_VERSION_V4, "cn-hangzhou");
  char *url = NULL;
  ossffi_error *err = NULL;
  CHECK_RESULT(ossffi_presign_url("https://oss-cn-hangzhou.aliyuncs.com", "STS.NVecSharedStsAk0002",
                                  "VecSharedStsSecret0002mnopqrST", "CAIS+VecShared/Token0002==Zx9/aB+cD", config,
                                  request, &url, &err),
               OSSFFI_RESULT_OK);
  CHECK(err == NULL);
  CHECK_STR(url,
            "https://vec-shared-bkt.oss-cn-hangzhou.aliyuncs.com/secure/data.bin"
            "?x-oss-signature-version=OSS4-HMAC-SHA256&x-oss-date=20240317T100000Z&x-oss-expires=1800"
            "&x-oss-credential=STS.NVecSharedStsAk0002%2F20240317%2Fcn-hangzhou%2Foss%2Faliyun_v4_request"
            "&x-oss-security-token=CAIS%2BVecShared%2FToken0002%3D%3DZx9%2FaB%2BcD"
            "&x-oss-signature=79184ee183c3e09d895a021585816ce6aeeef74bcf97ef5f45c4a6f79f1ae8e9");
  ossffi_string_free(url);
  ossffi_client_config_free(config);
  ossffi_presign_request_free(request);
}

/* sign_v1.json#v1-presign-put-sts: V1 presigned PUT with an STS token and a signed Content-Type,
 * as oss2 writes it (parameters in signing order, `/` written %2F). */
static void v1_vector_put_with_content_type(void) {
  ossffi_presign_request *request = presign_request("vec-shared-v1", "v1/upload target.txt");
  CHECK_RESULT(ossffi_presign_request_set_method(request, "PUT"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_presign_request_set_expires(request, 1710551523), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_presign_request_set_header(request, "Content-Type", "text/plain"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_presign_request_set_sorted_query(request, 0), OSSFFI_RESULT_OK);
  ossffi_client_config *config = config_for(OSSFFI_SIGNATURE_VERSION_V1, NULL);
  char *url = NULL;
  CHECK_RESULT(ossffi_presign_url("https://oss-cn-beijing.aliyuncs.com", "STS.NVecSharedStsAk0002",
                                  "VecSharedStsSecret0002mnopqrST", "CAIS+VecShared/Token0002==Zx9/aB+cD", config,
                                  request, &url, NULL),
               OSSFFI_RESULT_OK);
  CHECK_STR(url,
            "https://vec-shared-v1.oss-cn-beijing.aliyuncs.com/v1%2Fupload%20target.txt"
            "?security-token=CAIS%2BVecShared%2FToken0002%3D%3DZx9%2FaB%2BcD&OSSAccessKeyId=STS.NVecSharedStsAk0002"
            "&Expires=1710551523&Signature=DPmJ9sYZ%2Bl9k4CR290A0Z9MDY%2Bg%3D");
  ossffi_string_free(url);
  ossffi_client_config_free(config);
  ossffi_presign_request_free(request);
}

/* cpp-sdk-surface-2.md 4.3: the C++ SDK's V1 PUT with a callback parameter (sorted parameters,
 * the default). */
static void cpp_sdk_v1_callback_url(void) {
  ossffi_presign_request *request = presign_request("my-bucket", "k");
  CHECK_RESULT(ossffi_presign_request_set_method(request, "put"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_presign_request_set_expires(request, 1700000000), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_presign_request_set_callback(request, "eyJjYWxsYmFja1VybCI6Imh0dHA6Ly9leGFtcGxlLmNvbSJ9", NULL),
               OSSFFI_RESULT_OK);
  ossffi_client_config *config = config_for(OSSFFI_SIGNATURE_VERSION_V1, NULL);
  char *url = NULL;
  CHECK_RESULT(ossffi_presign_url("oss-cn-hangzhou.aliyuncs.com", "AKIDEXAMPLE", "SECRETEXAMPLE", NULL, config, request,
                                  &url, NULL),
               OSSFFI_RESULT_OK);
  CHECK_STR(url,
            "http://my-bucket.oss-cn-hangzhou.aliyuncs.com/k?Expires=1700000000&OSSAccessKeyId=AKIDEXAMPLE"
            "&Signature=deBy5ihzucHEzsQmtI1NKd5tlLM%3D&callback=eyJjYWxsYmFja1VybCI6Imh0dHA6Ly9leGFtcGxlLmNvbSJ9");
  ossffi_string_free(url);
  ossffi_client_config_free(config);
  ossffi_presign_request_free(request);
}

/* A client's URL uses its endpoint (an IP, so path style), region and credentials; no request
 * is sent. */
static void with_a_client(void) {
  ossffi_client_config *config = config_for(OSSFFI_SIGNATURE_VERSION_V4, env("OSSFFI_TEST_REGION"));
  ossffi_client *client = NULL;
  CHECK_RESULT(ossffi_client_new(env("OSSFFI_TEST_ENDPOINT"), env("OSS_ACCESS_KEY_ID"), env("OSS_ACCESS_KEY_SECRET"),
                                 NULL, config, &client, NULL),
               OSSFFI_RESULT_OK);
  ossffi_presign_request *request = presign_request(env("OSSFFI_TEST_BUCKET"), "dir/a b.txt");
  char *url = NULL;
  CHECK_RESULT(ossffi_client_presign_url(client, request, &url, NULL), OSSFFI_RESULT_OK);
  char prefix[512];
  snprintf(prefix, sizeof prefix, "%s/%s/dir%%2Fa%%20b.txt?x-oss-credential=%s%%2F", env("OSSFFI_TEST_ENDPOINT"),
           env("OSSFFI_TEST_BUCKET"), env("OSS_ACCESS_KEY_ID"));
  CHECK(url != NULL && strncmp(url, prefix, strlen(prefix)) == 0);
  CHECK(url != NULL && strstr(url, "&x-oss-expires=900&x-oss-signature=") != NULL);
  if (url != NULL && strncmp(url, prefix, strlen(prefix)) != 0) fprintf(stderr, "got %s\nwanted %s...\n", url, prefix);
  ossffi_string_free(url);
  ossffi_presign_request_free(request);
  ossffi_client_free(client);
  ossffi_client_config_free(config);
}

static void expect_failure(const char *endpoint, const ossffi_client_config *config,
                           const ossffi_presign_request *request, ossffi_result result, const char *code,
                           const char *message) {
  char *url = (char *)&url; /* a sentinel the failure must clear */
  ossffi_error *err = NULL;
  CHECK_RESULT(ossffi_presign_url(endpoint, "ak", "sk", "", config, request, &url, &err), result);
  CHECK(url == NULL);
  CHECK(err != NULL);
  if (err == NULL) return;
  CHECK(ossffi_error_result(err) == result);
  CHECK_STR(ossffi_error_code(err), code);
  if (message != NULL) CHECK_STR(ossffi_error_message(err), message);
  ossffi_error_free(err);
}

static void invalid_arguments(void) {
  ossffi_client_config *v1 = config_for(OSSFFI_SIGNATURE_VERSION_V1, NULL);
  const char *bad[][2] = {{"Bad_Bucket", "k"}, {"my-bucket", ""}, {"my-bucket", "?abc"}};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    ossffi_presign_request *request = presign_request(bad[i][0], bad[i][1]);
    expect_failure("oss-cn-hangzhou.aliyuncs.com", v1, request, OSSFFI_RESULT_VALIDATE_ERROR, "ValidateError",
                   "The Bucket or Key is invalid.");
    ossffi_presign_request_free(request);
  }

  ossffi_presign_request *request = presign_request("my-bucket", "?123");
  CHECK_RESULT(ossffi_presign_request_set_verify_object_strict(request, 0), OSSFFI_RESULT_OK);
  char *url = NULL;
  CHECK_RESULT(ossffi_presign_url("oss-cn-hangzhou.aliyuncs.com", "ak", "sk", NULL, v1, request, &url, NULL),
               OSSFFI_RESULT_OK);
  CHECK(url != NULL && strncmp(url, "http://my-bucket.oss-cn-hangzhou.aliyuncs.com/%3F123?Expires=", 61) == 0);
  ossffi_string_free(url);

  /* V4 (the default configuration) needs a region. */
  expect_failure("oss-cn-hangzhou.aliyuncs.com", NULL, request, OSSFFI_RESULT_INVALID_CONFIG, "ValidateError", NULL);
  expect_failure("http://bad host", v1, request, OSSFFI_RESULT_VALIDATE_ERROR, "ValidateError", NULL);
  CHECK_RESULT(ossffi_presign_request_set_method(request, "GET /"), OSSFFI_RESULT_OK);
  expect_failure("oss-cn-hangzhou.aliyuncs.com", v1, request, OSSFFI_RESULT_INVALID_ARGUMENT, "InvalidArgument", NULL);

  const char bad_utf8[] = {'k', (char)0xff, 0};
  ossffi_presign_request *out = (ossffi_presign_request *)&out;
  CHECK_RESULT(ossffi_presign_request_new("my-bucket", bad_utf8, &out), OSSFFI_RESULT_INVALID_UTF8);
  CHECK(out == NULL);
  CHECK_RESULT(ossffi_presign_request_set_parameter(request, bad_utf8, "v"), OSSFFI_RESULT_INVALID_UTF8);
  ossffi_presign_request_free(request);
  ossffi_client_config_free(v1);
}

int main(void) {
  v4_vector_with_sts_token();
  v1_vector_put_with_content_type();
  cpp_sdk_v1_callback_url();
  with_a_client();
  invalid_arguments();
  return finish();
}
