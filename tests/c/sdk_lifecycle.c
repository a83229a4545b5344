/* Library lifecycle with the C++ SDK's semantics, logging, version and result names. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>

#include "check.h"
#include "ossffi.h"

struct log_capture {
  int calls;
  uint32_t last_level;
  char last_message[256];
};

static void capture_log(void *userdata, uint32_t level, const char *message) {
  struct log_capture *capture = (struct log_capture *)userdata;
  capture->calls++;
  capture->last_level = level;
  strncpy(capture->last_message, message, sizeof capture->last_message - 1);
  capture->last_message[sizeof capture->last_message - 1] = '\0';
}

static void lifecycle_is_idempotent_and_not_counted(void) {
  CHECK(!ossffi_is_sdk_initialized());
  ossffi_shutdown_sdk(); /* not initialised: a no-op */
  CHECK(!ossffi_is_sdk_initialized());
  ossffi_initialize_sdk();
  CHECK(ossffi_is_sdk_initialized());
  ossffi_initialize_sdk();
  CHECK(ossffi_is_sdk_initialized());
  ossffi_shutdown_sdk(); /* the first shutdown tears down, as in the SDK */
  CHECK(!ossffi_is_sdk_initialized());
  ossffi_shutdown_sdk();
  CHECK(!ossffi_is_sdk_initialized());
}

static void initialize_reads_oss_sdk_log_level(void) {
  setenv("OSS_SDK_LOG_LEVEL", "  DeBug ", 1);
  ossffi_initialize_sdk();
  CHECK(ossffi_get_log_level() == OSSFFI_LOG_LEVEL_DEBUG);
  ossffi_shutdown_sdk();
  CHECK(ossffi_get_log_level() == OSSFFI_LOG_LEVEL_OFF);

  setenv("OSS_SDK_LOG_LEVEL", "loud", 1);
  ossffi_initialize_sdk();
  CHECK(ossffi_get_log_level() == OSSFFI_LOG_LEVEL_OFF);
  ossffi_shutdown_sdk();
  unsetenv("OSS_SDK_LOG_LEVEL");
}

static void log_callback_receives_messages_at_or_below_the_level(void) {
  struct log_capture capture = {0, 0, {0}};
  ossffi_initialize_sdk();
  CHECK_RESULT(ossffi_set_log_callback(capture_log, &capture), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_set_log_level(OSSFFI_LOG_LEVEL_WARN), OSSFFI_RESULT_OK);
  CHECK(ossffi_get_log_level() == OSSFFI_LOG_LEVEL_WARN);
  ossffi_shutdown_sdk(); /* logs at info: below warn, so filtered out */
  CHECK(capture.calls == 0);

  ossffi_initialize_sdk();
  CHECK_RESULT(ossffi_set_log_callback(capture_log, &capture), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_set_log_level(OSSFFI_LOG_LEVEL_INFO), OSSFFI_RESULT_OK);
  ossffi_shutdown_sdk();
  CHECK(capture.calls == 1);
  CHECK(capture.last_level == OSSFFI_LOG_LEVEL_INFO);
  CHECK_STR(capture.last_message, "ossffi shutting down");

  /* Shutting down dropped the callback and turned logging off. */
  CHECK(ossffi_get_log_level() == OSSFFI_LOG_LEVEL_OFF);
  ossffi_initialize_sdk();
  CHECK_RESULT(ossffi_set_log_level(OSSFFI_LOG_LEVEL_ALL), OSSFFI_RESULT_OK);
  ossffi_shutdown_sdk();
  CHECK(capture.calls == 1);

  CHECK_RESULT(ossffi_set_log_level(OSSFFI_LOG_LEVEL_ALL + 1), OSSFFI_RESULT_INVALID_ARGUMENT);
  CHECK_RESULT(ossffi_set_log_callback(NULL, NULL), OSSFFI_RESULT_OK);
}

static void version_matches_the_header(void) {
  CHECK_STR(ossffi_version(), OSSFFI_VERSION_STRING);
}

static void result_names(void) {
  CHECK_STR(ossffi_result_name(OSSFFI_RESULT_OK), "OSSFFI_RESULT_OK");
  CHECK_STR(ossffi_result_name(OSSFFI_RESULT_NULL_PARAMETER), "OSSFFI_RESULT_NULL_PARAMETER");
  CHECK_STR(ossffi_result_name(OSSFFI_RESULT_INVALID_CALLBACK_VARIABLE_KEY),
            "OSSFFI_RESULT_INVALID_CALLBACK_VARIABLE_KEY");
  CHECK_STR(ossffi_result_name(OSSFFI_RESULT_CALLBACK_SIGNATURE_MISMATCH),
            "OSSFFI_RESULT_CALLBACK_SIGNATURE_MISMATCH");
  CHECK_STR(ossffi_result_name(0xFFFFFFFFu), "OSSFFI_RESULT_UNKNOWN");
}

int main(void) {
  unsetenv("OSS_SDK_LOG_LEVEL");
  lifecycle_is_idempotent_and_not_counted();
  initialize_reads_oss_sdk_log_level();
  log_callback_receives_messages_at_or_below_the_level();
  version_matches_the_header();
  result_names();
  return finish();
}
