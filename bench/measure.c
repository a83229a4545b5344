/* measure REPORT_FILE COMMAND [ARG]...: runs COMMAND and writes its wall time, CPU time and peak
 * RSS to REPORT_FILE as one JSON line; exits with COMMAND's exit status.
 *
 * Why not os.wait4 in the Python runner: Linux carries a process's peak RSS across exec (the
 * memory of the process before exec counts), so anything forked from the ~30 MiB Python runner
 * would report at least ~30 MiB. Forked from this small program instead, a client's peak RSS is
 * its own (plus this program's ~1 MiB at fork time).
 */
#define _DEFAULT_SOURCE /* wait4 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double seconds(struct timeval tv) { return (double)tv.tv_sec + (double)tv.tv_usec / 1e6; }

int main(int argc, char **argv) {
  struct timespec start, end;
  struct rusage usage;
  int status = 0;
  pid_t child;
  FILE *report;

  if (argc < 3) {
    fprintf(stderr, "usage: measure REPORT_FILE COMMAND [ARG]...\n");
    return 2;
  }
  clock_gettime(CLOCK_MONOTONIC, &start);
  child = fork();
  if (child < 0) {
    perror("measure: fork");
    return 1;
  }
  if (child == 0) {
    execvp(argv[2], argv + 2);
    perror(argv[2]);
    _exit(127);
  }
  if (wait4(child, &status, 0, &usage) < 0) {
    perror("measure: wait4");
    return 1;
  }
  clock_gettime(CLOCK_MONOTONIC, &end);

  report = fopen(argv[1], "w");
  if (report == NULL) {
    perror(argv[1]);
    return 1;
  }
  fprintf(report, "{\"wall_seconds\":%.6f,\"cpu_seconds\":%.6f,\"peak_rss_kib\":%ld}\n",
          (double)(end.tv_sec - start.tv_sec) + (double)(end.tv_nsec - start.tv_nsec) / 1e9,
          seconds(usage.ru_utime) + seconds(usage.ru_stime), usage.ru_maxrss);
  fclose(report);
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}
