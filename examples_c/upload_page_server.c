/* upload_page_server: an application server whose web page uploads straight from the browser to
 * OSS, never through the server, with an upload callback that tells the server what arrived.
 *
 *   GET /          an HTML page with two ways to upload a file under uploads/:
 *                  - a form whose hidden fields this server signed with ossffi's PostObject
 *                    policy API (key prefix uploads/, 1 byte to 10 MiB, the callback and the
 *                    page user's x:user pinned in the policy); the browser POSTs it to the
 *                    bucket and ends on the callback's reply;
 *                  - a button whose script asks /presign for a presigned PUT URL and sends the
 *                    file with fetch(url, {method: 'PUT'}), showing the reply on the page (the
 *                    bucket needs CORS rules admitting this page's origin for PUT).
 *   GET /presign?key=uploads/NAME&type=CONTENT_TYPE
 *                  a presigned PUT URL (text/plain) for that key and Content-Type, with the
 *                  callback and x:user signed in; keys outside uploads/ get 403.
 *   POST /callback OSS's upload callback: verified with ossffi (the key named by
 *                  x-oss-pub-key-url, fetched only from OSS's host and --allow-key-url-prefix),
 *                  answered 200 {"Status":"OK",...} (OSS hands it to the browser) and recorded,
 *                  or 403 {"Status":"Forbidden",...} and counted as refused.
 *   GET /verified  what was verified: {"verified":[{"bucket":...,"object":...,"size":...,
 *                  "mimeType":...,"user":...},...],"refused":N}.
 *
 *   upload_page_server --endpoint URL --bucket NAME --access-key-id ID --access-key-secret SECRET
 *                      [--region R] [--signature v4|v1] [--listen HOST:PORT] [--user NAME]
 *                      [--allow-key-url-prefix PREFIX]...
 *
 * --endpoint is the OSS (or ossffi-emulator) endpoint the browser reaches, such as
 * http://127.0.0.1:9000 (an IP endpoint: the bucket goes in the path). The callback URL is this
 * server's own address, so OSS must be able to reach it. The first line on stdout is the bound
 * address; then one line per callback: "verified bucket=... object=... size=... mimeType=...
 * user=..." or "refused: why". SIGINT or SIGTERM stop it. Each connection has a thread of its
 * own: a browser keeps connections open while OSS calls back.
 *
 *   cc -std=c99 -pthread -Iinclude examples_c/upload_page_server.c target/release/libossffi.a \
 *      -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc -o upload_page_server
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "http_server.h"
#include "ossffi.h"

#define KEY_PREFIX "uploads/"
#define MAX_UPLOAD_BYTES (10 * 1024 * 1024)
#define SIGNED_FOR_SECONDS 600 /* how long a page's form and a presigned URL work */
#define MAX_PREFIXES 16
#define MAX_RECORDS 256

struct options {
  const char *listen;
  const char *endpoint;
  const char *bucket;
  const char *access_key_id;
  const char *access_key_secret;
  const char *region;
  uint32_t signature_version;
  const char *user;
  const char *prefixes[MAX_PREFIXES];
  int n_prefixes;
};

/* What the server knows and has recorded; shared by the connection threads. */
struct app {
  const struct options *opts;
  char callback_url[160];
  ossffi_callback_key_cache *keys;
  pthread_mutex_t lock; /* guards everything below */
  char *verified[MAX_RECORDS]; /* each a JSON object */
  int n_verified;
  long refused;
  int connections; /* threads still serving one */
};

/* ---------------------------------------------------------------------------------------- */
/* Text helpers */

static void text_html_escaped(struct text *t, const char *s) {
  for (; *s != '\0'; s++) {
    switch (*s) {
      case '&': text_puts(t, "&amp;"); break;
      case '<': text_puts(t, "&lt;"); break;
      case '>': text_puts(t, "&gt;"); break;
      case '"': text_puts(t, "&quot;"); break;
      case '\'': text_puts(t, "&#39;"); break;
      default: text_append(t, s, 1);
    }
  }
}

static void text_json_string(struct text *t, const char *s, size_t n) {
  text_puts(t, "\"");
  text_json_escaped(t, s, n);
  text_puts(t, "\"");
}

