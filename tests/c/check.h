/* A minimal check harness for the C test programs: each CHECK counts, and finish() prints the
 * "N passed, N failed" line the Rust runner (tests/c_api.rs) and CI read. */
#ifndef OSSFFI_TEST_CHECK_H
#define OSSFFI_TEST_CHECK_H

#include <stdio.h>
#include <string.h>

/* Counted atomically: completion and progress callbacks CHECK on libossffi's threads. */
static int checks_passed;
static int checks_failed;
#define CHECK_COUNT_(counter) __atomic_fetch_add(&(counter), 1, __ATOMIC_RELAXED)

/* ThreadSanitizer and libossffi. The library is not instrumented: TSan sees neither its locks
 * (futexes) nor the threads it starts and joins (ignore_noninstrumented_modules, which the runner
 * needs to drop reports from inside the library, drops those as well). So a program states the
 * orderings the C API documents for data a callback uses on a library thread, on that data's
 * address: HAPPENS_BEFORE(p) before handing p over (the submission or the call) and last in the
 * callback; HAPPENS_AFTER(p) first in the callback and where the API says its callbacks have
 * returned (the call returned, ossffi_call_wait gave OK, ossffi_client_free returned). Without
 * TSan they are nothing. */
#if defined(__SANITIZE_THREAD__)
void __tsan_acquire(void *addr);
void __tsan_release(void *addr);
#define HAPPENS_BEFORE(p) __tsan_release((void *)(p))
#define HAPPENS_AFTER(p) __tsan_acquire((void *)(p))
#else
#define HAPPENS_BEFORE(p) ((void)(p))
#define HAPPENS_AFTER(p) ((void)(p))
#endif

#define CHECK(cond)                                                                  \
  do {                                                                               \
    if (cond) {                                                                      \
      CHECK_COUNT_(checks_passed);                                                   \
    } else {                                                                         \
      CHECK_COUNT_(checks_failed);                                                   \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);      \
    }                                                                                \
  } while (0)

#define CHECK_RESULT(expr, expected)                                                 \
  do {                                                                               \
    ossffi_result got_ = (expr);                                                     \
    if (got_ == (ossffi_result)(expected)) {                                         \
      CHECK_COUNT_(checks_passed);                                                   \
    } else {                                                                         \
      CHECK_COUNT_(checks_failed);                                                   \
      fprintf(stderr, "%s:%d: %s returned %s, expected %s\n", __FILE__, __LINE__,    \
              #expr, ossffi_result_name(got_), ossffi_result_name(expected));        \
    }                                                                                \
  } while (0)

#define CHECK_STR(actual, expected)                                                  \
  do {                                                                               \
    const char *a_ = (actual);                                                       \
    const char *e_ = (expected);                                                     \
    if (a_ != NULL && strcmp(a_, e_) == 0) {                                         \
      CHECK_COUNT_(checks_passed);                                                   \
    } else {                                                                         \
      CHECK_COUNT_(checks_failed);                                                   \
      fprintf(stderr, "%s:%d: %s is \"%s\", expected \"%s\"\n", __FILE__, __LINE__,  \
              #actual, a_ ? a_ : "(null)", e_);                                      \
    }                                                                                \
  } while (0)

static int finish(void) {
  int passed = __atomic_load_n(&checks_passed, __ATOMIC_RELAXED);
  int failed = __atomic_load_n(&checks_failed, __ATOMIC_RELAXED);
  printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}

#endif
