/* Builds the two upload-callback headers of an OSS PutObject with ossffi and prints them with
 * their decoded JSON: x-oss-callback (where OSS calls back, with what body) and
 * x-oss-callback-var (the custom ${x:...} variables).
 *
 *   cc -std=c99 -Iinclude examples_c/callback_headers.c -Ltarget/release -lossffi
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ossffi.h"

/* Decodes standard base64 (the headers' encoding) so the JSON can be shown. */
static char *base64_decode(const char *in) {
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  size_t len = strlen(in);
  char *out = malloc(len / 4 * 3 + 1);
  size_t n = 0;
  unsigned int bits = 0;
  int count = 0;
  if (out == NULL) return NULL;
  for (size_t i = 0; i < len && in[i] != '='; i++) {
    const char *p = strchr(alphabet, in[i]);
    if (p == NULL) break;
    bits = (bits << 6) | (unsigned int)(p - alphabet);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out[n++] = (char)((bits >> count) & 0xFF);
    }
  }
  out[n] = '\0';
  return out;
}

static int fail(const char *what, ossffi_result result) {
  fprintf(stderr, "%s failed: %s\n", what, ossffi_result_name(result));
  return 1;
}

static void show(const char *header, const char *value) {
  char *json = base64_decode(value);
  printf("%s: %s\n", header, value);
  printf("  decoded: %s\n\n", json ? json : "(out of memory)");
  free(json);
}

int main(void) {
  ossffi_result rc;
  char *callback = NULL;
  char *callback_var = NULL;

  ossffi_callback_builder *builder = ossffi_callback_builder_new();
  if ((rc = ossffi_callback_builder_set_url(builder, "https://example.aliyundoc.com:23450")) ||
      (rc = ossffi_callback_builder_set_body(
           builder,
           "bucket=${bucket}&object=${object}&etag=${etag}&size=${size}&mimeType=${mimeType}&my_var1=${x:var1}")) ||
      (rc = ossffi_callback_builder_set_body_type(builder, OSSFFI_CALLBACK_BODY_TYPE_URL)) ||
      (rc = ossffi_callback_builder_build(builder, &callback))) {
    ossffi_callback_builder_free(builder);
    return fail("building x-oss-callback", rc);
  }
  ossffi_callback_builder_free(builder);

  ossffi_callback_var_builder *vars = ossffi_callback_var_builder_new();
  if ((rc = ossffi_callback_var_builder_add(vars, "x:var1", "value1")) ||
      (rc = ossffi_callback_var_builder_build(vars, &callback_var))) {
    ossffi_callback_var_builder_free(vars);
    ossffi_string_free(callback);
    return fail("building x-oss-callback-var", rc);
  }
  ossffi_callback_var_builder_free(vars);

  printf("ossffi %s: upload-callback headers for a PutObject\n\n", ossffi_version());
  show("x-oss-callback", callback);
  show("x-oss-callback-var", callback_var);

  ossffi_string_free(callback);
  ossffi_string_free(callback_var);
  return 0;
}
