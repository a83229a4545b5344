/* ObjectCallbackBuilder / ObjectCallbackVariableBuilder through the C API: the C++ SDK's outputs
 * (cpp-sdk-surface.md section 6), ossffi's escaping where the SDK writes invalid JSON, the SDK's
 * variable rules, getters, and every order of freeing. */
#include <stdlib.h>

#include "check.h"
#include "ossffi.h"

/* Builds a callback header from the given fields and compares it with the expected value. */
static void check_callback(const char *url, const char *body, const char *host, uint32_t type,
                           const char *expected) {
  ossffi_callback_builder *b = ossffi_callback_builder_new();
  CHECK(b != NULL);
  CHECK_RESULT(ossffi_callback_builder_set_url(b, url), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_callback_builder_set_body(b, body), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_callback_builder_set_host(b, host), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_callback_builder_set_body_type(b, type), OSSFFI_RESULT_OK);
  char *out = NULL;
  CHECK_RESULT(ossffi_callback_builder_build(b, &out), OSSFFI_RESULT_OK);
  CHECK_STR(out, expected);
  ossffi_string_free(out);
  ossffi_callback_builder_free(b);
}

static void sdk_vectors(void) {
  check_callback("192.168.1.1", "123456", "", OSSFFI_CALLBACK_BODY_TYPE_URL,
                 "eyJjYWxsYmFja1VybCI6IjE5Mi4xNjguMS4xIiwiY2FsbGJhY2tCb2R5IjoiMTIzNDU2In0=");
  check_callback("192.168.1.1", "123456", "demo.com", OSSFFI_CALLBACK_BODY_TYPE_URL,
                 "eyJjYWxsYmFja1VybCI6IjE5Mi4xNjguMS4xIiwiY2FsbGJhY2tIb3N0IjoiZGVtby5jb20iLCJjYWxs"
                 "YmFja0JvZHkiOiIxMjM0NTYifQ==");
  check_callback("192.168.1.1", "123456", "demo.com", OSSFFI_CALLBACK_BODY_TYPE_JSON,
                 "eyJjYWxsYmFja1VybCI6IjE5Mi4xNjguMS4xIiwiY2FsbGJhY2tIb3N0IjoiZGVtby5jb20iLCJjYWxs"
                 "YmFja0JvZHkiOiIxMjM0NTYiLCJjYWxsYmFja0JvZHlUeXBlIjoiYXBwbGljYXRpb24vanNvbiJ9");
  check_callback("", "", "", OSSFFI_CALLBACK_BODY_TYPE_URL, "");
  check_callback("http://a", "", "", OSSFFI_CALLBACK_BODY_TYPE_URL, "");
  check_callback("", "body", "host", OSSFFI_CALLBACK_BODY_TYPE_JSON, "");
  check_callback(
      "http://oss-demo.aliyuncs.com:23450",
      "bucket=${bucket}&object=${object}&etag=${etag}&size=${size}&mimeType=${mimeType}&my_var1=${x:var1}",
      "", OSSFFI_CALLBACK_BODY_TYPE_URL,
      "eyJjYWxsYmFja1VybCI6Imh0dHA6Ly9vc3MtZGVtby5hbGl5dW5jcy5jb206MjM0NTAiLCJjYWxsYmFja0JvZHki"
      "OiJidWNrZXQ9JHtidWNrZXR9Jm9iamVjdD0ke29iamVjdH0mZXRhZz0ke2V0YWd9JnNpemU9JHtzaXplfSZtaW1l"
      "VHlwZT0ke21pbWVUeXBlfSZteV92YXIxPSR7eDp2YXIxfSJ9");
}

