/* Verifying upload callback requests from C: ossffi_callback_verify with a PEM, and the key
 * cache with its allow-list, fetch from a loopback key server, timeout and sharing between
 * threads. The request is the vector cbsig-with-query of callback_signature.json. */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "ossffi.h"

/* callback_signature.json, vector cbsig-with-query. */
static const char TARGET[] = "/index%20v2.php?id=1&index=2";
static const char BODY[] = "bucket=yonghu-test";
static const char AUTHORIZATION[] =
    "oQ2IUi56MnoJAeWsAlQPEHLk1l7yZoPQiYCzqxT8iMp7N6nkMKxB6AZRSZikOJxFLpc0t+YkQLK8Rj+ezcVVgC02W0A27eARyJdeY0OxC"
    "Bi7vrl/P0Uw8emUwW5NAR6rgTFa+2CC6TJQtMdhM9M1zzckWO9jWhrF0bXcJbYAeho=";
static const char PUBLIC_KEY_PEM[] =
    "-----BEGIN PUBLIC KEY-----\n"
    "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDE+dUvr2Edjl7OfL3W55zEGRHG\n"
    "MVTQPMUnmXSb9cdkXQV3IvGaPba+LAPUqYrbD+eAx6vrChrJ5NGHDIqu3KW5TvEb\n"
    "cnr8prcjbmi3vfxGMBFNnPu8tLKDrmSjIw+afQcT4tzTRTDpkCKhs0OWSMDHTqIr\n"
    "2gbHS7ruryaYjhmV6QIDAQAB\n"
    "-----END PUBLIC KEY-----\n";
/* base64("http://gosspublic.alicdn.com/callback_pub_key_v1.pem"), the vector's header. */
static const char OSS_KEY_URL_B64[] =
    "aHR0cDovL2dvc3NwdWJsaWMuYWxpY2RuLmNvbS9jYWxsYmFja19wdWJfa2V5X3YxLnBlbQ==";

#define BODY_LEN (sizeof BODY - 1)

/* ------------------------------------------------------------------------------------------ */
/* Minimal base64 for key URLs that name the loopback key server. */

static void base64(const char *in, char *out) {
  static const char alphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  size_t len = strlen(in);
  size_t i;
  size_t o = 0;
  for (i = 0; i + 2 < len; i += 3) {
    uint32_t v = ((uint32_t)(unsigned char)in[i] << 16) | ((uint32_t)(unsigned char)in[i + 1] << 8) |
                 (uint32_t)(unsigned char)in[i + 2];
    out[o++] = alphabet[(v >> 18) & 63];
    out[o++] = alphabet[(v >> 12) & 63];
    out[o++] = alphabet[(v >> 6) & 63];
    out[o++] = alphabet[v & 63];
  }
  if (len - i == 1) {
    uint32_t v = (uint32_t)(unsigned char)in[i] << 16;
    out[o++] = alphabet[(v >> 18) & 63];
    out[o++] = alphabet[(v >> 12) & 63];
    out[o++] = '=';
    out[o++] = '=';
  } else if (len - i == 2) {
    uint32_t v = ((uint32_t)(unsigned char)in[i] << 16) | ((uint32_t)(unsigned char)in[i + 1] << 8);
    out[o++] = alphabet[(v >> 18) & 63];
    out[o++] = alphabet[(v >> 12) & 63];
    out[o++] = alphabet[(v >> 6) & 63];
    out[o++] = '=';
  }
  out[o] = '\0';
}

/* ------------------------------------------------------------------------------------------ */
/* A loopback key server: accepts connections one after another, answers each with the PEM
 * (or never answers, to test the timeout), and counts them. */

struct key_server {
  int fd;
  unsigned port;
  int stall;
  int max_connections;
  int accepted;
  pthread_t thread;
};

