/* ossffi_put: the ossffi side of `make bench`. It uploads with the public C API exactly as a C
 * user would (a request object per upload, results and errors freed), times only the uploads,
 * and prints one JSON line: {"ops":N,"bytes":B,"seconds":WALL,"cpu_seconds":CPU}.
 *
 *   ossffi_put seq      --count N --size BYTES              N sequential PUTs of BYTES from memory
 *   ossffi_put file     --path FILE [--crc 0|1]             one PUT of FILE, streamed from disk
 *   ossffi_put threads  --threads T --count N --size BYTES  T threads x N PUTs, one shared client
 *   ossffi_put callback --count N --size BYTES --callback-url URL
 *                                                           N PUTs with a form-body upload callback
 *   ossffi_put async    --threads T --count N --size BYTES  N PUTs submitted at once to the
 *                                                           client's async pool of T threads
 * Common flags: --endpoint URL --bucket B --access-key-id AK --access-key-secret SK --region R
 *               --prefix KEYPREFIX (object keys are PREFIX/<thread>/<n>)
 *               --signature-version 4|1 (default 4, the library's default; V1 is there to
 *               measure what V4 signing costs)
 *
 * CPU is getrusage(RUSAGE_SELF) around the timed part, so it covers every thread of the process
 * and leaves out start-up. Any failed upload stops the program with exit status 1: a benchmark
 * that silently counts errors as operations would lie.
 *
 * async submits every upload with ossffi_client_submit_put_object (a queue that holds them all,
 * so no submission waits) and times from the first submission to the last completion. Its JSON
 * line adds "submit_seconds" (the submitting loop alone), "pool_threads" (T) and
 * "peak_threads", the most threads /proc/self/status showed: sampled by the main thread between
 * submissions and every 10 ms while it waits for the completions (a sampling thread would count
 * itself). Not every millisecond: each reading costs the kernel tens of microseconds, which at
 * 1 ms added about 3% to the client CPU this run measures, on the async side only; a pool that
 * started threads per call would still show thousands of them at 10 ms.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "ossffi.h"
#include "bench.h"

struct options {
  const char *mode;
  const char *endpoint;
  const char *bucket;
  const char *access_key_id;
  const char *access_key_secret;
  const char *region;
  const char *prefix;
  const char *path;
  const char *callback_url;
  long count;
  long size;
  long threads;
  int crc;
  int signature_version;
};


static void die_upload(const char *what, ossffi_result rc, ossffi_error *err) { fail("ossffi_put", what, rc, err); }

/* One upload as an application does it: new request, body, optional callback, put, free. */
static void put_one(const ossffi_client *client, const struct options *opt, const char *key,
                    const uint8_t *data, size_t len, const char *path, const char *callback,
                    const char *callback_var) {
  ossffi_put_request *request = NULL;
  ossffi_put_result *result = NULL;
  ossffi_error *err = NULL;
  ossffi_result rc = ossffi_put_request_new(opt->bucket, key, &request);
  if (rc == OSSFFI_RESULT_OK) {
    rc = path != NULL ? ossffi_put_request_set_body_file(request, path)
                      : ossffi_put_request_set_body_buffer(request, data, len);
  }
  if (rc == OSSFFI_RESULT_OK && callback != NULL) {
    rc = ossffi_put_request_set_callback(request, callback, callback_var);
  }
  if (rc != OSSFFI_RESULT_OK) die_upload("preparing the request", rc, NULL);
  rc = ossffi_client_put_object(client, request, &result, &err);
  if (rc != OSSFFI_RESULT_OK) die_upload("PutObject", rc, err);
  if (callback != NULL) {
    /* The receiver's JSON reply comes back as the body; an empty one means no callback ran. */
    size_t reply_len = 0;
    if (ossffi_put_result_body(result, &reply_len) == NULL || reply_len == 0) {
      fprintf(stderr, "ossffi_put: %s: no callback reply\n", key);
      exit(1);
    }
  }
  ossffi_put_result_free(result);
  ossffi_put_request_free(request);
}

struct worker {
  const ossffi_client *client;
  const struct options *opt;
  const uint8_t *data;
  const char *callback;
  const char *callback_var;
  long index;
};

