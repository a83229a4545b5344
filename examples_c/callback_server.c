/* callback_server: the application server that OSS calls after an upload with a callback.
 *
 * It receives each callback POST, checks with ossffi that OSS really signed it, prints what
 * arrived and answers OSS:
 *   200 {"Status":"OK","Bucket":...,"Object":...}   when the signature verifies; OSS hands this
 *                                                   JSON back to the uploader as the PutObject
 *                                                   result,
 *   403 {"Status":"Forbidden","Reason":...}         when it does not; the request is not acted on.
 *
 *   callback_server [--listen 127.0.0.1:0] [--public-key PEM_FILE]
 *                   [--allow-key-url-prefix PREFIX]... [--max-requests N] [--max-body-bytes N]
 *
 * With --public-key the signature is checked against that PEM RSA public key. Otherwise the key
 * named by the request's x-oss-pub-key-url header is fetched (once, then cached), but only from
 * https://gosspublic.alicdn.com/, http://gosspublic.alicdn.com/ and each --allow-key-url-prefix
 * (give the ossffi emulator's key URL prefix here to receive its callbacks). The first line on
 * stdout is the bound address, such as 127.0.0.1:40123. SIGINT or SIGTERM stop it cleanly;
 * --max-requests N stops it after N answers.
 *
 * The HTTP/1.1 server (http_server.h, beside this file) is small but real: Content-Length
 * bodies, keep-alive, pipelined requests, Expect: 100-continue, partial reads and writes, limits
 * on header and body size (431, 413) and an idle timeout. It serves one connection at a time,
 * which is what OSS needs: one POST per upload, then close.
 *
 *   cc -std=c99 -Iinclude examples_c/callback_server.c target/release/libossffi.a \
 *      -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc -o callback_server
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "http_server.h"
#include "ossffi.h"

#define DEFAULT_MAX_BODY (1024 * 1024) /* OSS callback bodies are small; more gets 413 */
#define MAX_PREFIXES 16

struct options {
  const char *listen;
  const char *public_key_file;
  const char *prefixes[MAX_PREFIXES];
  int n_prefixes;
  long max_requests; /* 0 = no limit */
  size_t max_body;
};

/* How requests are verified: with a PEM the caller gave, or with the key cache. */
struct verifier {
  char *public_key_pem;
  ossffi_callback_key_cache *cache;
};

/* ---------------------------------------------------------------------------------------- */
/* What a verified callback carries */

/* A decoded name or value of a form body. */
struct field {
  char *data;
  size_t len;
};

/* Prints each k=v pair of a form body decoded on its own line, and finds "bucket" and
 * "object". `body` is modified (decoded in place). */
static void form_variables(char *body, size_t len, struct field *bucket, struct field *object) {
  size_t start = 0;
  while (start < len) {
    size_t end = start;
    size_t eq;
    size_t name_len;
    size_t value_len;
    while (end < len && body[end] != '&') end++;
    eq = start;
    while (eq < end && body[eq] != '=') eq++;
    if (end > start) {
      char *name = body + start;
      char *value = eq < end ? body + eq + 1 : body + end;
      name_len = form_decode(name, eq - start);
      value_len = eq < end ? form_decode(value, end - eq - 1) : 0;
      printf("  ");
      print_sanitized(name, name_len);
      putchar('=');
      print_sanitized(value, value_len);
      putchar('\n');
      if (name_len == 6 && memcmp(name, "bucket", 6) == 0) {
        bucket->data = value;
        bucket->len = value_len;
      } else if (name_len == 6 && memcmp(name, "object", 6) == 0) {
        object->data = value;
        object->len = value_len;
      }
    }
    start = end + 1;
  }
}

/* The raw (still escaped) contents of the string value of "key" in a JSON body, found by a
 * simple scan; OSS renders the body from a template, so this is enough for a demo. The result
 * is valid inside a JSON string as is. Returns 0 when absent. */
