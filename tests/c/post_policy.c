/* PostObject policy signing through the C API: vectors from ../shared/vectors/postobject.json
 * (made with Alibaba's Node.js SDK ali-oss 6.23.0) field for field, the refusals that say what
 * to change, and NULL / invalid arguments. */
#include <stdlib.h>

#include "check.h"
#include "ossffi.h"

#define CALLBACK_B64                                                                           \
  "eyJjYWxsYmFja1VybCI6Imh0dHBzOi8vYXBwLmV4YW1wbGUuY29tL29zcy9jYWxsYmFjayIsImNhbGxiYWNrQm9keSI6" \
  "ImJ1Y2tldD0ke2J1Y2tldH0mb2JqZWN0PSR7b2JqZWN0fSZldGFnPSR7ZXRhZ30mc2l6ZT0ke3NpemV9Jm1pbWVUeXBl" \
  "PSR7bWltZVR5cGV9JnVpZD0ke3g6dWlkfSZzb3VyY2U9JHt4OnNvdXJjZX0iLCJjYWxsYmFja0hvc3QiOiJhcHAuZXhh" \
  "bXBsZS5jb20iLCJjYWxsYmFja0JvZHlUeXBlIjoiYXBwbGljYXRpb24veC13d3ctZm9ybS11cmxlbmNvZGVkIn0="

static const int64_t SIGNED_2025_01_15_0830 = 1736929800;
static const int64_t EXPIRES_2025_01_15_0930 = 1736933400;
static const int64_t EXPIRES_2025_06_01_0015 = 1748736900;

/* Compares every field, name and value, with the expected list of name/value pairs. */
static void check_fields(const ossffi_form_fields *fields, const char *const *expected, size_t n) {
  CHECK(ossffi_form_fields_count(fields) == n);
  for (size_t i = 0; i < n && i < ossffi_form_fields_count(fields); i++) {
    const char *name = NULL;
    const char *value = NULL;
    CHECK_RESULT(ossffi_form_fields_at(fields, i, &name, &value), OSSFFI_RESULT_OK);
    CHECK_STR(name, expected[2 * i]);
    CHECK_STR(value, expected[2 * i + 1]);
  }
}

