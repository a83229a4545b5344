/* Not a test of ossffi: a deliberately leaking program that the leak checks must fail
 * (tests/c_api.rs, leak_checks_fail_on_a_leaked_object). It leaks an object libossffi allocated
 * (a client configuration never given to ossffi_client_config_free), so the check is shown to
 * see the library's own allocations; everything else about it passes. */
#include <stdlib.h>

#include "check.h"
#include "ossffi.h"

/* Eight objects through one pointer: at least seven are unreachable from anywhere (the last
 * one's address may survive in a stale stack slot that the leak checkers treat as a reference). */
static void __attribute__((noinline)) lose_configs(void) {
  ossffi_client_config *config = NULL;
  int made = 0;
  for (int i = 0; i < 8; i++) {
    config = ossffi_client_config_new();
    made += config != NULL;
  }
  CHECK(made == 8);
  config = NULL;
}

int main(void) {
  lose_configs();
  int result = finish();
  /* LeakSanitizer reports after exit() and leaves with _exit(), which drops buffered output. */
  fflush(stdout);
  return result;
}
