/* The resumable upload through the C API against the emulator: a file set as the request's body,
 * the simple path (one PutObject) and the multipart path (parts on worker threads), progress from
 * those threads, cancel with and without a checkpoint directory, resume, and the SDK's validation.
 * The emulator's address, keys and callback receiver come from the environment the Rust harness
 * sets (OSSFFI_TEST_*).
 *
 * Run with the arguments `checkpoint-vector <endpoint> <workdir> <bucket> <key> <file> <part size>
 * <threads>` (tests/c_api.rs does, against a scripted server), it instead runs one upload from
 * <workdir> with the checkpoint directory `ckpt` and cancels it at the first progress call, so the
 * harness can compare the record left behind with the C++ SDK's (vectors/checkpoints.json). */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <pthread.h>
#include <sys/stat.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "ossffi.h"

#define KIB 1024
#define LARGE (1024 * KIB + 4321) /* 1 MiB and a few bytes: a short last part */

static const char *env(const char *name) {
  const char *value = getenv(name);
  if (value == NULL) {
    fprintf(stderr, "%s is not set: run this program through `cargo test --test c_api`\n", name);
    exit(2);
  }
  return value;
}

static ossffi_client *client_for(const char *endpoint, const char *key_id, const char *secret, const char *region) {
  ossffi_client_config *config = ossffi_client_config_new();
  ossffi_client_config_set_region(config, region);
  ossffi_client_config_set_retry_scale_ms(config, 10);
  ossffi_client *client = NULL;
  CHECK_RESULT(ossffi_client_new(endpoint, key_id, secret, NULL, config, &client, NULL), OSSFFI_RESULT_OK);
  ossffi_client_config_free(config);
  return client;
}

static ossffi_request *object_request(const char *key) {
  ossffi_request *request = NULL;
  CHECK_RESULT(ossffi_request_new(env("OSSFFI_TEST_BUCKET"), key, &request), OSSFFI_RESULT_OK);
  return request;
}

/* Test data with no short period, so a misplaced byte cannot match by chance. */
static uint8_t *make_data(size_t len, uint32_t seed) {
  uint8_t *data = malloc(len);
  uint32_t x = seed;
  for (size_t i = 0; i < len; i++) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    data[i] = (uint8_t)x;
  }
  return data;
}

static char work_dir[64];

static char *path_in(const char *dir, const char *name) {
  size_t len = strlen(dir) + strlen(name) + 2;
  char *path = malloc(len);
  snprintf(path, len, "%s/%s", dir, name);
  return path;
}

static char *write_file(const char *name, const uint8_t *data, size_t len) {
  char *path = path_in(work_dir, name);
  FILE *f = fopen(path, "wb");
  CHECK(f != NULL);
  if (f != NULL) {
    CHECK(fwrite(data, 1, len, f) == len);
    fclose(f);
  }
  return path;
}

/* How many entries other than . and .. a directory holds. */
static int entries(const char *dir) {
  DIR *d = opendir(dir);
  if (d == NULL) return -1;
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) n++;
  }
  closedir(d);
  return n;
}

/* Removes a directory and the files in it (no subdirectories). */
static void remove_dir(const char *dir) {
  DIR *d = opendir(dir);
  if (d == NULL) return;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    char *path = path_in(dir, e->d_name);
    unlink(path);
    free(path);
  }
  closedir(d);
  rmdir(dir);
}

/* What the progress callback saw. It runs on ossffi's worker threads, one call at a time: a call
 * that finds another still inside counts as overlapping. */
struct progress {
  int inside;
  int overlapping;
  uint64_t calls;
  uint64_t increments;
  uint64_t last;
  uint64_t total;
  int went_back;
  int wrong_total;
  uint64_t cancel_at; /* 0: never */
  int cancelled;
  pthread_t caller;
  int on_caller; /* calls made on the thread that called the upload */
};

