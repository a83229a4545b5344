/* Uploads through the C API to loopback servers that answer with hostile replies (an overflowing
 * chunk size, a 2^63-byte Content-Length, heads and lines that never end, ...), each followed by
 * endless bytes. tests/hostile_replies.rs starts one server per case and passes its endpoint as
 * OSSFFI_HOSTILE_<CASE>. Every upload must fail at once with the exact transport error, and the
 * process's peak memory must grow by less than OSSFFI_TEST_MAX_RSS_GROWTH_KIB in all: the servers
 * would send 96 MiB each to a client that kept reading. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "check.h"
#include "ossffi.h"

static const char *env(const char *name) {
  const char *value = getenv(name);
  if (value == NULL) {
    fprintf(stderr, "%s is not set: run this program through `cargo test --test hostile_replies`\n", name);
    exit(2);
  }
  return value;
}

#define WEIRD "Weird server reply. (malformed HTTP response: "
#define TOO_LARGE "Maximum file size exceeded. (response too large: "

struct hostile_case {
  const char *env;
  const char *code;
  const char *message;
};

static const struct hostile_case cases[] = {
    {"OSSFFI_HOSTILE_CHUNK_OVERFLOW_NUL", "ClientError:200008", WEIRD "invalid HTTP version in the response head)"},
    {"OSSFFI_HOSTILE_CHUNK_OVERFLOW", "ClientError:200063",
     TOO_LARGE "a chunk of 18446744073709551615 bytes after 1 body bytes exceeds the 8388608-byte response body "
               "limit)"},
    {"OSSFFI_HOSTILE_CONTENT_LENGTH_2_POW_63", "ClientError:200063",
     TOO_LARGE "a declared body of 9223372036854775808 bytes exceeds the 8388608-byte response body limit)"},
    {"OSSFFI_HOSTILE_BODY_UNTIL_CLOSE", "ClientError:200063",
     TOO_LARGE "a body delimited by closing exceeds the 8388608-byte response body limit)"},
    {"OSSFFI_HOSTILE_CHUNKS_PAST_THE_LIMIT", "ClientError:200063",
     TOO_LARGE "a chunk of 65536 bytes after 8388608 body bytes exceeds the 8388608-byte response body limit)"},
    {"OSSFFI_HOSTILE_HEAD_NEVER_ENDS", "ClientError:200008", WEIRD "response head larger than 64 KiB)"},
    {"OSSFFI_HOSTILE_HEADER_LINE_OF_1_MIB", "ClientError:200008", WEIRD "response head larger than 64 KiB)"},
    {"OSSFFI_HOSTILE_ENDLESS_100_CONTINUE", "ClientError:200008", WEIRD "response head larger than 64 KiB)"},
    {"OSSFFI_HOSTILE_ENDLESS_HEADERS", "ClientError:200008", WEIRD "more than 64 response headers)"},
    {"OSSFFI_HOSTILE_CHUNK_SIZE_LINE_NEVER_ENDS", "ClientError:200008",
     WEIRD "a chunk-size or trailer line longer than 4096 bytes)"},
    {"OSSFFI_HOSTILE_ENDLESS_TRAILERS", "ClientError:200008", WEIRD "more than 64 trailer fields after the chunked body)"},
    {"OSSFFI_HOSTILE_ENDLESS_CHUNK_EXTENSIONS", "ClientError:200008",
     WEIRD "more than 1024 KiB of chunk-size and trailer lines)"},
};

/* Peak resident memory of this process, from /proc/self/status (VmHWM, in KiB). */
static long peak_rss_kib(void) {
  FILE *status = fopen("/proc/self/status", "r");
  if (status == NULL) return -1;
  char line[256];
  long kib = -1;
  while (fgets(line, sizeof line, status) != NULL) {
    if (strncmp(line, "VmHWM:", 6) == 0) kib = strtol(line + 6, NULL, 10);
  }
  fclose(status);
  return kib;
}

static double seconds_since(const struct timespec *start) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

static void upload_to_hostile_server(const struct hostile_case *c, uint8_t *data, size_t len) {
  ossffi_client_config *config = ossffi_client_config_new();
  ossffi_client_config_set_region(config, env("OSSFFI_TEST_REGION"));
  /* One attempt, so each server's figures belong to one exchange. */
  ossffi_client_config_set_max_retries(config, 0);
  ossffi_client_config_set_request_timeout_ms(config, 10000);
  ossffi_client *client = NULL;
  CHECK_RESULT(ossffi_client_new(env(c->env), env("OSS_ACCESS_KEY_ID"), env("OSS_ACCESS_KEY_SECRET"), NULL, config,
                                 &client, NULL),
               OSSFFI_RESULT_OK);
  ossffi_client_config_free(config);
  ossffi_put_request *request = NULL;
  CHECK_RESULT(ossffi_put_request_new(env("OSSFFI_TEST_BUCKET"), "hostile/reply.bin", &request), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_put_request_set_body_buffer(request, data, len), OSSFFI_RESULT_OK);

  struct timespec start;
  clock_gettime(CLOCK_MONOTONIC, &start);
  static char sentinel;
  ossffi_put_result *result = (ossffi_put_result *)(void *)&sentinel; /* must come back NULL */
  ossffi_error *err = NULL;
  CHECK_RESULT(ossffi_client_put_object(client, request, &result, &err), OSSFFI_RESULT_TRANSPORT);
  double seconds = seconds_since(&start);
  CHECK(result == NULL);
  CHECK(err != NULL);
  if (err != NULL) {
    CHECK_STR(ossffi_error_code(err), c->code);
    CHECK_STR(ossffi_error_message(err), c->message);
    CHECK(ossffi_error_http_status(err) == 0);
    CHECK(ossffi_error_result(err) == OSSFFI_RESULT_TRANSPORT);
    CHECK(ossffi_error_object_stored(err) == OSSFFI_OBJECT_STORED_UNKNOWN);
  }
  /* Far less than the 60 s a server keeps sending. */
  CHECK(seconds < 30.0);
  printf("%-42s %.2f s, peak RSS %ld KiB: %s\n", c->env, seconds, peak_rss_kib(),
         err != NULL ? ossffi_error_message(err) : "(no error)");
  ossffi_error_free(err);
  ossffi_put_request_free(request);
  ossffi_client_free(client);
}

int main(void) {
  long limit_kib = strtol(env("OSSFFI_TEST_MAX_RSS_GROWTH_KIB"), NULL, 10);
  size_t len = 1024;
  uint8_t *data = malloc(len);
  for (size_t i = 0; i < len; i++) data[i] = (uint8_t)(i % 251);
  long before = peak_rss_kib();
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) upload_to_hostile_server(&cases[i], data, len);
  long after = peak_rss_kib();
  free(data);
  printf("peak RSS before: %ld KiB, after all %zu hostile replies: %ld KiB (growth %ld KiB, limit %ld KiB)\n", before,
         sizeof cases / sizeof cases[0], after, after - before, limit_kib);
  CHECK(before > 0 && after > 0);
  CHECK(after - before < limit_kib);
  return finish();
}