static void *run_worker(void *arg) {
  const struct worker *w = arg;
  char key[256];
  long i;
  for (i = 0; i < w->opt->count; i++) {
    snprintf(key, sizeof key, "%s/%ld/%06ld", w->opt->prefix, w->index, i);
    put_one(w->client, w->opt, key, w->data, (size_t)w->opt->size, NULL, w->callback,
            w->callback_var);
  }
  return NULL;
}

static void build_callback(const struct options *opt, char **callback, char **callback_var) {
  ossffi_callback_builder *builder = ossffi_callback_builder_new();
  ossffi_callback_var_builder *vars = ossffi_callback_var_builder_new();
  ossffi_result rc = OSSFFI_RESULT_OK;
  if (builder == NULL || vars == NULL) die_upload("creating the callback builders", OSSFFI_RESULT_PANIC, NULL);
  if (rc == OSSFFI_RESULT_OK) rc = ossffi_callback_builder_set_url(builder, opt->callback_url);
  if (rc == OSSFFI_RESULT_OK)
    rc = ossffi_callback_builder_set_body(
        builder, "bucket=${bucket}&object=${object}&etag=${etag}&size=${size}&mimeType=${mimeType}&client=${x:client}");
  if (rc == OSSFFI_RESULT_OK) rc = ossffi_callback_builder_build(builder, callback);
  if (rc == OSSFFI_RESULT_OK) rc = ossffi_callback_var_builder_add(vars, "x:client", "ossffi");
  if (rc == OSSFFI_RESULT_OK) rc = ossffi_callback_var_builder_build(vars, callback_var);
  if (rc != OSSFFI_RESULT_OK) die_upload("building the callback", rc, NULL);
  ossffi_callback_builder_free(builder);
  ossffi_callback_var_builder_free(vars);
}

/* ---- async: every upload submitted at once to the client's pool ---- */

/* Threads of this process, from /proc/self/status (-1 if it cannot be read). */
static int thread_count(void) {
  FILE *status = fopen("/proc/self/status", "r");
  char line[256];
  int threads = -1;
  while (status != NULL && fgets(line, sizeof line, status) != NULL) {
    if (strncmp(line, "Threads:", 8) == 0) threads = atoi(line + 8);
  }
  if (status != NULL) fclose(status);
  return threads;
}

struct async_run {
  pthread_mutex_t lock;
  pthread_cond_t all_done; /* on CLOCK_MONOTONIC, so the main thread can wake every 10 ms */
  long total;
  long completed;
  long failed;
};

/* Runs on a pool thread once per upload: counts it, and says why when it failed. */
static void on_async_upload(void *userdata, ossffi_call *call) {
  struct async_run *run = userdata;
  ossffi_put_result *result = ossffi_call_take_put_result(call);
  ossffi_error *err = ossffi_call_take_error(call);
  ossffi_result rc = ossffi_call_result(call);
  int ok = rc == OSSFFI_RESULT_OK && result != NULL;
  pthread_mutex_lock(&run->lock);
  if (!ok && run->failed++ < 5) {
    fprintf(stderr, "ossffi_put: async PutObject failed: %s", ossffi_result_name(rc));
    if (err != NULL) {
      fprintf(stderr, " (HTTP %u, %s: %s)", ossffi_error_http_status(err), ossffi_error_code(err),
              ossffi_error_message(err));
    }
    fputc('\n', stderr);
  }
  if (++run->completed == run->total) pthread_cond_broadcast(&run->all_done);
  pthread_mutex_unlock(&run->lock);
  ossffi_put_result_free(result);
  ossffi_error_free(err);
}

/* Submits opt->count uploads without waiting for room (the queue holds them all: a full one
 * fails the run), then waits for every completion, sampling the thread count as it goes.
 * Returns the most threads seen; *submit_seconds is how long the submitting took. */