static int json_string_value(const char *body, size_t len, const char *key, struct field *out) {
  size_t key_len = strlen(key);
  size_t i;
  for (i = 0; i + key_len + 2 <= len; i++) {
    size_t j;
    if (body[i] != '"' || memcmp(body + i + 1, key, key_len) != 0 || body[i + 1 + key_len] != '"') continue;
    j = i + key_len + 2;
    while (j < len && (body[j] == ' ' || body[j] == '\t' || body[j] == '\r' || body[j] == '\n')) j++;
    if (j >= len || body[j] != ':') continue;
    j++;
    while (j < len && (body[j] == ' ' || body[j] == '\t' || body[j] == '\r' || body[j] == '\n')) j++;
    if (j >= len || body[j] != '"') continue;
    {
      size_t start = ++j;
      while (j < len && body[j] != '"') {
        if ((unsigned char)body[j] < 0x20) return 0;
        j += body[j] == '\\' ? 2 : 1;
      }
      if (j >= len) return 0;
      out->data = (char *)(body + start);
      out->len = j - start;
      return 1;
    }
  }
  return 0;
}

/* ---------------------------------------------------------------------------------------- */
/* Handling one request */

static int starts_with_ci(const char *s, const char *prefix) {
  return s != NULL && strncasecmp(s, prefix, strlen(prefix)) == 0;
}

/* Verifies the callback, prints it and answers. Returns 0, or -1 when the connection broke. */
static int handle_callback(int fd, const struct request *req, char *body, size_t body_len, int keep_alive,
                           void *userdata) {
  const struct verifier *verifier = userdata;
  ossffi_error *err = NULL;
  ossffi_result result;
  const char *authorization = req->authorization ? req->authorization : "";
  const char *pub_key_url = req->pub_key_url ? req->pub_key_url : "";
  struct field bucket = {NULL, 0};
  struct field object = {NULL, 0};
  int json_body = starts_with_ci(req->content_type, "application/json");
  struct text reply = {NULL, 0, 0, 0};
  int rc;

  if (verifier->public_key_pem != NULL) {
    result = ossffi_callback_verify(req->target, authorization, (const uint8_t *)body, body_len,
                                    verifier->public_key_pem, &err);
  } else {
    result = ossffi_callback_key_cache_verify(verifier->cache, req->target, authorization, pub_key_url,
                                              (const uint8_t *)body, body_len, &err);
  }

  if (result != OSSFFI_RESULT_OK) {
    /* Not from OSS, or altered: say why, and do nothing with the body. */
    const char *message = err != NULL ? ossffi_error_message(err) : "invalid request";
    struct text why = {NULL, 0, 0, 0};
    text_puts(&why, ossffi_result_name(result));
    text_puts(&why, ": ");
    text_puts(&why, message);
    printf("  refused: ");
    print_sanitized(why.data ? why.data : "", why.len);
    putchar('\n');
    text_puts(&reply, "{\"Status\":\"Forbidden\",\"Reason\":\"");
    text_json_escaped(&reply, why.data ? why.data : "", why.len);
    text_puts(&reply, "\"}");
    rc = reply.failed ? -1 : send_json(fd, 403, "Forbidden", reply.data, keep_alive);
    fflush(stdout);
    free(why.data);
    free(reply.data);
    ossffi_error_free(err);
    return rc;
  }

  printf("  verified: the signature matches\n");
  if (json_body) {
    printf("  ");
    print_sanitized(body, body_len);
    putchar('\n');
    json_string_value(body, body_len, "bucket", &bucket);
    json_string_value(body, body_len, "object", &object);
  } else {
    form_variables(body, body_len, &bucket, &object);
  }
  fflush(stdout);

  /* This is where an application records the upload; the demo echoes what it would record. */
  text_puts(&reply, "{\"Status\":\"OK\"");
  if (bucket.data != NULL) {
    text_puts(&reply, ",\"Bucket\":\"");
    if (json_body) text_append(&reply, bucket.data, bucket.len);
    else text_json_escaped(&reply, bucket.data, bucket.len);
    text_puts(&reply, "\"");
  }
  if (object.data != NULL) {
    text_puts(&reply, ",\"Object\":\"");
    if (json_body) text_append(&reply, object.data, object.len);
    else text_json_escaped(&reply, object.data, object.len);
    text_puts(&reply, "\"");
  }
  text_puts(&reply, "}");
  rc = reply.failed ? -1 : send_json(fd, 200, "OK", reply.data, keep_alive);
  free(reply.data);
  return rc;
}