/* The value of `name` in a form-encoded `query` (decoded, NUL-terminated, in `out`), or NULL. */
static const char *query_value(const char *query, const char *name, char *out, size_t out_size) {
  size_t name_len = strlen(name);
  while (query != NULL && *query != '\0') {
    const char *end = strchr(query, '&');
    size_t len = end != NULL ? (size_t)(end - query) : strlen(query);
    if (len > name_len && query[name_len] == '=' && strncmp(query, name, name_len) == 0 &&
        len - name_len - 1 < out_size) {
      size_t value_len = len - name_len - 1;
      memcpy(out, query + name_len + 1, value_len);
      out[form_decode(out, value_len)] = '\0';
      return out;
    }
    query = end != NULL ? end + 1 : NULL;
  }
  return NULL;
}

static int report_failure(int fd, const char *what, ossffi_result rc, ossffi_error *err, int keep_alive) {
  struct text why = {NULL, 0, 0, 0};
  int sent;
  text_puts(&why, what);
  text_puts(&why, ": ");
  text_puts(&why, ossffi_result_name(rc));
  if (err != NULL) {
    text_puts(&why, ": ");
    text_puts(&why, ossffi_error_message(err));
  }
  sent = send_error(fd, 500, "Internal Server Error", "InternalError", why.failed ? what : why.data, keep_alive);
  free(why.data);
  ossffi_error_free(err);
  return sent;
}

/* ---------------------------------------------------------------------------------------- */
/* Signing: the callback, the form's policy and presigned URLs */

/* The callback both upload paths carry: OSS POSTs these variables to /callback. */
static ossffi_result build_callback(const struct app *app, char **callback) {
  ossffi_callback_builder *builder = ossffi_callback_builder_new();
  ossffi_result rc = builder != NULL ? OSSFFI_RESULT_OK : OSSFFI_RESULT_PANIC;
  if (rc == OSSFFI_RESULT_OK) rc = ossffi_callback_builder_set_url(builder, app->callback_url);
  if (rc == OSSFFI_RESULT_OK) {
    rc = ossffi_callback_builder_set_body(
        builder, "bucket=${bucket}&object=${object}&size=${size}&mimeType=${mimeType}&user=${x:user}");
  }
  if (rc == OSSFFI_RESULT_OK) rc = ossffi_callback_builder_build(builder, callback);
  ossffi_callback_builder_free(builder);
  return rc;
}

/* The form's fields, signed now for the next SIGNED_FOR_SECONDS. */
static ossffi_result sign_form(const struct app *app, ossffi_form_fields **fields, ossffi_error **err) {
  const struct options *opts = app->opts;
  int64_t now = (int64_t)time(NULL);
  ossffi_post_policy *policy = NULL;
  char *callback = NULL;
  ossffi_result rc = build_callback(app, &callback);
  if (rc == OSSFFI_RESULT_OK) rc = ossffi_post_policy_new(opts->bucket, now + SIGNED_FOR_SECONDS, &policy);
  if (rc == OSSFFI_RESULT_OK) rc = ossffi_post_policy_require_key_prefix(policy, KEY_PREFIX);
  if (rc == OSSFFI_RESULT_OK) rc = ossffi_post_policy_require_content_length(policy, 1, MAX_UPLOAD_BYTES);
  if (rc == OSSFFI_RESULT_OK) rc = ossffi_post_policy_set_callback(policy, callback);
  if (rc == OSSFFI_RESULT_OK) rc = ossffi_post_policy_add_callback_var(policy, "x:user", opts->user);
  if (rc == OSSFFI_RESULT_OK) {
    rc = ossffi_post_policy_set_credentials(policy, opts->access_key_id, opts->access_key_secret, NULL);
  }
  if (rc == OSSFFI_RESULT_OK) rc = ossffi_post_policy_set_signature(policy, opts->signature_version, opts->region, now);
  if (rc == OSSFFI_RESULT_OK) rc = ossffi_post_policy_sign(policy, fields, err);
  ossffi_post_policy_free(policy);
  ossffi_string_free(callback);
  return rc;
}

