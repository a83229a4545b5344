/* PutObjectByUrl and GetObjectByUrl through the C API, against the emulator the Rust harness
 * announces (OSSFFI_TEST_*): a URL presigned with an upload callback takes a body from memory
 * and from a file and returns the callback server's reply; GET URLs fill memory, a file and a
 * write callback; bad callbacks, an expired URL and misapplied requests give their errors. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

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

static ossffi_client *signer;   /* signs the URLs */
static ossffi_client *uploader; /* uses them, with credentials that could sign nothing */

static ossffi_client *client_with(const char *id, const char *secret) {
  ossffi_client_config *config = ossffi_client_config_new();
  CHECK_RESULT(ossffi_client_config_set_signature_version(config, OSSFFI_SIGNATURE_VERSION_V4), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_client_config_set_region(config, env("OSSFFI_TEST_REGION")), OSSFFI_RESULT_OK);
  ossffi_client *client = NULL;
  CHECK_RESULT(ossffi_client_new(env("OSSFFI_TEST_ENDPOINT"), id, secret, NULL, config, &client, NULL),
               OSSFFI_RESULT_OK);
  ossffi_client_config_free(config);
  return client;
}

/* A URL for `method` on `key` (valid for 15 minutes, or signed an hour ago for one minute when
 * `expired`), with the callback `callback` (NULL for none) and Content-Type `content_type` (NULL
 * for none) signed in. */
static char *presign(const char *method, const char *key, int expired, const char *callback,
                     const char *content_type) {
  ossffi_presign_request *request = NULL;
  CHECK_RESULT(ossffi_presign_request_new(env("OSSFFI_TEST_BUCKET"), key, &request), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_presign_request_set_method(request, method), OSSFFI_RESULT_OK);
  if (expired) {
    int64_t signed_at = (int64_t)time(NULL) - 3600;
    CHECK_RESULT(ossffi_presign_request_set_signing_time(request, signed_at), OSSFFI_RESULT_OK);
    CHECK_RESULT(ossffi_presign_request_set_expires(request, signed_at + 60), OSSFFI_RESULT_OK);
  }
  if (callback != NULL) {
    CHECK_RESULT(ossffi_presign_request_set_callback(request, callback, "eyJ4OndobyI6ImMifQ=="), OSSFFI_RESULT_OK);
  }
  if (content_type != NULL) {
    CHECK_RESULT(ossffi_presign_request_set_header(request, "Content-Type", content_type), OSSFFI_RESULT_OK);
  }
  char *url = NULL;
  CHECK_RESULT(ossffi_client_presign_url(signer, request, &url, NULL), OSSFFI_RESULT_OK);
  ossffi_presign_request_free(request);
  return url;
}

static char *callback_to(const char *url) {
  ossffi_callback_builder *builder = ossffi_callback_builder_new();
  CHECK_RESULT(ossffi_callback_builder_set_url(builder, url), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_callback_builder_set_body(builder, "object=${object}&size=${size}&who=${x:who}"),
               OSSFFI_RESULT_OK);
  char *callback = NULL;
  CHECK_RESULT(ossffi_callback_builder_build(builder, &callback), OSSFFI_RESULT_OK);
  ossffi_callback_builder_free(builder);
  return callback;
}

static int body_is(const ossffi_response *response, const char *expected, size_t len) {
  size_t got = 0;
  const uint8_t *data = ossffi_response_body(response, &got);
  return got == len && (len == 0 || (data != NULL && memcmp(data, expected, len) == 0));
}