/* ---------------------------------------------------------------------------------------- */
/* Start-up */

static void usage(FILE *to) {
  fprintf(to,
          "usage: callback_server [--listen HOST:PORT] [--public-key PEM_FILE]\n"
          "                       [--allow-key-url-prefix PREFIX]... [--max-requests N]\n"
          "                       [--max-body-bytes N]\n"
          "  --listen HOST:PORT            address to listen on (default 127.0.0.1:0, any free port)\n"
          "  --public-key PEM_FILE         verify with this RSA public key instead of fetching the\n"
          "                                key named by x-oss-pub-key-url\n"
          "  --allow-key-url-prefix PREFIX also fetch keys from URLs starting with PREFIX (besides\n"
          "                                https://gosspublic.alicdn.com/ and http://...); repeatable\n"
          "  --max-requests N              exit after answering N requests\n"
          "  --max-body-bytes N            refuse larger bodies with 413 (default %d)\n",
          DEFAULT_MAX_BODY);
}

static int parse_count(const char *text, long *out) {
  char *end;
  long value;
  errno = 0;
  value = strtol(text, &end, 10);
  if (errno != 0 || *text == '\0' || *end != '\0' || value <= 0) return -1;
  *out = value;
  return 0;
}

static int parse_options(int argc, char **argv, struct options *opts) {
  int i;
  opts->listen = "127.0.0.1:0";
  opts->max_body = DEFAULT_MAX_BODY;
  for (i = 1; i < argc; i++) {
    const char *arg = argv[i];
    const char *value = i + 1 < argc ? argv[i + 1] : NULL;
    long count;
    if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
      usage(stdout);
      exit(0);
    }
    if (value == NULL) {
      fprintf(stderr, "callback_server: %s needs a value\n", arg);
      return -1;
    }
    if (strcmp(arg, "--listen") == 0) {
      opts->listen = value;
    } else if (strcmp(arg, "--public-key") == 0) {
      opts->public_key_file = value;
    } else if (strcmp(arg, "--allow-key-url-prefix") == 0) {
      if (opts->n_prefixes == MAX_PREFIXES) {
        fprintf(stderr, "callback_server: at most %d --allow-key-url-prefix\n", MAX_PREFIXES);
        return -1;
      }
      opts->prefixes[opts->n_prefixes++] = value;
    } else if (strcmp(arg, "--max-requests") == 0) {
      if (parse_count(value, &count) != 0) {
        fprintf(stderr, "callback_server: --max-requests needs a positive number, not \"%s\"\n", value);
        return -1;
      }
      opts->max_requests = count;
    } else if (strcmp(arg, "--max-body-bytes") == 0) {
      if (parse_count(value, &count) != 0) {
        fprintf(stderr, "callback_server: --max-body-bytes needs a positive number, not \"%s\"\n", value);
        return -1;
      }
      opts->max_body = (size_t)count;
    } else {
      fprintf(stderr, "callback_server: unknown option %s\n", arg);
      usage(stderr);
      return -1;
    }
    i++;
  }
  return 0;
}

