/* presign_put KEY: prints a presigned PUT URL for KEY that carries an upload callback, as an
 * application server hands one to a mobile app or a browser. Whoever PUTs a body to the URL
 * (curl -T file URL) stores the object without any credentials, OSS calls the callback server,
 * and the uploader gets the callback server's reply. The callback is signed into the URL, so the
 * uploader cannot change it. Signing needs no connection: nothing is sent.
 *
 * Configuration comes from the environment:
 *   OSS_ENDPOINT        e.g. https://oss-cn-hangzhou.aliyuncs.com (default http://127.0.0.1:9000)
 *   OSS_REGION          e.g. cn-hangzhou (default cn-hangzhou; V4 signing needs it)
 *   OSS_BUCKET          the bucket (default demo-bucket)
 *   OSS_CALLBACK_URL    where OSS POSTs the callback (required)
 *   OSS_URL_SECONDS     how long the URL works (default 600)
 *   OSS_ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET, OSS_SESSION_TOKEN (optional, for STS)
 *
 * Build: cc -std=c99 -Iinclude examples_c/presign_put.c -Ltarget/release -lossffi
 * Exit status: 0 with the URL on standard output; 1 with the error on standard error.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "ossffi.h"

static const char *env_or(const char *name, const char *fallback) {
  const char *value = getenv(name);
  return (value != NULL && value[0] != '\0') ? value : fallback;
}

static int report(const char *what, ossffi_result rc, ossffi_error *err) {
  fprintf(stderr, "presign_put: %s failed: %s", what, ossffi_result_name(rc));
  if (err != NULL) fprintf(stderr, " (%s: %s)", ossffi_error_code(err), ossffi_error_message(err));
  fputc('\n', stderr);
  ossffi_error_free(err);
  return 1;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s KEY\n", argv[0]);
    return 2;
  }
  const char *callback_url = getenv("OSS_CALLBACK_URL");
  const char *id = getenv("OSS_ACCESS_KEY_ID");
  const char *secret = getenv("OSS_ACCESS_KEY_SECRET");
  if (callback_url == NULL || id == NULL || secret == NULL) {
    fprintf(stderr, "set OSS_CALLBACK_URL, OSS_ACCESS_KEY_ID and OSS_ACCESS_KEY_SECRET\n");
    return 2;
  }

  /* The callback OSS performs after storing the object; ${x:via} comes from callback-var. */
  char *callback = NULL;
  char *callback_var = NULL;
  ossffi_callback_builder *builder = ossffi_callback_builder_new();
  ossffi_callback_builder_set_url(builder, callback_url);
  ossffi_callback_builder_set_body(builder, "bucket=${bucket}&object=${object}&etag=${etag}&size=${size}&via=${x:via}");
  ossffi_result rc = ossffi_callback_builder_build(builder, &callback);
  ossffi_callback_builder_free(builder);
  if (rc != OSSFFI_RESULT_OK) return report("building the callback", rc, NULL);
  ossffi_callback_var_builder *vars = ossffi_callback_var_builder_new();
  ossffi_callback_var_builder_add(vars, "x:via", "presigned URL");
  rc = ossffi_callback_var_builder_build(vars, &callback_var);
  ossffi_callback_var_builder_free(vars);
  if (rc != OSSFFI_RESULT_OK) {
    ossffi_string_free(callback);
    return report("building the callback variables", rc, NULL);
  }

  ossffi_presign_request *request = NULL;
  rc = ossffi_presign_request_new(env_or("OSS_BUCKET", "demo-bucket"), argv[1], &request);
  if (rc == OSSFFI_RESULT_OK) rc = ossffi_presign_request_set_method(request, "PUT");
  if (rc == OSSFFI_RESULT_OK) {
    rc = ossffi_presign_request_set_expires(request, (int64_t)time(NULL) + atoi(env_or("OSS_URL_SECONDS", "600")));
  }
  if (rc == OSSFFI_RESULT_OK) rc = ossffi_presign_request_set_callback(request, callback, callback_var);
  ossffi_string_free(callback);
  ossffi_string_free(callback_var);
  if (rc != OSSFFI_RESULT_OK) {
    ossffi_presign_request_free(request);
    return report("describing the URL", rc, NULL);
  }

  ossffi_client_config *config = ossffi_client_config_new();
  ossffi_client_config_set_region(config, env_or("OSS_REGION", "cn-hangzhou"));
  char *url = NULL;
  ossffi_error *err = NULL;
  rc = ossffi_presign_url(env_or("OSS_ENDPOINT", "http://127.0.0.1:9000"), id, secret, getenv("OSS_SESSION_TOKEN"),
                          config, request, &url, &err);
  ossffi_client_config_free(config);
  ossffi_presign_request_free(request);
  if (rc != OSSFFI_RESULT_OK) return report("signing the URL", rc, err);
  printf("%s\n", url);
  ossffi_string_free(url);
  return 0;
}
