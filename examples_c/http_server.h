/* http_server.h: the small HTTP/1.1 server the example application servers share
 * (callback_server.c, upload_page_server.c): Content-Length bodies, keep-alive (HTTP/1.1 by
 * default, HTTP/1.0 on request, "Connection: close" honoured), pipelined requests,
 * Expect: 100-continue, partial reads and writes, limits on head and body size (431, 413), an
 * idle timeout, and a stop flag that SIGINT and SIGTERM set.
 *
 * Everything is static: include it in one .c file of a program. The functions are reentrant,
 * so a server may serve each connection on a thread of its own.
 */
#ifndef OSSFFI_EXAMPLES_HTTP_SERVER_H
#define OSSFFI_EXAMPLES_HTTP_SERVER_H

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#define MAX_HEAD_BYTES 16384 /* request line + headers; more gets 431 */
#define IDLE_TIMEOUT_MS 10000 /* a connection that sends nothing for this long is closed */
#define TICK_MS 250           /* how often blocking waits look at the stop flag */

static volatile sig_atomic_t stop_requested;

static void on_stop_signal(int signo) {
  (void)signo;
  stop_requested = 1;
}

/* SIGINT and SIGTERM set `stop_requested` (without SA_RESTART, so they interrupt poll() and
 * the loops look at the flag); SIGPIPE is ignored. */
static void handle_stop_signals(void) {
  struct sigaction stop_action;
  struct sigaction ignore_action;
  memset(&stop_action, 0, sizeof stop_action);
  stop_action.sa_handler = on_stop_signal;
  sigemptyset(&stop_action.sa_mask);
  sigaction(SIGINT, &stop_action, NULL);
  sigaction(SIGTERM, &stop_action, NULL);
  memset(&ignore_action, 0, sizeof ignore_action);
  ignore_action.sa_handler = SIG_IGN;
  sigemptyset(&ignore_action.sa_mask);
  sigaction(SIGPIPE, &ignore_action, NULL);
}

/* ---------------------------------------------------------------------------------------- */
/* Output helpers */

/* Prints untrusted bytes with control characters escaped, so a request cannot forge log lines
 * or send terminal escape sequences. */
static void print_sanitized(const char *text, size_t len) {
  size_t i;
  for (i = 0; i < len; i++) {
    unsigned char c = (unsigned char)text[i];
    if (c < 0x20 || c == 0x7f) {
      printf("\\x%02x", c);
    } else {
      putchar(c);
    }
  }
}

/* A growable string for building JSON replies. */
struct text {
  char *data;
  size_t len;
  size_t cap;
  int failed;
};

static void text_append(struct text *t, const char *s, size_t n) {
  if (t->failed) return;
  if (t->len + n + 1 > t->cap) {
    size_t cap = t->cap ? t->cap : 256;
    char *grown;
    while (cap < t->len + n + 1) cap *= 2;
    grown = realloc(t->data, cap);
    if (grown == NULL) {
      t->failed = 1;
      return;
    }
    t->data = grown;
    t->cap = cap;
  }
  memcpy(t->data + t->len, s, n);
  t->len += n;
  t->data[t->len] = '\0';
}

static void text_puts(struct text *t, const char *s) { text_append(t, s, strlen(s)); }

/* Appends `s` as the contents of a JSON string: quotes, backslashes and control characters
 * escaped. */
static void text_json_escaped(struct text *t, const char *s, size_t n) {
  size_t i;
  for (i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    char esc[8];
    if (c == '"' || c == '\\') {
      esc[0] = '\\';
      esc[1] = (char)c;
      text_append(t, esc, 2);
    } else if (c < 0x20 || c == 0x7f) {
      snprintf(esc, sizeof esc, "\\u%04x", c);
      text_append(t, esc, 6);
    } else {
      text_append(t, (const char *)&s[i], 1);
    }
  }
}

/* ---------------------------------------------------------------------------------------- */
/* Socket I/O with partial reads and writes, the idle timeout and the stop flag */

/* Waits until `fd` is readable. Returns 1 when readable, 0 on timeout or stop, -1 on error. */
static int wait_readable(int fd, int timeout_ms) {
  int waited = 0;
  while (!stop_requested && waited < timeout_ms) {
    struct pollfd p;
    int ready;
    p.fd = fd;
    p.events = POLLIN;
    p.revents = 0;
    ready = poll(&p, 1, TICK_MS);
    if (ready > 0) return 1;
    if (ready < 0 && errno != EINTR) return -1;
    waited += TICK_MS;
  }
  return 0;
}

