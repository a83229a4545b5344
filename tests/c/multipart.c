/* Multipart upload through the C API against the emulator: the same request / verb / response
 * shape as the object basics, with the upload id, part number, body and parts on the request.
 * The emulator's address, keys and callback receivers come from the environment the Rust harness
 * sets (OSSFFI_TEST_*). */
#define _POSIX_C_SOURCE 200809L
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "ossffi.h"

#define PART (100 * 1024) /* OSS's smallest part that is not the last */
#define LAST 3000
#define TOTAL (2 * PART + LAST)

static const char *env(const char *name) {
  const char *value = getenv(name);
  if (value == NULL) {
    fprintf(stderr, "%s is not set: run this program through `cargo test --test c_api`\n", name);
    exit(2);
  }
  return value;
}

static ossffi_client *make_client(void) {
  ossffi_client_config *config = ossffi_client_config_new();
  ossffi_client_config_set_region(config, env("OSSFFI_TEST_REGION"));
  ossffi_client_config_set_retry_scale_ms(config, 10);
  ossffi_client *client = NULL;
  CHECK_RESULT(ossffi_client_new(env("OSSFFI_TEST_ENDPOINT"), env("OSS_ACCESS_KEY_ID"), env("OSS_ACCESS_KEY_SECRET"),
                                 NULL, config, &client, NULL),
               OSSFFI_RESULT_OK);
  ossffi_client_config_free(config);
  return client;
}

static ossffi_request *object_request(const char *key) {
  ossffi_request *request = NULL;
  CHECK_RESULT(ossffi_request_new(env("OSSFFI_TEST_BUCKET"), key, &request), OSSFFI_RESULT_OK);
  return request;
}

typedef ossffi_result (*verb_fn)(const ossffi_client *, const ossffi_request *, ossffi_response **, ossffi_error **);

/* Runs a verb that must fail; checks the result, the error's code and HTTP status, and that the
 * response was cleared. Returns the error for more checks (the caller frees it). */
static ossffi_error *expect_error(verb_fn verb, const ossffi_client *client, const ossffi_request *request,
                                  ossffi_result result, const char *code, uint32_t http_status) {
  ossffi_response *response = (ossffi_response *)&response; /* a sentinel the failure must clear */
  ossffi_error *err = NULL;
  CHECK_RESULT(verb(client, request, &response, &err), result);
  CHECK(response == NULL);
  CHECK(err != NULL);
  if (err == NULL) return NULL;
  CHECK_STR(ossffi_error_code(err), code);
  CHECK(ossffi_error_http_status(err) == http_status);
  return err;
}

static void expect_refused(verb_fn verb, const ossffi_client *client, const ossffi_request *request,
                           const char *message) {
  ossffi_error *err = expect_error(verb, client, request, OSSFFI_RESULT_INVALID_ARGUMENT, "InvalidArgument", 0);
  if (err != NULL) CHECK_STR(ossffi_error_message(err), message);
  ossffi_error_free(err);
}

/* Test data with no short period, so a misplaced byte cannot match by chance. */
static uint8_t *make_data(size_t len) {
  uint8_t *data = malloc(len);
  uint32_t x = 2463534242u;
  for (size_t i = 0; i < len; i++) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    data[i] = (uint8_t)x;
  }
  return data;
}

static char *initiate(ossffi_client *client, const char *key) {
  ossffi_request *request = object_request(key);
  ossffi_response *response = NULL;
  char *upload_id = NULL;
  CHECK_RESULT(ossffi_client_initiate_multipart_upload(client, request, &response, NULL), OSSFFI_RESULT_OK);
  if (response != NULL) {
    CHECK(ossffi_response_http_status(response) == 200);
    CHECK_STR(ossffi_response_field(response, "Key"), key);
    CHECK_STR(ossffi_response_field(response, "Bucket"), env("OSSFFI_TEST_BUCKET"));
    const char *id = ossffi_response_field(response, "UploadId");
    CHECK(id != NULL && strlen(id) > 0);
    upload_id = strdup(id != NULL ? id : "");
  }
  ossffi_response_free(response);
  ossffi_request_free(request);
  return upload_id;
}

/* A read callback over a buffer, in small reads, with a rewind. */
struct source {
  const uint8_t *data;
  size_t len;
  size_t pos;
  int rewinds;
};

static int32_t read_source(void *userdata, uint8_t *buffer, size_t capacity, size_t *written) {
  struct source *s = (struct source *)userdata;
  size_t n = s->len - s->pos < capacity ? s->len - s->pos : capacity;
  if (n > 1000) n = 1000;
  memcpy(buffer, s->data + s->pos, n);
  s->pos += n;
  *written = n;
  return 0;
}

static int32_t rewind_source(void *userdata) {
  struct source *s = (struct source *)userdata;
  s->pos = 0;
  s->rewinds++;
  return 0;
}