static ossffi_result presign_put(const struct app *app, const char *key, const char *content_type, char **url,
                                 ossffi_error **err) {
  const struct options *opts = app->opts;
  ossffi_presign_request *request = NULL;
  ossffi_callback_var_builder *vars = ossffi_callback_var_builder_new();
  ossffi_client_config *config = ossffi_client_config_new();
  char *callback = NULL;
  char *callback_var = NULL;
  ossffi_result rc = vars != NULL && config != NULL ? OSSFFI_RESULT_OK : OSSFFI_RESULT_PANIC;
  if (rc == OSSFFI_RESULT_OK) rc = build_callback(app, &callback);
  if (rc == OSSFFI_RESULT_OK) rc = ossffi_callback_var_builder_add(vars, "x:user", opts->user);
  if (rc == OSSFFI_RESULT_OK) rc = ossffi_callback_var_builder_build(vars, &callback_var);
  if (rc == OSSFFI_RESULT_OK) rc = ossffi_presign_request_new(opts->bucket, key, &request);
  if (rc == OSSFFI_RESULT_OK) rc = ossffi_presign_request_set_method(request, "PUT");
  if (rc == OSSFFI_RESULT_OK) {
    rc = ossffi_presign_request_set_expires(request, (int64_t)time(NULL) + SIGNED_FOR_SECONDS);
  }
  /* Signed, so the page must send exactly this type, and OSS stores it as ${mimeType}. */
  if (rc == OSSFFI_RESULT_OK) rc = ossffi_presign_request_set_header(request, "Content-Type", content_type);
  if (rc == OSSFFI_RESULT_OK) rc = ossffi_presign_request_set_callback(request, callback, callback_var);
  if (rc == OSSFFI_RESULT_OK) rc = ossffi_client_config_set_signature_version(config, opts->signature_version);
  if (rc == OSSFFI_RESULT_OK) rc = ossffi_client_config_set_region(config, opts->region);
  if (rc == OSSFFI_RESULT_OK) {
    rc = ossffi_presign_url(opts->endpoint, opts->access_key_id, opts->access_key_secret, NULL, config, request,
                            url, err);
  }
  ossffi_presign_request_free(request);
  ossffi_client_config_free(config);
  ossffi_callback_var_builder_free(vars);
  ossffi_string_free(callback);
  ossffi_string_free(callback_var);
  return rc;
}

/* ---------------------------------------------------------------------------------------- */
/* The page */

static const char PAGE_HEAD[] =
    "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
    "<title>Upload to OSS</title>\n<link rel=\"icon\" href=\"data:,\">\n"
    "<style>body{font-family:sans-serif;max-width:48em;margin:2em auto}"
    "section{border:1px solid #ccc;padding:1em;margin:1em 0}pre{white-space:pre-wrap}</style>\n"
    "</head>\n<body>\n<h1>Upload to OSS</h1>\n";

/* The fetch flow: ask this server for a URL, PUT the file to OSS with it, show OSS's answer
 * (the callback's reply). data-status tells a reader (or a test) when it is done. */
static const char PUT_SECTION[] =
    "<section>\n<h2>Presigned PUT from the page</h2>\n"
    "<input type=\"file\" id=\"put-file\">\n<button type=\"button\" id=\"put-button\">Upload with fetch</button>\n"
    "<pre id=\"put-result\"></pre>\n</section>\n"
    "<script>\n"
    "document.getElementById('put-button').addEventListener('click', async () => {\n"
    "  const out = document.getElementById('put-result');\n"
    "  const file = document.getElementById('put-file').files[0];\n"
    "  if (!file) { out.textContent = 'Choose a file first.'; return; }\n"
    "  const type = file.type || 'application/octet-stream';\n"
    "  try {\n"
    "    const signed = await fetch('/presign?key=' + encodeURIComponent('" KEY_PREFIX "' + file.name) +\n"
    "                               '&type=' + encodeURIComponent(type));\n"
    "    if (!signed.ok) throw new Error('/presign answered ' + signed.status + ': ' + await signed.text());\n"
    "    const put = await fetch(await signed.text(), {method: 'PUT', body: file, headers: {'Content-Type': type}});\n"
    "    out.textContent = await put.text();\n"
    "    out.dataset.status = String(put.status);\n"
    "  } catch (e) {\n"
    "    out.textContent = 'The upload failed: ' + e;\n"
    "    out.dataset.status = 'error';\n"
    "  }\n"
    "});\n"
    "</script>\n</body>\n</html>\n";