/* Where the SDK writes invalid JSON, ossffi escapes; pre-escaped text is kept byte for byte. */
static void escaping(void) {
  /* {"callbackUrl":"http://example.com/cb","callbackBody":"{\"bucket\":${bucket},\"object\":${object}}","callbackBodyType":"application/json"} */
  check_callback("http://example.com/cb", "{\"bucket\":${bucket},\"object\":${object}}", "",
                 OSSFFI_CALLBACK_BODY_TYPE_JSON,
                 "eyJjYWxsYmFja1VybCI6Imh0dHA6Ly9leGFtcGxlLmNvbS9jYiIsImNhbGxiYWNrQm9keSI6IntcImJ1"
                 "Y2tldFwiOiR7YnVja2V0fSxcIm9iamVjdFwiOiR7b2JqZWN0fX0iLCJjYWxsYmFja0JvZHlUeXBlIjoi"
                 "YXBwbGljYXRpb24vanNvbiJ9");
  /* OSS's documented pre-escaped form gives the same bytes as the SDK. */
  check_callback("http://example.com/cb", "{\\\"mimeType\\\":${mimeType},\\\"size\\\":${size}}", "",
                 OSSFFI_CALLBACK_BODY_TYPE_JSON,
                 "eyJjYWxsYmFja1VybCI6Imh0dHA6Ly9leGFtcGxlLmNvbS9jYiIsImNhbGxiYWNrQm9keSI6IntcIm1p"
                 "bWVUeXBlXCI6JHttaW1lVHlwZX0sXCJzaXplXCI6JHtzaXplfX0iLCJjYWxsYmFja0JvZHlUeXBlIjoi"
                 "YXBwbGljYXRpb24vanNvbiJ9");
  /* a\b<LF>c: "\b" is a valid JSON escape and stays; the raw newline becomes "\n". */
  check_callback("http://example.com/cb", "a\\b\nc", "", OSSFFI_CALLBACK_BODY_TYPE_URL,
                 "eyJjYWxsYmFja1VybCI6Imh0dHA6Ly9leGFtcGxlLmNvbS9jYiIsImNhbGxiYWNrQm9keSI6ImFcYlxuYyJ9");
}