struct counter {
  uint64_t bytes;
  uint64_t total;
};

static int32_t count_progress(void *userdata, uint64_t increment, uint64_t transferred, uint64_t total) {
  struct counter *c = (struct counter *)userdata;
  c->bytes += increment;
  c->total = total;
  (void)transferred;
  return 0;
}

/* Uploads part `number` with the request as set; returns its ETag (the caller frees it). */
static char *upload(ossffi_client *client, ossffi_request *request, uint32_t number, const uint8_t *expected,
                    size_t len) {
  ossffi_response *response = NULL;
  ossffi_error *err = NULL;
  char *etag = NULL;
  CHECK_RESULT(ossffi_request_set_part_number(request, number), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_client_upload_part(client, request, &response, &err), OSSFFI_RESULT_OK);
  if (err != NULL) {
    fprintf(stderr, "part %u: %s %s\n", number, ossffi_error_code(err), ossffi_error_message(err));
    ossffi_error_free(err);
  }
  if (response != NULL) {
    char number_text[16];
    char crc_text[32];
    uint64_t crc = 0;
    CHECK_RESULT(ossffi_crc64(0, expected, len, &crc), OSSFFI_RESULT_OK);
    snprintf(number_text, sizeof number_text, "%u", number);
    snprintf(crc_text, sizeof crc_text, "%llu", (unsigned long long)crc);
    CHECK(ossffi_response_http_status(response) == 200);
    CHECK_STR(ossffi_response_field(response, "PartNumber"), number_text);
    CHECK_STR(ossffi_response_field(response, "CRC64"), crc_text);
    const char *e = ossffi_response_field(response, "ETag");
    CHECK(e != NULL && strlen(e) == 32 && strchr(e, '"') == NULL);
    etag = strdup(e != NULL ? e : "");
  }
  ossffi_response_free(response);
  return etag;
}

static void check_object(ossffi_client *client, const char *key, const uint8_t *data, size_t len,
                         const char *etag) {
  ossffi_request *request = object_request(key);
  ossffi_response *response = NULL;
  CHECK_RESULT(ossffi_client_get_object(client, request, &response, NULL), OSSFFI_RESULT_OK);
  if (response != NULL) {
    size_t got = 0;
    const uint8_t *body = ossffi_response_body(response, &got);
    CHECK(got == len && memcmp(body, data, len) == 0);
    CHECK_STR(ossffi_response_field(response, "ETag"), etag);
    uint64_t crc = 0;
    char crc_text[32];
    CHECK_RESULT(ossffi_crc64(0, data, len, &crc), OSSFFI_RESULT_OK);
    snprintf(crc_text, sizeof crc_text, "%llu", (unsigned long long)crc);
    CHECK_STR(ossffi_response_field(response, "CRC64"), crc_text);
  }
  ossffi_response_free(response);
  ossffi_request_free(request);
}