static void put_with_callback_then_get(void) {
  static const char data[] = "uploaded through a presigned URL from C";
  char *callback = callback_to(env("OSSFFI_TEST_CALLBACK_URL"));
  char *url = presign("PUT", "c/by-url.txt", 0, callback, "text/plain");
  ossffi_request *request = NULL;
  CHECK_RESULT(ossffi_request_new_url(url, &request), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_set_header(request, "Content-Type", "text/plain"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_set_body_buffer(request, (const uint8_t *)data, sizeof data - 1), OSSFFI_RESULT_OK);
  ossffi_response *response = NULL;
  ossffi_error *err = NULL;
  CHECK_RESULT(ossffi_client_put_object_by_url(uploader, request, &response, &err), OSSFFI_RESULT_OK);
  if (err != NULL) fprintf(stderr, "PutObjectByUrl: %s: %s\n", ossffi_error_code(err), ossffi_error_message(err));
  static const char reply[] = "{\"Status\":\"OK\",\"object\":\"c/by-url.txt\"}";
  CHECK(response != NULL && body_is(response, reply, sizeof reply - 1));
  CHECK(response != NULL && strlen(ossffi_response_field(response, "ETag")) == 32);
  CHECK(response != NULL && strcmp(ossffi_response_field(response, "CRC64"), "0") != 0);
  char etag[64] = "";
  if (response != NULL) snprintf(etag, sizeof etag, "%s", ossffi_response_field(response, "ETag"));
  ossffi_response_free(response);
  ossffi_error_free(err);
  ossffi_request_free(request);
  ossffi_string_free(url);

  /* The same URL again, the body from a file. */
  char path[] = "/tmp/ossffi-by-url-XXXXXX";
  int fd = mkstemp(path);
  CHECK(fd >= 0 && write(fd, data, sizeof data - 1) == (ssize_t)(sizeof data - 1));
  close(fd);
  url = presign("PUT", "c/by-url-file.txt", 0, NULL, NULL);
  CHECK_RESULT(ossffi_request_new_url(url, &request), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_set_body_file(request, path), OSSFFI_RESULT_OK);
  response = NULL;
  CHECK_RESULT(ossffi_client_put_object_by_url(uploader, request, &response, NULL), OSSFFI_RESULT_OK);
  CHECK(response != NULL && body_is(response, "", 0));
  CHECK(response != NULL && strcmp(ossffi_response_field(response, "ETag"), etag) == 0);
  ossffi_response_free(response);
  ossffi_request_free(request);
  ossffi_string_free(url);

  /* GET: into memory, then over the file. */
  url = presign("GET", "c/by-url.txt", 0, NULL, NULL);
  CHECK_RESULT(ossffi_request_new_url(url, &request), OSSFFI_RESULT_OK);
  response = NULL;
  CHECK_RESULT(ossffi_client_get_object_by_url(uploader, request, &response, NULL), OSSFFI_RESULT_OK);
  CHECK(response != NULL && body_is(response, data, sizeof data - 1));
  CHECK(response != NULL && strcmp(ossffi_response_field(response, "ETag"), etag) == 0);
  CHECK(response != NULL && strcmp(ossffi_response_field(response, "ContentType"), "text/plain") == 0);
  ossffi_response_free(response);
  CHECK_RESULT(ossffi_request_set_range(request, 0, 7, 0), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_set_output_file(request, path), OSSFFI_RESULT_OK);
  response = NULL;
  CHECK_RESULT(ossffi_client_get_object_by_url(uploader, request, &response, NULL), OSSFFI_RESULT_OK);
  ossffi_response_free(response);
  char got[64] = "";
  FILE *file = fopen(path, "rb");
  size_t n = file != NULL ? fread(got, 1, sizeof got - 1, file) : 0;
  if (file != NULL) fclose(file);
  CHECK(n == 8 && memcmp(got, "uploaded", 8) == 0);
  unlink(path);
  ossffi_request_free(request);
  ossffi_string_free(url);
  ossffi_string_free(callback);
}

static void expect_error(const char *url, const char *code, uint32_t stored) {
  ossffi_request *request = NULL;
  CHECK_RESULT(ossffi_request_new_url(url, &request), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_set_body_buffer(request, (const uint8_t *)"x", 1), OSSFFI_RESULT_OK);
  ossffi_response *response = (ossffi_response *)1;
  ossffi_error *err = NULL;
  ossffi_result rc = ossffi_client_put_object_by_url(uploader, request, &response, &err);
  CHECK(rc != OSSFFI_RESULT_OK && response == NULL && err != NULL);
  if (err != NULL) {
    CHECK_STR(ossffi_error_code(err), code);
    CHECK(ossffi_error_object_stored(err) == stored);
    CHECK(strlen(ossffi_error_request_id(err)) > 0 || strncmp(code, "ClientError", 11) == 0);
  }
  ossffi_error_free(err);
  ossffi_request_free(request);
}

static void failures(void) {
  char *url = presign("PUT", "c/not-base64", 0, "error argument", NULL);
  expect_error(url, "InvalidArgument", OSSFFI_OBJECT_STORED_NO);
  ossffi_string_free(url);

  char *dead = callback_to(env("OSSFFI_TEST_DEAD_CALLBACK_URL"));
  url = presign("PUT", "c/dead-receiver", 0, dead, NULL);
  expect_error(url, "CallbackFailed", OSSFFI_OBJECT_STORED_YES);
  ossffi_string_free(url);
  ossffi_string_free(dead);

  url = presign("PUT", "c/expired", 1, NULL, NULL);
  expect_error(url, "AccessDenied", OSSFFI_OBJECT_STORED_NO);
  ossffi_string_free(url);

  expect_error("not a url", "ClientError:200003", OSSFFI_OBJECT_STORED_NO);
}

static void misapplied_requests(void) {
  ossffi_request *by_url = NULL;
  CHECK_RESULT(ossffi_request_new_url("http://127.0.0.1:1/k?Expires=1", &by_url), OSSFFI_RESULT_OK);
  ossffi_response *response = NULL;
  ossffi_error *err = NULL;
  CHECK_RESULT(ossffi_client_get_object(uploader, by_url, &response, &err), OSSFFI_RESULT_INVALID_ARGUMENT);
  CHECK(err != NULL && strstr(ossffi_error_message(err), "only PutObjectByUrl and GetObjectByUrl") != NULL);
  ossffi_error_free(err);
  CHECK_RESULT(ossffi_request_set_parameter(by_url, "versionId", "v"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_client_get_object_by_url(uploader, by_url, &response, NULL), OSSFFI_RESULT_INVALID_ARGUMENT);
  ossffi_request_free(by_url);

  ossffi_request *by_key = NULL;
  CHECK_RESULT(ossffi_request_new(env("OSSFFI_TEST_BUCKET"), "k", &by_key), OSSFFI_RESULT_OK);
  err = NULL;
  CHECK_RESULT(ossffi_client_put_object_by_url(uploader, by_key, &response, &err), OSSFFI_RESULT_INVALID_ARGUMENT);
  CHECK(err != NULL && strstr(ossffi_error_message(err), "needs a presigned URL") != NULL);
  ossffi_error_free(err);
  ossffi_request_free(by_key);

  static const unsigned char bad_utf8[] = {'h', 't', 't', 'p', 0xff, 0};
  ossffi_request *request = (ossffi_request *)1;
  CHECK_RESULT(ossffi_request_new_url((const char *)bad_utf8, &request), OSSFFI_RESULT_INVALID_UTF8);
  CHECK(request == NULL);
}

/* A reply that arrived some other way (a presigned PUT sent by a browser), read as the SDK does. */
static void replies_read_as_the_sdk_reads_them(void) {
  static const char failed[] =
      "invlid data<?xml version=\"1.0\"?>\n<Error><Code>CallbackFailed</Code><RequestId>R1</RequestId></Error>";
  ossffi_error *err = NULL;
  CHECK_RESULT(ossffi_error_from_reply(203, (const uint8_t *)failed, sizeof failed - 1, &err), OSSFFI_RESULT_OK);
  CHECK_STR(ossffi_error_code(err), "ParseXMLError:13");
  CHECK(strncmp(ossffi_error_message(err), "XML_ERROR_PARSING_DECLARATION", 29) == 0);
  CHECK(ossffi_error_object_stored(err) == OSSFFI_OBJECT_STORED_YES);
  CHECK(ossffi_error_http_status(err) == 203);
  ossffi_error_free(err);
  const char *xml = strstr(failed, "<Error>");
  CHECK_RESULT(ossffi_error_from_reply(203, (const uint8_t *)xml, strlen(xml), &err), OSSFFI_RESULT_OK);
  CHECK_STR(ossffi_error_code(err), "CallbackFailed");
  CHECK_STR(ossffi_error_request_id(err), "R1");
  ossffi_error_free(err);
  CHECK_RESULT(ossffi_error_from_reply(404, NULL, 0, &err), OSSFFI_RESULT_OK);
  CHECK_STR(ossffi_error_code(err), "ServerError:404");
  CHECK(ossffi_error_object_stored(err) == OSSFFI_OBJECT_STORED_NO);
  ossffi_error_free(err);
  err = (ossffi_error *)1;
  CHECK_RESULT(ossffi_error_from_reply(600, NULL, 0, &err), OSSFFI_RESULT_INVALID_ARGUMENT);
  CHECK(err == NULL);
}

int main(void) {
  signer = client_with(env("OSS_ACCESS_KEY_ID"), env("OSS_ACCESS_KEY_SECRET"));
  uploader = client_with("unused", "unused");
  put_with_callback_then_get();
  failures();
  misapplied_requests();
  replies_read_as_the_sdk_reads_them();
  ossffi_client_free(uploader);
  ossffi_client_free(signer);
  return finish();
}
