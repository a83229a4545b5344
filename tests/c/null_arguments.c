/* Every export of ossffi.h with NULL for each pointer parameter: an error code (or NULL, 0, a
 * no-op), never a crash. tests/c_api.rs checks that every function the header declares is
 * called here, so a new export cannot be forgotten. */
#include <stdlib.h>

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

static void callback_verification(void) {
  ossffi_callback_key_cache *cache = ossffi_callback_key_cache_new();
  ossffi_error *err = (ossffi_error *)&err; /* a non-NULL sentinel the failing call must clear */
  const uint8_t body[] = {'x'};
  CHECK_RESULT(ossffi_callback_verify(NULL, "c2ln", body, 1, "pem", &err), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK(err == NULL);
  CHECK_RESULT(ossffi_callback_verify("/", NULL, body, 1, "pem", NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_callback_verify("/", "c2ln", NULL, 1, "pem", NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_callback_verify("/", "c2ln", body, 1, NULL, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK(cache != NULL);
  CHECK_RESULT(ossffi_callback_key_cache_allow_prefix(NULL, "http://127.0.0.1/"), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_callback_key_cache_allow_prefix(cache, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_callback_key_cache_set_timeout_ms(NULL, 1000), OSSFFI_RESULT_NULL_PARAMETER);
  err = (ossffi_error *)&err;
  CHECK_RESULT(ossffi_callback_key_cache_verify(NULL, "/", "c2ln", "dXJs", body, 1, &err),
               OSSFFI_RESULT_NULL_PARAMETER);
  CHECK(err == NULL);
  CHECK_RESULT(ossffi_callback_key_cache_verify(cache, NULL, "c2ln", "dXJs", body, 1, NULL),
               OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_callback_key_cache_verify(cache, "/", NULL, "dXJs", body, 1, NULL),
               OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_callback_key_cache_verify(cache, "/", "c2ln", NULL, body, 1, NULL),
               OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_callback_key_cache_verify(cache, "/", "c2ln", "dXJs", NULL, 1, NULL),
               OSSFFI_RESULT_NULL_PARAMETER);
  ossffi_callback_key_cache_free(NULL);
  ossffi_callback_key_cache_free(cache);
}

static void client_config(void) {
  ossffi_client_config *c = ossffi_client_config_new();
  CHECK(c != NULL);
  CHECK_RESULT(ossffi_client_config_set_user_agent(NULL, "ua"), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_client_config_set_user_agent(c, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_client_config_set_region(NULL, "cn-hangzhou"), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_client_config_set_region(c, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_client_config_set_ca_file(NULL, "f"), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_client_config_set_ca_file(c, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_client_config_set_ca_path(NULL, "d"), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_client_config_set_ca_path(c, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_client_config_set_proxy(NULL, "h", 1), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_client_config_set_proxy(c, NULL, 1), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_client_config_set_proxy_credentials(NULL, "u", "p"), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_client_config_set_proxy_credentials(c, NULL, "p"), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_client_config_set_proxy_credentials(c, "u", NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_client_config_set_proxy_from_env(NULL, 1), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_client_config_set_max_connections(NULL, 1), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_client_config_set_connect_timeout_ms(NULL, 1), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_client_config_set_request_timeout_ms(NULL, 1), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_client_config_set_max_retries(NULL, 1), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_client_config_set_retry_scale_ms(NULL, 1), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_client_config_set_verify_ssl(NULL, 1), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_client_config_set_cname(NULL, 1), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_client_config_set_path_style(NULL, 1), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_client_config_set_crc64(NULL, 1), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_client_config_set_date_skew_adjustment(NULL, 1), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_client_config_set_signature_version(NULL, OSSFFI_SIGNATURE_VERSION_V4),
               OSSFFI_RESULT_NULL_PARAMETER);
  ossffi_client_config_free(NULL);
  ossffi_client_config_free(c);
}

static void clients(void) {
  ossffi_client *client = (ossffi_client *)&client;
  ossffi_error *err = (ossffi_error *)&err;
  CHECK_RESULT(ossffi_client_new(NULL, "ak", "sk", NULL, NULL, &client, &err), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK(client == NULL && err == NULL);
  CHECK_RESULT(ossffi_client_new("http://127.0.0.1:1", NULL, "sk", NULL, NULL, &client, &err),
               OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_client_new("http://127.0.0.1:1", "ak", NULL, NULL, NULL, &client, &err),
               OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_client_new("http://127.0.0.1:1", "ak", "sk", NULL, NULL, NULL, &err),
               OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_client_new_from_env(NULL, NULL, &client, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_client_new_from_env("http://127.0.0.1:1", NULL, NULL, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_client_new_with_credentials_callback("http://127.0.0.1:1", NULL, NULL, NULL, NULL, &client, NULL),
               OSSFFI_RESULT_NULL_PARAMETER);
  CHECK(client == NULL);
  CHECK_RESULT(ossffi_client_set_region(NULL, "cn-hangzhou"), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_credentials_set(NULL, "ak", "sk", NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_client_new("http://127.0.0.1:1", "ak", "sk", NULL, NULL, &client, NULL), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_client_set_region(client, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  ossffi_client_free(NULL);
  ossffi_client_free(client);
}

static void requests_and_results(void) {
  ossffi_put_request *r = (ossffi_put_request *)&r;
  CHECK_RESULT(ossffi_put_request_new(NULL, "k", &r), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK(r == NULL);
  CHECK_RESULT(ossffi_put_request_new("bucket", NULL, &r), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_put_request_new("bucket", "k", NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_put_request_new("bucket", "k", &r), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_put_request_set_body_buffer(NULL, NULL, 0), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_put_request_set_body_buffer(r, NULL, 1), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_put_request_set_body_buffer(r, NULL, 0), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_put_request_set_body_file(NULL, "f"), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_put_request_set_body_file(r, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_put_request_set_body_callback(NULL, NULL, NULL, NULL, 0), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_put_request_set_body_callback(r, NULL, NULL, NULL, 0), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_put_request_set_header(NULL, "n", "v"), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_put_request_set_header(r, NULL, "v"), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_put_request_set_header(r, "n", NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_put_request_remove_header(NULL, "n"), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_put_request_remove_header(r, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_put_request_set_user_metadata(NULL, "n", "v"), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_put_request_set_user_metadata(r, NULL, "v"), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_put_request_set_user_metadata(r, "n", NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_put_request_set_callback(NULL, "", ""), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_put_request_set_callback(r, NULL, ""), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_put_request_set_callback(r, "", NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_put_request_set_compute_content_md5(NULL, 1), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_put_request_set_progress(NULL, NULL, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_put_request_set_progress(r, NULL, NULL), OSSFFI_RESULT_OK);

  ossffi_client *client = NULL;
  CHECK_RESULT(ossffi_client_new("http://127.0.0.1:1", "ak", "sk", NULL, NULL, &client, NULL), OSSFFI_RESULT_OK);
  ossffi_put_result *res = (ossffi_put_result *)&res;
  ossffi_error *err = (ossffi_error *)&err;
  CHECK_RESULT(ossffi_client_put_object(NULL, r, &res, &err), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK(res == NULL && err == NULL);
  CHECK_RESULT(ossffi_client_put_object(client, NULL, &res, &err), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_client_put_object(client, r, NULL, &err), OSSFFI_RESULT_NULL_PARAMETER);
  ossffi_client_free(client);

  size_t len = 99;
  CHECK(ossffi_put_result_http_status(NULL) == 0);
  CHECK(ossffi_put_result_etag(NULL) == NULL);
  CHECK(ossffi_put_result_request_id(NULL) == NULL);
  CHECK(ossffi_put_result_version_id(NULL) == NULL);
  CHECK(ossffi_put_result_crc64(NULL) == 0);
  CHECK(ossffi_put_result_header(NULL, "etag") == NULL);
  CHECK(ossffi_put_result_body(NULL, &len) == NULL);
  CHECK(len == 0);
  CHECK(ossffi_put_result_body(NULL, NULL) == NULL);
  ossffi_put_result_free(NULL);
  ossffi_put_request_free(NULL);
  ossffi_put_request_free(r);
}

static int32_t ignore_write(void *userdata, const uint8_t *data, size_t len) {
  (void)userdata;
  (void)data;
  (void)len;
  return 0;
}

static int32_t ignore_progress(void *userdata, uint64_t increment, uint64_t transferred, uint64_t total) {
  (void)userdata;
  (void)increment;
  (void)transferred;
  (void)total;
  return 0;
}

/* The request object: NULL and invalid UTF-8 for every string, nothing retained on failure. */
static void object_requests(void) {
  static const char bad[] = {'k', (char)0xc3, (char)0x28, 0}; /* a broken two-byte sequence */
  ossffi_request *r = (ossffi_request *)&r;
  CHECK_RESULT(ossffi_request_new(NULL, "k", &r), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK(r == NULL);
  r = (ossffi_request *)&r;
  CHECK_RESULT(ossffi_request_new(bad, "k", &r), OSSFFI_RESULT_INVALID_UTF8);
  CHECK(r == NULL);
  r = (ossffi_request *)&r;
  CHECK_RESULT(ossffi_request_new("bucket", bad, &r), OSSFFI_RESULT_INVALID_UTF8);
  CHECK(r == NULL);
  CHECK_RESULT(ossffi_request_new("bucket", "k", NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_request_new("bucket", NULL, &r), OSSFFI_RESULT_OK); /* a bucket request */
  CHECK(r != NULL);
  ossffi_request_free(r);
  r = (ossffi_request *)&r;
  CHECK_RESULT(ossffi_request_new_url(NULL, &r), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK(r == NULL);
  r = (ossffi_request *)&r;
  CHECK_RESULT(ossffi_request_new_url(bad, &r), OSSFFI_RESULT_INVALID_UTF8);
  CHECK(r == NULL);
  CHECK_RESULT(ossffi_request_new_url("http://127.0.0.1:1/k", NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_request_new_url("http://127.0.0.1:1/k", &r), OSSFFI_RESULT_OK);
  CHECK(r != NULL);
  ossffi_request_free(r);
  CHECK_RESULT(ossffi_request_new("bucket", "k", &r), OSSFFI_RESULT_OK);

  CHECK_RESULT(ossffi_request_set_header(NULL, "n", "v"), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_request_set_header(r, NULL, "v"), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_request_set_header(r, "n", NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_request_set_header(r, bad, "v"), OSSFFI_RESULT_INVALID_UTF8);
  CHECK_RESULT(ossffi_request_set_header(r, "n", bad), OSSFFI_RESULT_INVALID_UTF8);
  CHECK_RESULT(ossffi_request_remove_header(NULL, "n"), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_request_remove_header(r, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_request_remove_header(r, bad), OSSFFI_RESULT_INVALID_UTF8);
  CHECK_RESULT(ossffi_request_set_parameter(NULL, "n", "v"), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_request_set_parameter(r, NULL, "v"), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_request_set_parameter(r, "n", NULL), OSSFFI_RESULT_OK); /* removes it */
  CHECK_RESULT(ossffi_request_set_parameter(r, bad, "v"), OSSFFI_RESULT_INVALID_UTF8);
  CHECK_RESULT(ossffi_request_set_parameter(r, "n", bad), OSSFFI_RESULT_INVALID_UTF8);
  CHECK_RESULT(ossffi_request_set_range(NULL, 0, 1, 0), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_request_set_range(r, 5, 2, 0), OSSFFI_RESULT_INVALID_ARGUMENT);
  CHECK_RESULT(ossffi_request_set_range(r, -1, 2, 0), OSSFFI_RESULT_INVALID_ARGUMENT);
  CHECK_RESULT(ossffi_request_set_range(r, 0, -2, 0), OSSFFI_RESULT_INVALID_ARGUMENT);
  CHECK_RESULT(ossffi_request_set_check_crc64(NULL, 1), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_request_set_output_file(NULL, "/tmp/x"), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_request_set_output_file(r, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_request_set_output_file(r, bad), OSSFFI_RESULT_INVALID_UTF8);
  CHECK_RESULT(ossffi_request_set_output_callback(NULL, ignore_write, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_request_set_output_callback(r, NULL, NULL), OSSFFI_RESULT_OK); /* back to memory */
  CHECK_RESULT(ossffi_request_set_progress(NULL, ignore_progress, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_request_set_progress(r, NULL, NULL), OSSFFI_RESULT_OK); /* turns it off */
  CHECK_RESULT(ossffi_request_add_key(NULL, "k"), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_request_add_key(r, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_request_add_key(r, bad), OSSFFI_RESULT_INVALID_UTF8);
  CHECK_RESULT(ossffi_request_set_quiet(NULL, 1), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_request_set_storage_class(NULL, "IA"), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_request_set_storage_class(r, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_request_set_storage_class(r, bad), OSSFFI_RESULT_INVALID_UTF8);
  CHECK_RESULT(ossffi_request_set_storage_class(r, "standard"), OSSFFI_RESULT_INVALID_ARGUMENT);
  CHECK_RESULT(ossffi_request_set_data_redundancy_type(NULL, "LRS"), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_request_set_data_redundancy_type(r, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_request_set_data_redundancy_type(r, bad), OSSFFI_RESULT_INVALID_UTF8);
  CHECK_RESULT(ossffi_request_set_data_redundancy_type(r, "GRS"), OSSFFI_RESULT_INVALID_ARGUMENT);
  /* Multipart settings. */
  CHECK_RESULT(ossffi_request_set_upload_id(NULL, "u"), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_request_set_upload_id(r, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_request_set_upload_id(r, bad), OSSFFI_RESULT_INVALID_UTF8);
  CHECK_RESULT(ossffi_request_set_part_number(NULL, 1), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_request_set_copy_source(NULL, "b", "k", NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_request_set_copy_source(r, "bkt", NULL, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_request_set_copy_source(r, bad, "k", NULL), OSSFFI_RESULT_INVALID_UTF8);
  CHECK_RESULT(ossffi_request_set_copy_source(r, "bkt", bad, NULL), OSSFFI_RESULT_INVALID_UTF8);
  CHECK_RESULT(ossffi_request_set_copy_source(r, "bkt", "k", bad), OSSFFI_RESULT_INVALID_UTF8);
  CHECK_RESULT(ossffi_request_set_copy_source(r, NULL, NULL, NULL), OSSFFI_RESULT_OK); /* clears */
  CHECK_RESULT(ossffi_request_set_copy_source_range(NULL, 0, 9), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_request_set_body_buffer(NULL, (const uint8_t *)"x", 1), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_request_set_body_buffer(r, NULL, 1), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_request_set_body_buffer(r, NULL, 0), OSSFFI_RESULT_OK); /* an empty part */
  CHECK_RESULT(ossffi_request_set_body_file(NULL, "/tmp/x"), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_request_set_body_file(r, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_request_set_body_file(r, bad), OSSFFI_RESULT_INVALID_UTF8);
  CHECK_RESULT(ossffi_request_set_body_file_range(NULL, "/tmp/x", 0, 1), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_request_set_body_file_range(r, NULL, 0, 1), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_request_set_body_file_range(r, bad, 0, 1), OSSFFI_RESULT_INVALID_UTF8);
  CHECK_RESULT(ossffi_request_set_body_callback(NULL, NULL, NULL, NULL, 0), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_request_set_body_callback(r, NULL, NULL, NULL, 0), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_request_set_compute_content_md5(NULL, 1), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_request_set_sequential(NULL, 1), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_request_add_part(NULL, 1, "E"), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_request_add_part(r, 1, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_request_add_part(r, 1, bad), OSSFFI_RESULT_INVALID_UTF8);
  CHECK_RESULT(ossffi_request_set_complete_all(NULL, 1), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_request_set_callback(NULL, "c", "v"), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_request_set_callback(r, NULL, ""), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_request_set_callback(r, "", NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_request_set_callback(r, bad, ""), OSSFFI_RESULT_INVALID_UTF8);
  CHECK_RESULT(ossffi_request_set_callback(r, "", bad), OSSFFI_RESULT_INVALID_UTF8);
  CHECK_RESULT(ossffi_request_set_checkpoint_dir(NULL, "/tmp"), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_request_set_checkpoint_dir(r, bad), OSSFFI_RESULT_INVALID_UTF8);
  CHECK_RESULT(ossffi_request_set_checkpoint_dir(r, NULL), OSSFFI_RESULT_OK); /* no checkpoint */
  CHECK_RESULT(ossffi_request_set_part_size(NULL, 102400), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_request_set_thread_num(NULL, 3), OSSFFI_RESULT_NULL_PARAMETER);
  ossffi_request_free(NULL);
  ossffi_request_free(r);
}

/* One verb with a NULL client, request and output: nothing is sent, the outputs read NULL. */
typedef ossffi_result (*verb_fn)(const ossffi_client *, const ossffi_request *, ossffi_response **, ossffi_error **);
static void check_verb(verb_fn verb, const ossffi_client *client, const ossffi_request *request) {
  ossffi_response *resp = (ossffi_response *)&resp;
  ossffi_error *err = (ossffi_error *)&err;
  CHECK_RESULT(verb(NULL, request, &resp, &err), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK(resp == NULL && err == NULL);
  resp = (ossffi_response *)&resp;
  CHECK_RESULT(verb(client, NULL, &resp, &err), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK(resp == NULL);
  err = (ossffi_error *)&err;
  CHECK_RESULT(verb(client, request, NULL, &err), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK(err == NULL);
}

static void verbs(void) {
  ossffi_client *client = NULL;
  ossffi_request *request = NULL;
  CHECK_RESULT(ossffi_client_new("http://127.0.0.1:1", "ak", "sk", NULL, NULL, &client, NULL), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_new("bucket", "k", &request), OSSFFI_RESULT_OK);
  /* Each verb by name (tests/c_api.rs looks for every export's call), then the shared checks. */
  CHECK_RESULT(ossffi_client_get_object(NULL, NULL, NULL, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  check_verb(ossffi_client_get_object, client, request);
  CHECK_RESULT(ossffi_client_head_object(NULL, NULL, NULL, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  check_verb(ossffi_client_head_object, client, request);
  CHECK_RESULT(ossffi_client_get_object_meta(NULL, NULL, NULL, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  check_verb(ossffi_client_get_object_meta, client, request);
  CHECK_RESULT(ossffi_client_delete_object(NULL, NULL, NULL, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  check_verb(ossffi_client_delete_object, client, request);
  CHECK_RESULT(ossffi_client_delete_objects(NULL, NULL, NULL, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  check_verb(ossffi_client_delete_objects, client, request);
  CHECK_RESULT(ossffi_client_list_objects(NULL, NULL, NULL, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  check_verb(ossffi_client_list_objects, client, request);
  CHECK_RESULT(ossffi_client_create_bucket(NULL, NULL, NULL, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  check_verb(ossffi_client_create_bucket, client, request);
  CHECK_RESULT(ossffi_client_delete_bucket(NULL, NULL, NULL, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  check_verb(ossffi_client_delete_bucket, client, request);
  CHECK_RESULT(ossffi_client_initiate_multipart_upload(NULL, NULL, NULL, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  check_verb(ossffi_client_initiate_multipart_upload, client, request);
  CHECK_RESULT(ossffi_client_upload_part(NULL, NULL, NULL, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  check_verb(ossffi_client_upload_part, client, request);
  CHECK_RESULT(ossffi_client_upload_part_copy(NULL, NULL, NULL, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  check_verb(ossffi_client_upload_part_copy, client, request);
  CHECK_RESULT(ossffi_client_put_object_by_url(NULL, NULL, NULL, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  check_verb(ossffi_client_put_object_by_url, client, request);
  CHECK_RESULT(ossffi_client_get_object_by_url(NULL, NULL, NULL, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  check_verb(ossffi_client_get_object_by_url, client, request);
  CHECK_RESULT(ossffi_client_complete_multipart_upload(NULL, NULL, NULL, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  check_verb(ossffi_client_complete_multipart_upload, client, request);
  CHECK_RESULT(ossffi_client_abort_multipart_upload(NULL, NULL, NULL, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  check_verb(ossffi_client_abort_multipart_upload, client, request);
  CHECK_RESULT(ossffi_client_list_parts(NULL, NULL, NULL, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  check_verb(ossffi_client_list_parts, client, request);
  CHECK_RESULT(ossffi_client_list_multipart_uploads(NULL, NULL, NULL, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  check_verb(ossffi_client_list_multipart_uploads, client, request);
  CHECK_RESULT(ossffi_client_resumable_upload_object(NULL, NULL, NULL, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  check_verb(ossffi_client_resumable_upload_object, client, request);

  bool exists = true;
  ossffi_error *err = (ossffi_error *)&err;
  CHECK_RESULT(ossffi_client_does_object_exist(NULL, request, &exists, &err), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK(!exists && err == NULL);
  exists = true;
  CHECK_RESULT(ossffi_client_does_object_exist(client, NULL, &exists, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK(!exists);
  CHECK_RESULT(ossffi_client_does_object_exist(client, request, NULL, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  ossffi_request_free(request);
  ossffi_client_free(client);
}

static void responses(void) {
  static const char bad[] = {'E', (char)0xff, 0};
  size_t len = 99;
  const char *name = (const char *)&name;
  const char *value = (const char *)&value;
  CHECK(ossffi_response_http_status(NULL) == 0);
  CHECK(ossffi_response_request_id(NULL) == NULL);
  CHECK(ossffi_response_header(NULL, "etag") == NULL);
  CHECK(ossffi_response_header_count(NULL) == 0);
  CHECK_RESULT(ossffi_response_header_at(NULL, 0, &name, &value), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK(name == NULL && value == NULL);
  CHECK_RESULT(ossffi_response_header_at(NULL, 0, NULL, &value), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_response_header_at(NULL, 0, &name, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK(ossffi_response_body(NULL, &len) == NULL);
  CHECK(len == 0);
  CHECK(ossffi_response_body(NULL, NULL) == NULL);
  CHECK(ossffi_response_field(NULL, "ETag") == NULL);
  CHECK(ossffi_response_list_len(NULL, "Contents") == 0);
  CHECK(ossffi_response_list_field(NULL, "Contents", 0, "Key") == NULL);
  ossffi_response_free(NULL);

  /* A real response (a DeleteObject from the emulator) given NULL and non-UTF-8 names. */
  const char *endpoint = getenv("OSSFFI_TEST_ENDPOINT");
  CHECK(endpoint != NULL);
  if (endpoint == NULL) {
    return;
  }
  ossffi_client_config *config = ossffi_client_config_new();
  ossffi_client_config_set_region(config, getenv("OSSFFI_TEST_REGION"));
  ossffi_client *client = NULL;
  ossffi_request *request = NULL;
  ossffi_response *response = NULL;
  CHECK_RESULT(ossffi_client_new(endpoint, getenv("OSS_ACCESS_KEY_ID"), getenv("OSS_ACCESS_KEY_SECRET"), NULL, config,
                                 &client, NULL),
               OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_request_new(getenv("OSSFFI_TEST_BUCKET"), "null-arguments", &request), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_client_delete_object(client, request, &response, NULL), OSSFFI_RESULT_OK);
  CHECK(ossffi_response_header(response, NULL) == NULL);
  CHECK(ossffi_response_header(response, bad) == NULL);
  CHECK(ossffi_response_field(response, NULL) == NULL);
  CHECK(ossffi_response_field(response, bad) == NULL);
  CHECK(ossffi_response_list_len(response, NULL) == 0);
  CHECK(ossffi_response_list_len(response, bad) == 0);
  CHECK(ossffi_response_list_field(response, NULL, 0, "Key") == NULL);
  CHECK(ossffi_response_list_field(response, bad, 0, "Key") == NULL);
  CHECK(ossffi_response_list_field(response, "Contents", 0, NULL) == NULL);
  CHECK(ossffi_response_list_field(response, "Contents", 0, bad) == NULL);
  name = (const char *)&name;
  CHECK_RESULT(ossffi_response_header_at(response, 0, &name, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK(name == NULL);
  CHECK_RESULT(ossffi_response_header_at(response, 0, NULL, &value), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK(ossffi_response_body(response, NULL) != NULL); /* empty, but not NULL */
  ossffi_response_free(response);
  ossffi_request_free(request);
  ossffi_client_free(client);
  ossffi_client_config_free(config);
}

static void errors(void) {
  size_t len = 99;
  CHECK(ossffi_error_result(NULL) == OSSFFI_RESULT_NULL_PARAMETER);
  CHECK(ossffi_error_http_status(NULL) == 0);
  CHECK(ossffi_error_code(NULL) == NULL);
  CHECK(ossffi_error_message(NULL) == NULL);
  CHECK(ossffi_error_request_id(NULL) == NULL);
  CHECK(ossffi_error_host_id(NULL) == NULL);
  CHECK(ossffi_error_ec(NULL) == NULL);
  CHECK(ossffi_error_body(NULL, &len) == NULL);
  CHECK(len == 0);
  CHECK(ossffi_error_object_stored(NULL) == OSSFFI_OBJECT_STORED_NO);
  ossffi_error_free(NULL);
  ossffi_error *err = (ossffi_error *)&err;
  CHECK_RESULT(ossffi_error_from_reply(400, NULL, 5, &err), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK(err == NULL);
  CHECK_RESULT(ossffi_error_from_reply(400, (const uint8_t *)"x", 1, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_error_from_reply(99, NULL, 0, &err), OSSFFI_RESULT_INVALID_ARGUMENT);
  CHECK(err == NULL);
}

static void utilities(void) {
  static const char bad_utf8[] = {'/', 't', 'm', 'p', '/', (char)0xff, 0};
  const uint8_t data[] = {'a'};
  uint8_t decoded[4];
  uint64_t crc = 99;
  int64_t unix_time = 99;
  size_t len = 99;
  char *out = (char *)&out;
  ossffi_md5 *md5 = ossffi_md5_new();

  CHECK_RESULT(ossffi_crc64(0, NULL, 1, &crc), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK(crc == 0);
  CHECK_RESULT(ossffi_crc64(0, data, 1, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK(ossffi_crc64_combine(0, 0, 0) == 0);

  CHECK_RESULT(ossffi_content_md5(NULL, 1, &out), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK(out == NULL);
  CHECK_RESULT(ossffi_content_md5(data, 1, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  out = (char *)&out;
  CHECK_RESULT(ossffi_content_etag(NULL, 1, &out), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK(out == NULL);
  CHECK_RESULT(ossffi_content_etag(data, 1, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  out = (char *)&out;
  CHECK_RESULT(ossffi_content_md5_file(NULL, &out), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK(out == NULL);
  CHECK_RESULT(ossffi_content_md5_file(bad_utf8, &out), OSSFFI_RESULT_INVALID_UTF8);
  CHECK_RESULT(ossffi_content_md5_file("/tmp", NULL), OSSFFI_RESULT_NULL_PARAMETER);
  out = (char *)&out;
  CHECK_RESULT(ossffi_content_etag_file(NULL, &out), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK(out == NULL);
  CHECK_RESULT(ossffi_content_etag_file(bad_utf8, &out), OSSFFI_RESULT_INVALID_UTF8);
  CHECK_RESULT(ossffi_content_etag_file("/tmp", NULL), OSSFFI_RESULT_NULL_PARAMETER);

  CHECK_RESULT(ossffi_md5_update(NULL, data, 1), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_md5_update(md5, NULL, 1), OSSFFI_RESULT_NULL_PARAMETER);
  out = (char *)&out;
  CHECK_RESULT(ossffi_md5_content_md5(NULL, &out), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK(out == NULL);
  CHECK_RESULT(ossffi_md5_content_md5(md5, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  out = (char *)&out;
  CHECK_RESULT(ossffi_md5_etag(NULL, &out), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK(out == NULL);
  CHECK_RESULT(ossffi_md5_etag(md5, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  ossffi_md5_free(NULL);
  ossffi_md5_free(md5);

  out = (char *)&out;
  CHECK_RESULT(ossffi_url_encode(NULL, 1, &out), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK(out == NULL);
  CHECK_RESULT(ossffi_url_encode(data, 1, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_url_decode(NULL, 1, decoded, &len), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK(len == 0);
  CHECK_RESULT(ossffi_url_decode(data, 1, NULL, &len), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_url_decode(data, 1, decoded, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  out = (char *)&out;
  CHECK_RESULT(ossffi_base64_encode(NULL, 1, &out), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK(out == NULL);
  CHECK_RESULT(ossffi_base64_encode(data, 1, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  out = (char *)&out;
  CHECK_RESULT(ossffi_base64_encode_url_safe(NULL, 1, &out), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK(out == NULL);
  CHECK_RESULT(ossffi_base64_encode_url_safe(data, 1, NULL), OSSFFI_RESULT_NULL_PARAMETER);

  CHECK_RESULT(ossffi_format_gmt_time(0, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_format_utc_time(0, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_parse_utc_time(NULL, &unix_time), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK(unix_time == 0);
  CHECK_RESULT(ossffi_parse_utc_time(bad_utf8, &unix_time), OSSFFI_RESULT_INVALID_UTF8);
  CHECK_RESULT(ossffi_parse_utc_time("2018-03-07T08:35:19.123Z", NULL),
               OSSFFI_RESULT_NULL_PARAMETER);
}

static void presign(void) {
  ossffi_presign_request *r = NULL;
  ossffi_presign_request *out = (ossffi_presign_request *)&out; /* a sentinel the failure must clear */
  CHECK_RESULT(ossffi_presign_request_new(NULL, "k", &out), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK(out == NULL);
  CHECK_RESULT(ossffi_presign_request_new("b", NULL, &out), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_presign_request_new("b", "k", NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_presign_request_new("bucket", "k", &r), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_presign_request_set_method(NULL, "PUT"), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_presign_request_set_method(r, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_presign_request_set_expires(NULL, 1), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_presign_request_set_signing_time(NULL, 1), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_presign_request_set_header(NULL, "n", "v"), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_presign_request_set_header(r, NULL, "v"), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_presign_request_set_header(r, "n", NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_presign_request_set_parameter(NULL, "n", "v"), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_presign_request_set_parameter(r, NULL, "v"), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_presign_request_set_parameter(r, "n", NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_presign_request_set_user_metadata(NULL, "n", "v"), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_presign_request_set_user_metadata(r, NULL, "v"), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_presign_request_set_user_metadata(r, "n", NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_presign_request_set_callback(NULL, "cb", NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_presign_request_set_callback(r, NULL, "var"), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_presign_request_set_unencoded_slash(NULL, 1), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_presign_request_set_verify_object_strict(NULL, 1), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_presign_request_set_sorted_query(NULL, 1), OSSFFI_RESULT_NULL_PARAMETER);

  char *url = (char *)&url; /* a sentinel the failure must clear */
  ossffi_error *err = (ossffi_error *)&err;
  CHECK_RESULT(ossffi_presign_url(NULL, "ak", "sk", NULL, NULL, r, &url, &err), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK(url == NULL);
  CHECK(err == NULL);
  CHECK_RESULT(ossffi_presign_url("h", NULL, "sk", NULL, NULL, r, &url, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_presign_url("h", "ak", NULL, NULL, NULL, r, &url, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_presign_url("h", "ak", "sk", NULL, NULL, NULL, &url, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_presign_url("h", "ak", "sk", NULL, NULL, r, NULL, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  url = (char *)&url;
  CHECK_RESULT(ossffi_client_presign_url(NULL, r, &url, &err), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK(url == NULL);
  ossffi_client *client = NULL;
  CHECK_RESULT(ossffi_client_new("http://127.0.0.1:1", "ak", "sk", NULL, NULL, &client, NULL), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_client_presign_url(client, NULL, &url, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_client_presign_url(client, r, NULL, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  ossffi_client_free(client);
  ossffi_presign_request_free(NULL);
  ossffi_presign_request_free(r);
}

static void post_policy(void) {
  ossffi_post_policy *p = (ossffi_post_policy *)&p; /* must be cleared */
  CHECK_RESULT(ossffi_post_policy_new(NULL, 0, &p), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK(p == NULL);
  CHECK_RESULT(ossffi_post_policy_new("b", 0, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_post_policy_new("bucket", 0, &p), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_post_policy_set_key(NULL, "k"), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_post_policy_set_key(p, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_post_policy_require_key(NULL, "k"), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_post_policy_require_key(p, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_post_policy_require_key_prefix(NULL, "k/"), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_post_policy_require_key_prefix(p, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_post_policy_require_content_length(NULL, 0, 1), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_post_policy_add_condition(NULL, "eq", "f", "v"), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_post_policy_add_condition(p, NULL, "f", "v"), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_post_policy_add_condition(p, "eq", NULL, "v"), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_post_policy_add_condition(p, "eq", "f", NULL), OSSFFI_RESULT_NULL_PARAMETER);
  const char *values[] = {"v"};
  CHECK_RESULT(ossffi_post_policy_add_list_condition(NULL, "in", "f", values, 1), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_post_policy_add_list_condition(p, NULL, "f", values, 1), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_post_policy_add_list_condition(p, "in", NULL, values, 1), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_post_policy_add_list_condition(p, "in", "f", NULL, 1), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_post_policy_set_success_action_status(NULL, 201), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_post_policy_set_success_action_redirect(NULL, "u"), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_post_policy_set_success_action_redirect(p, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_post_policy_add_field(NULL, "n", "v"), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_post_policy_add_field(p, NULL, "v"), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_post_policy_add_field(p, "n", NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_post_policy_set_callback(NULL, "c"), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_post_policy_set_callback(p, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_post_policy_add_callback_var(NULL, "x:a", "1"), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_post_policy_add_callback_var(p, NULL, "1"), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_post_policy_add_callback_var(p, "x:a", NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_post_policy_set_credentials(NULL, "id", "s", NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_post_policy_set_credentials(p, NULL, "s", NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_post_policy_set_credentials(p, "id", NULL, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_post_policy_set_signature(NULL, OSSFFI_SIGNATURE_VERSION_V1, NULL, 0),
               OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_post_policy_set_signature(p, OSSFFI_SIGNATURE_VERSION_V4, NULL, 0),
               OSSFFI_RESULT_NULL_PARAMETER);
  ossffi_form_fields *fields = (ossffi_form_fields *)&fields;
  ossffi_error *err = (ossffi_error *)&err;
  CHECK_RESULT(ossffi_post_policy_sign(NULL, &fields, &err), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK(fields == NULL && err == NULL);
  CHECK_RESULT(ossffi_post_policy_sign(p, NULL, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK(ossffi_form_fields_count(NULL) == 0);
  const char *name = "sentinel";
  const char *value = "sentinel";
  CHECK_RESULT(ossffi_form_fields_at(NULL, 0, &name, &value), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK(name == NULL && value == NULL);
  CHECK_RESULT(ossffi_form_fields_at(NULL, 0, NULL, &value), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_form_fields_at(NULL, 0, &name, NULL), OSSFFI_RESULT_NULL_PARAMETER);
  ossffi_form_fields_free(NULL);
  ossffi_post_policy_free(NULL);
  ossffi_post_policy_free(p);
}


static void async_task(void *userdata, uint32_t cancelled) {
  (void)userdata;
  (void)cancelled;
}

/* The async API: NULL handles, unknown operations and policies, nothing submitted on failure. */
static void async_calls(void) {
  CHECK_RESULT(ossffi_client_config_set_async_threads(NULL, 2), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_client_config_set_async_queue_capacity(NULL, 2), OSSFFI_RESULT_NULL_PARAMETER);
  ossffi_client_config *config = ossffi_client_config_new();
  CHECK_RESULT(ossffi_client_config_set_async_threads(config, 257), OSSFFI_RESULT_INVALID_ARGUMENT);
  CHECK_RESULT(ossffi_client_config_set_async_queue_capacity(config, 0), OSSFFI_RESULT_INVALID_ARGUMENT);
  CHECK_RESULT(ossffi_client_config_set_async_queue_capacity(config, (1u << 20) + 1), OSSFFI_RESULT_INVALID_ARGUMENT);
  CHECK_RESULT(ossffi_client_config_set_async_threads(config, 2), OSSFFI_RESULT_OK);
  ossffi_client *client = NULL;
  CHECK_RESULT(ossffi_client_new("http://127.0.0.1:1", "ak", "sk", NULL, config, &client, NULL), OSSFFI_RESULT_OK);
  ossffi_client_config_free(config);
  ossffi_request *request = NULL;
  CHECK_RESULT(ossffi_request_new("bucket", "k", &request), OSSFFI_RESULT_OK);
  ossffi_call *call = (ossffi_call *)&call;
  CHECK_RESULT(ossffi_client_submit(NULL, OSSFFI_OPERATION_GET_OBJECT, request, NULL, NULL, OSSFFI_WHEN_FULL_BLOCK, &call),
               OSSFFI_RESULT_NULL_PARAMETER);
  CHECK(call == NULL);
  CHECK_RESULT(ossffi_client_submit(client, OSSFFI_OPERATION_GET_OBJECT, NULL, NULL, NULL, OSSFFI_WHEN_FULL_BLOCK, &call),
               OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_client_submit(client, 99, request, NULL, NULL, OSSFFI_WHEN_FULL_BLOCK, &call),
               OSSFFI_RESULT_INVALID_ARGUMENT);
  CHECK_RESULT(ossffi_client_submit(client, OSSFFI_OPERATION_GET_OBJECT, request, NULL, NULL, 7, &call),
               OSSFFI_RESULT_INVALID_ARGUMENT);
  CHECK(call == NULL);
  ossffi_request_free(request); /* still the caller's after a refusal */
  CHECK_RESULT(ossffi_client_submit_put_object(NULL, NULL, NULL, NULL, OSSFFI_WHEN_FULL_BLOCK, NULL),
               OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_client_submit_put_object(client, NULL, NULL, NULL, OSSFFI_WHEN_FULL_BLOCK, NULL),
               OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_client_execute(NULL, async_task, NULL, OSSFFI_WHEN_FULL_BLOCK), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_client_execute(client, NULL, NULL, OSSFFI_WHEN_FULL_BLOCK), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_client_execute(client, async_task, NULL, 9), OSSFFI_RESULT_INVALID_ARGUMENT);
  ossffi_client_cancel_all(NULL);
  CHECK_RESULT(ossffi_call_cancel(NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_call_wait(NULL, 0), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK(ossffi_call_is_done(NULL) == 0);
  CHECK_RESULT(ossffi_call_result(NULL), OSSFFI_RESULT_NULL_PARAMETER);
  CHECK(ossffi_call_take_response(NULL) == NULL);
  CHECK(ossffi_call_take_put_result(NULL) == NULL);
  CHECK(ossffi_call_take_error(NULL) == NULL);
  ossffi_call_free(NULL);
  ossffi_client_free(client);
}

int main(void) {
  async_calls();
  callback_builder();
  callback_var_builder();
  client_config();
  clients();
  requests_and_results();
  object_requests();
  verbs();
  responses();
  errors();
  sdk_and_strings();
  callback_verification();
  utilities();
  presign();
  post_policy();
  return finish();
}
