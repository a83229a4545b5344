/* Every export of ossffi.h with NULL for each pointer parameter: an error code (or NULL, 0, a
 * no-op), never a crash. tests/c_api.rs checks that every function the header declares is
 * called here, so a new export cannot be forgotten. */
#include "check.h"
#include "ossffi.h"

static void callback_builder(void) {
  ossffi_callback_builder *b = ossffi_callback_builder_new();
  char *out = (char *)&out; /* a non-NULL sentinel the failing call must clear */
  CHECK_RESULT(ossffi_callback_builder_set_url(NULL, "u"), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_callback_builder_set_url(b, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_callback_builder_set_body(NULL, "b"), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_callback_builder_set_body(b, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_callback_builder_set_host(NULL, "h"), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_callback_builder_set_host(b, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_callback_builder_set_body_type(NULL, OSSFFI_CALLBACK_BODY_TYPE_JSON),
               OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_callback_builder_set_sni(NULL, OSSFFI_CALLBACK_SNI_ON), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK(ossffi_callback_builder_url(NULL) == NULL);
  CHECK(ossffi_callback_builder_body(NULL) == NULL);
  CHECK(ossffi_callback_builder_host(NULL) == NULL);
  CHECK(ossffi_callback_builder_body_type(NULL) == OSSFFI_CALLBACK_BODY_TYPE_URL);
  CHECK(ossffi_callback_builder_sni(NULL) == OSSFFI_CALLBACK_SNI_UNSET);
  CHECK_RESULT(ossffi_callback_builder_build(NULL, &out), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK(out == NULL);
  CHECK_RESULT(ossffi_callback_builder_build(b, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  ossffi_callback_builder_free(NULL);
  ossffi_callback_builder_free(b);
}

static void callback_var_builder(void) {
  ossffi_callback_var_builder *v = ossffi_callback_var_builder_new();
  char *out = (char *)&out;
  CHECK_RESULT(ossffi_callback_var_builder_add(NULL, "x:a", "1"), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_callback_var_builder_add(v, NULL, "1"), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_callback_var_builder_add(v, "x:a", NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK(ossffi_callback_var_builder_len(NULL) == 0);
  CHECK(ossffi_callback_var_builder_key(NULL, 0) == NULL);
  CHECK(ossffi_callback_var_builder_value(NULL, 0) == NULL);
  CHECK(ossffi_callback_var_builder_get(NULL, "x:a") == NULL);
  CHECK(ossffi_callback_var_builder_get(v, NULL) == NULL);
  CHECK_RESULT(ossffi_callback_var_builder_build(NULL, &out), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK(out == NULL);
  CHECK_RESULT(ossffi_callback_var_builder_build(v, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  ossffi_callback_var_builder_free(NULL);
  ossffi_callback_var_builder_free(v);
}

static void sdk_and_strings(void) {
  /* Functions without pointer parameters, called for completeness of the export list. */
  ossffi_initialize_sdk();
  CHECK(ossffi_is_sdk_initialized());
  CHECK_RESULT(ossffi_set_log_level(OSSFFI_LOG_LEVEL_OFF), OSSFFI_RESULT_OK);
  CHECK(ossffi_get_log_level() == OSSFFI_LOG_LEVEL_OFF);
  CHECK_RESULT(ossffi_set_log_callback(NULL, NULL), OSSFFI_RESULT_OK);
  ossffi_shutdown_sdk();
  CHECK(ossffi_version() != NULL);
  CHECK(ossffi_result_name(OSSFFI_RESULT_OK) != NULL);
  ossffi_string_free(NULL);
}

int main(void) {
  callback_builder();
  callback_var_builder();
  sdk_and_strings();
  return finish();
}
