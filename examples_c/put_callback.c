/* put_callback FILE: uploads FILE to OSS with an upload callback and prints what the callback
 * server answered.
 *
 * Configuration comes from the environment:
 *   OSS_ENDPOINT        e.g. https://oss-cn-hangzhou.aliyuncs.com (default http://127.0.0.1:9000)
 *   OSS_REGION          e.g. cn-hangzhou (default cn-hangzhou)
 *   OSS_BUCKET          the bucket (default demo-bucket)
 *   OSS_OBJECT_KEY      the object key (default: FILE's name)
 *   OSS_CALLBACK_URL    where OSS POSTs the callback (required)
 *   OSS_ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET, OSS_SESSION_TOKEN (optional, for STS)
 *
 * Build: cc -std=c99 -Iinclude examples_c/put_callback.c -Ltarget/release -lossffi
 * Exit status: 0 on success; 1 with the error code and message when the upload or the callback
 * fails (a failed callback still stores the object, and the program says so).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ossffi.h"

static const char *env_or(const char *name, const char *fallback) {
  const char *value = getenv(name);
  return (value != NULL && value[0] != '\0') ? value : fallback;
}

/* Draws a progress bar on standard error when it is a terminal. */
static int32_t show_progress(void *userdata, uint64_t increment, uint64_t transferred, uint64_t total) {
  (void)userdata;
  (void)increment;
  if (total == 0) return 0;
  int width = 40;
  int filled = (int)(transferred * (uint64_t)width / total);
  fprintf(stderr, "\r[%.*s%*s] %3d%% %llu/%llu bytes", filled, "########################################",
          width - filled, "", (int)(transferred * 100 / total), (unsigned long long)transferred,
          (unsigned long long)total);
  if (transferred == total) fputc('\n', stderr);
  return 0; /* non-zero would cancel the upload */
}

static int report(const char *what, ossffi_result rc, ossffi_error *err) {
  fprintf(stderr, "%s failed: %s\n", what, ossffi_result_name(rc));
  if (err != NULL) {
    fprintf(stderr, "  code:       %s\n  message:    %s\n  HTTP:       %u\n  request id: %s\n",
            ossffi_error_code(err), ossffi_error_message(err), ossffi_error_http_status(err),
            ossffi_error_request_id(err));
    switch (ossffi_error_object_stored(err)) {
      case OSSFFI_OBJECT_STORED_YES: fprintf(stderr, "  the object WAS stored\n"); break;
      case OSSFFI_OBJECT_STORED_UNKNOWN: fprintf(stderr, "  the object may have been stored\n"); break;
      default: fprintf(stderr, "  the object was not stored\n"); break;
    }
    ossffi_error_free(err);
  }
  return 1;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s FILE\n", argv[0]);
    return 2;
  }
  const char *path = argv[1];
  const char *base = strrchr(path, '/');
  const char *endpoint = env_or("OSS_ENDPOINT", "http://127.0.0.1:9000");
  const char *region = env_or("OSS_REGION", "cn-hangzhou");
  const char *bucket = env_or("OSS_BUCKET", "demo-bucket");
  const char *key = env_or("OSS_OBJECT_KEY", base != NULL ? base + 1 : path);
  const char *callback_url = getenv("OSS_CALLBACK_URL");
  if (callback_url == NULL || callback_url[0] == '\0') {
    fprintf(stderr, "set OSS_CALLBACK_URL to the application server OSS should call back\n");
    return 2;
  }

  ossffi_error *err = NULL;
  ossffi_result rc;

  /* The callback: where OSS POSTs, and the body it fills in after storing the object. */
  char *callback = NULL;
  char *callback_var = NULL;
  ossffi_callback_builder *builder = ossffi_callback_builder_new();
  ossffi_callback_builder_set_url(builder, callback_url);
  ossffi_callback_builder_set_body(
      builder, "bucket=${bucket}&object=${object}&etag=${etag}&size=${size}&mimeType=${mimeType}&uploader=${x:uploader}");
  rc = ossffi_callback_builder_build(builder, &callback);
  ossffi_callback_builder_free(builder);
  if (rc != OSSFFI_RESULT_OK) return report("building the callback (is OSS_CALLBACK_URL UTF-8?)", rc, NULL);

  ossffi_callback_var_builder *vars = ossffi_callback_var_builder_new();
  ossffi_callback_var_builder_add(vars, "x:uploader", "put_callback.c");
  rc = ossffi_callback_var_builder_build(vars, &callback_var);
  ossffi_callback_var_builder_free(vars);
  if (rc != OSSFFI_RESULT_OK) {
    ossffi_string_free(callback);
    return report("building the callback variables", rc, NULL);
  }

  /* The client: credentials from OSS_ACCESS_KEY_ID / _SECRET / OSS_SESSION_TOKEN. */
  ossffi_client_config *config = ossffi_client_config_new();
  ossffi_client_config_set_region(config, region);
  ossffi_client *client = NULL;
  rc = ossffi_client_new_from_env(endpoint, config, &client, &err);
  ossffi_client_config_free(config);
  if (rc != OSSFFI_RESULT_OK) {
    ossffi_string_free(callback);
    ossffi_string_free(callback_var);
    return report("creating the client", rc, err);
  }

  ossffi_put_request *request = NULL;
  rc = ossffi_put_request_new(bucket, key, &request);
  if (rc == OSSFFI_RESULT_OK) rc = ossffi_put_request_set_body_file(request, path);
  if (rc == OSSFFI_RESULT_OK) rc = ossffi_put_request_set_callback(request, callback, callback_var);
  if (rc == OSSFFI_RESULT_OK && isatty(STDERR_FILENO)) rc = ossffi_put_request_set_progress(request, show_progress, NULL);
  ossffi_string_free(callback);
  ossffi_string_free(callback_var);

  int status = 0;
  ossffi_put_result *result = NULL;
  if (rc != OSSFFI_RESULT_OK) {
    status = report("preparing the request", rc, NULL);
  } else if ((rc = ossffi_client_put_object(client, request, &result, &err)) != OSSFFI_RESULT_OK) {
    status = report("uploading", rc, err);
  } else {
    size_t len = 0;
    const uint8_t *reply = ossffi_put_result_body(result, &len);
    printf("uploaded %s to %s/%s\n", path, bucket, key);
    printf("  ETag:       %s\n", ossffi_put_result_etag(result));
    printf("  CRC-64:     %llu\n", (unsigned long long)ossffi_put_result_crc64(result));
    printf("  request id: %s\n", ossffi_put_result_request_id(result));
    printf("  callback server replied: %.*s\n", (int)len, reply != NULL ? (const char *)reply : "");
    ossffi_put_result_free(result);
  }
  ossffi_put_request_free(request);
  ossffi_client_free(client);
  return status;
}
