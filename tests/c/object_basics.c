/* The object basics through the C API against the emulator: one request object, one verb per
 * operation, one response object. The emulator's address and keys come from the environment
 * the Rust harness sets (OSSFFI_TEST_*). */
#define _POSIX_C_SOURCE 200809L
#include <stdbool.h>
#include <stdint.h>
#include <dirent.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "ossffi.h"

/* "hello world": its MD5 (the ETag) and CRC-64/XZ. */
#define HELLO "hello world"
#define HELLO_ETAG "5EB63BBBE01EEED093CB22BB8F5ACDC3"
#define HELLO_CRC64 "5981764153023615706"

static const char *env(const char *name) {
  const char *value = getenv(name);
  if (value == NULL) {
    fprintf(stderr, "%s is not set: run this program through `cargo test --test c_api`\n", name);
    exit(2);
  }
  return value;
}

static ossffi_client *make_client(const char *endpoint) {
  ossffi_client_config *config = ossffi_client_config_new();
  ossffi_client_config_set_region(config, env("OSSFFI_TEST_REGION"));
  ossffi_client_config_set_retry_scale_ms(config, 10);
  ossffi_client *client = NULL;
  CHECK_RESULT(ossffi_client_new(endpoint, env("OSS_ACCESS_KEY_ID"), env("OSS_ACCESS_KEY_SECRET"), NULL, config,
                                 &client, NULL),
               OSSFFI_RESULT_OK);
  ossffi_client_config_free(config);
  return client;
}

