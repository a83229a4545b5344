/* A minimal check harness for the C test programs: each CHECK counts, and finish() prints the
 * "N passed, N failed" line the Rust runner (tests/c_api.rs) and CI read. */
#ifndef OSSFFI_TEST_CHECK_H
#define OSSFFI_TEST_CHECK_H

#include <stdio.h>
#include <string.h>

static int checks_passed;
static int checks_failed;

#define CHECK(cond)                                                                  \
  do {                                                                               \
    if (cond) {                                                                      \
      checks_passed++;                                                               \
    } else {                                                                         \
      checks_failed++;                                                               \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);      \
    }                                                                                \
  } while (0)

#define CHECK_RESULT(expr, expected)                                                 \
  do {                                                                               \
    ossffi_result got_ = (expr);                                                     \
    if (got_ == (ossffi_result)(expected)) {                                         \
      checks_passed++;                                                               \
    } else {                                                                         \
      checks_failed++;                                                               \
      fprintf(stderr, "%s:%d: %s returned %s, expected %s\n", __FILE__, __LINE__,    \
              #expr, ossffi_result_name(got_), ossffi_result_name(expected));        \
    }                                                                                \
  } while (0)

#define CHECK_STR(actual, expected)                                                  \
  do {                                                                               \
    const char *a_ = (actual);                                                       \
    const char *e_ = (expected);                                                     \
    if (a_ != NULL && strcmp(a_, e_) == 0) {                                         \
      checks_passed++;                                                               \
    } else {                                                                         \
      checks_failed++;                                                               \
      fprintf(stderr, "%s:%d: %s is \"%s\", expected \"%s\"\n", __FILE__, __LINE__,  \
              #actual, a_ ? a_ : "(null)", e_);                                      \
    }                                                                                \
  } while (0)

static int finish(void) {
  printf("%d passed, %d failed\n", checks_passed, checks_failed);
  return checks_failed == 0 ? 0 : 1;
}

#endif