static void builder_getters_and_sni(void) {
  ossffi_callback_builder *b = ossffi_callback_builder_new();
  CHECK_STR(ossffi_callback_builder_url(b), "");
  CHECK_STR(ossffi_callback_builder_body(b), "");
  CHECK_STR(ossffi_callback_builder_host(b), "");
  CHECK(ossffi_callback_builder_body_type(b) == OSSFFI_CALLBACK_BODY_TYPE_URL);
  CHECK(ossffi_callback_builder_sni(b) == OSSFFI_CALLBACK_SNI_UNSET);

  CHECK_RESULT(ossffi_callback_builder_set_url(b, "https://cb.example.com/notify"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_callback_builder_set_body(b, "object=${object}"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_callback_builder_set_host(b, "cb.example.com"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_callback_builder_set_body_type(b, OSSFFI_CALLBACK_BODY_TYPE_JSON), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_callback_builder_set_sni(b, OSSFFI_CALLBACK_SNI_ON), OSSFFI_RESULT_OK);
  CHECK_STR(ossffi_callback_builder_url(b), "https://cb.example.com/notify");
  CHECK_STR(ossffi_callback_builder_body(b), "object=${object}");
  CHECK_STR(ossffi_callback_builder_host(b), "cb.example.com");
  CHECK(ossffi_callback_builder_body_type(b) == OSSFFI_CALLBACK_BODY_TYPE_JSON);
  CHECK(ossffi_callback_builder_sni(b) == OSSFFI_CALLBACK_SNI_ON);

  /* Out-of-range values are refused and change nothing. */
  CHECK_RESULT(ossffi_callback_builder_set_body_type(b, 2), OSSFFI_RESULT_INVALID_ARGUMENT);
  CHECK(ossffi_callback_builder_body_type(b) == OSSFFI_CALLBACK_BODY_TYPE_JSON);
  CHECK_RESULT(ossffi_callback_builder_set_sni(b, 3), OSSFFI_RESULT_INVALID_ARGUMENT);
  CHECK(ossffi_callback_builder_sni(b) == OSSFFI_CALLBACK_SNI_ON);

  /* {"callbackUrl":"https://cb.example.com/notify","callbackHost":"cb.example.com","callbackBody":"object=${object}","callbackBodyType":"application/json","callbackSNI":true} */
  char *out = NULL;
  CHECK_RESULT(ossffi_callback_builder_build(b, &out), OSSFFI_RESULT_OK);
  CHECK_STR(out,
            "eyJjYWxsYmFja1VybCI6Imh0dHBzOi8vY2IuZXhhbXBsZS5jb20vbm90aWZ5IiwiY2FsbGJhY2tIb3N0Ijoi"
            "Y2IuZXhhbXBsZS5jb20iLCJjYWxsYmFja0JvZHkiOiJvYmplY3Q9JHtvYmplY3R9IiwiY2FsbGJhY2tCb2R5"
            "VHlwZSI6ImFwcGxpY2F0aW9uL2pzb24iLCJjYWxsYmFja1NOSSI6dHJ1ZX0=");
  ossffi_string_free(out);

  CHECK_RESULT(ossffi_callback_builder_set_sni(b, OSSFFI_CALLBACK_SNI_OFF), OSSFFI_RESULT_OK);
  CHECK(ossffi_callback_builder_sni(b) == OSSFFI_CALLBACK_SNI_OFF);
  CHECK_RESULT(ossffi_callback_builder_set_sni(b, OSSFFI_CALLBACK_SNI_UNSET), OSSFFI_RESULT_OK);
  CHECK(ossffi_callback_builder_sni(b) == OSSFFI_CALLBACK_SNI_UNSET);

  /* Invalid UTF-8 is refused and leaves the field as it was. */
  CHECK_RESULT(ossffi_callback_builder_set_url(b, "http://\xff\xfe"), OSSFFI_RESULT_INVALID_UTF8);
  CHECK_RESULT(ossffi_callback_builder_set_body(b, "\xc3("), OSSFFI_RESULT_INVALID_UTF8);
  CHECK_RESULT(ossffi_callback_builder_set_host(b, "\x80"), OSSFFI_RESULT_INVALID_UTF8);
  CHECK_STR(ossffi_callback_builder_url(b), "https://cb.example.com/notify");
  CHECK_STR(ossffi_callback_builder_body(b), "object=${object}");
  CHECK_STR(ossffi_callback_builder_host(b), "cb.example.com");
  ossffi_callback_builder_free(b);
}

static void check_vars(const char *const *pairs, size_t n, const char *expected) {
  ossffi_callback_var_builder *v = ossffi_callback_var_builder_new();
  for (size_t i = 0; i < n; i++) {
    (void)ossffi_callback_var_builder_add(v, pairs[2 * i], pairs[2 * i + 1]);
  }
  char *out = NULL;
  CHECK_RESULT(ossffi_callback_var_builder_build(v, &out), OSSFFI_RESULT_OK);
  CHECK_STR(out, expected);
  ossffi_string_free(out);
  ossffi_callback_var_builder_free(v);
}

static void variable_builder(void) {
  const char *tests_vars[] = {"x:var1", "value1", "x:var2", "value2"};
  check_vars(tests_vars, 2, "eyJ4OnZhcjEiOiJ2YWx1ZTEiLCJ4OnZhcjIiOiJ2YWx1ZTIifQ==");
  check_vars(NULL, 0, "");

  ossffi_callback_var_builder *v = ossffi_callback_var_builder_new();
  CHECK_RESULT(ossffi_callback_var_builder_add(v, "var1", "v"), OSSFFI_RESULT_INVALID_CALLBACK_VARIABLE_KEY);
  CHECK_RESULT(ossffi_callback_var_builder_add(v, "X:up", "v"), OSSFFI_RESULT_INVALID_CALLBACK_VARIABLE_KEY);
  CHECK_RESULT(ossffi_callback_var_builder_add(v, "", "v"), OSSFFI_RESULT_INVALID_CALLBACK_VARIABLE_KEY);
  CHECK_RESULT(ossffi_callback_var_builder_add(v, "x", "v"), OSSFFI_RESULT_INVALID_CALLBACK_VARIABLE_KEY);
  CHECK(ossffi_callback_var_builder_len(v) == 0);
  CHECK_RESULT(ossffi_callback_var_builder_add(v, "x:", "empty-name"), OSSFFI_RESULT_OK);
  char *out = NULL;
  CHECK_RESULT(ossffi_callback_var_builder_build(v, &out), OSSFFI_RESULT_OK);
  CHECK_STR(out, "eyJ4OiI6ImVtcHR5LW5hbWUifQ==");
  ossffi_string_free(out);
  ossffi_callback_var_builder_free(v);

  /* SDK order, first spelling kept, last value wins; the quotes the SDK leaves raw are escaped:
   * {"x:A":"overwritten","x:b":"2","x:C":"3","x:q":"he said \"hi\""} */
  v = ossffi_callback_var_builder_new();
  CHECK_RESULT(ossffi_callback_var_builder_add(v, "x:b", "2"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_callback_var_builder_add(v, "x:A", "1"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_callback_var_builder_add(v, "x:a", "overwritten"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_callback_var_builder_add(v, "x:C", "3"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_callback_var_builder_add(v, "x:q", "he said \"hi\""), OSSFFI_RESULT_OK);
  CHECK(ossffi_callback_var_builder_len(v) == 4);
  CHECK_STR(ossffi_callback_var_builder_key(v, 0), "x:A");
  CHECK_STR(ossffi_callback_var_builder_value(v, 0), "overwritten");
  CHECK_STR(ossffi_callback_var_builder_key(v, 1), "x:b");
  CHECK_STR(ossffi_callback_var_builder_key(v, 2), "x:C");
  CHECK_STR(ossffi_callback_var_builder_key(v, 3), "x:q");
  CHECK_STR(ossffi_callback_var_builder_value(v, 3), "he said \"hi\"");
  CHECK(ossffi_callback_var_builder_key(v, 4) == NULL);
  CHECK(ossffi_callback_var_builder_value(v, 4) == NULL);
  CHECK_STR(ossffi_callback_var_builder_get(v, "X:a"), "overwritten");
  CHECK(ossffi_callback_var_builder_get(v, "x:missing") == NULL);
  CHECK(ossffi_callback_var_builder_get(v, "x:\xff") == NULL);
  CHECK_RESULT(ossffi_callback_var_builder_build(v, &out), OSSFFI_RESULT_OK);
  CHECK_STR(out, "eyJ4OkEiOiJvdmVyd3JpdHRlbiIsIng6YiI6IjIiLCJ4OkMiOiIzIiwieDpxIjoiaGUgc2FpZCBcImhpXCIifQ==");
  ossffi_string_free(out);

  CHECK_RESULT(ossffi_callback_var_builder_add(v, "x:\xff", "v"), OSSFFI_RESULT_INVALID_UTF8);
  CHECK_RESULT(ossffi_callback_var_builder_add(v, "x:k", "\xfe"), OSSFFI_RESULT_INVALID_UTF8);
  CHECK(ossffi_callback_var_builder_len(v) == 4);
  ossffi_callback_var_builder_free(v);
}

/* A built string outlives its builder, and builders can be freed in any order. */
static void free_orders(void) {
  ossffi_callback_builder *b1 = ossffi_callback_builder_new();
  ossffi_callback_builder *b2 = ossffi_callback_builder_new();
  ossffi_callback_var_builder *v1 = ossffi_callback_var_builder_new();
  CHECK_RESULT(ossffi_callback_builder_set_url(b1, "http://127.0.0.1:1/cb"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_callback_builder_set_body(b1, "size=${size}"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_callback_var_builder_add(v1, "x:k", "v"), OSSFFI_RESULT_OK);
  char *callback = NULL;
  char *vars = NULL;
  CHECK_RESULT(ossffi_callback_builder_build(b1, &callback), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_callback_var_builder_build(v1, &vars), OSSFFI_RESULT_OK);
  ossffi_callback_builder_free(b1);
  ossffi_callback_var_builder_free(v1);
  CHECK(callback != NULL && strlen(callback) > 0);
  CHECK_STR(vars, "eyJ4OmsiOiJ2In0=");
  ossffi_string_free(vars);
  ossffi_callback_builder_free(b2);
  ossffi_string_free(callback);

  /* Getter strings stay valid until their field is set again. */
  ossffi_callback_builder *b = ossffi_callback_builder_new();
  CHECK_RESULT(ossffi_callback_builder_set_url(b, "http://first"), OSSFFI_RESULT_OK);
  const char *host_before = ossffi_callback_builder_host(b);
  CHECK_RESULT(ossffi_callback_builder_set_url(b, "http://second"), OSSFFI_RESULT_OK);
  CHECK_STR(ossffi_callback_builder_url(b), "http://second");
  (void)host_before;
  ossffi_callback_builder_free(b);

  /* Freeing NULL is a no-op. */
  ossffi_callback_builder_free(NULL);
  ossffi_callback_var_builder_free(NULL);
  ossffi_string_free(NULL);
  CHECK(1);
}

int main(void) {
  sdk_vectors();
  escaping();
  builder_getters_and_sni();
  variable_builder();
  free_orders();
  return finish();
}