static int run_async(const ossffi_client *client, const struct options *opt, const uint8_t *data,
                     double *submit_seconds) {
  struct async_run run = {.total = opt->count};
  pthread_condattr_t attr;
  int peak = thread_count(), now;
  char key[256];
  long i;
  pthread_mutex_init(&run.lock, NULL);
  pthread_condattr_init(&attr);
  pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
  pthread_cond_init(&run.all_done, &attr);
  pthread_condattr_destroy(&attr);

  *submit_seconds = now_seconds();
  for (i = 0; i < opt->count; i++) {
    ossffi_put_request *request = NULL;
    snprintf(key, sizeof key, "%s/%06ld", opt->prefix, i);
    ossffi_result rc = ossffi_put_request_new(opt->bucket, key, &request);
    if (rc == OSSFFI_RESULT_OK) rc = ossffi_put_request_set_body_buffer(request, data, (size_t)opt->size);
    if (rc != OSSFFI_RESULT_OK) die_upload("preparing the request", rc, NULL);
    rc = ossffi_client_submit_put_object(client, request, on_async_upload, &run, OSSFFI_WHEN_FULL_FAIL, NULL);
    if (rc != OSSFFI_RESULT_OK) die_upload("submitting PutObject", rc, NULL); /* the request is ours still */
    if (i % 256 == 0 && (now = thread_count()) > peak) peak = now;
  }
  *submit_seconds = now_seconds() - *submit_seconds;

  for (;;) {
    struct timespec deadline;
    int done;
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_nsec += 10000000L;
    if (deadline.tv_nsec >= 1000000000L) {
      deadline.tv_sec++;
      deadline.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&run.lock);
    if (run.completed < run.total) pthread_cond_timedwait(&run.all_done, &run.lock, &deadline);
    done = run.completed == run.total;
    pthread_mutex_unlock(&run.lock);
    /* Outside the lock: the completions must not wait for /proc. */
    if ((now = thread_count()) > peak) peak = now;
    if (done) break;
  }
  if (run.failed > 0) {
    fprintf(stderr, "ossffi_put: %ld of %ld async uploads failed\n", run.failed, run.total);
    exit(1);
  }
  pthread_cond_destroy(&run.all_done);
  pthread_mutex_destroy(&run.lock);
  return peak;
}

static void usage(void) {
  fprintf(stderr,
          "usage: ossffi_put seq|file|threads|callback|async --endpoint URL --bucket B --access-key-id AK\n"
          "       --access-key-secret SK [--region R] [--prefix P] [--count N] [--size BYTES]\n"
          "       [--threads T] [--path FILE] [--crc 0|1] [--callback-url URL]\n"
          "       [--signature-version 4|1]\n");
  exit(2);
}

static struct options parse(int argc, char **argv) {
  struct options opt = {0};
  int i;
  opt.region = "cn-hangzhou";
  opt.prefix = "bench";
  opt.count = 1;
  opt.size = 4096;
  opt.threads = 1;
  opt.crc = 1;
  opt.signature_version = 4;
  if (argc < 2) usage();
  opt.mode = argv[1];
  for (i = 2; i + 1 < argc; i += 2) {
    const char *flag = argv[i], *value = argv[i + 1];
    if (strcmp(flag, "--endpoint") == 0) opt.endpoint = value;
    else if (strcmp(flag, "--bucket") == 0) opt.bucket = value;
    else if (strcmp(flag, "--access-key-id") == 0) opt.access_key_id = value;
    else if (strcmp(flag, "--access-key-secret") == 0) opt.access_key_secret = value;
    else if (strcmp(flag, "--region") == 0) opt.region = value;
    else if (strcmp(flag, "--prefix") == 0) opt.prefix = value;
    else if (strcmp(flag, "--path") == 0) opt.path = value;
    else if (strcmp(flag, "--callback-url") == 0) opt.callback_url = value;
    else if (strcmp(flag, "--count") == 0) opt.count = atol(value);
    else if (strcmp(flag, "--size") == 0) opt.size = atol(value);
    else if (strcmp(flag, "--threads") == 0) opt.threads = atol(value);
    else if (strcmp(flag, "--crc") == 0) opt.crc = atoi(value);
    else if (strcmp(flag, "--signature-version") == 0) opt.signature_version = atoi(value);
    else usage();
  }
  if (i != argc || opt.endpoint == NULL || opt.bucket == NULL || opt.access_key_id == NULL ||
      opt.access_key_secret == NULL || opt.count < 1 || opt.size < 0 || opt.threads < 1 ||
      (opt.signature_version != 1 && opt.signature_version != 4)) {
    usage();
  }
  if (strcmp(opt.mode, "seq") != 0 && strcmp(opt.mode, "file") != 0 && strcmp(opt.mode, "threads") != 0 &&
      strcmp(opt.mode, "callback") != 0 && strcmp(opt.mode, "async") != 0) {
    usage();
  }
  if (strcmp(opt.mode, "file") == 0 && opt.path == NULL) usage();
  if (strcmp(opt.mode, "callback") == 0 && opt.callback_url == NULL) usage();
  /* The async pool takes 1 to 256 threads and a queue of at most 1,048,576 calls. */
  if (strcmp(opt.mode, "async") == 0 && (opt.threads > 256 || opt.count > 1048576)) usage();
  return opt;
}