/* Stores `data` under `key` in `bucket` with the PutObject API, plus one user metadata entry. */
static void put_in(ossffi_client *client, const char *bucket, const char *key, const char *data) {
  ossffi_put_request *request = NULL;
  ossffi_put_result *result = NULL;
  CHECK_RESULT(ossffi_put_request_new(bucket, key, &request), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_put_request_set_body_buffer(request, (const uint8_t *)data, strlen(data)), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_put_request_set_header(request, "Content-Type", "text/plain"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_put_request_set_user_metadata(request, "author", "c test"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_client_put_object(client, request, &result, NULL), OSSFFI_RESULT_OK);
  ossffi_put_result_free(result);
  ossffi_put_request_free(request);
}

static void put(ossffi_client *client, const char *key, const char *data) {
  put_in(client, env("OSSFFI_TEST_BUCKET"), key, data);
}

static ossffi_request *object_request(const char *key) {
  ossffi_request *request = NULL;
  CHECK_RESULT(ossffi_request_new(env("OSSFFI_TEST_BUCKET"), key, &request), OSSFFI_RESULT_OK);
  return request;
}

static ossffi_request *bucket_request(const char *bucket) {
  ossffi_request *request = NULL;
  CHECK_RESULT(ossffi_request_new(bucket, NULL, &request), OSSFFI_RESULT_OK);
  return request;
}

static int exists(ossffi_client *client, const char *key) {
  ossffi_request *request = object_request(key);
  bool found = false;
  CHECK_RESULT(ossffi_client_does_object_exist(client, request, &found, NULL), OSSFFI_RESULT_OK);
  ossffi_request_free(request);
  return found;
}

static int body_is(const ossffi_response *response, const char *expected) {
  size_t len = 99;
  const uint8_t *body = ossffi_response_body(response, &len);
  return body != NULL && len == strlen(expected) && memcmp(body, expected, len) == 0;
}

/* Runs a verb that must fail; checks the result code and the error's OSS code and HTTP status. */
static void expect_error(ossffi_result (*verb)(const ossffi_client *, const ossffi_request *, ossffi_response **,
                                               ossffi_error **),
                         const ossffi_client *client, const ossffi_request *request, ossffi_result result,
                         const char *code, uint32_t http_status) {
  ossffi_response *response = (ossffi_response *)&response; /* a sentinel the failure must clear */
  ossffi_error *err = NULL;
  CHECK_RESULT(verb(client, request, &response, &err), result);
  CHECK(response == NULL);
  CHECK(err != NULL);
  CHECK_STR(ossffi_error_code(err), code);
  CHECK(ossffi_error_http_status(err) == http_status);
  ossffi_error_free(err);
}

static void get_to_memory_has_the_bytes_and_the_metadata(ossffi_client *client) {
  put(client, "c/basics/hello.txt", HELLO);
  ossffi_request *request = object_request("c/basics/hello.txt");
  ossffi_response *response = NULL;
  ossffi_error *err = (ossffi_error *)&err;
  CHECK_RESULT(ossffi_client_get_object(client, request, &response, &err), OSSFFI_RESULT_OK);
  CHECK(err == NULL);
  CHECK(ossffi_response_http_status(response) == 200);
  CHECK(body_is(response, HELLO));
  CHECK_STR(ossffi_response_field(response, "ETag"), HELLO_ETAG);
  CHECK_STR(ossffi_response_field(response, "etag"), HELLO_ETAG); /* names are case-insensitive */
  CHECK_STR(ossffi_response_field(response, "ContentLength"), "11");
  CHECK_STR(ossffi_response_field(response, "ContentType"), "text/plain");
  CHECK_STR(ossffi_response_field(response, "CRC64"), HELLO_CRC64);
  CHECK_STR(ossffi_response_field(response, "ObjectType"), "Normal");
  CHECK_STR(ossffi_response_field(response, "StorageClass"), "Standard");
  CHECK_STR(ossffi_response_field(response, "VersionId"), "");
  const char *modified = ossffi_response_field(response, "LastModified");
  CHECK(modified != NULL && strlen(modified) == 29 && strcmp(modified + 26, "GMT") == 0);
  CHECK(ossffi_response_field(response, "Marker") == NULL); /* a ListObjects field */
  CHECK(ossffi_response_list_len(response, "Contents") == 0);
  CHECK_STR(ossffi_response_header(response, "X-OSS-META-AUTHOR"), "c test");
  CHECK_STR(ossffi_response_header(response, "etag"), "\"" HELLO_ETAG "\"");
  CHECK(ossffi_response_header(response, "x-not-sent") == NULL);
  CHECK(strlen(ossffi_response_request_id(response)) > 0);
  CHECK_STR(ossffi_response_request_id(response), ossffi_response_header(response, "x-oss-request-id"));

  /* Every header by index, the request id among them. */
  size_t count = ossffi_response_header_count(response);
  int seen_request_id = 0;
  CHECK(count >= 8);
  for (size_t i = 0; i < count; i++) {
    const char *name = NULL;
    const char *value = NULL;
    CHECK_RESULT(ossffi_response_header_at(response, i, &name, &value), OSSFFI_RESULT_OK);
    if (name != NULL && strcmp(name, "x-oss-request-id") == 0) {
      seen_request_id = strcmp(value, ossffi_response_request_id(response)) == 0;
    }
  }
  CHECK(seen_request_id);
  const char *name = (const char *)&name;
  const char *value = (const char *)&value;
  CHECK_RESULT(ossffi_response_header_at(response, count, &name, &value), OSSFFI_RESULT_INVALID_ARGUMENT);
  CHECK(name == NULL && value == NULL);
  ossffi_response_free(response);

  /* The request was not consumed: the same one again gives the same bytes. */
  CHECK_RESULT(ossffi_client_get_object(client, request, &response, NULL), OSSFFI_RESULT_OK);
  CHECK(body_is(response, HELLO));
  ossffi_response_free(response);
  ossffi_request_free(request);
}

static void ranges_ask_for_part_of_the_object(ossffi_client *client) {
  ossffi_request *request = object_request("c/basics/hello.txt");
  ossffi_response *response = NULL;
  CHECK_RESULT(ossffi_request_set_range(request, 0, 4, 0), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_client_get_object(client, request, &response, NULL), OSSFFI_RESULT_OK);
  CHECK(ossffi_response_http_status(response) == 206);
  CHECK(body_is(response, "hello"));
  CHECK_STR(ossffi_response_field(response, "ContentLength"), "5");
  CHECK_STR(ossffi_response_header(response, "Content-Range"), "bytes 0-4/11");
  ossffi_response_free(response);

  CHECK_RESULT(ossffi_request_set_range(request, 6, -1, 1), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_client_get_object(client, request, &response, NULL), OSSFFI_RESULT_OK);
  CHECK(body_is(response, "world"));
  ossffi_response_free(response);

  /* Standard behaviour: a start beyond the object is an error, not the whole object. */
  CHECK_RESULT(ossffi_request_set_range(request, 100, -1, 1), OSSFFI_RESULT_OK);
  expect_error(ossffi_client_get_object, client, request, OSSFFI_RESULT_SERVER_ERROR, "InvalidRange", 416);
  /* A refused range leaves the request as it was. */
  CHECK_RESULT(ossffi_request_set_range(request, 5, 2, 0), OSSFFI_RESULT_INVALID_ARGUMENT);
  expect_error(ossffi_client_get_object, client, request, OSSFFI_RESULT_SERVER_ERROR, "InvalidRange", 416);
  ossffi_request_free(request);
}

static void conditions_that_fail_are_errors(ossffi_client *client) {
  ossffi_request *request = object_request("c/basics/hello.txt");
  CHECK_RESULT(ossffi_request_set_header(request, "If-None-Match", "\"" HELLO_ETAG "\""), OSSFFI_RESULT_OK);
  expect_error(ossffi_client_get_object, client, request, OSSFFI_RESULT_SERVER_ERROR, "ServerError:304", 304);
  CHECK_RESULT(ossffi_request_remove_header(request, "if-none-match"), OSSFFI_RESULT_OK);

  CHECK_RESULT(ossffi_request_set_header(request, "If-Match", "\"0000\""), OSSFFI_RESULT_OK);
  expect_error(ossffi_client_get_object, client, request, OSSFFI_RESULT_SERVER_ERROR, "PreconditionFailed", 412);
  CHECK_RESULT(ossffi_request_set_header(request, "if-match", "\"" HELLO_ETAG "\""), OSSFFI_RESULT_OK);
  ossffi_response *response = NULL;
  CHECK_RESULT(ossffi_client_get_object(client, request, &response, NULL), OSSFFI_RESULT_OK);
  CHECK(body_is(response, HELLO));
  ossffi_response_free(response);

  CHECK_RESULT(ossffi_request_remove_header(request, "If-Match"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_set_header(request, "If-Modified-Since", "Fri, 01 Jan 2100 00:00:00 GMT"),
               OSSFFI_RESULT_OK);
  expect_error(ossffi_client_get_object, client, request, OSSFFI_RESULT_SERVER_ERROR, "ServerError:304", 304);
  ossffi_request_free(request);
}

static void parameters_override_response_headers(ossffi_client *client) {
  ossffi_request *request = object_request("c/basics/hello.txt");
  ossffi_response *response = NULL;
  CHECK_RESULT(ossffi_request_set_parameter(request, "response-content-type", "text/x-ossffi"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_set_parameter(request, "response-cache-control", "no-cache"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_client_get_object(client, request, &response, NULL), OSSFFI_RESULT_OK);
  CHECK_STR(ossffi_response_field(response, "ContentType"), "text/x-ossffi");
  CHECK_STR(ossffi_response_header(response, "Cache-Control"), "no-cache");
  ossffi_response_free(response);
  /* NULL removes a parameter again. */
  CHECK_RESULT(ossffi_request_set_parameter(request, "response-content-type", NULL), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_client_get_object(client, request, &response, NULL), OSSFFI_RESULT_OK);
  CHECK_STR(ossffi_response_field(response, "ContentType"), "text/plain");
  ossffi_response_free(response);
  ossffi_request_free(request);
}

struct sink {
  char data[64];
  size_t len;
  int calls;
  int32_t stop_with; /* returned from the first call when non-zero */
};

static int32_t collect(void *userdata, const uint8_t *data, size_t len) {
  struct sink *sink = userdata;
  sink->calls++;
  if (sink->stop_with != 0) {
    return sink->stop_with;
  }
  if (sink->len + len > sizeof sink->data) {
    return -1;
  }
  memcpy(sink->data + sink->len, data, len);
  sink->len += len;
  return 0;
}

struct progress {
  uint64_t increments;
  uint64_t transferred;
  uint64_t total;
  int calls;
  int32_t stop_with;
};

static int32_t record_progress(void *userdata, uint64_t increment, uint64_t transferred, uint64_t total) {
  struct progress *p = userdata;
  p->calls++;
  p->increments += increment;
  p->transferred = transferred;
  p->total = total;
  return p->stop_with;
}

static void callbacks_receive_the_body_and_can_stop_it(ossffi_client *client) {
  ossffi_request *request = object_request("c/basics/hello.txt");
  ossffi_response *response = NULL;
  struct sink sink = {{0}, 0, 0, 0};
  struct progress progress = {0, 0, 0, 0, 0};
  CHECK_RESULT(ossffi_request_set_output_callback(request, collect, &sink), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_set_progress(request, record_progress, &progress), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_client_get_object(client, request, &response, NULL), OSSFFI_RESULT_OK);
  CHECK(sink.len == 11 && memcmp(sink.data, HELLO, 11) == 0);
  CHECK(body_is(response, "")); /* the bytes went to the callback */
  CHECK_STR(ossffi_response_field(response, "CRC64"), HELLO_CRC64);
  CHECK(progress.calls >= 1);
  CHECK(progress.increments == 11 && progress.transferred == 11 && progress.total == 11);
  ossffi_response_free(response);

  /* The write callback stops the download. */
  sink.stop_with = 7;
  sink.calls = 0;
  ossffi_error *err = NULL;
  response = (ossffi_response *)&response;
  CHECK_RESULT(ossffi_client_get_object(client, request, &response, &err), OSSFFI_RESULT_ABORTED_BY_CALLBACK);
  CHECK(response == NULL);
  CHECK(sink.calls == 1); /* called once, not again by a retry */
  CHECK_STR(ossffi_error_code(err), "ClientError:200042");
  CHECK(strstr(ossffi_error_message(err), "write callback returned 7") != NULL);
  ossffi_error_free(err);

  /* So does the progress callback. */
  sink.stop_with = 0;
  sink.len = 0;
  progress.stop_with = 3;
  CHECK_RESULT(ossffi_client_get_object(client, request, &response, &err), OSSFFI_RESULT_ABORTED_BY_CALLBACK);
  CHECK(strstr(ossffi_error_message(err), "progress callback returned 3") != NULL);
  ossffi_error_free(err);

  /* NULL goes back to keeping the body in the response. */
  progress.stop_with = 0;
  CHECK_RESULT(ossffi_request_set_output_callback(request, NULL, NULL), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_set_progress(request, NULL, NULL), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_client_get_object(client, request, &response, NULL), OSSFFI_RESULT_OK);
  CHECK(body_is(response, HELLO));
  ossffi_response_free(response);

  /* An error reply never reaches the write callback. */
  ossffi_request *missing = object_request("c/basics/never-stored");
  sink.calls = 0;
  CHECK_RESULT(ossffi_request_set_output_callback(missing, collect, &sink), OSSFFI_RESULT_OK);
  expect_error(ossffi_client_get_object, client, missing, OSSFFI_RESULT_SERVER_ERROR, "NoSuchKey", 404);
  CHECK(sink.calls == 0);
  ossffi_request_free(missing);
  ossffi_request_free(request);
}

static void head_and_meta_describe_the_object(ossffi_client *client) {
  ossffi_request *request = object_request("c/basics/hello.txt");
  ossffi_response *response = NULL;
  CHECK_RESULT(ossffi_client_head_object(client, request, &response, NULL), OSSFFI_RESULT_OK);
  CHECK(ossffi_response_http_status(response) == 200);
  CHECK(body_is(response, ""));
  CHECK_STR(ossffi_response_field(response, "ETag"), HELLO_ETAG);
  CHECK_STR(ossffi_response_field(response, "ContentLength"), "11");
  CHECK_STR(ossffi_response_field(response, "ContentType"), "text/plain");
  CHECK_STR(ossffi_response_field(response, "CRC64"), HELLO_CRC64);
  CHECK_STR(ossffi_response_header(response, "x-oss-meta-author"), "c test");
  ossffi_response_free(response);

  CHECK_RESULT(ossffi_client_get_object_meta(client, request, &response, NULL), OSSFFI_RESULT_OK);
  CHECK(ossffi_response_http_status(response) == 200);
  CHECK_STR(ossffi_response_field(response, "ETag"), HELLO_ETAG);
  CHECK_STR(ossffi_response_field(response, "ContentLength"), "11");
  CHECK_STR(ossffi_response_field(response, "CRC64"), HELLO_CRC64);
  CHECK(ossffi_response_header(response, "x-oss-meta-author") == NULL); /* only the basics */
  ossffi_response_free(response);
  ossffi_request_free(request);

  ossffi_request *missing = object_request("c/basics/never-stored");
  expect_error(ossffi_client_head_object, client, missing, OSSFFI_RESULT_SERVER_ERROR, "NoSuchKey", 404);
  ossffi_request_free(missing);
}

static void exists_tells_absent_from_could_not_ask(ossffi_client *client) {
  ossffi_request *request = object_request("c/basics/hello.txt");
  ossffi_request *missing = object_request("c/basics/never-stored");
  bool exists = false;
  ossffi_error *err = (ossffi_error *)&err;
  CHECK_RESULT(ossffi_client_does_object_exist(client, request, &exists, &err), OSSFFI_RESULT_OK);
  CHECK(exists && err == NULL);
  CHECK_RESULT(ossffi_client_does_object_exist(client, missing, &exists, &err), OSSFFI_RESULT_OK);
  CHECK(!exists && err == NULL);
  ossffi_request_free(missing);

  /* A bucket that does not exist is not "absent": it is an error. */
  ossffi_request *elsewhere = NULL;
  CHECK_RESULT(ossffi_request_new("c-no-such-bucket", "k", &elsewhere), OSSFFI_RESULT_OK);
  exists = true;
  CHECK_RESULT(ossffi_client_does_object_exist(client, elsewhere, &exists, &err), OSSFFI_RESULT_SERVER_ERROR);
  CHECK(!exists);
  CHECK(ossffi_error_http_status(err) == 404);
  CHECK(strcmp(ossffi_error_code(err), "NoSuchBucket") == 0);
  ossffi_error_free(err);
  ossffi_request_free(elsewhere);

  /* A client that cannot reach the server cannot ask either. */
  ossffi_client_config *config = ossffi_client_config_new();
  ossffi_client_config_set_region(config, env("OSSFFI_TEST_REGION"));
  ossffi_client_config_set_max_retries(config, 1);
  ossffi_client_config_set_retry_scale_ms(config, 1);
  ossffi_client_config_set_connect_timeout_ms(config, 2000);
  ossffi_client *unreachable = NULL;
  CHECK_RESULT(ossffi_client_new("http://127.0.0.1:1", "ak", "sk", NULL, config, &unreachable, NULL),
               OSSFFI_RESULT_OK);
  ossffi_client_config_free(config);
  exists = true;
  CHECK_RESULT(ossffi_client_does_object_exist(unreachable, request, &exists, &err), OSSFFI_RESULT_CONNECT);
  CHECK(!exists);
  CHECK_STR(ossffi_error_code(err), "ClientError:200007");
  ossffi_error_free(err);
  expect_error(ossffi_client_get_object, unreachable, request, OSSFFI_RESULT_CONNECT, "ClientError:200007", 0);
  ossffi_client_free(unreachable);
  ossffi_request_free(request);
}

static void delete_removes_and_succeeds_again(ossffi_client *client) {
  put(client, "c/basics/doomed.txt", "doomed");
  ossffi_request *request = object_request("c/basics/doomed.txt");
  ossffi_response *response = NULL;
  bool exists = false;
  CHECK_RESULT(ossffi_client_delete_object(client, request, &response, NULL), OSSFFI_RESULT_OK);
  CHECK(ossffi_response_http_status(response) == 204);
  CHECK_STR(ossffi_response_field(response, "DeleteMarker"), "false");
  CHECK_STR(ossffi_response_field(response, "VersionId"), "");
  CHECK(strlen(ossffi_response_request_id(response)) > 0);
  CHECK(ossffi_response_field(response, "ETag") == NULL); /* not a field of DeleteObject */
  ossffi_response_free(response);
  CHECK_RESULT(ossffi_client_does_object_exist(client, request, &exists, NULL), OSSFFI_RESULT_OK);
  CHECK(!exists);
  expect_error(ossffi_client_get_object, client, request, OSSFFI_RESULT_SERVER_ERROR, "NoSuchKey", 404);
  /* As on OSS, deleting what is not there succeeds. */
  CHECK_RESULT(ossffi_client_delete_object(client, request, &response, NULL), OSSFFI_RESULT_OK);
  CHECK(ossffi_response_http_status(response) == 204);
  ossffi_response_free(response);
  ossffi_request_free(request);
}

/* Runs `verb` expecting OSSFFI_RESULT_INVALID_ARGUMENT with exactly `message`. */
static void expect_refused(ossffi_result (*verb)(const ossffi_client *, const ossffi_request *, ossffi_response **,
                                                 ossffi_error **),
                           const ossffi_client *client, const ossffi_request *request, const char *message) {
  ossffi_response *response = (ossffi_response *)&response;
  ossffi_error *err = NULL;
  CHECK_RESULT(verb(client, request, &response, &err), OSSFFI_RESULT_INVALID_ARGUMENT);
  CHECK(response == NULL);
  CHECK_STR(ossffi_error_message(err), message);
  CHECK(ossffi_error_http_status(err) == 0);
  ossffi_error_free(err);
}

static void settings_an_operation_does_not_read_are_refused(ossffi_client *client) {
  ossffi_request *request = object_request("c/basics/hello.txt");
  CHECK_RESULT(ossffi_request_add_key(request, "other"), OSSFFI_RESULT_OK);
  expect_refused(ossffi_client_get_object, client, request,
                 "GetObject does not take a list of keys; only DeleteObjects does");
  ossffi_request_free(request);

  request = object_request("c/basics/hello.txt");
  CHECK_RESULT(ossffi_request_set_output_callback(request, collect, NULL), OSSFFI_RESULT_OK);
  expect_refused(ossffi_client_head_object, client, request,
                 "HeadObject does not take an output callback; only GetObject and GetObjectByUrl do");
  CHECK_RESULT(ossffi_request_set_range(request, 0, 1, 0), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_set_output_callback(request, NULL, NULL), OSSFFI_RESULT_OK);
  expect_refused(ossffi_client_delete_object, client, request,
                 "DeleteObject does not take a Range; only GetObject and GetObjectByUrl do");
  ossffi_request_free(request);

  request = object_request("c/basics/hello.txt");
  CHECK_RESULT(ossffi_request_set_progress(request, record_progress, NULL), OSSFFI_RESULT_OK);
  expect_refused(ossffi_client_get_object_meta, client, request,
                 "GetObjectMeta does not take a progress callback; only GetObject, UploadPart, ResumableUploadObject, PutObjectByUrl and GetObjectByUrl do");
  ossffi_request_free(request);

  request = object_request("c/basics/hello.txt");
  CHECK_RESULT(ossffi_request_set_check_crc64(request, 0), OSSFFI_RESULT_OK);
  expect_refused(ossffi_client_head_object, client, request,
                 "HeadObject does not take a CRC-64 switch; only GetObject and GetObjectByUrl do");
  ossffi_request_free(request);

  /* An object operation needs a key. */
  CHECK_RESULT(ossffi_request_new(env("OSSFFI_TEST_BUCKET"), NULL, &request), OSSFFI_RESULT_OK);
  expect_refused(ossffi_client_get_object, client, request, "GetObject needs an object key; the request has none");
  bool exists = true;
  ossffi_error *err = NULL;
  CHECK_RESULT(ossffi_client_does_object_exist(client, request, &exists, &err), OSSFFI_RESULT_INVALID_ARGUMENT);
  CHECK(!exists);
  CHECK_STR(ossffi_error_message(err), "DoesObjectExist needs an object key; the request has none");
  ossffi_error_free(err);
  ossffi_request_free(request);

  /* Names are validated when the verb runs, with the C++ SDK's message. */
  CHECK_RESULT(ossffi_request_new("Bad_Bucket", "k", &request), OSSFFI_RESULT_OK);
  expect_error(ossffi_client_get_object, client, request, OSSFFI_RESULT_VALIDATE_ERROR, "ValidateError", 0);
  ossffi_request_free(request);
  request = object_request("\\starts-with-backslash");
  expect_error(ossffi_client_head_object, client, request, OSSFFI_RESULT_VALIDATE_ERROR, "ValidateError", 0);
  ossffi_request_free(request);
}

/* The whole file's contents, NUL-terminated, into `buffer`; -1 if it cannot be read. */
static long read_file(const char *path, char *buffer, size_t capacity) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    return -1;
  }
  size_t n = fread(buffer, 1, capacity - 1, f);
  fclose(f);
  buffer[n] = 0;
  return (long)n;
}

static int entries_in(const char *dir) {
  DIR *d = opendir(dir);
  int n = 0;
  if (d == NULL) {
    return -1;
  }
  for (struct dirent *e = readdir(d); e != NULL; e = readdir(d)) {
    n += e->d_name[0] != '.';
  }
  closedir(d);
  return n;
}

static void get_to_a_file_replaces_it_only_when_complete(ossffi_client *client) {
  char dir[] = "/tmp/ossffi-c-get-XXXXXX";
  char path[64];
  char content[64];
  CHECK(mkdtemp(dir) != NULL);
  snprintf(path, sizeof path, "%s/hello.txt", dir);
  FILE *f = fopen(path, "wb");
  CHECK(f != NULL && fputs("old content", f) >= 0);
  if (f != NULL) {
    fclose(f);
  }

  /* A failed download leaves the file as it was, and no temporary file behind. */
  ossffi_request *missing = object_request("c/basics/never-stored");
  CHECK_RESULT(ossffi_request_set_output_file(missing, path), OSSFFI_RESULT_OK);
  expect_error(ossffi_client_get_object, client, missing, OSSFFI_RESULT_SERVER_ERROR, "NoSuchKey", 404);
  CHECK(read_file(path, content, sizeof content) == 11 && strcmp(content, "old content") == 0);
  CHECK(entries_in(dir) == 1);
  ossffi_request_free(missing);

  ossffi_request *request = object_request("c/basics/hello.txt");
  ossffi_response *response = NULL;
  struct progress progress = {0, 0, 0, 0, 0};
  CHECK_RESULT(ossffi_request_set_output_file(request, path), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_set_progress(request, record_progress, &progress), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_client_get_object(client, request, &response, NULL), OSSFFI_RESULT_OK);
  CHECK(read_file(path, content, sizeof content) == 11 && strcmp(content, HELLO) == 0);
  CHECK(body_is(response, ""));
  CHECK_STR(ossffi_response_field(response, "ETag"), HELLO_ETAG);
  CHECK(progress.increments == 11 && progress.total == 11);
  CHECK(entries_in(dir) == 1);
  ossffi_response_free(response);

  /* A directory where the file should go is an I/O error naming it. */
  ossffi_error *err = NULL;
  CHECK_RESULT(ossffi_request_set_output_file(request, dir), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_client_get_object(client, request, &response, &err), OSSFFI_RESULT_IO);
  CHECK(err != NULL && strstr(ossffi_error_message(err), dir) != NULL);
  ossffi_error_free(err);
  ossffi_request_free(request);
  CHECK(unlink(path) == 0);
  CHECK(rmdir(dir) == 0);
}

static void delete_objects_verbose_quiet_and_url_encoded(ossffi_client *client) {
  put(client, "c/del/a", "a");
  put(client, "c/del/b c&<>", "b");
  put(client, "c/del/kept", "k");
  ossffi_request *request = bucket_request(env("OSSFFI_TEST_BUCKET"));
  ossffi_response *response = NULL;
  CHECK_RESULT(ossffi_request_add_key(request, "c/del/a"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_add_key(request, "c/del/b c&<>"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_add_key(request, "c/del/never-was"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_client_delete_objects(client, request, &response, NULL), OSSFFI_RESULT_OK);
  CHECK(ossffi_response_http_status(response) == 200);
  CHECK_STR(ossffi_response_field(response, "Quiet"), "false");
  CHECK_STR(ossffi_response_field(response, "EncodingType"), "");
  CHECK(ossffi_response_list_len(response, "Deleted") == 3);
  CHECK_STR(ossffi_response_list_field(response, "Deleted", 0, "Key"), "c/del/a");
  CHECK_STR(ossffi_response_list_field(response, "Deleted", 1, "Key"), "c/del/b c&<>");
  CHECK_STR(ossffi_response_list_field(response, "Deleted", 2, "Key"), "c/del/never-was");
  CHECK(ossffi_response_list_field(response, "Deleted", 3, "Key") == NULL);
  CHECK(ossffi_response_list_field(response, "Deleted", 0, "Size") == NULL);
  CHECK(ossffi_response_list_len(response, "Contents") == 0);
  ossffi_response_free(response);
  CHECK(!exists(client, "c/del/a"));
  CHECK(!exists(client, "c/del/b c&<>"));
  CHECK(exists(client, "c/del/kept"));
  ossffi_request_free(request);

  /* URL-encoded on the wire, decoded in the response. */
  put(client, "c/del/p%q r", "p");
  request = bucket_request(env("OSSFFI_TEST_BUCKET"));
  CHECK_RESULT(ossffi_request_add_key(request, "c/del/p%q r"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_set_parameter(request, "encoding-type", "url"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_client_delete_objects(client, request, &response, NULL), OSSFFI_RESULT_OK);
  CHECK_STR(ossffi_response_field(response, "EncodingType"), "url");
  CHECK(ossffi_response_list_len(response, "Deleted") == 1);
  CHECK_STR(ossffi_response_list_field(response, "deleted", 0, "key"), "c/del/p%q r");
  ossffi_response_free(response);
  CHECK(!exists(client, "c/del/p%q r"));
  ossffi_request_free(request);

  /* Quiet: OSS lists only failures, so nothing. */
  put(client, "c/del/q1", "1");
  put(client, "c/del/q2", "2");
  request = bucket_request(env("OSSFFI_TEST_BUCKET"));
  CHECK_RESULT(ossffi_request_add_key(request, "c/del/q1"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_add_key(request, "c/del/q2"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_set_quiet(request, 1), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_client_delete_objects(client, request, &response, NULL), OSSFFI_RESULT_OK);
  CHECK(ossffi_response_http_status(response) == 200);
  CHECK(ossffi_response_list_len(response, "Deleted") == 0);
  ossffi_response_free(response);
  CHECK(!exists(client, "c/del/q1"));
  CHECK(!exists(client, "c/del/q2"));
  ossffi_request_free(request);
}

static void list_objects_pages_and_decodes(ossffi_client *client) {
  static const char *const keys[] = {"c/list/1.txt", "c/list/2.txt", "c/list/3.txt", "c/list/sp ace.txt",
                                     "c/list/sub/x.txt"};
  for (size_t i = 0; i < 5; i++) {
    put(client, keys[i], HELLO);
  }
  ossffi_request *request = bucket_request(env("OSSFFI_TEST_BUCKET"));
  ossffi_response *response = NULL;
  CHECK_RESULT(ossffi_request_set_parameter(request, "prefix", "c/list/"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_set_parameter(request, "max-keys", "2"), OSSFFI_RESULT_OK);

  /* Page through with NextMarker until IsTruncated is false. */
  size_t seen = 0;
  int pages = 0;
  for (;;) {
    CHECK_RESULT(ossffi_client_list_objects(client, request, &response, NULL), OSSFFI_RESULT_OK);
    if (response == NULL) {
      break;
    }
    pages++;
    CHECK_STR(ossffi_response_field(response, "Name"), env("OSSFFI_TEST_BUCKET"));
    CHECK_STR(ossffi_response_field(response, "Prefix"), "c/list/");
    CHECK_STR(ossffi_response_field(response, "MaxKeys"), "2");
    size_t n = ossffi_response_list_len(response, "Contents");
    CHECK(n >= 1 && n <= 2);
    for (size_t i = 0; i < n && seen < 5; i++, seen++) {
      CHECK_STR(ossffi_response_list_field(response, "Contents", i, "Key"), keys[seen]);
      CHECK_STR(ossffi_response_list_field(response, "Contents", i, "Size"), "11");
      CHECK_STR(ossffi_response_list_field(response, "Contents", i, "ETag"), HELLO_ETAG);
      CHECK_STR(ossffi_response_list_field(response, "Contents", i, "StorageClass"), "Standard");
      CHECK_STR(ossffi_response_list_field(response, "Contents", i, "Type"), "Normal");
      const char *owner = ossffi_response_list_field(response, "Contents", i, "OwnerID");
      CHECK(owner != NULL && strlen(owner) > 0);
      const char *modified = ossffi_response_list_field(response, "Contents", i, "LastModified");
      CHECK(modified != NULL && strlen(modified) == 24 && modified[23] == 'Z');
    }
    const char *truncated = ossffi_response_field(response, "IsTruncated");
    int more = truncated != NULL && strcmp(truncated, "true") == 0;
    if (more) {
      CHECK_STR(ossffi_response_field(response, "NextMarker"), keys[seen - 1]);
      CHECK_RESULT(ossffi_request_set_parameter(request, "marker", ossffi_response_field(response, "NextMarker")),
                   OSSFFI_RESULT_OK);
    } else {
      CHECK_STR(truncated, "false");
      CHECK_STR(ossffi_response_field(response, "NextMarker"), "");
    }
    ossffi_response_free(response);
    if (!more || pages > 5) {
      break;
    }
  }
  CHECK(pages == 3 && seen == 5);
  ossffi_request_free(request);

  /* A delimiter rolls up sub/; encoding-type=url comes back decoded. */
  request = bucket_request(env("OSSFFI_TEST_BUCKET"));
  CHECK_RESULT(ossffi_request_set_parameter(request, "prefix", "c/list/"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_set_parameter(request, "delimiter", "/"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_set_parameter(request, "encoding-type", "url"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_set_parameter(request, "marker", "c/list/1.txt"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_client_list_objects(client, request, &response, NULL), OSSFFI_RESULT_OK);
  CHECK_STR(ossffi_response_field(response, "EncodingType"), "url");
  CHECK_STR(ossffi_response_field(response, "Prefix"), "c/list/");
  CHECK_STR(ossffi_response_field(response, "Delimiter"), "/");
  CHECK_STR(ossffi_response_field(response, "Marker"), "c/list/1.txt");
  CHECK_STR(ossffi_response_field(response, "IsTruncated"), "false");
  CHECK(ossffi_response_list_len(response, "Contents") == 3);
  CHECK_STR(ossffi_response_list_field(response, "Contents", 0, "Key"), "c/list/2.txt");
  CHECK_STR(ossffi_response_list_field(response, "Contents", 2, "Key"), "c/list/sp ace.txt");
  CHECK(ossffi_response_list_len(response, "CommonPrefixes") == 1);
  CHECK_STR(ossffi_response_list_field(response, "CommonPrefixes", 0, "Prefix"), "c/list/sub/");
  ossffi_response_free(response);

  /* An encoding OSS does not know is OSS's InvalidArgument. */
  CHECK_RESULT(ossffi_request_set_parameter(request, "encoding-type", "base64"), OSSFFI_RESULT_OK);
  expect_error(ossffi_client_list_objects, client, request, OSSFFI_RESULT_SERVER_ERROR, "InvalidArgument", 400);
  ossffi_request_free(request);

  request = bucket_request("c-no-such-bucket");
  expect_error(ossffi_client_list_objects, client, request, OSSFFI_RESULT_SERVER_ERROR, "NoSuchBucket", 404);
  ossffi_request_free(request);
}

static void buckets_are_created_refused_while_full_and_deleted(ossffi_client *client) {
  ossffi_request *request = bucket_request("c-made-bucket");
  ossffi_response *response = NULL;
  CHECK_RESULT(ossffi_request_set_storage_class(request, "IA"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_set_data_redundancy_type(request, "LRS"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_client_create_bucket(client, request, &response, NULL), OSSFFI_RESULT_OK);
  CHECK(ossffi_response_http_status(response) == 200);
  CHECK(strlen(ossffi_response_request_id(response)) > 0);
  CHECK(ossffi_response_field(response, "Name") == NULL); /* CreateBucket has no fields */
  ossffi_response_free(response);
  /* The same request given to DeleteBucket: the storage class does not apply there. */
  expect_refused(ossffi_client_delete_bucket, client, request,
                 "DeleteBucket does not take a storage class; only CreateBucket does");
  ossffi_request_free(request);

  put_in(client, "c-made-bucket", "only-object", "x");
  request = bucket_request("c-made-bucket");
  expect_error(ossffi_client_delete_bucket, client, request, OSSFFI_RESULT_SERVER_ERROR, "BucketNotEmpty", 409);
  ossffi_request *object = NULL;
  CHECK_RESULT(ossffi_request_new("c-made-bucket", "only-object", &object), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_client_delete_object(client, object, &response, NULL), OSSFFI_RESULT_OK);
  ossffi_response_free(response);
  ossffi_request_free(object);
  CHECK_RESULT(ossffi_client_delete_bucket(client, request, &response, NULL), OSSFFI_RESULT_OK);
  CHECK(ossffi_response_http_status(response) == 204);
  ossffi_response_free(response);
  expect_error(ossffi_client_delete_bucket, client, request, OSSFFI_RESULT_SERVER_ERROR, "NoSuchBucket", 404);
  ossffi_request_free(request);

  /* A bucket operation takes no key. */
  CHECK_RESULT(ossffi_request_new("c-made-bucket", "k", &request), OSSFFI_RESULT_OK);
  expect_refused(ossffi_client_create_bucket, client, request,
                 "CreateBucket is a bucket operation and takes no object key; the request has key \"k\"");
  ossffi_request_free(request);
}

int main(void) {
  ossffi_client *client = make_client(env("OSSFFI_TEST_ENDPOINT"));
  get_to_memory_has_the_bytes_and_the_metadata(client);
  ranges_ask_for_part_of_the_object(client);
  conditions_that_fail_are_errors(client);
  parameters_override_response_headers(client);
  callbacks_receive_the_body_and_can_stop_it(client);
  head_and_meta_describe_the_object(client);
  exists_tells_absent_from_could_not_ask(client);
  delete_removes_and_succeeds_again(client);
  settings_an_operation_does_not_read_are_refused(client);
  get_to_a_file_replaces_it_only_when_complete(client);
  delete_objects_verbose_quiet_and_url_encoded(client);
  list_objects_pages_and_decodes(client);
  buckets_are_created_refused_while_full_and_deleted(client);
  ossffi_client_free(client);
  return finish();
}