static int32_t record_progress(void *userdata, uint64_t increment, uint64_t transferred, uint64_t total) {
  struct progress *p = (struct progress *)userdata;
  HAPPENS_AFTER(p); /* the upload's start, or the previous progress call on another thread */
  if (__atomic_exchange_n(&p->inside, 1, __ATOMIC_ACQ_REL) != 0) p->overlapping++;
  int32_t code = 0;
  p->calls++;
  if (pthread_equal(pthread_self(), p->caller)) p->on_caller++;
  p->increments += increment;
  if (transferred < p->last) p->went_back++;
  p->last = transferred;
  if (total != p->total) p->wrong_total++;
  if (p->cancel_at != 0 && transferred >= p->cancel_at) {
    p->cancelled++;
    code = 7;
  }
  __atomic_store_n(&p->inside, 0, __ATOMIC_RELEASE);
  HAPPENS_BEFORE(p);
  return code;
}

static uint64_t crc_of(const uint8_t *data, size_t len) {
  uint64_t crc = 0;
  CHECK_RESULT(ossffi_crc64(0, data, len, &crc), OSSFFI_RESULT_OK);
  return crc;
}

static bool ends_with(const char *s, const char *suffix) {
  size_t a = strlen(s), b = strlen(suffix);
  return a >= b && strcmp(s + a - b, suffix) == 0;
}

static void check_body(const ossffi_response *response, const char *expected) {
  size_t len = 0;
  const uint8_t *body = ossffi_response_body(response, &len);
  CHECK(len == strlen(expected) && memcmp(body, expected, len) == 0);
  if (len != strlen(expected)) fprintf(stderr, "body: %.*s\n", (int)len, (const char *)body);
}

/* Reads the object back and compares it with `data`. */
static void check_stored(ossffi_client *client, const char *key, const uint8_t *data, size_t len) {
  ossffi_request *request = object_request(key);
  ossffi_response *response = NULL;
  CHECK_RESULT(ossffi_client_get_object(client, request, &response, NULL), OSSFFI_RESULT_OK);
  if (response != NULL) {
    size_t got = 0;
    const uint8_t *body = ossffi_response_body(response, &got);
    CHECK(got == len && memcmp(body, data, len) == 0);
  }
  ossffi_response_free(response);
  ossffi_request_free(request);
}

static void set_callback(ossffi_request *request, const char *body, ossffi_callback_body_type type, bool with_var) {
  ossffi_callback_builder *b = ossffi_callback_builder_new();
  char *callback = NULL;
  char *callback_var = NULL;
  CHECK_RESULT(ossffi_callback_builder_set_url(b, env("OSSFFI_TEST_CALLBACK_URL")), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_callback_builder_set_body(b, body), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_callback_builder_set_body_type(b, type), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_callback_builder_build(b, &callback), OSSFFI_RESULT_OK);
  if (with_var) {
    ossffi_callback_var_builder *v = ossffi_callback_var_builder_new();
    CHECK_RESULT(ossffi_callback_var_builder_add(v, "x:origin", "resumable.c"), OSSFFI_RESULT_OK);
    CHECK_RESULT(ossffi_callback_var_builder_add(v, "x:run", "42"), OSSFFI_RESULT_OK);
    CHECK_RESULT(ossffi_callback_var_builder_build(v, &callback_var), OSSFFI_RESULT_OK);
    ossffi_callback_var_builder_free(v);
  }
  CHECK_RESULT(ossffi_request_set_callback(request, callback, with_var ? callback_var : ""), OSSFFI_RESULT_OK);
  ossffi_string_free(callback);
  ossffi_string_free(callback_var);
  ossffi_callback_builder_free(b);
}