int main(int argc, char **argv) {
  struct options opt = parse(argc, argv);
  ossffi_client_config *config = ossffi_client_config_new();
  ossffi_client *client = NULL;
  ossffi_error *err = NULL;
  ossffi_result rc;
  char *callback = NULL, *callback_var = NULL;
  uint8_t *data;
  long ops = 0;
  double bytes = 0, wall, cpu, submit = 0;
  int async_mode = strcmp(opt.mode, "async") == 0, peak_threads = 0;

  ossffi_client_config_set_region(config, opt.region);
  ossffi_client_config_set_crc64(config, (uint32_t)opt.crc);
  ossffi_client_config_set_signature_version(
      config, opt.signature_version == 1 ? OSSFFI_SIGNATURE_VERSION_V1 : OSSFFI_SIGNATURE_VERSION_V4);
  /* A failed request must show up as a failure, not as a slower success. */
  ossffi_client_config_set_max_retries(config, 0);
  if (async_mode) {
    /* The pool under test, and a queue with room for every upload: submitting never waits. */
    ossffi_client_config_set_async_threads(config, (uint32_t)opt.threads);
    ossffi_client_config_set_async_queue_capacity(config, (uint32_t)opt.count);
  }
  rc = ossffi_client_new(opt.endpoint, opt.access_key_id, opt.access_key_secret, NULL, config,
                         &client, &err);
  ossffi_client_config_free(config);
  if (rc != OSSFFI_RESULT_OK) die_upload("creating the client", rc, err);

  data = malloc((size_t)opt.size + 1);
  if (data == NULL) return 1;
  for (long i = 0; i < opt.size; i++) data[i] = (uint8_t)(i * 131 + 7);
  if (strcmp(opt.mode, "callback") == 0) build_callback(&opt, &callback, &callback_var);

  int file_mode = strcmp(opt.mode, "file") == 0;
  long t, n = strcmp(opt.mode, "threads") == 0 ? opt.threads : 1;
  char key[256];
  if (file_mode) {
    FILE *f = fopen(opt.path, "rb");
    if (f == NULL || fseek(f, 0, SEEK_END) != 0) {
      perror(opt.path);
      return 1;
    }
    bytes = (double)ftell(f);
    fclose(f);
    snprintf(key, sizeof key, "%s/file", opt.prefix);
  }
  struct worker *workers = calloc((size_t)n, sizeof *workers);
  pthread_t *ids = calloc((size_t)n, sizeof *ids);
  for (t = 0; t < n; t++) workers[t] = (struct worker){client, &opt, data, callback, callback_var, t};

  wall = now_seconds();
  cpu = cpu_seconds();
  if (file_mode) {
    put_one(client, &opt, key, NULL, 0, opt.path, NULL, NULL);
    ops = 1;
  } else if (async_mode) {
    peak_threads = run_async(client, &opt, data, &submit);
    ops = opt.count;
    bytes = (double)ops * (double)opt.size;
  } else {
    if (n == 1) {
      run_worker(&workers[0]); /* on the main thread, as a single-threaded program would */
    } else {
      for (t = 0; t < n; t++) pthread_create(&ids[t], NULL, run_worker, &workers[t]);
      for (t = 0; t < n; t++) pthread_join(ids[t], NULL);
    }
    ops = n * opt.count;
    bytes = (double)ops * (double)opt.size;
  }
  wall = now_seconds() - wall;
  cpu = cpu_seconds() - cpu;

  if (async_mode) {
    printf("{\"ops\":%ld,\"bytes\":%.0f,\"seconds\":%.6f,\"cpu_seconds\":%.6f,\"submit_seconds\":%.6f,"
           "\"pool_threads\":%ld,\"peak_threads\":%d}\n",
           ops, bytes, wall, cpu, submit, opt.threads, peak_threads);
  } else {
    printf("{\"ops\":%ld,\"bytes\":%.0f,\"seconds\":%.6f,\"cpu_seconds\":%.6f}\n", ops, bytes, wall, cpu);
  }
  ossffi_string_free(callback);
  ossffi_string_free(callback_var);
  free(workers);
  free(ids);
  free(data);
  ossffi_client_free(client);
  return 0;
}