static int serve_page(int fd, const struct app *app, int keep_alive) {
  const struct options *opts = app->opts;
  ossffi_form_fields *fields = NULL;
  ossffi_error *err = NULL;
  struct text page = {NULL, 0, 0, 0};
  size_t i;
  int sent;
  ossffi_result rc = sign_form(app, &fields, &err);
  if (rc != OSSFFI_RESULT_OK) return report_failure(fd, "signing the form", rc, err, keep_alive);

  text_puts(&page, PAGE_HEAD);
  text_puts(&page, "<section>\n<h2>Form POST (PostObject)</h2>\n<p>Signed in as ");
  text_html_escaped(&page, opts->user);
  text_puts(&page, "; files go to " KEY_PREFIX " in ");
  text_html_escaped(&page, opts->bucket);
  text_puts(&page, ".</p>\n<form id=\"upload-form\" method=\"post\" enctype=\"multipart/form-data\" action=\"");
  text_html_escaped(&page, opts->endpoint);
  text_puts(&page, "/");
  text_html_escaped(&page, opts->bucket);
  text_puts(&page, "/\">\n");
  for (i = 0; i < ossffi_form_fields_count(fields); i++) {
    const char *name = NULL;
    const char *value = NULL;
    if (ossffi_form_fields_at(fields, i, &name, &value) != OSSFFI_RESULT_OK) continue;
    text_puts(&page, "<input type=\"hidden\" name=\"");
    text_html_escaped(&page, name);
    text_puts(&page, "\" value=\"");
    text_html_escaped(&page, value);
    text_puts(&page, "\">\n");
  }
  /* OSS reads the fields before the file, so the file input comes last. */
  text_puts(&page,
            "<input type=\"file\" name=\"file\" id=\"form-file\">\n"
            "<button type=\"submit\" id=\"form-submit\">Upload with the form</button>\n</form>\n</section>\n");
  text_puts(&page, PUT_SECTION);
  ossffi_form_fields_free(fields);
  if (page.failed) {
    free(page.data);
    return send_error(fd, 500, "Internal Server Error", "InternalError", "out of memory", keep_alive);
  }
  sent = send_response(fd, 200, "OK", "text/html; charset=utf-8", "Cache-Control: no-store\r\n", page.data, page.len,
                       keep_alive);
  free(page.data);
  return sent;
}

static int serve_presign(int fd, const struct app *app, const char *query, int keep_alive) {
  char key[1024];
  char type[256];
  char *url = NULL;
  ossffi_error *err = NULL;
  ossffi_result rc;
  int sent;
  if (query_value(query, "key", key, sizeof key) == NULL || query_value(query, "type", type, sizeof type) == NULL) {
    return send_error(fd, 400, "Bad Request", "BadRequest", "give key and type", keep_alive);
  }
  /* The page may only upload where this server says: under uploads/, nothing else. */
  if (strncmp(key, KEY_PREFIX, strlen(KEY_PREFIX)) != 0 || key[strlen(KEY_PREFIX)] == '\0') {
    return send_error(fd, 403, "Forbidden", "Forbidden", "keys must be a name under " KEY_PREFIX, keep_alive);
  }
  rc = presign_put(app, key, type, &url, &err);
  if (rc != OSSFFI_RESULT_OK) return report_failure(fd, "presigning the PUT", rc, err, keep_alive);
  sent = send_response(fd, 200, "OK", "text/plain; charset=utf-8", "Cache-Control: no-store\r\n", url, strlen(url),
                       keep_alive);
  ossffi_string_free(url);
  return sent;
}

/* ---------------------------------------------------------------------------------------- */
/* Callbacks */

/* The callback's form variables as a JSON object, or NULL when one is missing. `body` is decoded
 * in place. */