/* A file no larger than the part size: one PutObject, the callback's reply returned. */
static void small_file_is_one_put_with_the_callback_reply(ossffi_client *client) {
  const char *key = "c/resumable/small.txt";
  size_t len = 5000;
  uint8_t *data = make_data(len, 11);
  char *path = write_file("small.txt", data, len);
  ossffi_request *request = object_request(key);
  CHECK_RESULT(ossffi_request_set_body_file(request, path), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_set_header(request, "Content-Type", "text/x-resumable"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_set_header(request, "x-oss-meta-path", "simple"), OSSFFI_RESULT_OK);
  set_callback(request, "object=${object}", OSSFFI_CALLBACK_BODY_TYPE_URL, false);
  struct progress p = {0};
  p.caller = pthread_self();
  p.total = len;
  CHECK_RESULT(ossffi_request_set_progress(request, record_progress, &p), OSSFFI_RESULT_OK);
  HAPPENS_BEFORE(&p); /* the upload's threads use it */
  ossffi_response *response = NULL;
  CHECK_RESULT(ossffi_client_resumable_upload_object(client, request, &response, NULL), OSSFFI_RESULT_OK);
  HAPPENS_AFTER(&p); /* its progress callbacks have returned */
  if (response != NULL) {
    CHECK(ossffi_response_http_status(response) == 200);
    check_body(response, "{\"Status\":\"OK\",\"object\":\"c/resumable/small.txt\"}");
    const char *etag = ossffi_response_field(response, "ETag");
    CHECK(etag != NULL && strlen(etag) == 32 && strchr(etag, '"') == NULL); /* one PutObject: an MD5 */
    char crc[32];
    snprintf(crc, sizeof crc, "%llu", (unsigned long long)crc_of(data, len));
    CHECK_STR(ossffi_response_field(response, "CRC64"), crc);
    const char *request_id = ossffi_response_request_id(response);
    CHECK(request_id != NULL && strlen(request_id) > 0);
    CHECK(ossffi_response_field(response, "VersionId") != NULL);
  }
  CHECK(p.last == len && p.increments == len && p.went_back == 0 && p.wrong_total == 0);
  CHECK(p.calls > 0 && p.on_caller == (int)p.calls); /* one PutObject, on the calling thread */
  ossffi_response_free(response);
  ossffi_request_free(request);

  request = object_request(key);
  CHECK_RESULT(ossffi_client_head_object(client, request, &response, NULL), OSSFFI_RESULT_OK);
  CHECK_STR(ossffi_response_field(response, "ContentType"), "text/x-resumable");
  CHECK_STR(ossffi_response_header(response, "x-oss-meta-path"), "simple");
  ossffi_response_free(response);
  ossffi_request_free(request);
  check_stored(client, key, data, len);
  unlink(path);
  free(path);
  free(data);
}

/* A larger file: parts on 4 threads, a form callback with custom variables, progress across
 * parts, the multipart ETag and the whole object's CRC-64. */
static void large_file_goes_in_parts_on_worker_threads(ossffi_client *client) {
  const char *key = "c/resumable/large.bin";
  uint8_t *data = make_data(LARGE, 22);
  char *path = write_file("large.bin", data, LARGE);
  ossffi_request *request = object_request(key);
  CHECK_RESULT(ossffi_request_set_body_file(request, path), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_set_part_size(request, 200 * KIB), OSSFFI_RESULT_OK); /* 6 parts */
  CHECK_RESULT(ossffi_request_set_thread_num(request, 4), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_set_header(request, "x-oss-meta-path", "multipart"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_set_header(request, "x-oss-object-acl", "private"), OSSFFI_RESULT_OK);
  set_callback(request, "object=${object}&size=${size}&origin=${x:origin}&run=${x:run}", OSSFFI_CALLBACK_BODY_TYPE_URL,
               true);
  struct progress p = {0};
  p.caller = pthread_self();
  p.total = LARGE;
  CHECK_RESULT(ossffi_request_set_progress(request, record_progress, &p), OSSFFI_RESULT_OK);
  HAPPENS_BEFORE(&p); /* the upload's threads use it */
  ossffi_response *response = NULL;
  ossffi_error *err = NULL;
  CHECK_RESULT(ossffi_client_resumable_upload_object(client, request, &response, &err), OSSFFI_RESULT_OK);
  HAPPENS_AFTER(&p); /* its progress callbacks have returned */
  if (err != NULL) fprintf(stderr, "large: %s\n", ossffi_error_message(err));
  CHECK(err == NULL);
  if (response != NULL) {
    check_body(response, "{\"Status\":\"OK\",\"object\":\"c/resumable/large.bin\"}");
    const char *etag = ossffi_response_field(response, "ETag");
    CHECK(etag != NULL && ends_with(etag, "-6") && strchr(etag, '"') == NULL);
    char crc[32];
    snprintf(crc, sizeof crc, "%llu", (unsigned long long)crc_of(data, LARGE));
    CHECK_STR(ossffi_response_field(response, "CRC64"), crc);
    const char *request_id = ossffi_response_request_id(response);
    CHECK(request_id != NULL && strlen(request_id) > 0);
  }
  CHECK(p.overlapping == 0);
  CHECK(p.went_back == 0 && p.wrong_total == 0);
  CHECK(p.last == LARGE && p.increments == LARGE);
  CHECK(p.calls >= 6);   /* at least one call per part */
  CHECK(p.on_caller == 0); /* all from the workers */
  ossffi_response_free(response);
  ossffi_request_free(request);

  request = object_request(key);
  CHECK_RESULT(ossffi_client_head_object(client, request, &response, NULL), OSSFFI_RESULT_OK);
  CHECK_STR(ossffi_response_header(response, "x-oss-meta-path"), "multipart");
  ossffi_response_free(response);
  ossffi_request_free(request);
  check_stored(client, key, data, LARGE);
  unlink(path);
  free(path);
  free(data);
}

/* The same path with a JSON callback body and custom variables: OSS calls back on Complete and
 * the receiver's reply comes back (it replies only to a callback whose signature verifies). */
static void large_file_with_a_json_callback(ossffi_client *client) {
  const char *key = "c/resumable/json.bin";
  uint8_t *data = make_data(LARGE, 23);
  char *path = write_file("json.bin", data, LARGE);
  ossffi_request *request = object_request(key);
  CHECK_RESULT(ossffi_request_set_body_file(request, path), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_set_part_size(request, 300 * KIB), OSSFFI_RESULT_OK); /* 4 parts */
  CHECK_RESULT(ossffi_request_set_thread_num(request, 2), OSSFFI_RESULT_OK);
  set_callback(request, "{\"object\":${object},\"size\":${size},\"origin\":${x:origin},\"run\":${x:run}}",
               OSSFFI_CALLBACK_BODY_TYPE_JSON, true);
  ossffi_response *response = NULL;
  ossffi_error *err = NULL;
  CHECK_RESULT(ossffi_client_resumable_upload_object(client, request, &response, &err), OSSFFI_RESULT_OK);
  if (err != NULL) fprintf(stderr, "json: %s\n", ossffi_error_message(err));
  ossffi_error_free(err);
  if (response != NULL) {
    /* The receiver names the object only from a form body. */
    check_body(response, "{\"Status\":\"OK\",\"object\":\"\"}");
    const char *etag = ossffi_response_field(response, "ETag");
    CHECK(etag != NULL && ends_with(etag, "-4"));
  }
  ossffi_response_free(response);
  ossffi_request_free(request);
  check_stored(client, key, data, LARGE);
  unlink(path);
  free(path);
  free(data);
}

static ossffi_response *list_uploads(ossffi_client *client, const char *prefix) {
  ossffi_request *request = NULL;
  CHECK_RESULT(ossffi_request_new(env("OSSFFI_TEST_BUCKET"), NULL, &request), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_set_parameter(request, "prefix", prefix), OSSFFI_RESULT_OK);
  ossffi_response *response = NULL;
  CHECK_RESULT(ossffi_client_list_multipart_uploads(client, request, &response, NULL), OSSFFI_RESULT_OK);
  ossffi_request_free(request);
  return response;
}

/* Cancelled from the progress callback with a checkpoint directory: the upload and its record
 * stay; the next call resumes from them, sends only the missing bytes and deletes the record. */
static void cancel_with_a_checkpoint_keeps_the_record_and_resumes(ossffi_client *client) {
  const char *key = "c/resumable/resumed.bin";
  uint8_t *data = make_data(LARGE, 33);
  char *path = write_file("resumed.bin", data, LARGE);
  char *ckpt = path_in(work_dir, "ckpt");
  CHECK(mkdir(ckpt, 0700) == 0);
  ossffi_request *request = object_request(key);
  CHECK_RESULT(ossffi_request_set_body_file(request, path), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_set_checkpoint_dir(request, ckpt), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_set_part_size(request, 100 * KIB), OSSFFI_RESULT_OK); /* 11 parts */
  CHECK_RESULT(ossffi_request_set_thread_num(request, 2), OSSFFI_RESULT_OK);
  struct progress p = {0};
  p.caller = pthread_self();
  p.total = LARGE;
  p.cancel_at = 350 * KIB;
  CHECK_RESULT(ossffi_request_set_progress(request, record_progress, &p), OSSFFI_RESULT_OK);
  HAPPENS_BEFORE(&p); /* the upload's threads use it */
  ossffi_response *response = (ossffi_response *)&response;
  ossffi_error *err = NULL;
  CHECK_RESULT(ossffi_client_resumable_upload_object(client, request, &response, &err), OSSFFI_RESULT_ABORTED_BY_CALLBACK);
  HAPPENS_AFTER(&p); /* its progress callbacks have returned */
  CHECK(response == NULL);
  CHECK_STR(ossffi_error_code(err), "ClientError:200042");
  const char *message = ossffi_error_message(err);
  CHECK(message != NULL && strstr(message, "the progress callback returned 7") != NULL);
  CHECK(message != NULL && strstr(message, "is kept and its checkpoint record too") != NULL);
  ossffi_error_free(err);
  CHECK(p.cancelled == 1); /* every worker stopped before its next chunk */
  CHECK(p.overlapping == 0);
  CHECK(entries(ckpt) == 1); /* the record, nothing else */

  ossffi_response *uploads = list_uploads(client, key);
  CHECK(ossffi_response_list_len(uploads, "Upload") == 1);
  ossffi_response_free(uploads);

  /* Again, without cancelling: the parts already sent count from the first call on. */
  struct progress q = {0};
  q.caller = pthread_self();
  q.total = LARGE;
  CHECK_RESULT(ossffi_request_set_progress(request, record_progress, &q), OSSFFI_RESULT_OK);
  HAPPENS_BEFORE(&q); /* the upload's threads use it */
  response = NULL;
  CHECK_RESULT(ossffi_client_resumable_upload_object(client, request, &response, &err), OSSFFI_RESULT_OK);
  HAPPENS_AFTER(&q); /* its progress callbacks have returned */
  if (err != NULL) fprintf(stderr, "resume: %s\n", ossffi_error_message(err));
  ossffi_error_free(err);
  if (response != NULL) {
    const char *etag = ossffi_response_field(response, "ETag");
    CHECK(etag != NULL && ends_with(etag, "-11"));
    char crc[32];
    snprintf(crc, sizeof crc, "%llu", (unsigned long long)crc_of(data, LARGE));
    CHECK_STR(ossffi_response_field(response, "CRC64"), crc);
  }
  CHECK(q.calls > 0 && q.last == LARGE && q.went_back == 0 && q.wrong_total == 0);
  CHECK(q.increments < LARGE); /* the parts found on the server were not sent again */
  CHECK(entries(ckpt) == 0);   /* the record is deleted */
  ossffi_response_free(response);
  ossffi_request_free(request);

  uploads = list_uploads(client, key);
  CHECK(ossffi_response_list_len(uploads, "Upload") == 0);
  ossffi_response_free(uploads);
  check_stored(client, key, data, LARGE);
  rmdir(ckpt);
  free(ckpt);
  unlink(path);
  free(path);
  free(data);
}

/* Cancelled without a checkpoint directory: nothing could resume, so the upload is aborted and no
 * parts are left behind. */
static void cancel_without_a_checkpoint_aborts_the_upload(ossffi_client *client) {
  const char *key = "c/resumable/abandoned.bin";
  uint8_t *data = make_data(LARGE, 44);
  char *path = write_file("abandoned.bin", data, LARGE);
  ossffi_request *request = object_request(key);
  CHECK_RESULT(ossffi_request_set_body_file(request, path), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_set_part_size(request, 256 * KIB), OSSFFI_RESULT_OK);
  struct progress p = {0};
  p.caller = pthread_self();
  p.total = LARGE;
  p.cancel_at = 1;
  CHECK_RESULT(ossffi_request_set_progress(request, record_progress, &p), OSSFFI_RESULT_OK);
  HAPPENS_BEFORE(&p); /* the upload's threads use it */
  ossffi_response *response = NULL;
  ossffi_error *err = NULL;
  CHECK_RESULT(ossffi_client_resumable_upload_object(client, request, &response, &err), OSSFFI_RESULT_ABORTED_BY_CALLBACK);
  HAPPENS_AFTER(&p); /* its progress callbacks have returned */
  CHECK_STR(ossffi_error_code(err), "ClientError:200042");
  const char *message = ossffi_error_message(err);
  CHECK(message != NULL && strstr(message, "was aborted (no checkpoint directory to resume from)") != NULL);
  ossffi_error_free(err);
  CHECK(p.cancelled == 1);
  ossffi_response *uploads = list_uploads(client, key);
  CHECK(ossffi_response_list_len(uploads, "Upload") == 0);
  ossffi_response_free(uploads);
  ossffi_request_free(request);
  request = object_request(key);
  bool exists = true;
  CHECK_RESULT(ossffi_client_does_object_exist(client, request, &exists, NULL), OSSFFI_RESULT_OK);
  CHECK(!exists);
  ossffi_request_free(request);
  unlink(path);
  free(path);
  free(data);
}

static void expect_failure(const ossffi_client *client, const ossffi_request *request, ossffi_result result,
                           const char *code, const char *message) {
  ossffi_response *response = (ossffi_response *)&response;
  ossffi_error *err = NULL;
  CHECK_RESULT(ossffi_client_resumable_upload_object(client, request, &response, &err), result);
  CHECK(response == NULL);
  CHECK_STR(ossffi_error_code(err), code);
  CHECK_STR(ossffi_error_message(err), message);
  ossffi_error_free(err);
}

/* The SDK's checks, in its order, before anything is sent. */
static void invalid_settings_fail_with_the_sdks_messages(ossffi_client *client) {
  uint8_t *data = make_data(1000, 55);
  char *path = write_file("valid.bin", data, 1000);
  ossffi_request *request = object_request("c/resumable/invalid.bin");
  CHECK_RESULT(ossffi_request_set_body_file(request, path), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_set_part_size(request, 102399), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_set_thread_num(request, 0), OSSFFI_RESULT_OK);
  expect_failure(client, request, OSSFFI_RESULT_VALIDATE_ERROR, "ValidateError", "The part size is less than 100KB.");
  CHECK_RESULT(ossffi_request_set_part_size(request, 102400), OSSFFI_RESULT_OK);
  expect_failure(client, request, OSSFFI_RESULT_VALIDATE_ERROR, "ValidateError", "The thread num is less than 1.");
  CHECK_RESULT(ossffi_request_set_thread_num(request, 1), OSSFFI_RESULT_OK);
  char *missing_dir = path_in(work_dir, "no-such-dir");
  CHECK_RESULT(ossffi_request_set_checkpoint_dir(request, missing_dir), OSSFFI_RESULT_OK);
  expect_failure(client, request, OSSFFI_RESULT_VALIDATE_ERROR, "ValidateError", "Checkpoint directory is not exist.");
  CHECK_RESULT(ossffi_request_set_checkpoint_dir(request, path), OSSFFI_RESULT_OK); /* a file, not a directory */
  expect_failure(client, request, OSSFFI_RESULT_VALIDATE_ERROR, "ValidateError", "Checkpoint directory is not exist.");
  CHECK_RESULT(ossffi_request_set_checkpoint_dir(request, NULL), OSSFFI_RESULT_OK);
  char *missing_file = path_in(work_dir, "no-such-file.bin");
  CHECK_RESULT(ossffi_request_set_body_file(request, missing_file), OSSFFI_RESULT_OK);
  expect_failure(client, request, OSSFFI_RESULT_VALIDATE_ERROR, "ValidateError", "Open upload file failed.");
  CHECK_RESULT(ossffi_request_set_body_file(request, work_dir), OSSFFI_RESULT_OK); /* a directory */
  expect_failure(client, request, OSSFFI_RESULT_VALIDATE_ERROR, "ValidateError", "Open upload file failed.");
  ossffi_request_free(request);

  request = NULL;
  CHECK_RESULT(ossffi_request_new(env("OSSFFI_TEST_BUCKET"), "\\bad-key", &request), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_set_body_file(request, path), OSSFFI_RESULT_OK);
  expect_failure(client, request, OSSFFI_RESULT_VALIDATE_ERROR, "ValidateError", "The object key is invalid. An object name should be between 1-1023 bytes long and cannot begin "
                 "with '/' or '\\'");
  ossffi_request_free(request);
  free(missing_file);
  free(missing_dir);
  unlink(path);
  free(path);
  free(data);
}

/* Only a whole file is a resumable upload's body; other settings it does not read are refused,
 * and other verbs refuse its settings. */
static void settings_it_does_not_read_are_refused(ossffi_client *client) {
  const char *message_none = "ResumableUploadObject needs the file to upload; set it with ossffi_request_set_body_file";
  ossffi_request *request = object_request("c/resumable/refused.bin");
  expect_failure(client, request, OSSFFI_RESULT_INVALID_ARGUMENT, "InvalidArgument", message_none);
  CHECK_RESULT(ossffi_request_set_body_buffer(request, (const uint8_t *)"abc", 3), OSSFFI_RESULT_OK);
  expect_failure(client, request, OSSFFI_RESULT_INVALID_ARGUMENT, "InvalidArgument",
                 "ResumableUploadObject uploads a whole file, set with ossffi_request_set_body_file; the request's "
                 "body is a buffer");
  CHECK_RESULT(ossffi_request_set_body_file_range(request, "/etc/hostname", 0, 1), OSSFFI_RESULT_OK);
  expect_failure(client, request, OSSFFI_RESULT_INVALID_ARGUMENT, "InvalidArgument",
                 "ResumableUploadObject uploads a whole file, set with ossffi_request_set_body_file; the request's "
                 "body is a file range");
  CHECK_RESULT(ossffi_request_set_body_file(request, "/etc/hostname"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_set_upload_id(request, "U"), OSSFFI_RESULT_OK);
  expect_failure(client, request, OSSFFI_RESULT_INVALID_ARGUMENT, "InvalidArgument",
                 "ResumableUploadObject does not take an upload id (it starts or resumes its own); only UploadPart, "
                 "UploadPartCopy, CompleteMultipartUpload, AbortMultipartUpload and ListParts do");
  ossffi_request_free(request);

  request = object_request("c/resumable/refused.bin");
  CHECK_RESULT(ossffi_request_set_body_file(request, "/etc/hostname"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_set_part_number(request, 1), OSSFFI_RESULT_OK);
  expect_failure(client, request, OSSFFI_RESULT_INVALID_ARGUMENT, "InvalidArgument",
                 "ResumableUploadObject does not take a part number; only UploadPart and UploadPartCopy do");
  ossffi_request_free(request);

  request = object_request("c/resumable/refused.bin");
  CHECK_RESULT(ossffi_request_set_body_file(request, "/etc/hostname"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_set_parameter(request, "encoding-type", "url"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_set_parameter(request, "prefix", "p"), OSSFFI_RESULT_OK);
  expect_failure(client, request, OSSFFI_RESULT_INVALID_ARGUMENT, "InvalidArgument",
                 "ResumableUploadObject does not take the parameter \"prefix\"; its only parameter is encoding-type");
  ossffi_request_free(request);

  /* Another verb given a resumable upload's settings. */
  request = object_request("c/resumable/refused.bin");
  CHECK_RESULT(ossffi_request_set_part_size(request, 200 * KIB), OSSFFI_RESULT_OK);
  ossffi_response *response = (ossffi_response *)&response;
  ossffi_error *err = NULL;
  CHECK_RESULT(ossffi_client_get_object(client, request, &response, &err), OSSFFI_RESULT_INVALID_ARGUMENT);
  CHECK_STR(ossffi_error_message(err), "GetObject does not take a part size; only ResumableUploadObject does");
  ossffi_error_free(err);
  ossffi_request_free(request);
  request = object_request("c/resumable/refused.bin");
  CHECK_RESULT(ossffi_request_set_thread_num(request, 2), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_client_head_object(client, request, &response, &err), OSSFFI_RESULT_INVALID_ARGUMENT);
  CHECK_STR(ossffi_error_message(err), "HeadObject does not take a thread count; only ResumableUploadObject does");
  ossffi_error_free(err);
  ossffi_request_free(request);
  request = object_request("c/resumable/refused.bin");
  CHECK_RESULT(ossffi_request_set_checkpoint_dir(request, "/tmp"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_client_initiate_multipart_upload(client, request, &response, &err),
               OSSFFI_RESULT_INVALID_ARGUMENT);
  CHECK_STR(ossffi_error_message(err),
            "InitiateMultipartUpload does not take a checkpoint directory; only ResumableUploadObject does");
  ossffi_error_free(err);
  ossffi_request_free(request);
}

static void null_arguments(ossffi_client *client) {
  ossffi_request *request = object_request("c/resumable/null.bin");
  ossffi_response *response = (ossffi_response *)&response;
  ossffi_error *err = (ossffi_error *)&err;
  CHECK_RESULT(ossffi_client_resumable_upload_object(NULL, request, &response, &err), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK(response == NULL && err == NULL);
  CHECK_RESULT(ossffi_client_resumable_upload_object(client, NULL, &response, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_client_resumable_upload_object(client, request, NULL, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_request_set_checkpoint_dir(NULL, "/tmp"), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_request_set_part_size(NULL, 1), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_request_set_thread_num(NULL, 1), OSSFFI_RESULT_NULL_PARAMETER);
  ossffi_request_free(request);
}

/* One upload from `workdir` cancelled at its first progress call, leaving its checkpoint record
 * in `workdir/ckpt` for the harness to compare with the SDK's. */
static int32_t cancel_at_once(void *userdata, uint64_t increment, uint64_t transferred, uint64_t total) {
  (void)increment;
  (void)transferred;
  (void)total;
  HAPPENS_AFTER(userdata);
  (*(int *)userdata)++;
  HAPPENS_BEFORE(userdata);
  return 1;
}

static int checkpoint_vector(char **argv) {
  const char *endpoint = argv[2], *workdir = argv[3], *bucket = argv[4], *key = argv[5], *file = argv[6];
  uint64_t part_size = strtoull(argv[7], NULL, 10);
  uint32_t threads = (uint32_t)strtoul(argv[8], NULL, 10);
  CHECK(chdir(workdir) == 0);
  ossffi_client *client = client_for(endpoint, "LTAI5tVectorKeyId01", "VectorSecretNotChecked", "cn-hangzhou");
  ossffi_request *request = NULL;
  CHECK_RESULT(ossffi_request_new(bucket, key, &request), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_set_body_file(request, file), OSSFFI_RESULT_OK); /* relative, as the vector */
  CHECK_RESULT(ossffi_request_set_checkpoint_dir(request, "ckpt"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_set_part_size(request, part_size), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_set_thread_num(request, threads), OSSFFI_RESULT_OK);
  int calls = 0;
  CHECK_RESULT(ossffi_request_set_progress(request, cancel_at_once, &calls), OSSFFI_RESULT_OK);
  HAPPENS_BEFORE(&calls); /* the upload's threads use it */
  ossffi_response *response = NULL;
  ossffi_error *err = NULL;
  CHECK_RESULT(ossffi_client_resumable_upload_object(client, request, &response, &err), OSSFFI_RESULT_ABORTED_BY_CALLBACK);
  HAPPENS_AFTER(&calls); /* its progress callbacks have returned */
  if (err != NULL && ossffi_error_result(err) != OSSFFI_RESULT_ABORTED_BY_CALLBACK) {
    fprintf(stderr, "checkpoint vector: %s\n", ossffi_error_message(err));
  }
  CHECK(calls == 1);
  CHECK(entries("ckpt") == 1);
  ossffi_error_free(err);
  ossffi_response_free(response);
  ossffi_request_free(request);
  ossffi_client_free(client);
  return finish();
}

int main(int argc, char **argv) {
  if (argc == 9 && strcmp(argv[1], "checkpoint-vector") == 0) return checkpoint_vector(argv);
  strcpy(work_dir, "/tmp/ossffi-resumable-c-XXXXXX");
  if (mkdtemp(work_dir) == NULL) {
    perror("mkdtemp");
    return 2;
  }
  ossffi_client *client = client_for(env("OSSFFI_TEST_ENDPOINT"), env("OSS_ACCESS_KEY_ID"),
                                     env("OSS_ACCESS_KEY_SECRET"), env("OSSFFI_TEST_REGION"));
  small_file_is_one_put_with_the_callback_reply(client);
  large_file_goes_in_parts_on_worker_threads(client);
  large_file_with_a_json_callback(client);
  cancel_with_a_checkpoint_keeps_the_record_and_resumes(client);
  cancel_without_a_checkpoint_aborts_the_upload(client);
  invalid_settings_fail_with_the_sdks_messages(client);
  settings_it_does_not_read_are_refused(client);
  null_arguments(client);
  ossffi_client_free(client);
  remove_dir(work_dir);
  return finish();
}
