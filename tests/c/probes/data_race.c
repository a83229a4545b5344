/* Not a test of ossffi: a deliberately racy program that the ThreadSanitizer runner must fail
 * (tests/c_api.rs, thread_sanitizer_runs_fail_on_a_data_race). Two threads increment one
 * counter with no lock; everything else about it passes, so only the sanitizer can fail it. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>

#include "check.h"
#include "ossffi.h"

static long unguarded;

static void *increment(void *unused) {
  (void)unused;
  for (int i = 0; i < 10000; i++) unguarded++;
  return NULL;
}

int main(void) {
  pthread_t threads[2];
  for (int i = 0; i < 2; i++) CHECK(pthread_create(&threads[i], NULL, increment, NULL) == 0);
  for (int i = 0; i < 2; i++) pthread_join(threads[i], NULL);
  CHECK(ossffi_version() != NULL);
  return finish();
}
