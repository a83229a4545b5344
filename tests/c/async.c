/* Asynchronous calls through the C API against the emulator the Rust harness announces
 * (OSSFFI_TEST_*): 2,000 PutObject calls on a 3-thread pool each complete exactly once with the
 * right ETag while the process never has more than its pool's threads; generic operations;
 * cancelling a queued and a running call, and all calls at once; a full queue; a completion that submits; a client
 * freed with calls in flight, and one freed from its own completion callback. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "ossffi.h"

#define UPLOADS 2000
#define POOL_THREADS 3
/* ThreadSanitizer runs a background thread of its own once the first thread starts. */
#if defined(__SANITIZE_THREAD__)
#define SANITIZER_THREADS 1
#else
#define SANITIZER_THREADS 0
#endif

static const char *env(const char *name) {
  const char *value = getenv(name);
  if (value == NULL) {
    fprintf(stderr, "%s is not set: run this program through `cargo test --test c_api`\n", name);
    exit(2);
  }
  return value;
}

static ossffi_client *client_with(uint32_t threads, uint32_t capacity) {
  ossffi_client_config *config = ossffi_client_config_new();
  CHECK_RESULT(ossffi_client_config_set_region(config, env("OSSFFI_TEST_REGION")), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_client_config_set_async_threads(config, threads), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_client_config_set_async_queue_capacity(config, capacity), OSSFFI_RESULT_OK);
  ossffi_client *client = NULL;
  CHECK_RESULT(ossffi_client_new(env("OSSFFI_TEST_ENDPOINT"), env("OSS_ACCESS_KEY_ID"), env("OSS_ACCESS_KEY_SECRET"),
                                 NULL, config, &client, NULL),
               OSSFFI_RESULT_OK);
  ossffi_client_config_free(config);
  return client;
}

/* Threads of this process, from /proc/self/status. */
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

static void sleep_ms(long ms) {
  struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&t, NULL);
}

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;

/* ---- 2,000 uploads ---- */

struct upload {
  char key[64];
  char data[96];
  size_t len;
  char expected_etag[40];
  int completions;
  int etag_ok;
  ossffi_result result;
};

static struct upload uploads[UPLOADS];
static int completed;

static void on_upload(void *userdata, ossffi_call *call) {
  struct upload *u = userdata;
  ossffi_put_result *result = ossffi_call_take_put_result(call);
  ossffi_error *err = ossffi_call_take_error(call);
  if (err != NULL) fprintf(stderr, "%s: %s: %s\n", u->key, ossffi_error_code(err), ossffi_error_message(err));
  pthread_mutex_lock(&lock);
  u->completions++;
  u->result = ossffi_call_result(call);
  u->etag_ok = result != NULL && strcmp(ossffi_put_result_etag(result), u->expected_etag) == 0;
  completed++;
  pthread_cond_broadcast(&changed);
  pthread_mutex_unlock(&lock);
  ossffi_put_result_free(result);
  ossffi_error_free(err);
}