/* Reads a whole (small) file as a NUL-terminated string. */
static char *read_file(const char *path) {
  FILE *f = fopen(path, "rb");
  char *data = NULL;
  size_t len = 0;
  size_t cap = 0;
  if (f == NULL) return NULL;
  for (;;) {
    size_t got;
    if (cap - len < 1025) {
      char *grown;
      cap = cap ? cap * 2 : 4096;
      if (cap > 1024 * 1024 || (grown = realloc(data, cap)) == NULL) {
        free(data);
        fclose(f);
        return NULL;
      }
      data = grown;
    }
    got = fread(data + len, 1, cap - len - 1, f);
    len += got;
    if (got == 0) break;
  }
  fclose(f);
  data[len] = '\0';
  return data;
}

static int setup_verifier(const struct options *opts, struct verifier *verifier) {
  int i;
  if (opts->public_key_file != NULL) {
    verifier->public_key_pem = read_file(opts->public_key_file);
    if (verifier->public_key_pem == NULL) {
      fprintf(stderr, "callback_server: cannot read the public key %s\n", opts->public_key_file);
      return -1;
    }
    return 0;
  }
  verifier->cache = ossffi_callback_key_cache_new();
  if (verifier->cache == NULL) {
    fprintf(stderr, "callback_server: cannot create the key cache\n");
    return -1;
  }
  for (i = 0; i < opts->n_prefixes; i++) {
    ossffi_result result = ossffi_callback_key_cache_allow_prefix(verifier->cache, opts->prefixes[i]);
    if (result != OSSFFI_RESULT_OK) {
      fprintf(stderr,
              "callback_server: --allow-key-url-prefix \"%s\" is not usable (%s): give an http:// or "
              "https:// URL with a host, without user info or query\n",
              opts->prefixes[i], ossffi_result_name(result));
      return -1;
    }
  }
  return 0;
}

int main(int argc, char **argv) {
  struct options opts;
  struct verifier verifier = {NULL, NULL};
  static struct conn conn;
  char bound[96];
  long answered = 0;
  int listener;
  int exit_code = 0;

  struct http_service service;

  memset(&opts, 0, sizeof opts);
  if (parse_options(argc, argv, &opts) != 0) return 2;
  if (setup_verifier(&opts, &verifier) != 0) {
    free(verifier.public_key_pem);
    ossffi_callback_key_cache_free(verifier.cache);
    return 2;
  }

  handle_stop_signals();

  service.methods = "POST";
  service.method_refusal = "OSS callbacks are POST requests";
  service.max_body = opts.max_body;
  service.handle = handle_callback;
  service.userdata = &verifier;

  listener = listen_on("callback_server", opts.listen, bound, sizeof bound);
  if (listener < 0) {
    free(verifier.public_key_pem);
    ossffi_callback_key_cache_free(verifier.cache);
    return 2;
  }
  printf("%s\n", bound);
  fflush(stdout);
  fprintf(stderr, "callback_server: listening on %s, verifying with %s\n", bound,
          verifier.public_key_pem != NULL ? opts.public_key_file : "keys from x-oss-pub-key-url");

  while (!stop_requested && (opts.max_requests == 0 || answered < opts.max_requests)) {
    struct pollfd p;
    int ready;
    p.fd = listener;
    p.events = POLLIN;
    p.revents = 0;
    ready = poll(&p, 1, TICK_MS);
    if (ready < 0 && errno != EINTR) {
      fprintf(stderr, "callback_server: poll failed: %s\n", strerror(errno));
      exit_code = 1;
      break;
    }
    if (ready <= 0) continue;
    conn.fd = accept(listener, NULL, NULL);
    if (conn.fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED || errno == EAGAIN || errno == EWOULDBLOCK) continue;
      fprintf(stderr, "callback_server: accept failed: %s\n", strerror(errno));
      continue;
    }
    conn.len = 0;
    answered += serve_connection(&conn, &service, opts.max_requests == 0 ? 0 : opts.max_requests - answered);
    close(conn.fd);
  }

  close(listener);
  free(verifier.public_key_pem);
  ossffi_callback_key_cache_free(verifier.cache);
  fprintf(stderr, "callback_server: stopped after %ld answers\n", answered);
  return exit_code;
}