static int ends_with(const char *s, const char *suffix) {
  size_t a = strlen(s), b = strlen(suffix);
  return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* Three parts from a buffer, a file range and a read callback, completed with a part list and
 * read back whole. */
static void three_parts_from_buffer_file_range_and_callback(ossffi_client *client, const uint8_t *data) {
  const char *key = "c/multipart/three.bin";
  char *id = initiate(client, key);
  char path[] = "/tmp/ossffi-multipart-XXXXXX";
  int fd = mkstemp(path);
  CHECK(fd >= 0);
  /* The file holds 7 bytes of junk, then part 2, then more junk: only the range may be sent. */
  CHECK(write(fd, "garbage", 7) == 7);
  CHECK(write(fd, data + PART, PART) == PART);
  CHECK(write(fd, "tail", 4) == 4);
  close(fd);

  ossffi_request *request = object_request(key);
  CHECK_RESULT(ossffi_request_set_upload_id(request, id), OSSFFI_RESULT_OK);
  struct counter progress = {0, 0};
  CHECK_RESULT(ossffi_request_set_progress(request, count_progress, &progress), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_set_body_buffer(request, data, PART), OSSFFI_RESULT_OK);
  char *e1 = upload(client, request, 1, data, PART);
  CHECK(progress.bytes == PART && progress.total == PART);
  CHECK_RESULT(ossffi_request_set_body_file_range(request, path, 7, PART), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_set_compute_content_md5(request, 1), OSSFFI_RESULT_OK);
  char *e2 = upload(client, request, 2, data + PART, PART);
  struct source s = {data + 2 * PART, LAST, 0, 0};
  CHECK_RESULT(ossffi_request_set_body_callback(request, read_source, rewind_source, &s, LAST), OSSFFI_RESULT_OK);
  char *e3 = upload(client, request, 3, data + 2 * PART, LAST);
  CHECK(s.pos == LAST);
  /* The callback body again: rewound first, and the same part replaced. */
  free(e3);
  e3 = upload(client, request, 3, data + 2 * PART, LAST);
  CHECK(s.rewinds >= 1);
  unlink(path);
  ossffi_request_free(request);

  /* ListParts sees the three, with their sizes, ETags and CRC-64s. */
  request = object_request(key);
  CHECK_RESULT(ossffi_request_set_upload_id(request, id), OSSFFI_RESULT_OK);
  ossffi_response *response = NULL;
  CHECK_RESULT(ossffi_client_list_parts(client, request, &response, NULL), OSSFFI_RESULT_OK);
  CHECK(ossffi_response_list_len(response, "Part") == 3);
  CHECK_STR(ossffi_response_list_field(response, "Part", 0, "PartNumber"), "1");
  CHECK_STR(ossffi_response_list_field(response, "Part", 0, "ETag"), e1);
  CHECK_STR(ossffi_response_list_field(response, "Part", 1, "Size"), "102400");
  CHECK_STR(ossffi_response_list_field(response, "Part", 2, "Size"), "3000");
  CHECK_STR(ossffi_response_list_field(response, "Part", 2, "ETag"), e3);
  CHECK_STR(ossffi_response_field(response, "IsTruncated"), "false");
  CHECK_STR(ossffi_response_field(response, "UploadId"), id);
  ossffi_response_free(response);

  CHECK_RESULT(ossffi_request_add_part(request, 1, e1), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_add_part(request, 2, e2), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_add_part(request, 3, e3), OSSFFI_RESULT_OK);
  response = NULL;
  CHECK_RESULT(ossffi_client_complete_multipart_upload(client, request, &response, NULL), OSSFFI_RESULT_OK);
  char *etag = NULL;
  if (response != NULL) {
    CHECK(ossffi_response_http_status(response) == 200);
    CHECK_STR(ossffi_response_field(response, "Key"), key);
    CHECK_STR(ossffi_response_field(response, "Bucket"), env("OSSFFI_TEST_BUCKET"));
    const char *e = ossffi_response_field(response, "ETag");
    CHECK(e != NULL && ends_with(e, "-3"));
    etag = strdup(e != NULL ? e : "");
    uint64_t crc = 0;
    char crc_text[32];
    CHECK_RESULT(ossffi_crc64(0, data, TOTAL, &crc), OSSFFI_RESULT_OK);
    snprintf(crc_text, sizeof crc_text, "%llu", (unsigned long long)crc);
    CHECK_STR(ossffi_response_field(response, "CRC64"), crc_text);
    size_t len = 99;
    ossffi_response_body(response, &len);
    CHECK(len == 0); /* no callback, no body */
  }
  ossffi_response_free(response);
  ossffi_request_free(request);
  check_object(client, key, data, TOTAL, etag != NULL ? etag : "");
  free(etag);
  free(e1);
  free(e2);
  free(e3);
  free(id);
}

/* Uploads two parts (PART bytes, then `LAST`) of `data` to upload `id` from a buffer. */
static void upload_two(ossffi_client *client, const char *key, const char *id, const uint8_t *data) {
  ossffi_request *request = object_request(key);
  CHECK_RESULT(ossffi_request_set_upload_id(request, id), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_set_body_buffer(request, data, PART), OSSFFI_RESULT_OK);
  free(upload(client, request, 1, data, PART));
  CHECK_RESULT(ossffi_request_set_body_buffer(request, data + PART, LAST), OSSFFI_RESULT_OK);
  free(upload(client, request, 2, data + PART, LAST));
  ossffi_request_free(request);
}

static void complete_all_takes_every_part(ossffi_client *client, const uint8_t *data) {
  const char *key = "c/multipart/all.bin";
  char *id = initiate(client, key);
  upload_two(client, key, id, data);
  ossffi_request *request = object_request(key);
  CHECK_RESULT(ossffi_request_set_upload_id(request, id), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_set_complete_all(request, 1), OSSFFI_RESULT_OK);
  ossffi_response *response = NULL;
  CHECK_RESULT(ossffi_client_complete_multipart_upload(client, request, &response, NULL), OSSFFI_RESULT_OK);
  char *etag = NULL;
  if (response != NULL) {
    const char *e = ossffi_response_field(response, "ETag");
    CHECK(e != NULL && ends_with(e, "-2"));
    etag = strdup(e != NULL ? e : "");
  }
  ossffi_response_free(response);
  ossffi_request_free(request);
  check_object(client, key, data, PART + LAST, etag != NULL ? etag : "");
  free(etag);
  free(id);
}

static void set_callback(ossffi_request *request, const char *url) {
  ossffi_callback_builder *b = ossffi_callback_builder_new();
  char *callback = NULL;
  CHECK_RESULT(ossffi_callback_builder_set_url(b, url), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_callback_builder_set_body(b, "object=${object}"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_callback_builder_build(b, &callback), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_set_callback(request, callback, ""), OSSFFI_RESULT_OK);
  ossffi_string_free(callback);
  ossffi_callback_builder_free(b);
}

static void complete_with_a_callback(ossffi_client *client, const uint8_t *data) {
  const char *key = "c/multipart/callback.bin";
  char *id = initiate(client, key);
  upload_two(client, key, id, data);
  ossffi_request *request = object_request(key);
  CHECK_RESULT(ossffi_request_set_upload_id(request, id), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_set_complete_all(request, 1), OSSFFI_RESULT_OK);
  set_callback(request, env("OSSFFI_TEST_CALLBACK_URL"));
  ossffi_response *response = NULL;
  CHECK_RESULT(ossffi_client_complete_multipart_upload(client, request, &response, NULL), OSSFFI_RESULT_OK);
  if (response != NULL) {
    const char *expected = "{\"Status\":\"OK\",\"object\":\"c/multipart/callback.bin\"}";
    size_t len = 0;
    const uint8_t *body = ossffi_response_body(response, &len);
    CHECK(len == strlen(expected) && memcmp(body, expected, len) == 0);
    const char *e = ossffi_response_field(response, "ETag");
    CHECK(e != NULL && ends_with(e, "-2"));
  }
  ossffi_response_free(response);
  ossffi_request_free(request);
  free(id);

  /* A receiver that is not there: 203, CALLBACK_FAILED, and the object was stored. */
  key = "c/multipart/dead-callback.bin";
  id = initiate(client, key);
  upload_two(client, key, id, data);
  request = object_request(key);
  CHECK_RESULT(ossffi_request_set_upload_id(request, id), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_set_complete_all(request, 1), OSSFFI_RESULT_OK);
  set_callback(request, env("OSSFFI_TEST_DEAD_CALLBACK_URL"));
  ossffi_error *err = expect_error(ossffi_client_complete_multipart_upload, client, request,
                                   OSSFFI_RESULT_CALLBACK_FAILED, "CallbackFailed", 203);
  if (err != NULL) CHECK(ossffi_error_object_stored(err) == OSSFFI_OBJECT_STORED_YES);
  ossffi_error_free(err);
  ossffi_request_free(request);
  free(id);
  request = object_request(key);
  bool exists = false;
  CHECK_RESULT(ossffi_client_does_object_exist(client, request, &exists, NULL), OSSFFI_RESULT_OK);
  CHECK(exists);
  ossffi_request_free(request);
}

static void abort_discards_the_upload(ossffi_client *client, const uint8_t *data) {
  const char *key = "c/multipart/aborted.bin";
  char *id = initiate(client, key);
  upload_two(client, key, id, data);
  ossffi_request *request = object_request(key);
  CHECK_RESULT(ossffi_request_set_upload_id(request, id), OSSFFI_RESULT_OK);
  ossffi_response *response = NULL;
  CHECK_RESULT(ossffi_client_abort_multipart_upload(client, request, &response, NULL), OSSFFI_RESULT_OK);
  CHECK(ossffi_response_http_status(response) == 204);
  ossffi_response_free(response);
  ossffi_error_free(expect_error(ossffi_client_list_parts, client, request, OSSFFI_RESULT_SERVER_ERROR,
                                 "NoSuchUpload", 404));
  ossffi_error_free(expect_error(ossffi_client_abort_multipart_upload, client, request, OSSFFI_RESULT_SERVER_ERROR,
                                 "NoSuchUpload", 404));
  CHECK_RESULT(ossffi_request_set_part_number(request, 1), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_set_body_buffer(request, data, 10), OSSFFI_RESULT_OK);
  ossffi_error_free(
      expect_error(ossffi_client_upload_part, client, request, OSSFFI_RESULT_SERVER_ERROR, "NoSuchUpload", 404));
  ossffi_request_free(request);
  free(id);
}

static void lists_page(ossffi_client *client, const uint8_t *data) {
  /* ListParts, one part a page. */
  const char *key = "c/multipart/paged.bin";
  char *id = initiate(client, key);
  upload_two(client, key, id, data);
  ossffi_request *request = object_request(key);
  CHECK_RESULT(ossffi_request_set_upload_id(request, id), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_set_parameter(request, "max-parts", "1"), OSSFFI_RESULT_OK);
  ossffi_response *response = NULL;
  CHECK_RESULT(ossffi_client_list_parts(client, request, &response, NULL), OSSFFI_RESULT_OK);
  CHECK(ossffi_response_list_len(response, "Part") == 1);
  CHECK_STR(ossffi_response_list_field(response, "Part", 0, "PartNumber"), "1");
  CHECK_STR(ossffi_response_field(response, "IsTruncated"), "true");
  CHECK_STR(ossffi_response_field(response, "NextPartNumberMarker"), "1");
  CHECK_STR(ossffi_response_field(response, "MaxParts"), "1");
  ossffi_response_free(response);
  CHECK_RESULT(ossffi_request_set_parameter(request, "part-number-marker", "1"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_client_list_parts(client, request, &response, NULL), OSSFFI_RESULT_OK);
  CHECK(ossffi_response_list_len(response, "Part") == 1);
  CHECK_STR(ossffi_response_list_field(response, "Part", 0, "PartNumber"), "2");
  CHECK_STR(ossffi_response_list_field(response, "Part", 0, "Size"), "3000");
  CHECK_STR(ossffi_response_field(response, "IsTruncated"), "false");
  ossffi_response_free(response);
  ossffi_request_free(request);

  /* ListMultipartUploads under a prefix of its own: two uploads, one a page, and a delimiter. */
  char *id2 = initiate(client, "c/mpu-list/a");
  char *id3 = initiate(client, "c/mpu-list/b");
  char *id4 = initiate(client, "c/mpu-list/dir/c");
  CHECK_RESULT(ossffi_request_new(env("OSSFFI_TEST_BUCKET"), NULL, &request), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_set_parameter(request, "prefix", "c/mpu-list/"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_set_parameter(request, "delimiter", "/"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_set_parameter(request, "max-uploads", "1"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_client_list_multipart_uploads(client, request, &response, NULL), OSSFFI_RESULT_OK);
  CHECK(ossffi_response_list_len(response, "Upload") == 1);
  CHECK_STR(ossffi_response_list_field(response, "Upload", 0, "Key"), "c/mpu-list/a");
  CHECK_STR(ossffi_response_list_field(response, "Upload", 0, "UploadId"), id2);
  const char *initiated = ossffi_response_list_field(response, "Upload", 0, "Initiated");
  CHECK(initiated != NULL && strlen(initiated) > 0);
  CHECK_STR(ossffi_response_field(response, "IsTruncated"), "true");
  CHECK_STR(ossffi_response_field(response, "NextKeyMarker"), "c/mpu-list/a");
  CHECK_STR(ossffi_response_field(response, "NextUploadIdMarker"), id2);
  CHECK_RESULT(ossffi_request_set_parameter(request, "key-marker", ossffi_response_field(response, "NextKeyMarker")),
               OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_set_parameter(request, "upload-id-marker",
                                            ossffi_response_field(response, "NextUploadIdMarker")),
               OSSFFI_RESULT_OK);
  ossffi_response_free(response);
  CHECK_RESULT(ossffi_request_set_parameter(request, "max-uploads", "10"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_client_list_multipart_uploads(client, request, &response, NULL), OSSFFI_RESULT_OK);
  CHECK(ossffi_response_list_len(response, "Upload") == 1);
  CHECK_STR(ossffi_response_list_field(response, "Upload", 0, "Key"), "c/mpu-list/b");
  CHECK_STR(ossffi_response_list_field(response, "Upload", 0, "UploadId"), id3);
  CHECK(ossffi_response_list_len(response, "CommonPrefixes") == 1);
  CHECK_STR(ossffi_response_list_field(response, "CommonPrefixes", 0, "Prefix"), "c/mpu-list/dir/");
  CHECK_STR(ossffi_response_field(response, "IsTruncated"), "false");
  ossffi_response_free(response);
  ossffi_request_free(request);
  free(id);
  free(id2);
  free(id3);
  free(id4);
}

static int32_t cancel_progress(void *userdata, uint64_t increment, uint64_t transferred, uint64_t total) {
  (void)userdata;
  (void)increment;
  (void)total;
  return transferred > 0 ? 9 : 0;
}

/* A sequential upload of a whole file as its one part; a cancelled part; a read callback without
 * a rewind cannot be sent twice. */
static void more_bodies_and_failures(ossffi_client *client, const uint8_t *data) {
  const char *key = "c/multipart/sequential.bin";
  ossffi_request *request = object_request(key);
  CHECK_RESULT(ossffi_request_set_sequential(request, 1), OSSFFI_RESULT_OK);
  ossffi_response *response = NULL;
  CHECK_RESULT(ossffi_client_initiate_multipart_upload(client, request, &response, NULL), OSSFFI_RESULT_OK);
  char *id = strdup(response != NULL ? ossffi_response_field(response, "UploadId") : "");
  ossffi_response_free(response);
  ossffi_request_free(request);

  char path[] = "/tmp/ossffi-multipart-whole-XXXXXX";
  int fd = mkstemp(path);
  CHECK(fd >= 0);
  CHECK(write(fd, data, LAST) == LAST);
  close(fd);
  request = object_request(key);
  CHECK_RESULT(ossffi_request_set_upload_id(request, id), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_set_body_file(request, path), OSSFFI_RESULT_OK);
  char *etag = upload(client, request, 1, data, LAST);
  unlink(path);

  /* An output file is GetObject's alone. */
  CHECK_RESULT(ossffi_request_set_output_file(request, path), OSSFFI_RESULT_OK);
  expect_refused(ossffi_client_upload_part, client, request,
                 "UploadPart does not take an output file; only GetObject and GetObjectByUrl do");
  ossffi_request_free(request);

  /* A progress callback that returns non-zero cancels the part (on an upload of its own: a
   * sequential upload does not take a part twice). */
  char *other = initiate(client, "c/multipart/cancelled.bin");
  request = object_request("c/multipart/cancelled.bin");
  CHECK_RESULT(ossffi_request_set_upload_id(request, other), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_set_body_buffer(request, data, PART), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_set_part_number(request, 2), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_set_progress(request, cancel_progress, NULL), OSSFFI_RESULT_OK);
  ossffi_error *err = NULL;
  response = (ossffi_response *)&response;
  CHECK_RESULT(ossffi_client_upload_part(client, request, &response, &err), OSSFFI_RESULT_ABORTED_BY_CALLBACK);
  CHECK(response == NULL);
  ossffi_error_free(err);
  CHECK_RESULT(ossffi_request_set_progress(request, NULL, NULL), OSSFFI_RESULT_OK);

  /* A read callback without a rewind is read once. */
  struct source s = {data, 10, 0, 0};
  CHECK_RESULT(ossffi_request_set_body_callback(request, read_source, NULL, &s, 10), OSSFFI_RESULT_OK);
  free(upload(client, request, 2, data, 10));
  expect_refused(ossffi_client_upload_part, client, request,
                 "this request's read callback was consumed by an earlier upload and has no rewind function; set "
                 "the body again");
  ossffi_request_free(request);
  request = object_request("c/multipart/cancelled.bin");
  CHECK_RESULT(ossffi_request_set_upload_id(request, other), OSSFFI_RESULT_OK);
  response = NULL;
  CHECK_RESULT(ossffi_client_abort_multipart_upload(client, request, &response, NULL), OSSFFI_RESULT_OK);
  ossffi_response_free(response);
  ossffi_request_free(request);
  free(other);

  /* Completed with part 1 alone, the object is the file. */
  request = object_request(key);
  CHECK_RESULT(ossffi_request_set_upload_id(request, id), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_add_part(request, 1, etag), OSSFFI_RESULT_OK);
  response = NULL;
  CHECK_RESULT(ossffi_client_complete_multipart_upload(client, request, &response, NULL), OSSFFI_RESULT_OK);
  char *whole = strdup(response != NULL ? ossffi_response_field(response, "ETag") : "");
  CHECK(ends_with(whole, "-1"));
  ossffi_response_free(response);
  ossffi_request_free(request);
  check_object(client, key, data, LAST, whole);
  free(whole);
  free(etag);
  free(id);
}

/* The uppercase hex MD5 of `len` bytes at `data`, as OSS's ETag shows it (the caller frees it). */
static char *md5_etag(const uint8_t *data, size_t len) {
  ossffi_md5 *md5 = ossffi_md5_new();
  char *etag = NULL;
  CHECK_RESULT(ossffi_md5_update(md5, data, len), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_md5_etag(md5, &etag), OSSFFI_RESULT_OK);
  ossffi_md5_free(md5);
  return etag;
}

/* Copies part `number` with the request as set; checks its fields, returns its ETag (the caller
 * frees it with ossffi_string_free). */
static char *copy_part(ossffi_client *client, ossffi_request *request, uint32_t number, const uint8_t *expected,
                       size_t len) {
  ossffi_response *response = NULL;
  ossffi_error *err = NULL;
  char *etag = md5_etag(expected, len);
  CHECK_RESULT(ossffi_request_set_part_number(request, number), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_client_upload_part_copy(client, request, &response, &err), OSSFFI_RESULT_OK);
  if (err != NULL) {
    fprintf(stderr, "copied part %u: %s %s\n", number, ossffi_error_code(err), ossffi_error_message(err));
    ossffi_error_free(err);
  }
  if (response != NULL) {
    CHECK(ossffi_response_http_status(response) == 200);
    CHECK_STR(ossffi_response_field(response, "ETag"), etag);
    const char *modified = ossffi_response_field(response, "LastModified");
    CHECK(modified != NULL && strlen(modified) == 24 && ends_with(modified, ".000Z"));
    CHECK_STR(ossffi_response_field(response, "SourceVersionId"), "");
  }
  ossffi_response_free(response);
  return etag;
}

/* Two ranges of an object copied into parts by OSS, completed and read back; a failed source
 * condition is PreconditionFailed; the copy settings are refused by other verbs. */
static void upload_part_copy_joins_two_ranges(ossffi_client *client, const uint8_t *data) {
  const char *source_key = "c/multipart/copy source.bin";
  const char *key = "c/multipart/copied.bin";
  ossffi_request *put = object_request(source_key);
  char *id = initiate(client, source_key);
  /* The source: one part of the whole test data. */
  CHECK_RESULT(ossffi_request_set_upload_id(put, id), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_set_body_buffer(put, data, TOTAL), OSSFFI_RESULT_OK);
  char *source_etag = upload(client, put, 1, data, TOTAL);
  ossffi_request_free(put);
  put = object_request(source_key);
  CHECK_RESULT(ossffi_request_set_upload_id(put, id), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_add_part(put, 1, source_etag), OSSFFI_RESULT_OK);
  ossffi_response *response = NULL;
  CHECK_RESULT(ossffi_client_complete_multipart_upload(client, put, &response, NULL), OSSFFI_RESULT_OK);
  ossffi_response_free(response);
  ossffi_request_free(put);
  free(id);
  free(source_etag);

  id = initiate(client, key);
  ossffi_request *request = object_request(key);
  CHECK_RESULT(ossffi_request_set_upload_id(request, id), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_set_copy_source(request, env("OSSFFI_TEST_BUCKET"), source_key, NULL), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_set_copy_source_range(request, 0, PART - 1), OSSFFI_RESULT_OK);
  char *first = copy_part(client, request, 1, data, PART);
  CHECK_RESULT(ossffi_request_set_copy_source_range(request, PART, TOTAL - 1), OSSFFI_RESULT_OK);
  char *second = copy_part(client, request, 2, data + PART, TOTAL - PART);

  /* A condition that does not hold stores nothing. */
  CHECK_RESULT(ossffi_request_set_header(request, "x-oss-copy-source-if-match", "\"00\""), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_set_part_number(request, 3), OSSFFI_RESULT_OK);
  ossffi_error_free(expect_error(ossffi_client_upload_part_copy, client, request, OSSFFI_RESULT_SERVER_ERROR,
                                 "PreconditionFailed", 412));
  ossffi_request_free(request);
  /* The copy settings belong to UploadPartCopy alone. */
  request = object_request(key);
  CHECK_RESULT(ossffi_request_set_upload_id(request, id), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_set_copy_source(request, env("OSSFFI_TEST_BUCKET"), source_key, "v1"), OSSFFI_RESULT_OK);
  expect_refused(ossffi_client_list_parts, client, request,
                 "ListParts does not take a copy source; only UploadPartCopy does");
  CHECK_RESULT(ossffi_request_set_copy_source(request, NULL, NULL, NULL), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_set_part_number(request, 3), OSSFFI_RESULT_OK);
  expect_refused(ossffi_client_upload_part_copy, client, request,
                 "UploadPartCopy needs a copy source; set it with ossffi_request_set_copy_source");
  ossffi_request_free(request);

  request = object_request(key);
  CHECK_RESULT(ossffi_request_set_upload_id(request, id), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_add_part(request, 1, first), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_add_part(request, 2, second), OSSFFI_RESULT_OK);
  response = NULL;
  CHECK_RESULT(ossffi_client_complete_multipart_upload(client, request, &response, NULL), OSSFFI_RESULT_OK);
  char *etag = strdup(response != NULL ? ossffi_response_field(response, "ETag") : "");
  ossffi_response_free(response);
  ossffi_request_free(request);
  check_object(client, key, data, TOTAL, etag);

  request = object_request(key);
  CHECK_RESULT(ossffi_request_set_copy_source_range(request, 1, 2), OSSFFI_RESULT_OK);
  expect_refused(ossffi_client_get_object, client, request,
                 "GetObject does not take a copy source range; only UploadPartCopy does");
  ossffi_request_free(request);
  free(etag);
  ossffi_string_free(first);
  ossffi_string_free(second);
  free(id);
}

static void settings_an_operation_does_not_read_are_refused(ossffi_client *client) {
  ossffi_request *request = object_request("c/multipart/refused");
  CHECK_RESULT(ossffi_request_set_body_buffer(request, (const uint8_t *)"x", 1), OSSFFI_RESULT_OK);
  expect_refused(ossffi_client_initiate_multipart_upload, client, request,
                 "InitiateMultipartUpload does not take a body; only UploadPart, ResumableUploadObject and PutObjectByUrl do");
  expect_refused(ossffi_client_get_object, client, request, "GetObject does not take a body; only UploadPart, ResumableUploadObject and PutObjectByUrl do");
  ossffi_request_free(request);

  request = object_request("c/multipart/refused");
  CHECK_RESULT(ossffi_request_set_part_number(request, 2), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_set_upload_id(request, "u"), OSSFFI_RESULT_OK);
  expect_refused(ossffi_client_list_parts, client, request, "ListParts does not take a part number; only UploadPart and UploadPartCopy do");
  ossffi_request_free(request);

  request = object_request("c/multipart/refused");
  CHECK_RESULT(ossffi_request_set_upload_id(request, "u"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_add_part(request, 1, "E"), OSSFFI_RESULT_OK);
  expect_refused(ossffi_client_abort_multipart_upload, client, request,
                 "AbortMultipartUpload does not take a part list; only CompleteMultipartUpload does");
  CHECK_RESULT(ossffi_request_set_complete_all(request, 1), OSSFFI_RESULT_OK);
  expect_refused(ossffi_client_complete_multipart_upload, client, request,
                 "CompleteMultipartUpload takes a part list or complete-all, not both");
  ossffi_request_free(request);

  request = object_request("c/multipart/refused");
  CHECK_RESULT(ossffi_request_set_progress(request, count_progress, NULL), OSSFFI_RESULT_OK);
  expect_refused(ossffi_client_initiate_multipart_upload, client, request,
                 "InitiateMultipartUpload does not take a progress callback; only GetObject, UploadPart, ResumableUploadObject, PutObjectByUrl and GetObjectByUrl do");
  ossffi_request_free(request);

  /* The core's own checks: an upload id, sequential mode, Content-MD5. */
  request = object_request("c/multipart/refused");
  CHECK_RESULT(ossffi_request_set_upload_id(request, "u"), OSSFFI_RESULT_OK);
  expect_refused(ossffi_client_initiate_multipart_upload, client, request,
                 "InitiateMultipartUpload does not take an upload id; only UploadPart, UploadPartCopy, "
                 "CompleteMultipartUpload, AbortMultipartUpload and ListParts do");
  ossffi_request_free(request);
  request = object_request("c/multipart/refused");
  CHECK_RESULT(ossffi_request_set_sequential(request, 1), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_set_upload_id(request, "u"), OSSFFI_RESULT_OK);
  expect_refused(ossffi_client_list_parts, client, request,
                 "ListParts does not take sequential mode; only InitiateMultipartUpload does");
  ossffi_request_free(request);
}

static void validation_errors(ossffi_client *client) {
  ossffi_request *request = object_request("c/multipart/invalid");
  /* UploadPart and its neighbours need an upload id. */
  CHECK_RESULT(ossffi_request_set_part_number(request, 1), OSSFFI_RESULT_OK);
  expect_refused(ossffi_client_upload_part, client, request,
                 "UploadPart needs the upload id that InitiateMultipartUpload returned; the request has none");
  CHECK_RESULT(ossffi_request_set_upload_id(request, "u"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_set_part_number(request, 0), OSSFFI_RESULT_OK);
  ossffi_error *err =
      expect_error(ossffi_client_upload_part, client, request, OSSFFI_RESULT_VALIDATE_ERROR, "ValidateError", 0);
  if (err != NULL)
    CHECK_STR(ossffi_error_message(err), "PartNumber should not be less than 1 or greater than 10000.");
  ossffi_error_free(err);
  CHECK_RESULT(ossffi_request_set_part_number(request, 10001), OSSFFI_RESULT_OK);
  ossffi_error_free(
      expect_error(ossffi_client_upload_part, client, request, OSSFFI_RESULT_VALIDATE_ERROR, "ValidateError", 0));
  ossffi_request_free(request);

  /* UploadPart without a part number. */
  request = object_request("c/multipart/invalid");
  CHECK_RESULT(ossffi_request_set_upload_id(request, "u"), OSSFFI_RESULT_OK);
  expect_refused(ossffi_client_upload_part, client, request,
                 "UploadPart needs a part number; set it with ossffi_request_set_part_number");
  /* Complete with no parts. */
  err = expect_error(ossffi_client_complete_multipart_upload, client, request, OSSFFI_RESULT_VALIDATE_ERROR,
                     "ValidateError", 0);
  if (err != NULL) CHECK_STR(ossffi_error_message(err), "PartList is empty.");
  ossffi_error_free(err);
  ossffi_request_free(request);
}

int main(void) {
  ossffi_client *client = make_client();
  uint8_t *data = make_data(TOTAL);
  three_parts_from_buffer_file_range_and_callback(client, data);
  complete_all_takes_every_part(client, data);
  complete_with_a_callback(client, data);
  abort_discards_the_upload(client, data);
  lists_page(client, data);
  more_bodies_and_failures(client, data);
  upload_part_copy_joins_two_ranges(client, data);
  settings_an_operation_does_not_read_are_refused(client);
  validation_errors(client);
  free(data);
  ossffi_client_free(client);
  return finish();
}