static void *key_server_run(void *arg) {
  struct key_server *server = (struct key_server *)arg;
  char reply[1024];
  int stalled[4];
  int n_stalled = 0;
  int i;
  int len = snprintf(reply, sizeof reply,
                     "HTTP/1.1 200 OK\r\nContent-Type: application/x-pem-file\r\n"
                     "Content-Length: %u\r\nConnection: close\r\n\r\n%s",
                     (unsigned)strlen(PUBLIC_KEY_PEM), PUBLIC_KEY_PEM);
  while (server->accepted < server->max_connections) {
    char head[2048];
    size_t used = 0;
    int conn = accept(server->fd, NULL, NULL);
    if (conn < 0) break;
    server->accepted++;
    if (server->stall) {
      if (n_stalled < 4) stalled[n_stalled++] = conn;
      else close(conn);
      continue;
    }
    /* Read the request head, then answer and close. */
    while (used < sizeof head - 1) {
      ssize_t got = read(conn, head + used, sizeof head - 1 - used);
      if (got <= 0) break;
      used += (size_t)got;
      head[used] = '\0';
      if (strstr(head, "\r\n\r\n") != NULL) break;
    }
    if (write(conn, reply, (size_t)len) != len) {
      /* the client went away; the test that started it will notice */
    }
    close(conn);
  }
  /* Hold stalled connections until the client has given up. */
  if (n_stalled > 0) {
    struct timespec wait = {1, 0};
    nanosleep(&wait, NULL);
  }
  for (i = 0; i < n_stalled; i++) close(stalled[i]);
  return NULL;
}