/* Vector v4-hangzhou-callback-pinned: V4, exact key, success status, pinned callback, x: vars. */
static void v4_callback_vector(void) {
  ossffi_post_policy *p = NULL;
  CHECK_RESULT(ossffi_post_policy_new("examplebucket", EXPIRES_2025_01_15_0930, &p), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_post_policy_set_callback(p, CALLBACK_B64), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_post_policy_require_key(p, "avatars/42.png"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_post_policy_set_success_action_status(p, 200), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_post_policy_add_callback_var(p, "x:uid", "42"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_post_policy_add_callback_var(p, "x:source", "web"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_post_policy_set_credentials(p, "LTAI5tFAKEACCESSKEYID",
                                                  "FAKESECRETFAKESECRETFAKESECRET12", NULL),
               OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_post_policy_set_signature(p, OSSFFI_SIGNATURE_VERSION_V4, "cn-hangzhou",
                                                SIGNED_2025_01_15_0830),
               OSSFFI_RESULT_OK);
  ossffi_form_fields *fields = NULL;
  ossffi_error *err = NULL;
  CHECK_RESULT(ossffi_post_policy_sign(p, &fields, &err), OSSFFI_RESULT_OK);
  CHECK(err == NULL);
  static const char *const expected[] = {
      "key", "avatars/42.png",
      "success_action_status", "200",
      "callback", CALLBACK_B64,
      "x:uid", "42",
      "x:source", "web",
      "x-oss-signature-version", "OSS4-HMAC-SHA256",
      "x-oss-credential", "LTAI5tFAKEACCESSKEYID/20250115/cn-hangzhou/oss/aliyun_v4_request",
      "x-oss-date", "20250115T083000Z",
      "policy",
      "eyJleHBpcmF0aW9uIjoiMjAyNS0wMS0xNVQwOTozMDowMC4wMDBaIiwiY29uZGl0aW9ucyI6W3siYnVja2V0Ijoi"
      "ZXhhbXBsZWJ1Y2tldCJ9LHsieC1vc3Mtc2lnbmF0dXJlLXZlcnNpb24iOiJPU1M0LUhNQUMtU0hBMjU2In0seyJ4"
      "LW9zcy1jcmVkZW50aWFsIjoiTFRBSTV0RkFLRUFDQ0VTU0tFWUlELzIwMjUwMTE1L2NuLWhhbmd6aG91L29zcy9h"
      "bGl5dW5fdjRfcmVxdWVzdCJ9LHsieC1vc3MtZGF0ZSI6IjIwMjUwMTE1VDA4MzAwMFoifSx7ImNhbGxiYWNrIjoi"
      "ZXlKallXeHNZbUZqYTFWeWJDSTZJbWgwZEhCek9pOHZZWEJ3TG1WNFlXMXdiR1V1WTI5dEwyOXpjeTlqWVd4c1lt"
      "RmpheUlzSW1OaGJHeGlZV05yUW05a2VTSTZJbUoxWTJ0bGREMGtlMkoxWTJ0bGRIMG1iMkpxWldOMFBTUjdiMkpx"
      "WldOMGZTWmxkR0ZuUFNSN1pYUmhaMzBtYzJsNlpUMGtlM05wZW1WOUptMXBiV1ZVZVhCbFBTUjdiV2x0WlZSNWNH"
      "VjlKblZwWkQwa2UzZzZkV2xrZlNaemIzVnlZMlU5Skh0NE9uTnZkWEpqWlgwaUxDSmpZV3hzWW1GamEwaHZjM1Fp"
      "T2lKaGNIQXVaWGhoYlhCc1pTNWpiMjBpTENKallXeHNZbUZqYTBKdlpIbFVlWEJsSWpvaVlYQndiR2xqWVhScGIy"
      "NHZlQzEzZDNjdFptOXliUzExY214bGJtTnZaR1ZrSW4wPSJ9LFsiZXEiLCIka2V5IiwiYXZhdGFycy80Mi5wbmci"
      "XSxbImVxIiwiJHN1Y2Nlc3NfYWN0aW9uX3N0YXR1cyIsIjIwMCJdXX0=",
      "x-oss-signature", "4e7ae7def3f2078d7d8a3efccfb9e22dc53f98eb3362b960215f9c5fd90246a4",
  };
  check_fields(fields, expected, sizeof expected / sizeof expected[0] / 2);
  /* The fields outlive the policy, and the policy can be signed again. */
  ossffi_form_fields *again = NULL;
  CHECK_RESULT(ossffi_post_policy_sign(p, &again, NULL), OSSFFI_RESULT_OK);
  ossffi_post_policy_free(p);
  check_fields(again, expected, sizeof expected / sizeof expected[0] / 2);
  ossffi_form_fields_free(again);
  ossffi_form_fields_free(fields);
}

/* Vector v4-hangzhou-in-notin-objectform-redirect: object-form conditions and lists. */
static void v4_list_conditions_vector(void) {
  ossffi_post_policy *p = NULL;
  CHECK_RESULT(ossffi_post_policy_new("examplebucket", EXPIRES_2025_01_15_0930, &p), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_post_policy_set_key(p, "gallery/item-001.png"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_post_policy_add_field(p, "Content-Type", "image/png"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_post_policy_add_field(p, "Cache-Control", "max-age=3600"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_post_policy_add_field(p, "success_action_redirect", "https://app.example.com/uploaded"),
               OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_post_policy_add_condition(p, "exact", "key", "gallery/item-001.png"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_post_policy_add_condition(p, "exact", "success_action_redirect",
                                                "https://app.example.com/uploaded"),
               OSSFFI_RESULT_OK);
  const char *types[] = {"image/jpeg", "image/png"};
  const char *no_cache[] = {"no-cache"};
  CHECK_RESULT(ossffi_post_policy_add_list_condition(p, "in", "content-type", types, 2), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_post_policy_add_list_condition(p, "not-in", "cache-control", no_cache, 1),
               OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_post_policy_set_credentials(p, "LTAI5tFAKEACCESSKEYID",
                                                  "FAKESECRETFAKESECRETFAKESECRET12", NULL),
               OSSFFI_RESULT_OK);
  /* The SDK's region option "oss-cn-hangzhou": the prefix is dropped as ali-oss drops it. */
  CHECK_RESULT(ossffi_post_policy_set_signature(p, OSSFFI_SIGNATURE_VERSION_V4, "oss-cn-hangzhou",
                                                SIGNED_2025_01_15_0830),
               OSSFFI_RESULT_OK);
  ossffi_form_fields *fields = NULL;
  CHECK_RESULT(ossffi_post_policy_sign(p, &fields, NULL), OSSFFI_RESULT_OK);
  const char *name = NULL;
  const char *value = NULL;
  CHECK(ossffi_form_fields_count(fields) == 9);
  CHECK_RESULT(ossffi_form_fields_at(fields, 8, &name, &value), OSSFFI_RESULT_OK);
  CHECK_STR(name, "x-oss-signature");
  CHECK_STR(value, "18ebb2ae273d81e2acb01865aa11c6d5c121af8b93916902de3a1f950e93ddeb");
  ossffi_form_fields_free(fields);
  ossffi_post_policy_free(p);
}

/* Vector v1-hangzhou-sts-callback-xvars: V1 with an STS token, pinned in the policy. */
static void v1_sts_vector(void) {
  ossffi_post_policy *p = NULL;
  CHECK_RESULT(ossffi_post_policy_new("examplebucket", EXPIRES_2025_06_01_0015, &p), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_post_policy_set_callback(p, CALLBACK_B64), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_post_policy_require_key(p, "avatars/42.png"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_post_policy_require_content_length(p, 1, 2097152), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_post_policy_add_callback_var(p, "x:uid", "42"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_post_policy_add_callback_var(p, "x:source", "web"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_post_policy_set_credentials(
                   p, "STS.NUFAKETEMPORARYAKID01", "FAKESTSSECRETFAKESTSSECRETFAKE34",
                   "CAISFAKEFAKEFAKEstsTOKEN+with/slash=and+plus0123456789abcdefFAKE=="),
               OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_post_policy_set_signature(p, OSSFFI_SIGNATURE_VERSION_V1, NULL, 0), OSSFFI_RESULT_OK);
  ossffi_form_fields *fields = NULL;
  CHECK_RESULT(ossffi_post_policy_sign(p, &fields, NULL), OSSFFI_RESULT_OK);
  const char *name = NULL;
  const char *value = NULL;
  CHECK(ossffi_form_fields_count(fields) == 8);
  CHECK_RESULT(ossffi_form_fields_at(fields, 4, &name, &value), OSSFFI_RESULT_OK);
  CHECK_STR(name, "OSSAccessKeyId");
  CHECK_STR(value, "STS.NUFAKETEMPORARYAKID01");
  CHECK_RESULT(ossffi_form_fields_at(fields, 5, &name, &value), OSSFFI_RESULT_OK);
  CHECK_STR(name, "x-oss-security-token");
  CHECK_RESULT(ossffi_form_fields_at(fields, 7, &name, &value), OSSFFI_RESULT_OK);
  CHECK_STR(name, "Signature");
  CHECK_STR(value, "m/H+UotSHepJiPodUUI02RfcwMU=");
  ossffi_form_fields_free(fields);
  ossffi_post_policy_free(p);
}

/* Signs p, expecting `code` and an error whose message contains `words`. */
static void check_refused(const ossffi_post_policy *p, ossffi_result code, const char *words) {
  ossffi_form_fields *fields = (ossffi_form_fields *)&fields; /* must be cleared */
  ossffi_error *err = NULL;
  CHECK_RESULT(ossffi_post_policy_sign(p, &fields, &err), code);
  CHECK(fields == NULL);
  CHECK(err != NULL);
  CHECK(ossffi_error_result(err) == code);
  const char *message = ossffi_error_message(err);
  CHECK(message != NULL && strstr(message, words) != NULL);
  if (message != NULL && strstr(message, words) == NULL) {
    fprintf(stderr, "message \"%s\" lacks \"%s\"\n", message, words);
  }
  ossffi_error_free(err);
}

static void refusals(void) {
  ossffi_post_policy *p = NULL;
  CHECK_RESULT(ossffi_post_policy_new("examplebucket", EXPIRES_2025_01_15_0930, &p), OSSFFI_RESULT_OK);
  check_refused(p, OSSFFI_RESULT_INVALID_ARGUMENT, "ossffi_post_policy_set_credentials");
  CHECK_RESULT(ossffi_post_policy_set_credentials(p, "id", "secret", NULL), OSSFFI_RESULT_OK);
  check_refused(p, OSSFFI_RESULT_INVALID_ARGUMENT, "ossffi_post_policy_set_signature");
  CHECK_RESULT(ossffi_post_policy_set_signature(p, OSSFFI_SIGNATURE_VERSION_V4, "cn-hangzhou",
                                                EXPIRES_2025_01_15_0930),
               OSSFFI_RESULT_OK);
  check_refused(p, OSSFFI_RESULT_INVALID_ARGUMENT, "expires at 2025-01-15T09:30:00.000Z");
  CHECK_RESULT(ossffi_post_policy_set_signature(p, OSSFFI_SIGNATURE_VERSION_V4, "cn-hangzhou",
                                                SIGNED_2025_01_15_0830),
               OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_post_policy_set_key(p, "a.txt"), OSSFFI_RESULT_OK);
  check_refused(p, OSSFFI_RESULT_INVALID_ARGUMENT, "does not limit the object key");
  CHECK_RESULT(ossffi_post_policy_require_key_prefix(p, "user/"), OSSFFI_RESULT_OK);
  check_refused(p, OSSFFI_RESULT_INVALID_ARGUMENT, "[\"starts-with\",\"$key\",\"user/\"]");
  CHECK_RESULT(ossffi_post_policy_set_key(p, "user/a.txt"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_post_policy_require_content_length(p, 10, 1), OSSFFI_RESULT_OK);
  check_refused(p, OSSFFI_RESULT_INVALID_ARGUMENT, "smaller than its minimum");
  ossffi_post_policy_free(p);

  CHECK_RESULT(ossffi_post_policy_new("Bad_Bucket", EXPIRES_2025_01_15_0930, &p), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_post_policy_require_key(p, "a.txt"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_post_policy_set_credentials(p, "id", "secret", NULL), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_post_policy_set_signature(p, OSSFFI_SIGNATURE_VERSION_V1, NULL, 0), OSSFFI_RESULT_OK);
  check_refused(p, OSSFFI_RESULT_VALIDATE_ERROR, "bucket name is invalid");
  ossffi_post_policy_free(p);

  CHECK_RESULT(ossffi_post_policy_new("examplebucket", EXPIRES_2025_01_15_0930, &p), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_post_policy_require_key(p, "a.txt"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_post_policy_set_credentials(p, "id", "secret", NULL), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_post_policy_set_signature(p, OSSFFI_SIGNATURE_VERSION_V1, NULL, 0), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_post_policy_set_success_action_status(p, 202), OSSFFI_RESULT_OK);
  check_refused(p, OSSFFI_RESULT_INVALID_ARGUMENT, "200, 201 or 204");
  ossffi_post_policy_free(p);

  CHECK_RESULT(ossffi_post_policy_new("examplebucket", EXPIRES_2025_01_15_0930, &p), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_post_policy_require_key(p, "a.txt"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_post_policy_set_credentials(p, "id", "secret", NULL), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_post_policy_set_signature(p, OSSFFI_SIGNATURE_VERSION_V1, NULL, 0), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_post_policy_add_callback_var(p, "uid", "1"), OSSFFI_RESULT_OK);
  check_refused(p, OSSFFI_RESULT_INVALID_ARGUMENT, "must start with \"x:\"");
  ossffi_post_policy_free(p);
}

static void invalid_arguments(void) {
  ossffi_post_policy *p = NULL;
  CHECK_RESULT(ossffi_post_policy_new("examplebucket", 0, &p), OSSFFI_RESULT_OK);
  const char bad_utf8[] = {'a', (char)0xff, 0};
  CHECK_RESULT(ossffi_post_policy_set_key(p, bad_utf8), OSSFFI_RESULT_INVALID_UTF8);
  CHECK_RESULT(ossffi_post_policy_add_condition(p, "starts_with", "key", "a"), OSSFFI_RESULT_INVALID_ARGUMENT);
  CHECK_RESULT(ossffi_post_policy_add_condition(p, "in", "key", "a"), OSSFFI_RESULT_INVALID_ARGUMENT);
  const char *one[] = {"a"};
  CHECK_RESULT(ossffi_post_policy_add_list_condition(p, "eq", "key", one, 1), OSSFFI_RESULT_INVALID_ARGUMENT);
  CHECK_RESULT(ossffi_post_policy_add_list_condition(p, "in", "key", NULL, 1), OSSFFI_RESULT_NULL_PARAMETER);
  const char *with_null[] = {"a", NULL};
  CHECK_RESULT(ossffi_post_policy_add_list_condition(p, "in", "key", with_null, 2),
               OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_post_policy_set_signature(p, 7, "cn-hangzhou", 0), OSSFFI_RESULT_INVALID_ARGUMENT);
  CHECK_RESULT(ossffi_post_policy_set_signature(p, OSSFFI_SIGNATURE_VERSION_V4, NULL, 0),
               OSSFFI_RESULT_NULL_PARAMETER);
  CHECK_RESULT(ossffi_post_policy_set_credentials(p, "id", "secret", bad_utf8), OSSFFI_RESULT_INVALID_UTF8);
  ossffi_post_policy_free(p);

  ossffi_form_fields *fields = NULL;
  CHECK_RESULT(ossffi_post_policy_new("examplebucket", EXPIRES_2025_01_15_0930, &p), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_post_policy_require_key(p, "a.txt"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_post_policy_set_credentials(p, "id", "secret", NULL), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_post_policy_set_signature(p, OSSFFI_SIGNATURE_VERSION_V1, NULL, 0), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_post_policy_sign(p, &fields, NULL), OSSFFI_RESULT_OK);
  const char *name = "sentinel";
  const char *value = "sentinel";
  CHECK_RESULT(ossffi_form_fields_at(fields, ossffi_form_fields_count(fields), &name, &value),
               OSSFFI_RESULT_INVALID_ARGUMENT);
  CHECK(name == NULL && value == NULL);
  ossffi_form_fields_free(fields);
  ossffi_post_policy_free(p);
}

int main(void) {
  v4_callback_vector();
  v4_list_conditions_vector();
  v1_sts_vector();
  refusals();
  invalid_arguments();
  return finish();
}
