/* PutObject through the C API against the emulator and a verifying callback receiver (their
 * addresses come from the environment the Rust harness sets: OSSFFI_TEST_*). */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdlib.h>
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

static ossffi_client *make_client(const char *secret) {
  ossffi_client_config *config = ossffi_client_config_new();
  ossffi_client_config_set_region(config, env("OSSFFI_TEST_REGION"));
  ossffi_client_config_set_retry_scale_ms(config, 10);
  ossffi_client *client = NULL;
  ossffi_error *err = NULL;
  CHECK_RESULT(ossffi_client_new(env("OSSFFI_TEST_ENDPOINT"), env("OSS_ACCESS_KEY_ID"), secret, NULL, config,
                                 &client, &err),
               OSSFFI_RESULT_OK);
  CHECK(err == NULL);
  ossffi_client_config_free(config);
  return client;
}

static ossffi_put_request *make_request(const char *key) {
  ossffi_put_request *request = NULL;
  CHECK_RESULT(ossffi_put_request_new(env("OSSFFI_TEST_BUCKET"), key, &request), OSSFFI_RESULT_OK);
  return request;
}

static void set_callback(ossffi_put_request *request, const char *url, const char *body, uint32_t type) {
  ossffi_callback_builder *b = ossffi_callback_builder_new();
  ossffi_callback_var_builder *v = ossffi_callback_var_builder_new();
  char *callback = NULL;
  char *vars = NULL;
  CHECK_RESULT(ossffi_callback_builder_set_url(b, url), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_callback_builder_set_body(b, body), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_callback_builder_set_body_type(b, type), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_callback_var_builder_add(v, "x:var1", "value1"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_callback_builder_build(b, &callback), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_callback_var_builder_build(v, &vars), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_put_request_set_callback(request, callback, vars), OSSFFI_RESULT_OK);
  ossffi_string_free(callback);
  ossffi_string_free(vars);
  ossffi_callback_builder_free(b);
  ossffi_callback_var_builder_free(v);
}

static int body_equals(const ossffi_put_result *result, const char *expected) {
  size_t len = 0;
  const uint8_t *body = ossffi_put_result_body(result, &len);
  return body != NULL && len == strlen(expected) && memcmp(body, expected, len) == 0;
}

static void form_callback_reply_comes_back(ossffi_client *client) {
  static const char data[] = "uploaded from C";
  ossffi_put_request *request = make_request("c/form callback.txt");
  CHECK_RESULT(ossffi_put_request_set_body_buffer(request, (const uint8_t *)data, sizeof data - 1), OSSFFI_RESULT_OK);
  set_callback(request, env("OSSFFI_TEST_CALLBACK_URL"),
               "bucket=${bucket}&object=${object}&etag=${etag}&size=${size}&mimeType=${mimeType}&my_var1=${x:var1}",
               OSSFFI_CALLBACK_BODY_TYPE_URL);
  ossffi_put_result *result = NULL;
  ossffi_error *err = NULL;
  CHECK_RESULT(ossffi_client_put_object(client, request, &result, &err), OSSFFI_RESULT_OK);
  CHECK(err == NULL);
  CHECK(ossffi_put_result_http_status(result) == 200);
  CHECK(body_equals(result, "{\"Status\":\"OK\",\"object\":\"c/form callback.txt\"}"));
  /* ETag without quotes, the header with them. */
  const char *etag = ossffi_put_result_etag(result);
  const char *raw = ossffi_put_result_header(result, "ETAG");
  CHECK(etag != NULL && raw != NULL && strlen(raw) == strlen(etag) + 2 && strncmp(raw + 1, etag, strlen(etag)) == 0);
  CHECK(strlen(etag) == 32);
  CHECK(ossffi_put_result_crc64(result) != 0);
  CHECK(strlen(ossffi_put_result_request_id(result)) > 0);
  CHECK_STR(ossffi_put_result_version_id(result), "");
  CHECK(ossffi_put_result_header(result, "x-no-such-header") == NULL);
  ossffi_put_result_free(result);
  ossffi_put_request_free(request);
}

static void json_callback_reply_comes_back(ossffi_client *client) {
  ossffi_put_request *request = make_request("c/json.txt");
  CHECK_RESULT(ossffi_put_request_set_body_buffer(request, (const uint8_t *)"{}", 2), OSSFFI_RESULT_OK);
  set_callback(request, env("OSSFFI_TEST_CALLBACK_URL"), "{\"object\":${object},\"size\":${size},\"v\":${x:var1}}",
               OSSFFI_CALLBACK_BODY_TYPE_JSON);
  ossffi_put_result *result = NULL;
  CHECK_RESULT(ossffi_client_put_object(client, request, &result, NULL), OSSFFI_RESULT_OK);
  CHECK(body_equals(result, "{\"Status\":\"OK\",\"object\":\"\"}"));
  ossffi_put_result_free(result);
  ossffi_put_request_free(request);
}

static void dead_receiver_is_callback_failed_with_the_object_stored(ossffi_client *client) {
  ossffi_put_request *request = make_request("c/dead-callback.txt");
  CHECK_RESULT(ossffi_put_request_set_body_buffer(request, (const uint8_t *)"kept", 4), OSSFFI_RESULT_OK);
  set_callback(request, env("OSSFFI_TEST_DEAD_CALLBACK_URL"), "object=${object}", OSSFFI_CALLBACK_BODY_TYPE_URL);
  ossffi_put_result *result = (ossffi_put_result *)&result;
  ossffi_error *err = NULL;
  CHECK_RESULT(ossffi_client_put_object(client, request, &result, &err), OSSFFI_RESULT_CALLBACK_FAILED);
  CHECK(result == NULL);
  CHECK(err != NULL);
  CHECK(ossffi_error_result(err) == OSSFFI_RESULT_CALLBACK_FAILED);
  CHECK_STR(ossffi_error_code(err), "CallbackFailed");
  CHECK(ossffi_error_http_status(err) == 203);
  CHECK(ossffi_error_object_stored(err) == OSSFFI_OBJECT_STORED_YES);
  CHECK(strstr(ossffi_error_message(err), "the object was stored") != NULL);
  CHECK(strlen(ossffi_error_request_id(err)) > 0);
  size_t len = 0;
  CHECK(ossffi_error_body(err, &len) != NULL && len > 0);
  ossffi_error_free(err);
  ossffi_put_request_free(request);
}

struct counter {
  uint64_t calls;
  uint64_t bytes;
  uint64_t last_transferred;
  uint64_t total;
  uint64_t cancel_after;
};

static int32_t count_progress(void *userdata, uint64_t increment, uint64_t transferred, uint64_t total) {
  struct counter *c = (struct counter *)userdata;
  c->calls++;
  c->bytes += increment;
  c->last_transferred = transferred;
  c->total = total;
  return (c->cancel_after != 0 && transferred >= c->cancel_after) ? 7 : 0;
}

static void file_body_with_progress(ossffi_client *client) {
  char path[] = "/tmp/ossffi-c-test-XXXXXX";
  int fd = mkstemp(path);
  CHECK(fd >= 0);
  static uint8_t block[65536];
  for (size_t i = 0; i < sizeof block; i++) block[i] = (uint8_t)(i % 251);
  for (int i = 0; i < 48; i++) CHECK(write(fd, block, sizeof block) == (ssize_t)sizeof block);
  close(fd);

  ossffi_put_request *request = make_request("c/file.bin");
  struct counter progress = {0, 0, 0, 0, 0};
  CHECK_RESULT(ossffi_put_request_set_body_file(request, path), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_put_request_set_progress(request, count_progress, &progress), OSSFFI_RESULT_OK);
  ossffi_put_result *result = NULL;
  CHECK_RESULT(ossffi_client_put_object(client, request, &result, NULL), OSSFFI_RESULT_OK);
  CHECK(progress.calls >= 2);
  CHECK(progress.bytes == 48u * 65536u);
  CHECK(progress.last_transferred == 48u * 65536u && progress.total == 48u * 65536u);
  CHECK(ossffi_put_result_body(result, NULL) == NULL); /* no callback, no body */
  ossffi_put_result_free(result);

  /* A progress callback that returns non-zero cancels. */
  struct counter cancel = {0, 0, 0, 0, 1};
  CHECK_RESULT(ossffi_put_request_set_progress(request, count_progress, &cancel), OSSFFI_RESULT_OK);
  ossffi_error *err = NULL;
  CHECK_RESULT(ossffi_client_put_object(client, request, &result, &err), OSSFFI_RESULT_ABORTED_BY_CALLBACK);
  CHECK_STR(ossffi_error_code(err), "ClientError:200042");
  CHECK(ossffi_error_object_stored(err) == OSSFFI_OBJECT_STORED_NO);
  ossffi_error_free(err);
  ossffi_put_request_free(request);
  unlink(path);
}

struct source {
  const char *data;
  size_t len;
  size_t pos;
  size_t stop_at; /* ends the body early when non-zero */
  int fail;       /* returns this from read when non-zero */
  int rewinds;
};

static int32_t read_source(void *userdata, uint8_t *buffer, size_t capacity, size_t *written) {
  struct source *s = (struct source *)userdata;
  if (s->fail) return s->fail;
  size_t end = s->stop_at ? s->stop_at : s->len;
  size_t n = end - s->pos < capacity ? end - s->pos : capacity;
  if (n > 3) n = 3; /* small reads: the library must gather them */
  memcpy(buffer, s->data + s->pos, n);
  s->pos += n;
  *written = n;
  return 0;
}

/* Fills the buffer but reports one byte more than its capacity. */
static int32_t overreport(void *userdata, uint8_t *buffer, size_t capacity, size_t *written) {
  (void)userdata;
  memset(buffer, 'o', capacity);
  *written = capacity + 1;
  return 0;
}

static int32_t rewind_source(void *userdata) {
  struct source *s = (struct source *)userdata;
  s->pos = 0;
  s->rewinds++;
  return 0;
}

static void callback_bodies(ossffi_client *client) {
  struct source s = {"streamed through a callback", 27, 0, 0, 0, 0};
  ossffi_put_request *request = make_request("c/callback-body.txt");
  CHECK_RESULT(ossffi_put_request_set_body_callback(request, read_source, rewind_source, &s, 27), OSSFFI_RESULT_OK);
  ossffi_put_result *result = NULL;
  CHECK_RESULT(ossffi_client_put_object(client, request, &result, NULL), OSSFFI_RESULT_OK);
  CHECK(s.pos == 27);
  ossffi_put_result_free(result);

  /* The same request again: the body rewinds first. */
  CHECK_RESULT(ossffi_client_put_object(client, request, &result, NULL), OSSFFI_RESULT_OK);
  CHECK(s.rewinds == 1);
  ossffi_put_result_free(result);

  /* A body that ends before its content length fails at once instead of hanging. */
  struct source early = {"short", 5, 0, 2, 0, 0};
  ossffi_error *err = NULL;
  CHECK_RESULT(ossffi_put_request_set_body_callback(request, read_source, NULL, &early, 5), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_client_put_object(client, request, &result, &err), OSSFFI_RESULT_IO);
  CHECK(strstr(ossffi_error_message(err), "ended after 2 of the 5 bytes") != NULL);
  ossffi_error_free(err);

  /* A read callback that claims more bytes than its buffer holds is a bug in it: the upload
   * fails, naming the callback and both numbers, rather than sending what it cannot have written. */
  CHECK_RESULT(ossffi_put_request_set_body_callback(request, overreport, NULL, NULL, 10), OSSFFI_RESULT_OK);
  result = NULL;
  CHECK_RESULT(ossffi_client_put_object(client, request, &result, &err), OSSFFI_RESULT_IO);
  CHECK(result == NULL);
  CHECK_STR(ossffi_error_code(err), "ClientError:200026");
  CHECK_STR(ossffi_error_message(err),
            "Failed to open/read local data from file/application. (the read callback reported 11 bytes written into "
            "a buffer of 10 bytes; it must write at most the capacity it is given)");
  CHECK(ossffi_error_object_stored(err) == OSSFFI_OBJECT_STORED_NO);
  ossffi_error_free(err);

  /* A read callback that returns non-zero aborts. */
  struct source failing = {"x", 1, 0, 0, 5, 0};
  CHECK_RESULT(ossffi_put_request_set_body_callback(request, read_source, NULL, &failing, 1), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_client_put_object(client, request, &result, &err), OSSFFI_RESULT_ABORTED_BY_CALLBACK);
  CHECK(strstr(ossffi_error_message(err), "returned 5") != NULL);
  ossffi_error_free(err);
  ossffi_put_request_free(request);
}

struct provider {
  int calls;
};

static int32_t provide_credentials(void *userdata, ossffi_credentials *out) {
  struct provider *p = (struct provider *)userdata;
  p->calls++;
  return ossffi_credentials_set(out, getenv("OSS_ACCESS_KEY_ID"), getenv("OSS_ACCESS_KEY_SECRET"), NULL) ==
                 OSSFFI_RESULT_OK
             ? 0
             : 1;
}

static int destroyed;
static void destroy_provider(void *userdata) {
  (void)userdata;
  destroyed++;
}

static void credentials_sources(void) {
  struct provider p = {0};
  ossffi_client_config *config = ossffi_client_config_new();
  ossffi_client_config_set_region(config, env("OSSFFI_TEST_REGION"));
  ossffi_client *client = NULL;
  CHECK_RESULT(ossffi_client_new_with_credentials_callback(env("OSSFFI_TEST_ENDPOINT"), provide_credentials, &p,
                                                           destroy_provider, config, &client, NULL),
               OSSFFI_RESULT_OK);
  ossffi_put_request *request = make_request("c/provider.txt");
  ossffi_put_result *result = NULL;
  CHECK_RESULT(ossffi_client_put_object(client, request, &result, NULL), OSSFFI_RESULT_OK);
  ossffi_put_result_free(result);
  CHECK_RESULT(ossffi_client_put_object(client, request, &result, NULL), OSSFFI_RESULT_OK);
  ossffi_put_result_free(result);
  CHECK(p.calls == 2); /* once per upload attempt */
  CHECK(destroyed == 0);
  ossffi_client_free(client);
  CHECK(destroyed == 1);

  ossffi_client *env_client = NULL;
  CHECK_RESULT(ossffi_client_new_from_env(env("OSSFFI_TEST_ENDPOINT"), config, &env_client, NULL), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_client_put_object(env_client, request, &result, NULL), OSSFFI_RESULT_OK);
  ossffi_put_result_free(result);
  ossffi_client_free(env_client);
  ossffi_put_request_free(request);
  ossffi_client_config_free(config);
}

static void errors_say_what_happened(ossffi_client *client) {
  ossffi_client *wrong = make_client("not-the-secret");
  ossffi_put_request *request = make_request("c/denied.txt");
  ossffi_put_result *result = NULL;
  ossffi_error *err = NULL;
  CHECK_RESULT(ossffi_client_put_object(wrong, request, &result, &err), OSSFFI_RESULT_SERVER_ERROR);
  CHECK_STR(ossffi_error_code(err), "SignatureDoesNotMatch");
  CHECK(ossffi_error_http_status(err) == 403);
  CHECK(ossffi_error_object_stored(err) == OSSFFI_OBJECT_STORED_NO);
  CHECK(strlen(ossffi_error_request_id(err)) > 0);
  CHECK(strlen(ossffi_error_host_id(err)) > 0);
  CHECK_STR(ossffi_error_ec(err), "0002-00000201");
  ossffi_error_free(err);
  ossffi_client_free(wrong);
  ossffi_put_request_free(request);

  /* Validation before any I/O: the C++ SDK's ValidateError. */
  CHECK_RESULT(ossffi_put_request_new("Bad_Bucket", "k", &request), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_client_put_object(client, request, &result, &err), OSSFFI_RESULT_VALIDATE_ERROR);
  CHECK_STR(ossffi_error_code(err), "ValidateError");
  CHECK(ossffi_error_http_status(err) == 0);
  ossffi_error_free(err);
  ossffi_put_request_free(request);

  request = make_request("c/missing-file.txt");
  CHECK_RESULT(ossffi_put_request_set_body_file(request, "/nonexistent/ossffi-missing"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_client_put_object(client, request, &result, &err), OSSFFI_RESULT_VALIDATE_ERROR);
  CHECK(strstr(ossffi_error_message(err), "/nonexistent/ossffi-missing") != NULL);
  ossffi_error_free(err);

  /* Bad header names and values are refused before sending. */
  CHECK_RESULT(ossffi_put_request_set_body_buffer(request, NULL, 0), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_put_request_set_header(request, "x-oss-meta-evil", "a\r\nInjected: yes"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_client_put_object(client, request, &result, &err), OSSFFI_RESULT_INVALID_ARGUMENT);
  ossffi_error_free(err);
  CHECK_RESULT(ossffi_put_request_remove_header(request, "X-OSS-META-EVIL"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_put_request_set_header(request, "bad name", "v"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_client_put_object(client, request, &result, &err), OSSFFI_RESULT_INVALID_ARGUMENT);
  ossffi_error_free(err);
  CHECK_RESULT(ossffi_put_request_set_header(request, "x-oss-meta-\xff", "v"), OSSFFI_RESULT_INVALID_UTF8);
  CHECK_RESULT(ossffi_put_request_set_user_metadata(request, "k", "\xfe"), OSSFFI_RESULT_INVALID_UTF8);
  ossffi_put_request_free(request);

  /* V4 needs a region: refused before any request. */
  ossffi_client *no_region = NULL;
  CHECK_RESULT(ossffi_client_new(env("OSSFFI_TEST_ENDPOINT"), "ak", "sk", NULL, NULL, &no_region, NULL),
               OSSFFI_RESULT_OK);
  request = make_request("c/no-region.txt");
  CHECK_RESULT(ossffi_client_put_object(no_region, request, &result, &err), OSSFFI_RESULT_INVALID_CONFIG);
  CHECK(strstr(ossffi_error_message(err), "region") != NULL);
  ossffi_error_free(err);
  /* ... and accepted once the client has one. */
  CHECK_RESULT(ossffi_client_set_region(no_region, env("OSSFFI_TEST_REGION")), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_client_put_object(no_region, request, &result, &err), OSSFFI_RESULT_SERVER_ERROR);
  CHECK_STR(ossffi_error_code(err), "InvalidAccessKeyId");
  ossffi_error_free(err);
  ossffi_client_free(no_region);
  ossffi_put_request_free(request);

  /* An invalid endpoint is refused when the client is made. */
  ossffi_client *bad = (ossffi_client *)&bad;
  CHECK_RESULT(ossffi_client_new("http://bad host", "ak", "sk", NULL, NULL, &bad, &err), OSSFFI_RESULT_VALIDATE_ERROR);
  CHECK(bad == NULL);
  CHECK(strncmp(ossffi_error_message(err), "The endpoint is invalid.", 24) == 0);
  ossffi_error_free(err);
  CHECK_RESULT(ossffi_client_new("http://\xff", "ak", "sk", NULL, NULL, &bad, NULL), OSSFFI_RESULT_INVALID_UTF8);
}

int main(void) {
  ossffi_client *client = make_client(env("OSS_ACCESS_KEY_SECRET"));
  form_callback_reply_comes_back(client);
  json_callback_reply_comes_back(client);
  dead_receiver_is_callback_failed_with_the_object_stored(client);
  file_body_with_progress(client);
  callback_bodies(client);
  credentials_sources();
  errors_say_what_happened(client);
  ossffi_client_free(client);
  return finish();
}