static char *record_of(char *body, size_t len) {
  static const char *const names[] = {"bucket", "object", "size", "mimeType", "user"};
  const char *values[5] = {NULL, NULL, NULL, NULL, NULL};
  size_t lens[5] = {0, 0, 0, 0, 0};
  struct text json = {NULL, 0, 0, 0};
  size_t start = 0;
  size_t i;
  while (start < len) {
    size_t end = start;
    size_t eq;
    while (end < len && body[end] != '&') end++;
    eq = start;
    while (eq < end && body[eq] != '=') eq++;
    if (eq < end) {
      size_t name_len = form_decode(body + start, eq - start);
      for (i = 0; i < 5; i++) {
        if (strlen(names[i]) == name_len && memcmp(names[i], body + start, name_len) == 0) {
          values[i] = body + eq + 1;
          lens[i] = form_decode(body + eq + 1, end - eq - 1);
        }
      }
    }
    start = end + 1;
  }
  text_puts(&json, "{");
  for (i = 0; i < 5; i++) {
    if (values[i] == NULL) {
      free(json.data);
      return NULL;
    }
    if (i > 0) text_puts(&json, ",");
    text_json_string(&json, names[i], strlen(names[i]));
    text_puts(&json, ":");
    text_json_string(&json, values[i], lens[i]);
  }
  text_puts(&json, "}");
  if (json.failed) {
    free(json.data);
    return NULL;
  }
  return json.data;
}

static int refuse_callback(int fd, struct app *app, const char *why, int keep_alive) {
  struct text reply = {NULL, 0, 0, 0};
  int sent;
  pthread_mutex_lock(&app->lock);
  app->refused++;
  printf("refused: ");
  print_sanitized(why, strlen(why));
  putchar('\n');
  fflush(stdout);
  pthread_mutex_unlock(&app->lock);
  text_puts(&reply, "{\"Status\":\"Forbidden\",\"Reason\":");
  text_json_string(&reply, why, strlen(why));
  text_puts(&reply, "}");
  sent = reply.failed ? -1 : send_json(fd, 403, "Forbidden", reply.data, keep_alive);
  free(reply.data);
  return sent;
}

static int serve_callback(int fd, const struct request *req, char *body, size_t body_len, struct app *app,
                          int keep_alive) {
  ossffi_error *err = NULL;
  char *record;
  struct text reply = {NULL, 0, 0, 0};
  int sent;
  ossffi_result rc = ossffi_callback_key_cache_verify(app->keys, req->target, req->authorization ? req->authorization : "",
                                                      req->pub_key_url ? req->pub_key_url : "",
                                                      (const uint8_t *)body, body_len, &err);
  if (rc != OSSFFI_RESULT_OK) {
    /* Not from OSS, or altered: nothing in the body is trusted or recorded. */
    struct text why = {NULL, 0, 0, 0};
    text_puts(&why, ossffi_result_name(rc));
    if (err != NULL) {
      text_puts(&why, ": ");
      text_puts(&why, ossffi_error_message(err));
    }
    ossffi_error_free(err);
    sent = refuse_callback(fd, app, why.failed ? "not verified" : why.data, keep_alive);
    free(why.data);
    return sent;
  }
  record = record_of(body, body_len);
  if (record == NULL) return refuse_callback(fd, app, "the callback body lacks a variable", keep_alive);

  /* OSS hands this reply to the uploader: the browser shows it. */
  text_puts(&reply, "{\"Status\":\"OK\",\"Uploaded\":");
  text_puts(&reply, record);
  text_puts(&reply, "}");
  pthread_mutex_lock(&app->lock);
  printf("verified %s\n", record);
  fflush(stdout);
  if (app->n_verified < MAX_RECORDS) {
    app->verified[app->n_verified++] = record;
    record = NULL;
  }
  pthread_mutex_unlock(&app->lock);
  free(record);
  sent = reply.failed ? -1 : send_json(fd, 200, "OK", reply.data, keep_alive);
  free(reply.data);
  return sent;
}

static int serve_verified(int fd, struct app *app, int keep_alive) {
  struct text json = {NULL, 0, 0, 0};
  char refused[32];
  int i;
  int sent;
  pthread_mutex_lock(&app->lock);
  text_puts(&json, "{\"verified\":[");
  for (i = 0; i < app->n_verified; i++) {
    if (i > 0) text_puts(&json, ",");
    text_puts(&json, app->verified[i]);
  }
  snprintf(refused, sizeof refused, "],\"refused\":%ld}", app->refused);
  pthread_mutex_unlock(&app->lock);
  text_puts(&json, refused);
  sent = json.failed ? -1 : send_json(fd, 200, "OK", json.data, keep_alive);
  free(json.data);
  return sent;
}

/* ---------------------------------------------------------------------------------------- */
/* Routing and connections */