/* Reads what is available (at most `cap` bytes). Returns the count, 0 at end of stream, -1 on
 * error, timeout or stop. */
static ssize_t read_some(int fd, char *buf, size_t cap) {
  for (;;) {
    ssize_t got;
    if (wait_readable(fd, IDLE_TIMEOUT_MS) != 1) return -1;
    got = recv(fd, buf, cap, 0);
    if (got >= 0) return got;
    if (errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK) return -1;
  }
}

static int write_all(int fd, const char *data, size_t len) {
  while (len > 0) {
    /* MSG_NOSIGNAL: a peer that went away gives EPIPE, not a process-killing SIGPIPE. */
    ssize_t sent = send(fd, data, len, MSG_NOSIGNAL);
    if (sent < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    data += sent;
    len -= (size_t)sent;
  }
  return 0;
}

/* Sends a complete response: the status line, Content-Type, Content-Length, Connection, the
 * `extra_headers` lines (each ending in CRLF; NULL for none) and the body. */
static int send_response(int fd, int status, const char *reason, const char *content_type,
                         const char *extra_headers, const char *body, size_t body_len, int keep_alive) {
  char head[512];
  int n = snprintf(head, sizeof head,
                   "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %lu\r\n"
                   "Connection: %s\r\n%s\r\n",
                   status, reason, content_type, (unsigned long)body_len, keep_alive ? "keep-alive" : "close",
                   extra_headers != NULL ? extra_headers : "");
  if (n < 0 || (size_t)n >= sizeof head) return -1;
  if (write_all(fd, head, (size_t)n) != 0) return -1;
  return write_all(fd, body, body_len);
}

/* Sends a complete response with a JSON body. */
static int send_json(int fd, int status, const char *reason, const char *json, int keep_alive) {
  return send_response(fd, status, reason, "application/json", NULL, json, strlen(json), keep_alive);
}

/* Answers a request that could not be handled: {"Status":<status_word>,"Reason":<why>}. */
static int send_error(int fd, int status, const char *reason, const char *status_word, const char *why,
                      int keep_alive) {
  struct text body = {NULL, 0, 0, 0};
  int rc;
  text_puts(&body, "{\"Status\":\"");
  text_puts(&body, status_word);
  text_puts(&body, "\",\"Reason\":\"");
  text_json_escaped(&body, why, strlen(why));
  text_puts(&body, "\"}");
  rc = body.failed ? -1 : send_json(fd, status, reason, body.data, keep_alive);
  printf("  answered %d %s: %s\n", status, reason, why);
  fflush(stdout);
  free(body.data);
  return rc;
}

/* ---------------------------------------------------------------------------------------- */
/* Parsing one request head */

struct request {
  char method[16];
  char *target;  /* points into head */
  int minor;     /* HTTP/1.<minor> */
  const char *authorization;
  const char *pub_key_url;
  const char *content_type;
  int has_content_length;
  size_t content_length;
  int chunked;
  int connection_close;
  int connection_keep_alive;
  int expect_continue;
  char head[MAX_HEAD_BYTES + 1]; /* NUL-terminated copy, cut into strings by the parser */
};

/* Whether the comma-separated header value `list` contains `token` (case-insensitive). */
static int has_token(const char *list, const char *token) {
  size_t n = strlen(token);
  const char *p = list;
  while (*p != '\0') {
    const char *end;
    while (*p == ' ' || *p == '\t' || *p == ',') p++;
    end = p;
    while (*end != '\0' && *end != ',') end++;
    {
      const char *trim = end;
      while (trim > p && (trim[-1] == ' ' || trim[-1] == '\t')) trim--;
      if ((size_t)(trim - p) == n && strncasecmp(p, token, n) == 0) return 1;
    }
    p = end;
  }
  return 0;
}

static int is_token_char(unsigned char c) {
  return c > 0x20 && c < 0x7f && strchr("()<>@,;:\\\"/[]?={}", c) == NULL;
}

/* Parses the head (request line and headers, without the final empty line) in place.
 * Returns 0, or an HTTP status to answer with and sets *why. */
static int parse_head(struct request *req, const char **why) {
  char *line = req->head;
  char *next;
  char *sp1;
  char *sp2;
  char *end;
  next = strchr(line, '\n');
  if (next != NULL) *next++ = '\0';
  end = line + strlen(line);
  if (end > line && end[-1] == '\r') *--end = '\0';

  sp1 = strchr(line, ' ');
  sp2 = sp1 ? strchr(sp1 + 1, ' ') : NULL;
  if (sp1 == NULL || sp2 == NULL || strchr(sp2 + 1, ' ') != NULL || (size_t)(sp1 - line) >= sizeof req->method ||
      sp1 == line) {
    *why = "malformed request line";
    return 400;
  }
  memcpy(req->method, line, (size_t)(sp1 - line));
  req->method[sp1 - line] = '\0';
  *sp2 = '\0';
  req->target = sp1 + 1;
  if (req->target[0] != '/') {
    *why = "the request target must be a path starting with /";
    return 400;
  }
  if (strcmp(sp2 + 1, "HTTP/1.1") == 0) {
    req->minor = 1;
  } else if (strcmp(sp2 + 1, "HTTP/1.0") == 0) {
    req->minor = 0;
  } else if (strncmp(sp2 + 1, "HTTP/", 5) == 0) {
    *why = "only HTTP/1.0 and HTTP/1.1 are supported";
    return 505;
  } else {
    *why = "malformed request line";
    return 400;
  }

  for (line = next; line != NULL && *line != '\0'; line = next) {
    char *colon;
    char *value;
    next = strchr(line, '\n');
    if (next != NULL) *next++ = '\0';
    end = line + strlen(line);
    if (end > line && end[-1] == '\r') *--end = '\0';
    if (line[0] == ' ' || line[0] == '\t') {
      *why = "folded header lines are not allowed";
      return 400;
    }
    colon = strchr(line, ':');
    if (colon == NULL || colon == line) {
      *why = "malformed header line";
      return 400;
    }
    {
      const char *c;
      for (c = line; c < colon; c++) {
        if (!is_token_char((unsigned char)*c)) {
          *why = "malformed header name";
          return 400;
        }
      }
    }
    *colon = '\0';
    value = colon + 1;
    while (*value == ' ' || *value == '\t') value++;
    while (end > value && (end[-1] == ' ' || end[-1] == '\t')) *--end = '\0';

    if (strcasecmp(line, "Content-Length") == 0) {
      size_t n = 0;
      const char *d = value;
      if (*d == '\0') {
        *why = "empty Content-Length";
        return 400;
      }
      for (; *d != '\0'; d++) {
        if (*d < '0' || *d > '9' || n > (SIZE_MAX - 9) / 10) {
          *why = "invalid Content-Length";
          return 400;
        }
        n = n * 10 + (size_t)(*d - '0');
      }
      if (req->has_content_length && req->content_length != n) {
        *why = "conflicting Content-Length headers";
        return 400;
      }
      req->has_content_length = 1;
      req->content_length = n;
    } else if (strcasecmp(line, "Transfer-Encoding") == 0) {
      req->chunked = 1;
    } else if (strcasecmp(line, "Connection") == 0) {
      if (has_token(value, "close")) req->connection_close = 1;
      if (has_token(value, "keep-alive")) req->connection_keep_alive = 1;
    } else if (strcasecmp(line, "Expect") == 0) {
      if (strcasecmp(value, "100-continue") != 0) {
        *why = "unsupported Expect header";
        return 417;
      }
      req->expect_continue = 1;
    } else if (strcasecmp(line, "Authorization") == 0) {
      req->authorization = value;
    } else if (strcasecmp(line, "x-oss-pub-key-url") == 0) {
      req->pub_key_url = value;
    } else if (strcasecmp(line, "Content-Type") == 0) {
      req->content_type = value;
    }
  }
  return 0;
}

/* ---------------------------------------------------------------------------------------- */
/* Decoding */

static int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Decodes application/x-www-form-urlencoded text in place (%XX and + for space); returns the
 * decoded length. */
static size_t form_decode(char *s, size_t n) {
  size_t in = 0;
  size_t out = 0;
  while (in < n) {
    if (s[in] == '%' && in + 2 < n && hex_value(s[in + 1]) >= 0 && hex_value(s[in + 2]) >= 0) {
      s[out++] = (char)(hex_value(s[in + 1]) * 16 + hex_value(s[in + 2]));
      in += 3;
    } else {
      s[out++] = s[in] == '+' ? ' ' : s[in];
      in++;
    }
  }
  return out;
}

/* ---------------------------------------------------------------------------------------- */
/* Serving a connection */

/* A connection's read buffer: bytes received but not yet used (a pipelined next request may
 * follow a body). */
struct conn {
  int fd;
  char buf[MAX_HEAD_BYTES + 4096];
  size_t len;
};

/* What a server does with each request. */
struct http_service {
  /* The methods served, comma-separated ("POST", "GET, POST"); any other is answered 405 with
   * `method_refusal` before its body is read. */
  const char *methods;
  const char *method_refusal;
  size_t max_body; /* larger bodies get 413 */
  /* Answers a request whose body has arrived whole: 0, or -1 when the connection broke. */
  int (*handle)(int fd, const struct request *req, char *body, size_t body_len, int keep_alive,
                void *userdata);
  void *userdata;
};

static char *find_head_end(char *buf, size_t len, size_t *head_len, size_t *total) {
  size_t i;
  for (i = 0; i + 1 < len; i++) {
    if (buf[i] == '\n' && buf[i + 1] == '\n') {
      *head_len = i;
      *total = i + 2;
      return buf + i;
    }
    if (i + 3 < len && buf[i] == '\r' && buf[i + 1] == '\n' && buf[i + 2] == '\r' && buf[i + 3] == '\n') {
      *head_len = i;
      *total = i + 4;
      return buf + i;
    }
  }
  return NULL;
}

/* serve_connection's loop, with the request it reuses for each request of the connection. */
static long serve_requests(struct conn *c, const struct http_service *service, struct request *req,
                           long answers_left) {
  long answered = 0;
  while (!stop_requested && (answers_left == 0 || answered < answers_left)) {
    size_t head_len = 0;
    size_t head_total = 0;
    const char *why = NULL;
    int status;
    int keep_alive;
    char *body;
    size_t have;

    /* Read until the head is complete, at most MAX_HEAD_BYTES. Empty lines before a request
     * line are skipped, as RFC 9112 asks of servers. */
    for (;;) {
      size_t blank = 0;
      while (blank < c->len && (c->buf[blank] == '\r' || c->buf[blank] == '\n')) blank++;
      memmove(c->buf, c->buf + blank, c->len - blank);
      c->len -= blank;
      if (find_head_end(c->buf, c->len, &head_len, &head_total) != NULL) break;
      if (c->len >= MAX_HEAD_BYTES) {
        printf("(request head over %d bytes)\n", MAX_HEAD_BYTES);
        send_error(c->fd, 431, "Request Header Fields Too Large", "HeadersTooLarge",
                   "the request line and headers are too large", 0);
        return answered + 1;
      }
      {
        ssize_t got = read_some(c->fd, c->buf + c->len, sizeof c->buf - c->len);
        if (got <= 0) return answered; /* closed, idle, or stopping */
        c->len += (size_t)got;
      }
    }
    if (head_len > MAX_HEAD_BYTES) {
      printf("(request head over %d bytes)\n", MAX_HEAD_BYTES);
      send_error(c->fd, 431, "Request Header Fields Too Large", "HeadersTooLarge",
                 "the request line and headers are too large", 0);
      return answered + 1;
    }

    memset(req, 0, sizeof *req);
    memcpy(req->head, c->buf, head_len);
    req->head[head_len] = '\0';
    memmove(c->buf, c->buf + head_total, c->len - head_total);
    c->len -= head_total;

    status = parse_head(req, &why);
    if (status != 0) {
      printf("(malformed request)\n");
      if (status == 505) {
        send_error(c->fd, 505, "HTTP Version Not Supported", "HttpVersionNotSupported", why, 0);
      } else if (status == 417) {
        send_error(c->fd, 417, "Expectation Failed", "ExpectationFailed", why, 0);
      } else {
        send_error(c->fd, 400, "Bad Request", "BadRequest", why, 0);
      }
      return answered + 1;
    }
    printf("%s ", req->method);
    print_sanitized(req->target, strlen(req->target));
    printf(" HTTP/1.%d\n", req->minor);

    keep_alive = req->minor == 1 ? !req->connection_close : (req->connection_keep_alive && !req->connection_close);

    if (req->chunked) {
      /* OSS always sends Content-Length; chunked bodies are not implemented here. */
      send_error(c->fd, 501, "Not Implemented", "NotImplemented",
                 "Transfer-Encoding is not supported; send a Content-Length body", 0);
      return answered + 1;
    }
    if (!has_token(service->methods, req->method)) {
      /* The body (if any) is not read, so the connection cannot be reused. */
      send_error(c->fd, 405, "Method Not Allowed", "MethodNotAllowed", service->method_refusal, 0);
      return answered + 1;
    }
    if (req->content_length > service->max_body) {
      char why_size[96];
      snprintf(why_size, sizeof why_size, "the body is larger than %lu bytes", (unsigned long)service->max_body);
      send_error(c->fd, 413, "Content Too Large", "PayloadTooLarge", why_size, 0);
      return answered + 1;
    }
    if (req->expect_continue && c->len < req->content_length) {
      static const char go_on[] = "HTTP/1.1 100 Continue\r\n\r\n";
      if (write_all(c->fd, go_on, sizeof go_on - 1) != 0) return answered;
    }

    /* The body: what is buffered already, then the rest straight from the socket. */
    body = malloc(req->content_length + 1);
    if (body == NULL) {
      send_error(c->fd, 500, "Internal Server Error", "InternalError", "out of memory", 0);
      return answered + 1;
    }
    have = c->len < req->content_length ? c->len : req->content_length;
    memcpy(body, c->buf, have);
    memmove(c->buf, c->buf + have, c->len - have);
    c->len -= have;
    while (have < req->content_length) {
      ssize_t got = read_some(c->fd, body + have, req->content_length - have);
      if (got <= 0) {
        printf("  (the client sent %lu of %lu body bytes, then stopped)\n", (unsigned long)have,
               (unsigned long)req->content_length);
        fflush(stdout);
        free(body);
        return answered;
      }
      have += (size_t)got;
    }
    body[req->content_length] = '\0';

    if (service->handle(c->fd, req, body, req->content_length, keep_alive, service->userdata) != 0) {
      free(body);
      return answered;
    }
    free(body);
    answered++;
    if (!keep_alive) break;
  }
  return answered;
}

/* Serves requests on one connection until it closes, at most `answers_left` (0: no limit).
 * Returns the number of answers sent. */
static long serve_connection(struct conn *c, const struct http_service *service, long answers_left) {
  /* On the heap: it holds a whole head, and each connection of a threaded server has its own. */
  struct request *req = malloc(sizeof *req);
  long answered;
  if (req == NULL) {
    send_error(c->fd, 500, "Internal Server Error", "InternalError", "out of memory", 0);
    return 1;
  }
  answered = serve_requests(c, service, req, answers_left);
  free(req);
  return answered;
}

/* ---------------------------------------------------------------------------------------- */
/* Listening */

/* Binds and listens on "HOST:PORT" ("[v6]:PORT" for IPv6). Returns the socket or -1. */
static int listen_on(const char *program, const char *address, char *bound, size_t bound_size) {
  char host[256];
  const char *colon = strrchr(address, ':');
  const char *port;
  struct addrinfo hints;
  struct addrinfo *found = NULL;
  struct sockaddr_storage addr;
  socklen_t addr_len = sizeof addr;
  char host_out[64]; /* a numeric address: INET6_ADDRSTRLEN is 46 */
  char port_out[16];
  int fd = -1;
  int one = 1;
  size_t host_len;
  if (colon == NULL || (size_t)(colon - address) >= sizeof host) {
    fprintf(stderr, "%s: --listen needs HOST:PORT, not \"%s\"\n", program, address);
    return -1;
  }
  host_len = (size_t)(colon - address);
  memcpy(host, address, host_len);
  host[host_len] = '\0';
  if (host_len >= 2 && host[0] == '[' && host[host_len - 1] == ']') {
    memmove(host, host + 1, host_len - 2);
    host[host_len - 2] = '\0';
  }
  port = colon + 1;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  if (getaddrinfo(host, port, &hints, &found) != 0 || found == NULL) {
    fprintf(stderr, "%s: cannot resolve %s\n", program, address);
    return -1;
  }
  fd = socket(found->ai_family, found->ai_socktype, found->ai_protocol);
  if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
      bind(fd, found->ai_addr, found->ai_addrlen) != 0 || listen(fd, 64) != 0 ||
      getsockname(fd, (struct sockaddr *)&addr, &addr_len) != 0 ||
      getnameinfo((struct sockaddr *)&addr, addr_len, host_out, sizeof host_out, port_out, sizeof port_out,
                  NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
    fprintf(stderr, "%s: cannot listen on %s: %s\n", program, address, strerror(errno));
    if (fd >= 0) close(fd);
    freeaddrinfo(found);
    return -1;
  }
  freeaddrinfo(found);
  if (addr.ss_family == AF_INET6) snprintf(bound, bound_size, "[%s]:%s", host_out, port_out);
  else snprintf(bound, bound_size, "%s:%s", host_out, port_out);
  return fd;
}

#endif