static int key_server_start(struct key_server *server, int stall, int max_connections) {
  struct sockaddr_in addr;
  socklen_t addr_len = sizeof addr;
  memset(server, 0, sizeof *server);
  server->stall = stall;
  server->max_connections = max_connections;
  server->fd = socket(AF_INET, SOCK_STREAM, 0);
  if (server->fd < 0) return -1;
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (bind(server->fd, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(server->fd, 16) != 0 ||
      getsockname(server->fd, (struct sockaddr *)&addr, &addr_len) != 0) {
    close(server->fd);
    return -1;
  }
  server->port = ntohs(addr.sin_port);
  if (pthread_create(&server->thread, NULL, key_server_run, server) != 0) {
    close(server->fd);
    return -1;
  }
  return 0;
}

/* Unblocks accept() by shutting the socket down, then joins the thread. */
static void key_server_stop(struct key_server *server) {
  shutdown(server->fd, SHUT_RDWR);
  pthread_join(server->thread, NULL);
  close(server->fd);
}

/* ------------------------------------------------------------------------------------------ */

static void verify_with_pem_accepts_the_vector(void) {
  ossffi_error *err = (ossffi_error *)&err; /* a non-NULL sentinel the call must clear */
  CHECK_RESULT(ossffi_callback_verify(TARGET, AUTHORIZATION, (const uint8_t *)BODY, BODY_LEN,
                                      PUBLIC_KEY_PEM, &err),
               OSSFFI_RESULT_OK);
  CHECK(err == NULL);
  /* err_out is optional. */
  CHECK_RESULT(ossffi_callback_verify(TARGET, AUTHORIZATION, (const uint8_t *)BODY, BODY_LEN,
                                      PUBLIC_KEY_PEM, NULL),
               OSSFFI_RESULT_OK);
}

static void verify_with_pem_rejects_altered_requests(void) {
  char body[sizeof BODY];
  ossffi_error *err = NULL;
  memcpy(body, BODY, sizeof BODY);
  body[0] = 'B';
  CHECK_RESULT(ossffi_callback_verify(TARGET, AUTHORIZATION, (const uint8_t *)body, BODY_LEN,
                                      PUBLIC_KEY_PEM, &err),
               OSSFFI_RESULT_CALLBACK_SIGNATURE_MISMATCH);
  CHECK(err != NULL);
  CHECK_RESULT(ossffi_error_result(err), OSSFFI_RESULT_CALLBACK_SIGNATURE_MISMATCH);
  CHECK_STR(ossffi_error_code(err), "CallbackSignatureMismatch");
  CHECK(ossffi_error_http_status(err) == 0);
  CHECK(strstr(ossffi_error_message(err), "do not trust this request") != NULL);
  ossffi_error_free(err);

  CHECK_RESULT(ossffi_callback_verify("/index%20v2.php?id=1&index=3", AUTHORIZATION,
                                      (const uint8_t *)BODY, BODY_LEN, PUBLIC_KEY_PEM, NULL),
               OSSFFI_RESULT_CALLBACK_SIGNATURE_MISMATCH);
  CHECK_RESULT(ossffi_callback_verify("/index v3.php?id=1&index=2", AUTHORIZATION,
                                      (const uint8_t *)BODY, BODY_LEN, PUBLIC_KEY_PEM, NULL),
               OSSFFI_RESULT_CALLBACK_SIGNATURE_MISMATCH);
  /* {NULL, 0} is an empty body: valid input, wrong signature. */
  CHECK_RESULT(ossffi_callback_verify(TARGET, AUTHORIZATION, NULL, 0, PUBLIC_KEY_PEM, NULL),
               OSSFFI_RESULT_CALLBACK_SIGNATURE_MISMATCH);
}

static void verify_with_pem_reports_malformed_inputs(void) {
  ossffi_error *err = NULL;
  CHECK_RESULT(ossffi_callback_verify(TARGET, "not base64!", (const uint8_t *)BODY, BODY_LEN,
                                      PUBLIC_KEY_PEM, &err),
               OSSFFI_RESULT_CALLBACK_SIGNATURE_MALFORMED);
  CHECK_STR(ossffi_error_code(err), "CallbackSignatureMalformed");
  ossffi_error_free(err);
  CHECK_RESULT(ossffi_callback_verify(TARGET, AUTHORIZATION, (const uint8_t *)BODY, BODY_LEN,
                                      "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
                                      &err),
               OSSFFI_RESULT_CALLBACK_KEY_MALFORMED);
  CHECK_STR(ossffi_error_code(err), "CallbackKeyMalformed");
  ossffi_error_free(err);
}

static void verify_with_pem_refuses_invalid_utf8_and_null(void) {
  ossffi_error *err = (ossffi_error *)&err;
  CHECK_RESULT(ossffi_callback_verify("/\xff", AUTHORIZATION, (const uint8_t *)BODY, BODY_LEN,
                                      PUBLIC_KEY_PEM, &err),
               OSSFFI_RESULT_INVALID_UTF8);
  CHECK(err == NULL); /* argument errors give no error object */
  CHECK_RESULT(ossffi_callback_verify(TARGET, "\xc3\x28", (const uint8_t *)BODY, BODY_LEN,
                                      PUBLIC_KEY_PEM, &err),
               OSSFFI_RESULT_INVALID_UTF8);
  CHECK_RESULT(ossffi_callback_verify(TARGET, AUTHORIZATION, (const uint8_t *)BODY, BODY_LEN,
                                      "\xe2\x82", &err),
               OSSFFI_RESULT_INVALID_UTF8);
  CHECK_RESULT(ossffi_callback_verify(TARGET, AUTHORIZATION, NULL, 5, PUBLIC_KEY_PEM, &err),
               OSSFFI_RESULT_NULL_PARAMETER);
  CHECK(err == NULL);
}

static void key_cache_refuses_untrusted_key_urls(void) {
  ossffi_callback_key_cache *cache = ossffi_callback_key_cache_new();
  const char *refused[] = {
      "http://127.0.0.1:1/evil",
      "file:///etc/passwd",
      "gopher://127.0.0.1:70/_GET",
      "https://gosspublic.alicdn.com@evil.example/",
      "https://gosspublic.alicdn.com.evil.example/callback_pub_key_v1.pem",
  };
  size_t i;
  CHECK(cache != NULL);
  for (i = 0; i < sizeof refused / sizeof refused[0]; i++) {
    char header[256];
    ossffi_error *err = NULL;
    base64(refused[i], header);
    CHECK_RESULT(ossffi_callback_key_cache_verify(cache, TARGET, AUTHORIZATION, header,
                                                  (const uint8_t *)BODY, BODY_LEN, &err),
                 OSSFFI_RESULT_CALLBACK_KEY_URL_NOT_ALLOWED);
    CHECK(err != NULL && strstr(ossffi_error_message(err), refused[i]) != NULL);
    CHECK(err != NULL && strstr(ossffi_error_message(err), "no connection was made") != NULL);
    ossffi_error_free(err);
  }
  CHECK_RESULT(ossffi_callback_key_cache_verify(cache, TARGET, AUTHORIZATION, "not base64",
                                                (const uint8_t *)BODY, BODY_LEN, NULL),
               OSSFFI_RESULT_CALLBACK_KEY_URL_NOT_ALLOWED);
  /* The signature is checked first, and needs no network either. */
  CHECK_RESULT(ossffi_callback_key_cache_verify(cache, TARGET, "%%", OSS_KEY_URL_B64,
                                                (const uint8_t *)BODY, BODY_LEN, NULL),
               OSSFFI_RESULT_CALLBACK_SIGNATURE_MALFORMED);
  ossffi_callback_key_cache_free(cache);
}

static void key_cache_configuration_is_checked(void) {
  ossffi_callback_key_cache *cache = ossffi_callback_key_cache_new();
  CHECK_RESULT(ossffi_callback_key_cache_allow_prefix(cache, "http://127.0.0.1:8080/"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_callback_key_cache_allow_prefix(cache, "http://127.0.0.1:8080/"), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_callback_key_cache_allow_prefix(cache, "file:///etc/"), OSSFFI_RESULT_INVALID_ARGUMENT);
  CHECK_RESULT(ossffi_callback_key_cache_allow_prefix(cache, "http://u@127.0.0.1/"),
               OSSFFI_RESULT_INVALID_ARGUMENT);
  CHECK_RESULT(ossffi_callback_key_cache_allow_prefix(cache, "http://\xff/"), OSSFFI_RESULT_INVALID_UTF8);
  CHECK_RESULT(ossffi_callback_key_cache_set_timeout_ms(cache, 0), OSSFFI_RESULT_INVALID_ARGUMENT);
  CHECK_RESULT(ossffi_callback_key_cache_set_timeout_ms(cache, 1500), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_callback_key_cache_verify(cache, "/\xff", AUTHORIZATION, OSS_KEY_URL_B64,
                                                (const uint8_t *)BODY, BODY_LEN, NULL),
               OSSFFI_RESULT_INVALID_UTF8);
  CHECK_RESULT(ossffi_callback_key_cache_verify(cache, TARGET, AUTHORIZATION, "\xff",
                                                (const uint8_t *)BODY, BODY_LEN, NULL),
               OSSFFI_RESULT_INVALID_UTF8);
  ossffi_callback_key_cache_free(cache);
}

static void key_cache_fetches_from_an_allowed_prefix_once(void) {
  struct key_server server;
  ossffi_callback_key_cache *cache = ossffi_callback_key_cache_new();
  char prefix[64];
  char url[128];
  char header[256];
  ossffi_error *err = NULL;
  int i;
  if (key_server_start(&server, 0, 1) != 0) {
    CHECK(!"the key server starts");
    ossffi_callback_key_cache_free(cache);
    return;
  }
  snprintf(prefix, sizeof prefix, "http://127.0.0.1:%u/keys/", server.port);
  snprintf(url, sizeof url, "http://127.0.0.1:%u/keys/callback_pub_key_v1.pem", server.port);
  base64(url, header);
  /* Not allowed yet: refused, the server sees nothing. */
  CHECK_RESULT(ossffi_callback_key_cache_verify(cache, TARGET, AUTHORIZATION, header,
                                                (const uint8_t *)BODY, BODY_LEN, NULL),
               OSSFFI_RESULT_CALLBACK_KEY_URL_NOT_ALLOWED);
  CHECK_RESULT(ossffi_callback_key_cache_allow_prefix(cache, prefix), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_callback_key_cache_set_timeout_ms(cache, 3000), OSSFFI_RESULT_OK);
  /* The server answers one connection only: a second fetch would fail. */
  for (i = 0; i < 3; i++) {
    CHECK_RESULT(ossffi_callback_key_cache_verify(cache, TARGET, AUTHORIZATION, header,
                                                  (const uint8_t *)BODY, BODY_LEN, &err),
                 OSSFFI_RESULT_OK);
    CHECK(err == NULL);
  }
  CHECK_RESULT(ossffi_callback_key_cache_verify(cache, TARGET, AUTHORIZATION, header,
                                                (const uint8_t *)"bucket=other", 12, NULL),
               OSSFFI_RESULT_CALLBACK_SIGNATURE_MISMATCH);
  key_server_stop(&server);
  CHECK(server.accepted == 1);
  ossffi_callback_key_cache_free(cache);
}

struct shared_verify {
  ossffi_callback_key_cache *cache;
  const char *header;
  ossffi_result result;
};

static void *verify_thread(void *arg) {
  struct shared_verify *job = (struct shared_verify *)arg;
  job->result = ossffi_callback_key_cache_verify(job->cache, TARGET, AUTHORIZATION, job->header,
                                                 (const uint8_t *)BODY, BODY_LEN, NULL);
  return NULL;
}

static void key_cache_is_shared_by_threads(void) {
  struct key_server server;
  ossffi_callback_key_cache *cache = ossffi_callback_key_cache_new();
  struct shared_verify jobs[4];
  pthread_t threads[4];
  char prefix[64];
  char url[128];
  char header[256];
  int i;
  if (key_server_start(&server, 0, 1) != 0) {
    CHECK(!"the key server starts");
    ossffi_callback_key_cache_free(cache);
    return;
  }
  snprintf(prefix, sizeof prefix, "http://127.0.0.1:%u/", server.port);
  snprintf(url, sizeof url, "http://127.0.0.1:%u/k.pem", server.port);
  base64(url, header);
  CHECK_RESULT(ossffi_callback_key_cache_allow_prefix(cache, prefix), OSSFFI_RESULT_OK);
  for (i = 0; i < 4; i++) {
    jobs[i].cache = cache;
    jobs[i].header = header;
    jobs[i].result = OSSFFI_RESULT_PANIC;
    CHECK(pthread_create(&threads[i], NULL, verify_thread, &jobs[i]) == 0);
  }
  for (i = 0; i < 4; i++) {
    pthread_join(threads[i], NULL);
    CHECK_RESULT(jobs[i].result, OSSFFI_RESULT_OK);
  }
  key_server_stop(&server);
  CHECK(server.accepted == 1);
  ossffi_callback_key_cache_free(cache);
}

static void key_cache_fetch_times_out(void) {
  struct key_server server;
  ossffi_callback_key_cache *cache = ossffi_callback_key_cache_new();
  char prefix[64];
  char header[256];
  char url[128];
  ossffi_error *err = NULL;
  if (key_server_start(&server, 1, 1) != 0) {
    CHECK(!"the key server starts");
    ossffi_callback_key_cache_free(cache);
    return;
  }
  snprintf(prefix, sizeof prefix, "http://127.0.0.1:%u/", server.port);
  snprintf(url, sizeof url, "http://127.0.0.1:%u/k.pem", server.port);
  base64(url, header);
  CHECK_RESULT(ossffi_callback_key_cache_allow_prefix(cache, prefix), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_callback_key_cache_set_timeout_ms(cache, 300), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_callback_key_cache_verify(cache, TARGET, AUTHORIZATION, header,
                                                (const uint8_t *)BODY, BODY_LEN, &err),
               OSSFFI_RESULT_CALLBACK_KEY_FETCH_FAILED);
  CHECK_STR(ossffi_error_code(err), "CallbackKeyFetchFailed");
  CHECK(err != NULL && strstr(ossffi_error_message(err), "within the timeout of 300 ms") != NULL);
  ossffi_error_free(err);
  key_server_stop(&server);
  CHECK(server.accepted == 1);
  ossffi_callback_key_cache_free(cache);
}

int main(void) {
  verify_with_pem_accepts_the_vector();
  verify_with_pem_rejects_altered_requests();
  verify_with_pem_reports_malformed_inputs();
  verify_with_pem_refuses_invalid_utf8_and_null();
  key_cache_refuses_untrusted_key_urls();
  key_cache_configuration_is_checked();
  key_cache_fetches_from_an_allowed_prefix_once();
  key_cache_is_shared_by_threads();
  key_cache_fetch_times_out();
  return finish();
}
