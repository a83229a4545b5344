/* PutObject scenarios that need the emulator set up first (faults, TLS, a large file). The Rust
 * test tests/c_scenarios.rs prepares each one and runs this program with its name. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "ossffi.h"

static const char *env(const char *name) {
  const char *value = getenv(name);
  if (value == NULL) {
    fprintf(stderr, "%s is not set: run this program through `cargo test --test c_scenarios`\n", name);
    exit(2);
  }
  return value;
}

static int attempts;

static int32_t counting_credentials(void *userdata, ossffi_credentials *out) {
  (void)userdata;
  attempts++;
  return ossffi_credentials_set(out, getenv("OSS_ACCESS_KEY_ID"), getenv("OSS_ACCESS_KEY_SECRET"), NULL) ==
                 OSSFFI_RESULT_OK
             ? 0
             : 1;
}

static ossffi_client *make_client(const char *ca_file) {
  ossffi_client_config *config = ossffi_client_config_new();
  ossffi_client_config_set_region(config, env("OSSFFI_TEST_REGION"));
  ossffi_client_config_set_retry_scale_ms(config, 10);
  ossffi_client_config_set_request_timeout_ms(config, 5000);
  if (ca_file != NULL) ossffi_client_config_set_ca_file(config, ca_file);
  ossffi_client *client = NULL;
  CHECK_RESULT(ossffi_client_new_with_credentials_callback(env("OSSFFI_TEST_ENDPOINT"), counting_credentials, NULL,
                                                           NULL, config, &client, NULL),
               OSSFFI_RESULT_OK);
  ossffi_client_config_free(config);
  return client;
}

/* Uploads `len` bytes of a pattern as `key`; returns the result code, with the error in *err. */
static ossffi_result put_pattern(ossffi_client *client, const char *key, size_t len, ossffi_error **err) {
  uint8_t *data = malloc(len ? len : 1);
  for (size_t i = 0; i < len; i++) data[i] = (uint8_t)(i % 251);
  ossffi_put_request *request = NULL;
  CHECK_RESULT(ossffi_put_request_new(env("OSSFFI_TEST_BUCKET"), key, &request), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_put_request_set_body_buffer(request, data, len), OSSFFI_RESULT_OK);
  ossffi_put_result *result = NULL;
  ossffi_result rc = ossffi_client_put_object(client, request, &result, err);
  ossffi_put_result_free(result);
  ossffi_put_request_free(request);
  free(data);
  return rc;
}

static void wrong_crc(void) {
  ossffi_client *client = make_client(NULL);
  ossffi_error *err = NULL;
  CHECK_RESULT(put_pattern(client, "scenario/wrong-crc.bin", 1000, &err), OSSFFI_RESULT_CRC_MISMATCH);
  CHECK_STR(ossffi_error_code(err), "ClientError:100001");
  CHECK(strncmp(ossffi_error_message(err), "Crc64 validation failed. Expected hash:", 39) == 0);
  CHECK(strstr(ossffi_error_message(err), "Transferd bytes:1000. RequestId:") != NULL);
  CHECK(ossffi_error_object_stored(err) == OSSFFI_OBJECT_STORED_YES);
  CHECK(attempts == 1); /* never retried */
  ossffi_error_free(err);
  ossffi_client_free(client);
}

static void two_503s_then_success(void) {
  ossffi_client *client = make_client(NULL);
  CHECK_RESULT(put_pattern(client, "scenario/retried.bin", 200000, NULL), OSSFFI_RESULT_OK);
  CHECK(attempts == 3);
  ossffi_client_free(client);
}

static void dropped_mid_body(void) {
  ossffi_client *client = make_client(NULL);
  CHECK_RESULT(put_pattern(client, "scenario/dropped.bin", 4 << 20, NULL), OSSFFI_RESULT_OK);
  CHECK(attempts == 2);
  ossffi_client_free(client);
}

static void tls_with_ca_file(void) {
  ossffi_client *client = make_client(env("OSSFFI_TEST_CA_FILE"));
  CHECK_RESULT(put_pattern(client, "scenario/tls.bin", 100000, NULL), OSSFFI_RESULT_OK);
  ossffi_client_free(client);
}

static void tls_without_ca_file(void) {
  ossffi_client *client = make_client(NULL);
  ossffi_error *err = NULL;
  CHECK_RESULT(put_pattern(client, "scenario/untrusted.bin", 10, &err), OSSFFI_RESULT_TLS);
  CHECK_STR(ossffi_error_code(err), "ClientError:200060");
  CHECK(strstr(ossffi_error_message(err), "UnknownIssuer") != NULL);
  CHECK(attempts == 1); /* a certificate problem is not retried */
  ossffi_error_free(err);
  ossffi_client_free(client);
}

/* Peak resident memory of this process, from /proc/self/status (VmHWM, in KiB). */
static long peak_rss_kib(void) {
  FILE *status = fopen("/proc/self/status", "r");
  char line[256];
  long kib = -1;
  while (status != NULL && fgets(line, sizeof line, status) != NULL) {
    if (strncmp(line, "VmHWM:", 6) == 0) kib = strtol(line + 6, NULL, 10);
  }
  if (status != NULL) fclose(status);
  return kib;
}

static void large_file(void) {
  ossffi_client *client = make_client(NULL);
  ossffi_put_request *request = NULL;
  CHECK_RESULT(ossffi_put_request_new(env("OSSFFI_TEST_BUCKET"), "scenario/large.bin", &request), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_put_request_set_body_file(request, env("OSSFFI_TEST_LARGE_FILE")), OSSFFI_RESULT_OK);
  ossffi_put_result *result = NULL;
  long before = peak_rss_kib();
  CHECK_RESULT(ossffi_client_put_object(client, request, &result, NULL), OSSFFI_RESULT_OK);
  long after = peak_rss_kib();
  printf("peak RSS before the upload: %ld KiB, after: %ld KiB\n", before, after);
  /* The file is streamed: the upload adds at most a few MiB, never the file's 256 MiB. */
  CHECK(after > 0 && after - before < 16 * 1024);
  ossffi_put_result_free(result);
  ossffi_put_request_free(request);
  ossffi_client_free(client);
}

int main(int argc, char **argv) {
  static const struct {
    const char *name;
    void (*run)(void);
  } scenarios[] = {
      {"wrong-crc", wrong_crc},
      {"two-503s", two_503s_then_success},
      {"dropped-mid-body", dropped_mid_body},
      {"tls-with-ca-file", tls_with_ca_file},
      {"tls-without-ca-file", tls_without_ca_file},
      {"large-file", large_file},
  };
  if (argc != 2) {
    fprintf(stderr, "usage: %s SCENARIO\n", argv[0]);
    return 2;
  }
  for (size_t i = 0; i < sizeof scenarios / sizeof scenarios[0]; i++) {
    if (strcmp(argv[1], scenarios[i].name) == 0) {
      scenarios[i].run();
      return finish();
    }
  }
  fprintf(stderr, "unknown scenario %s\n", argv[1]);
  return 2;
}
