/* What the benchmark clients share: their clocks and, for the ossffi ones, how a failed call
 * stops the run. Include after ossffi.h (where used) and the system headers. */
#ifndef OSSFFI_BENCH_H
#define OSSFFI_BENCH_H

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* User and system time of every thread of the process so far. */
static double cpu_seconds(void) {
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return (double)usage.ru_utime.tv_sec + (double)usage.ru_utime.tv_usec / 1e6 +
         (double)usage.ru_stime.tv_sec + (double)usage.ru_stime.tv_usec / 1e6;
}

#ifdef OSSFFI_H
/* Prints what failed and why, then ends the run with status 1 (the runner reports it). */
static void fail(const char *program, const char *what, ossffi_result rc, ossffi_error *err) {
  fprintf(stderr, "%s: %s failed: %s", program, what, ossffi_result_name(rc));
  if (err != NULL) {
    fprintf(stderr, " (HTTP %u, %s: %s)", ossffi_error_http_status(err), ossffi_error_code(err),
            ossffi_error_message(err));
    ossffi_error_free(err);
  }
  fputc('\n', stderr);
  exit(1);
}
#endif

#endif /* OSSFFI_BENCH_H */