static int handle(int fd, const struct request *req, char *body, size_t body_len, int keep_alive, void *userdata) {
  struct app *app = userdata;
  const char *query = strchr(req->target, '?');
  size_t path_len = query != NULL ? (size_t)(query - req->target) : strlen(req->target);
  int get = strcmp(req->method, "GET") == 0;
#define PATH_IS(p) (path_len == strlen(p) && strncmp(req->target, p, path_len) == 0)
  if (get && PATH_IS("/")) return serve_page(fd, app, keep_alive);
  if (get && PATH_IS("/presign")) return serve_presign(fd, app, query != NULL ? query + 1 : "", keep_alive);
  if (get && PATH_IS("/verified")) return serve_verified(fd, app, keep_alive);
  if (!get && PATH_IS("/callback")) return serve_callback(fd, req, body, body_len, app, keep_alive);
#undef PATH_IS
  return send_error(fd, 404, "Not Found", "NotFound", "no such page", keep_alive);
}

struct connection_job {
  struct conn conn;
  struct http_service *service;
  struct app *app;
};

static void *serve_connection_thread(void *arg) {
  struct connection_job *job = arg;
  struct app *app = job->app;
  serve_connection(&job->conn, job->service, 0);
  close(job->conn.fd);
  free(job);
  pthread_mutex_lock(&app->lock);
  app->connections--;
  pthread_mutex_unlock(&app->lock);
  return NULL;
}

/* ---------------------------------------------------------------------------------------- */
/* Start-up */

static void usage(FILE *to) {
  fprintf(to,
          "usage: upload_page_server --endpoint URL --bucket NAME --access-key-id ID --access-key-secret SECRET\n"
          "                          [--region REGION] [--signature v4|v1] [--listen HOST:PORT] [--user NAME]\n"
          "                          [--allow-key-url-prefix PREFIX]...\n"
          "  --endpoint URL                the OSS endpoint the browser uploads to (http://127.0.0.1:9000 for\n"
          "                                a local ossffi-emulator; path-style for an IP)\n"
          "  --region REGION               the bucket's region for V4 signatures (default cn-hangzhou)\n"
          "  --signature v4|v1             how forms and URLs are signed (default v4)\n"
          "  --listen HOST:PORT            address to listen on (default 127.0.0.1:0, any free port)\n"
          "  --user NAME                   the page's user, sent as ${x:user} (default alice)\n"
          "  --allow-key-url-prefix PREFIX also fetch callback keys from URLs starting with PREFIX; repeatable\n");
}

static int parse_options(int argc, char **argv, struct options *opts) {
  int i;
  opts->listen = "127.0.0.1:0";
  opts->region = "cn-hangzhou";
  opts->signature_version = OSSFFI_SIGNATURE_VERSION_V4;
  opts->user = "alice";
  for (i = 1; i < argc; i += 2) {
    const char *arg = argv[i];
    const char *value = i + 1 < argc ? argv[i + 1] : NULL;
    if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
      usage(stdout);
      exit(0);
    }
    if (value == NULL) {
      fprintf(stderr, "upload_page_server: %s needs a value\n", arg);
      return -1;
    }
    if (strcmp(arg, "--listen") == 0) opts->listen = value;
    else if (strcmp(arg, "--endpoint") == 0) opts->endpoint = value;
    else if (strcmp(arg, "--bucket") == 0) opts->bucket = value;
    else if (strcmp(arg, "--access-key-id") == 0) opts->access_key_id = value;
    else if (strcmp(arg, "--access-key-secret") == 0) opts->access_key_secret = value;
    else if (strcmp(arg, "--region") == 0) opts->region = value;
    else if (strcmp(arg, "--user") == 0) opts->user = value;
    else if (strcmp(arg, "--signature") == 0 && strcmp(value, "v4") == 0) opts->signature_version = OSSFFI_SIGNATURE_VERSION_V4;
    else if (strcmp(arg, "--signature") == 0 && strcmp(value, "v1") == 0) opts->signature_version = OSSFFI_SIGNATURE_VERSION_V1;
    else if (strcmp(arg, "--allow-key-url-prefix") == 0 && opts->n_prefixes < MAX_PREFIXES) {
      opts->prefixes[opts->n_prefixes++] = value;
    } else {
      fprintf(stderr, "upload_page_server: unusable option %s %s\n", arg, value);
      usage(stderr);
      return -1;
    }
  }
  if (opts->endpoint == NULL || opts->bucket == NULL || opts->access_key_id == NULL ||
      opts->access_key_secret == NULL) {
    fprintf(stderr, "upload_page_server: give --endpoint, --bucket, --access-key-id and --access-key-secret\n");
    return -1;
  }
  return 0;
}