static void many_uploads(void) {
  int baseline = thread_count();
  ossffi_client *client = client_with(POOL_THREADS, 64);
  char *callback = NULL;
  ossffi_callback_builder *builder = ossffi_callback_builder_new();
  CHECK_RESULT(ossffi_callback_builder_set_url(builder, env("OSSFFI_TEST_CALLBACK_URL")), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_callback_builder_set_body(builder, "object=${object}"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_callback_builder_build(builder, &callback), OSSFFI_RESULT_OK);
  ossffi_callback_builder_free(builder);

  int most_threads = 0;
  for (int i = 0; i < UPLOADS; i++) {
    struct upload *u = &uploads[i];
    snprintf(u->key, sizeof u->key, "async/c/%04d", i);
    u->len = (size_t)snprintf(u->data, sizeof u->data, "object %d of %d, uploaded asynchronously", i, UPLOADS);
    char *etag = NULL;
    CHECK_RESULT(ossffi_content_etag((const uint8_t *)u->data, u->len, &etag), OSSFFI_RESULT_OK);
    snprintf(u->expected_etag, sizeof u->expected_etag, "%s", etag);
    ossffi_string_free(etag);
    ossffi_put_request *request = NULL;
    CHECK_RESULT(ossffi_put_request_new(env("OSSFFI_TEST_BUCKET"), u->key, &request), OSSFFI_RESULT_OK);
    CHECK_RESULT(ossffi_put_request_set_body_buffer(request, (const uint8_t *)u->data, u->len), OSSFFI_RESULT_OK);
    if (i % 100 == 0) CHECK_RESULT(ossffi_put_request_set_callback(request, callback, ""), OSSFFI_RESULT_OK);
    ossffi_result rc = ossffi_client_submit_put_object(client, request, on_upload, u, OSSFFI_WHEN_FULL_BLOCK, NULL);
    if (rc != OSSFFI_RESULT_OK) {
      CHECK_RESULT(rc, OSSFFI_RESULT_OK);
      ossffi_put_request_free(request);
    }
    if (i % 50 == 0) {
      int now = thread_count();
      if (now > most_threads) most_threads = now;
    }
  }
  pthread_mutex_lock(&lock);
  while (completed < UPLOADS) pthread_cond_wait(&changed, &lock);
  pthread_mutex_unlock(&lock);
  int once = 0, ok = 0, etags = 0;
  for (int i = 0; i < UPLOADS; i++) {
    once += uploads[i].completions == 1;
    ok += uploads[i].result == OSSFFI_RESULT_OK;
    etags += uploads[i].etag_ok;
  }
  CHECK(once == UPLOADS);
  CHECK(ok == UPLOADS);
  CHECK(etags == UPLOADS);
  /* The pool's threads and nothing else: a thread per call would show hundreds. */
  CHECK(most_threads > baseline && most_threads <= baseline + POOL_THREADS + SANITIZER_THREADS);
  if (most_threads > baseline + POOL_THREADS + SANITIZER_THREADS) fprintf(stderr, "threads: %d, baseline %d\n", most_threads, baseline);
  ossffi_client_free(client);
  ossffi_string_free(callback);
}

/* ---- generic operations: GetObject through ossffi_client_submit and a handle ---- */

static void generic_operation(void) {
  ossffi_client *client = client_with(2, 8);
  ossffi_request *request = NULL;
  CHECK_RESULT(ossffi_request_new(env("OSSFFI_TEST_BUCKET"), "async/c/0007", &request), OSSFFI_RESULT_OK);
  ossffi_call *call = NULL;
  CHECK_RESULT(ossffi_client_submit(client, OSSFFI_OPERATION_GET_OBJECT, request, NULL, NULL, OSSFFI_WHEN_FULL_BLOCK,
                                    &call),
               OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_call_wait(call, UINT64_MAX), OSSFFI_RESULT_OK);
  CHECK(ossffi_call_is_done(call) == 1);
  CHECK_RESULT(ossffi_call_result(call), OSSFFI_RESULT_OK);
  CHECK(ossffi_call_take_error(call) == NULL);
  CHECK(ossffi_call_take_put_result(call) == NULL);
  ossffi_response *response = ossffi_call_take_response(call);
  size_t len = 0;
  const uint8_t *body = response != NULL ? ossffi_response_body(response, &len) : NULL;
  CHECK(body != NULL && len == uploads[7].len && memcmp(body, uploads[7].data, len) == 0);
  CHECK(ossffi_call_take_response(call) == NULL); /* taken once */
  ossffi_response_free(response);
  ossffi_call_free(call);

  /* A missing object fails through the call like any other error. */
  CHECK_RESULT(ossffi_request_new(env("OSSFFI_TEST_BUCKET"), "async/c/missing", &request), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_client_submit(client, OSSFFI_OPERATION_HEAD_OBJECT, request, NULL, NULL, OSSFFI_WHEN_FULL_BLOCK,
                                    &call),
               OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_call_wait(call, 60000), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_call_result(call), OSSFFI_RESULT_SERVER_ERROR);
  ossffi_error *err = ossffi_call_take_error(call);
  CHECK(err != NULL && strcmp(ossffi_error_code(err), "NoSuchKey") == 0);
  ossffi_error_free(err);
  ossffi_call_free(call);
  ossffi_client_free(client);
}

/* ---- cancelling, and a full queue ---- */

struct gate {
  int open;
  int reading; /* the body callback is waiting at the gate */
  size_t sent;
};

static struct gate gate;

static int32_t gated_read(void *userdata, uint8_t *buffer, size_t capacity, size_t *written) {
  struct gate *g = userdata;
  pthread_mutex_lock(&lock);
  g->reading = 1;
  pthread_cond_broadcast(&changed);
  while (!g->open) pthread_cond_wait(&changed, &lock);
  pthread_mutex_unlock(&lock);
  size_t n = capacity < 1024 - g->sent ? capacity : 1024 - g->sent;
  memset(buffer, 'g', n);
  g->sent += n;
  *written = n;
  return 0;
}

struct outcome {
  int completions;
  ossffi_result result;
  pthread_t thread;
  uint32_t stored;
};

static void on_outcome(void *userdata, ossffi_call *call) {
  struct outcome *o = userdata;
  HAPPENS_AFTER(o);
  ossffi_error *err = ossffi_call_take_error(call);
  ossffi_put_result_free(ossffi_call_take_put_result(call));
  ossffi_response_free(ossffi_call_take_response(call));
  pthread_mutex_lock(&lock);
  o->completions++;
  o->result = ossffi_call_result(call);
  o->thread = pthread_self();
  o->stored = err != NULL ? ossffi_error_object_stored(err) : 99;
  pthread_cond_broadcast(&changed);
  pthread_mutex_unlock(&lock);
  ossffi_error_free(err);
  HAPPENS_BEFORE(o);
}

static ossffi_put_request *small_put(const char *key) {
  ossffi_put_request *request = NULL;
  CHECK_RESULT(ossffi_put_request_new(env("OSSFFI_TEST_BUCKET"), key, &request), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_put_request_set_body_buffer(request, (const uint8_t *)"small", 5), OSSFFI_RESULT_OK);
  return request;
}

static int exists(ossffi_client *client, const char *key) {
  ossffi_request *request = NULL;
  CHECK_RESULT(ossffi_request_new(env("OSSFFI_TEST_BUCKET"), key, &request), OSSFFI_RESULT_OK);
  bool found = true;
  CHECK_RESULT(ossffi_client_does_object_exist(client, request, &found, NULL), OSSFFI_RESULT_OK);
  ossffi_request_free(request);
  return found;
}

/* Submits an upload of `key` whose body waits at `g`, and returns once the pool's thread is
 * waiting there: the thread is busy until open_gate(g). */
static ossffi_call *submit_at_gate(ossffi_client *client, const char *key, struct gate *g, struct outcome *o) {
  ossffi_put_request *blocked = NULL;
  CHECK_RESULT(ossffi_put_request_new(env("OSSFFI_TEST_BUCKET"), key, &blocked), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_put_request_set_body_callback(blocked, gated_read, NULL, g, 1024), OSSFFI_RESULT_OK);
  ossffi_call *call = NULL;
  CHECK_RESULT(ossffi_client_submit_put_object(client, blocked, on_outcome, o, OSSFFI_WHEN_FULL_BLOCK, &call),
               OSSFFI_RESULT_OK);
  pthread_mutex_lock(&lock);
  while (!g->reading) pthread_cond_wait(&changed, &lock);
  pthread_mutex_unlock(&lock);
  return call;
}

static void open_gate(struct gate *g) {
  pthread_mutex_lock(&lock);
  g->open = 1;
  pthread_cond_broadcast(&changed);
  pthread_mutex_unlock(&lock);
}

static void cancelling(void) {
  ossffi_client *client = client_with(1, 2);
  struct outcome running = {0}, queued = {0}, later = {0}, refused = {0};
  HAPPENS_BEFORE(&running);
  HAPPENS_BEFORE(&queued);
  HAPPENS_BEFORE(&later);
  HAPPENS_BEFORE(&refused);
  ossffi_call *running_call = submit_at_gate(client, "async/c/cancelled-running", &gate, &running);
  ossffi_call *queued_call = NULL;
  /* The only thread is busy: these wait in the queue, which then is full. */
  CHECK_RESULT(ossffi_client_submit_put_object(client, small_put("async/c/cancelled-queued"), on_outcome, &queued,
                                               OSSFFI_WHEN_FULL_BLOCK, &queued_call),
               OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_client_submit_put_object(client, small_put("async/c/after-cancel"), on_outcome, &later,
                                               OSSFFI_WHEN_FULL_BLOCK, NULL),
               OSSFFI_RESULT_OK);
  ossffi_put_request *extra = small_put("async/c/refused");
  CHECK_RESULT(ossffi_client_submit_put_object(client, extra, on_outcome, &refused, OSSFFI_WHEN_FULL_FAIL, NULL),
               OSSFFI_RESULT_QUEUE_FULL);
  ossffi_put_request_free(extra); /* refused: still ours */

  /* Cancelled while queued: it completes now, on this thread, and nothing is sent. */
  CHECK_RESULT(ossffi_call_cancel(queued_call), OSSFFI_RESULT_OK);
  CHECK(queued.completions == 1);
  CHECK_RESULT(queued.result, OSSFFI_RESULT_CANCELLED);
  CHECK(pthread_equal(queued.thread, pthread_self()));
  CHECK(queued.stored == OSSFFI_OBJECT_STORED_NO);
  CHECK(ossffi_call_is_done(queued_call) == 1);
  CHECK_RESULT(ossffi_call_cancel(queued_call), OSSFFI_RESULT_OK); /* again: nothing changes */
  CHECK(queued.completions == 1);

  /* Cancelled while running: it stops at its next chunk. */
  CHECK_RESULT(ossffi_call_cancel(running_call), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_call_wait(running_call, 50), OSSFFI_RESULT_TIMEOUT); /* still at the gate */
  open_gate(&gate);
  CHECK_RESULT(ossffi_call_wait(running_call, 60000), OSSFFI_RESULT_OK);
  HAPPENS_AFTER(&running);
  CHECK(running.completions == 1);
  CHECK_RESULT(running.result, OSSFFI_RESULT_CANCELLED);
  CHECK(running.stored == OSSFFI_OBJECT_STORED_NO);
  CHECK(!pthread_equal(running.thread, pthread_self()));
  ossffi_call_free(running_call);
  ossffi_call_free(queued_call);

  ossffi_client_free(client); /* waits for the call after them */
  HAPPENS_AFTER(&later);
  CHECK(later.completions == 1);
  CHECK_RESULT(later.result, OSSFFI_RESULT_OK);
  CHECK(refused.completions == 0);

  ossffi_client *checker = client_with(1, 1);
  CHECK(!exists(checker, "async/c/cancelled-running"));
  CHECK(!exists(checker, "async/c/cancelled-queued"));
  CHECK(exists(checker, "async/c/after-cancel"));
  ossffi_client_free(checker);
}

/* ossffi_client_cancel_all: the queued calls complete at once on this thread, the running one
 * stops at its next chunk, and a call submitted afterwards runs as usual. */
static struct gate gate_all;

static void cancelling_all(void) {
  ossffi_client *client = client_with(1, 4);
  struct outcome running = {0}, queued[2] = {{0}}, after = {0};
  HAPPENS_BEFORE(&running);
  HAPPENS_BEFORE(&queued[0]);
  HAPPENS_BEFORE(&queued[1]);
  HAPPENS_BEFORE(&after);
  ossffi_call *running_call = submit_at_gate(client, "async/c/all-running", &gate_all, &running);
  CHECK_RESULT(ossffi_client_submit_put_object(client, small_put("async/c/all-queued-0"), on_outcome, &queued[0],
                                               OSSFFI_WHEN_FULL_BLOCK, NULL),
               OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_client_submit_put_object(client, small_put("async/c/all-queued-1"), on_outcome, &queued[1],
                                               OSSFFI_WHEN_FULL_BLOCK, NULL),
               OSSFFI_RESULT_OK);

  ossffi_client_cancel_all(client);
  for (int i = 0; i < 2; i++) {
    CHECK(queued[i].completions == 1);
    CHECK_RESULT(queued[i].result, OSSFFI_RESULT_CANCELLED);
    CHECK(pthread_equal(queued[i].thread, pthread_self()));
    CHECK(queued[i].stored == OSSFFI_OBJECT_STORED_NO);
  }
  CHECK(running.completions == 0); /* still at the gate */
  CHECK_RESULT(ossffi_client_submit_put_object(client, small_put("async/c/all-after"), on_outcome, &after,
                                               OSSFFI_WHEN_FULL_BLOCK, NULL),
               OSSFFI_RESULT_OK);
  open_gate(&gate_all);
  CHECK_RESULT(ossffi_call_wait(running_call, 60000), OSSFFI_RESULT_OK);
  HAPPENS_AFTER(&running);
  CHECK(running.completions == 1);
  CHECK_RESULT(running.result, OSSFFI_RESULT_CANCELLED);
  CHECK(running.stored == OSSFFI_OBJECT_STORED_NO);
  ossffi_call_free(running_call);
  ossffi_client_free(client); /* waits for the call submitted after the cancel */
  HAPPENS_AFTER(&after);
  CHECK(after.completions == 1);
  CHECK_RESULT(after.result, OSSFFI_RESULT_OK);

  ossffi_client *checker = client_with(1, 1);
  CHECK(!exists(checker, "async/c/all-running"));
  CHECK(!exists(checker, "async/c/all-queued-0"));
  CHECK(!exists(checker, "async/c/all-queued-1"));
  CHECK(exists(checker, "async/c/all-after"));
  ossffi_client_free(checker);
}

/* ---- a completion that submits, and clients freed with calls in flight ---- */

static ossffi_client *chained_client;
static struct outcome first = {0}, second = {0};
static ossffi_result nested_submit = OSSFFI_RESULT_PANIC;

static void on_first(void *userdata, ossffi_call *call) {
  (void)userdata;
  ossffi_put_result_free(ossffi_call_take_put_result(call));
  ossffi_put_request *request = small_put("async/c/second");
  nested_submit =
      ossffi_client_submit_put_object(chained_client, request, on_outcome, &second, OSSFFI_WHEN_FULL_BLOCK, NULL);
  if (nested_submit != OSSFFI_RESULT_OK) ossffi_put_request_free(request); /* refused: still ours */
  pthread_mutex_lock(&lock);
  first.completions++;
  first.result = ossffi_call_result(call);
  pthread_cond_broadcast(&changed);
  pthread_mutex_unlock(&lock);
}

static struct outcome freed_in_flight[40];
static ossffi_client *self_freeing;
static int freed_itself;

static void free_own_client(void *userdata, ossffi_call *call) {
  (void)userdata;
  ossffi_put_result_free(ossffi_call_take_put_result(call));
  ossffi_client_free(self_freeing);
  pthread_mutex_lock(&lock);
  freed_itself = 1;
  pthread_cond_broadcast(&changed);
  pthread_mutex_unlock(&lock);
}

static uint32_t task_cancelled = 99;

static void task(void *userdata, uint32_t cancelled) {
  pthread_t *ran_on = userdata;
  HAPPENS_AFTER(ran_on);
  pthread_mutex_lock(&lock);
  *ran_on = pthread_self();
  task_cancelled = cancelled;
  pthread_cond_broadcast(&changed);
  pthread_mutex_unlock(&lock);
  HAPPENS_BEFORE(ran_on);
}

static void lifetimes(void) {
  chained_client = client_with(1, 1);
  CHECK_RESULT(ossffi_client_submit_put_object(chained_client, small_put("async/c/first"), on_first, NULL,
                                               OSSFFI_WHEN_FULL_BLOCK, NULL),
               OSSFFI_RESULT_OK);
  ossffi_client_free(chained_client); /* waits for both, the second submitted during the free */
  CHECK(first.completions == 1);
  /* The second was submitted from the completion while the client was closing: refused, and
   * then its request is the completion's to free; or it ran. Either way it completed once. */
  if (nested_submit == OSSFFI_RESULT_OK) {
    CHECK(second.completions == 1);
  } else {
    CHECK_RESULT(nested_submit, OSSFFI_RESULT_CLIENT_CLOSING);
  }

  ossffi_client *client = client_with(2, 8);
  chained_client = client;
  first.completions = 0;
  second.completions = 0;
  CHECK_RESULT(ossffi_client_submit_put_object(client, small_put("async/c/first"), on_first, NULL,
                                               OSSFFI_WHEN_FULL_BLOCK, NULL),
               OSSFFI_RESULT_OK);
  pthread_mutex_lock(&lock);
  while (first.completions == 0) pthread_cond_wait(&changed, &lock);
  pthread_mutex_unlock(&lock);
  CHECK_RESULT(nested_submit, OSSFFI_RESULT_OK); /* from a completion, with room in the queue */

  /* Freed with 40 calls in flight: every completion has run when ossffi_client_free returns. */
  for (int i = 0; i < 40; i++) {
    char key[48];
    snprintf(key, sizeof key, "async/c/in-flight-%02d", i);
    HAPPENS_BEFORE(&freed_in_flight[i]);
    CHECK_RESULT(ossffi_client_submit_put_object(client, small_put(key), on_outcome, &freed_in_flight[i],
                                                 OSSFFI_WHEN_FULL_BLOCK, NULL),
                 OSSFFI_RESULT_OK);
  }
  pthread_t ran_on = pthread_self();
  HAPPENS_BEFORE(&ran_on);
  CHECK_RESULT(ossffi_client_execute(client, task, &ran_on, OSSFFI_WHEN_FULL_BLOCK), OSSFFI_RESULT_OK);
  ossffi_client_free(client);
  HAPPENS_AFTER(&ran_on);
  HAPPENS_AFTER(&second);
  for (int i = 0; i < 40; i++) HAPPENS_AFTER(&freed_in_flight[i]);
  int all = 0;
  for (int i = 0; i < 40; i++) all += freed_in_flight[i].completions == 1 && freed_in_flight[i].result == OSSFFI_RESULT_OK;
  CHECK(all == 40);
  CHECK(second.completions == 1);
  CHECK(!pthread_equal(ran_on, pthread_self())); /* the task ran on a pool thread */
  CHECK(task_cancelled == 0);

  /* Freed from its own completion callback: no deadlock, and the callback finishes. */
  self_freeing = client_with(2, 8);
  CHECK_RESULT(ossffi_client_submit_put_object(self_freeing, small_put("async/c/self-freeing"), free_own_client, NULL,
                                               OSSFFI_WHEN_FULL_BLOCK, NULL),
               OSSFFI_RESULT_OK);
  for (int waited = 0; waited < 600; waited++) {
    pthread_mutex_lock(&lock);
    int done = freed_itself;
    pthread_mutex_unlock(&lock);
    if (done) break;
    sleep_ms(100);
  }
  CHECK(freed_itself == 1);
  sleep_ms(100); /* let the freeing thread finish its callback and exit */
}

int main(void) {
  many_uploads();
  generic_operation();
  cancelling();
  cancelling_all();
  lifetimes();
  return finish();
}