static int setup_keys(struct app *app) {
  int i;
  app->keys = ossffi_callback_key_cache_new();
  if (app->keys == NULL) {
    fprintf(stderr, "upload_page_server: cannot create the key cache\n");
    return -1;
  }
  for (i = 0; i < app->opts->n_prefixes; i++) {
    if (ossffi_callback_key_cache_allow_prefix(app->keys, app->opts->prefixes[i]) != OSSFFI_RESULT_OK) {
      fprintf(stderr, "upload_page_server: --allow-key-url-prefix \"%s\" is not an http:// or https:// URL prefix\n",
              app->opts->prefixes[i]);
      return -1;
    }
  }
  return 0;
}

/* Accepts until stopped, each connection on a thread of its own. */
static int accept_loop(int listener, struct http_service *service, struct app *app) {
  while (!stop_requested) {
    struct pollfd p;
    struct connection_job *job;
    pthread_t thread;
    int ready;
    int fd;
    p.fd = listener;
    p.events = POLLIN;
    p.revents = 0;
    ready = poll(&p, 1, TICK_MS);
    if (ready < 0 && errno != EINTR) {
      fprintf(stderr, "upload_page_server: poll failed: %s\n", strerror(errno));
      return 1;
    }
    if (ready <= 0) continue;
    fd = accept(listener, NULL, NULL);
    if (fd < 0) continue;
    job = calloc(1, sizeof *job);
    if (job == NULL) {
      close(fd);
      continue;
    }
    job->conn.fd = fd;
    job->service = service;
    job->app = app;
    pthread_mutex_lock(&app->lock);
    app->connections++;
    pthread_mutex_unlock(&app->lock);
    if (pthread_create(&thread, NULL, serve_connection_thread, job) != 0) {
      close(fd);
      free(job);
      pthread_mutex_lock(&app->lock);
      app->connections--;
      pthread_mutex_unlock(&app->lock);
      continue;
    }
    pthread_detach(thread);
  }
  return 0;
}

int main(int argc, char **argv) {
  struct options opts;
  struct app app;
  struct http_service service;
  char bound[96];
  int listener;
  int exit_code;
  int i;
  int waited;

  memset(&opts, 0, sizeof opts);
  memset(&app, 0, sizeof app);
  if (parse_options(argc, argv, &opts) != 0) return 2;
  app.opts = &opts;
  pthread_mutex_init(&app.lock, NULL);
  if (setup_keys(&app) != 0) {
    ossffi_callback_key_cache_free(app.keys);
    return 2;
  }
  handle_stop_signals();
  listener = listen_on("upload_page_server", opts.listen, bound, sizeof bound);
  if (listener < 0) {
    ossffi_callback_key_cache_free(app.keys);
    return 2;
  }
  snprintf(app.callback_url, sizeof app.callback_url, "http://%s/callback", bound);
  printf("%s\n", bound);
  fflush(stdout);
  fprintf(stderr, "upload_page_server: the page is http://%s/, uploading to %s/%s/\n", bound, opts.endpoint,
          opts.bucket);

  service.methods = "GET, POST";
  service.method_refusal = "this server serves GET and POST";
  service.max_body = 64 * 1024; /* callbacks and nothing else come with a body */
  service.handle = handle;
  service.userdata = &app;
  exit_code = accept_loop(listener, &service, &app);
  close(listener);

  /* Connection threads see the stop flag within a tick; wait for them before freeing what they use. */
  for (waited = 0; waited < 4000; waited += TICK_MS / 5) {
    int busy;
    pthread_mutex_lock(&app.lock);
    busy = app.connections;
    pthread_mutex_unlock(&app.lock);
    if (busy == 0) break;
    poll(NULL, 0, TICK_MS / 5);
  }
  ossffi_callback_key_cache_free(app.keys);
  for (i = 0; i < app.n_verified; i++) free(app.verified[i]);
  fprintf(stderr, "upload_page_server: stopped after %d verified and %ld refused callbacks\n", app.n_verified,
          app.refused);
  return exit_code;
}
