/* raw_put: the transport floor for `make bench`. It sends the same signed PutObject requests
 * as the other clients, but does nothing else: the signatures were computed beforehand
 * (presigned V4 URLs made by bench/presign.py with the official SDK), the request head and a
 * small body go out in one writev, a file goes out in ~1 MiB read/write pairs (FILE_CHUNK), and
 * the response is only checked for "200" and skipped by its Content-Length. No CRC, no MD5, no
 * allocation per request. Whatever a real client spends beyond this is its own overhead.
 *
 *   raw_put seq  --addr HOST:PORT --targets FILE --size BYTES [--header "Name: value"]...
 *       one keep-alive connection, one PUT of BYTES per line of FILE (a path?query target)
 *   raw_put file --addr HOST:PORT --targets FILE --path DATA
 *       one PUT of the file DATA to the first target in FILE
 *   raw_put threads --addr HOST:PORT --targets FILE1,FILE2,... --size BYTES
 *       one thread and one connection per targets file, all at once
 *
 * Prints one JSON line like ossffi_put: {"ops":N,"bytes":B,"seconds":WALL,"cpu_seconds":CPU}.
 */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

#define MAX_HEADERS 8
/* Loopback (and most NICs) carry 65,483 bytes of payload per segment: writes that are a multiple
 * of it go out as full segments only. A plain 1 MiB write trails a small segment every time and
 * costs this client twice the CPU (measured: 0.65-0.89 s against 0.35 s per GiB). */
#define FILE_CHUNK (16 * 65483)

static const char *addr_text;
static struct sockaddr_in server;
static const char *extra_headers[MAX_HEADERS];
static int n_extra_headers;


static void die(const char *what) {
  fprintf(stderr, "raw_put: %s: %s\n", what, errno ? strerror(errno) : "failed");
  exit(1);
}

/* The lines of a targets file: request targets such as /bucket/key?x-oss-signature=..., or
 * whole presigned http:// URLs. */
static char **read_targets(const char *path, long *count) {
  FILE *f = fopen(path, "r");
  char **lines = NULL, *line = NULL;
  size_t cap = 0, n = 0, len_cap = 0;
  ssize_t len;
  if (f == NULL) die(path);
  while ((len = getline(&line, &len_cap, f)) > 0) {
    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = '\0';
    if (len == 0) continue;
    /* A full presigned URL also works: keep only its path and query. */
    char *start = line;
    if (strncmp(line, "http://", 7) == 0) start = strchr(line + 7, '/');
    if (start == NULL) die("target without a path");
    if (n == cap) {
      cap = cap ? cap * 2 : 1024;
      lines = realloc(lines, cap * sizeof *lines);
      if (lines == NULL) die("realloc");
    }
    lines[n++] = strdup(start);
  }
  free(line);
  fclose(f);
  *count = (long)n;
  return lines;
}

static int connect_server(void) {
  int one = 1, fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) die("socket");
  if (connect(fd, (struct sockaddr *)&server, sizeof server) != 0) die("connect");
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

static void write_all(int fd, struct iovec *iov, int n) {
  while (n > 0) {
    ssize_t w = writev(fd, iov, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      die("write");
    }
    while (n > 0 && (size_t)w >= iov->iov_len) {
      w -= (ssize_t)iov->iov_len;
      iov++;
      n--;
    }
    if (n > 0) {
      iov->iov_base = (char *)iov->iov_base + w;
      iov->iov_len -= (size_t)w;
    }
  }
}

/* A connection's receive buffer: bytes of the next response may follow the current one. */
struct conn {
  int fd;
  char buf[16384];
  size_t have;
};

/* Reads one response: checks the status is 200 and skips the body by its Content-Length. */
static void read_response(struct conn *c) {
  for (;;) {
    char *end = NULL;
    if (c->have > 0) {
      c->buf[c->have < sizeof c->buf ? c->have : sizeof c->buf - 1] = '\0';
      end = strstr(c->buf, "\r\n\r\n");
    }
    if (end != NULL) {
      size_t head = (size_t)(end - c->buf) + 4, body = 0, total;
      const char *p = c->buf;
      if (strncmp(c->buf, "HTTP/1.1 200", 12) != 0) {
        fprintf(stderr, "raw_put: unexpected response:\n%.*s\n", (int)head, c->buf);
        exit(1);
      }
      while ((p = strchr(p, '\n')) != NULL && p < end) {
        p++;
        if (strncasecmp(p, "content-length:", 15) == 0) body = (size_t)strtoul(p + 15, NULL, 10);
      }
      total = head + body;
      while (c->have < total) { /* rare: a body that did not arrive with the head */
        ssize_t r = read(c->fd, c->buf + c->have, sizeof c->buf - 1 - c->have);
        if (r <= 0) die("read body");
        c->have += (size_t)r;
      }
      memmove(c->buf, c->buf + total, c->have - total);
      c->have -= total;
      return;
    }
    if (c->have >= sizeof c->buf - 1) die("response head too large");
    ssize_t r = read(c->fd, c->buf + c->have, sizeof c->buf - 1 - c->have);
    if (r <= 0) {
      if (r == 0) errno = 0;
      die("read");
    }
    c->have += (size_t)r;
  }
}

static int format_head(char *out, size_t cap, const char *target, unsigned long long length) {
  int n = snprintf(out, cap, "PUT %s HTTP/1.1\r\nHost: %s\r\nContent-Length: %llu\r\n", target,
                   addr_text, length);
  for (int i = 0; i < n_extra_headers; i++) n += snprintf(out + n, cap - (size_t)n, "%s\r\n", extra_headers[i]);
  n += snprintf(out + n, cap - (size_t)n, "\r\n");
  if (n >= (int)cap) {
    fprintf(stderr, "raw_put: request head too long\n");
    exit(1);
  }
  return n;
}

struct job {
  char **targets;
  long count;
  size_t size;
  const unsigned char *data;
};

static void *run_small(void *arg) {
  const struct job *job = arg;
  struct conn *c = calloc(1, sizeof *c);
  char head[16384];
  c->fd = connect_server();
  for (long i = 0; i < job->count; i++) {
    int n = format_head(head, sizeof head, job->targets[i], job->size);
    struct iovec iov[2] = {{head, (size_t)n}, {(void *)job->data, job->size}};
    write_all(c->fd, iov, job->size > 0 ? 2 : 1);
    read_response(c);
  }
  close(c->fd);
  free(c);
  return NULL;
}

static double put_file(const char *target, const char *path) {
  char head[16384];
  struct stat st;
  struct conn *c = calloc(1, sizeof *c);
  char *chunk = malloc(FILE_CHUNK);
  int fd = open(path, O_RDONLY);
  if (fd < 0 || fstat(fd, &st) != 0) die(path);
  c->fd = connect_server();
  int n = format_head(head, sizeof head, target, (unsigned long long)st.st_size);
  struct iovec iov = {head, (size_t)n};
  write_all(c->fd, &iov, 1);
  for (off_t left = st.st_size; left > 0;) {
    ssize_t r = read(fd, chunk, left < FILE_CHUNK ? (size_t)left : FILE_CHUNK);
    if (r <= 0) die("read file");
    iov = (struct iovec){chunk, (size_t)r};
    write_all(c->fd, &iov, 1);
    left -= r;
  }
  read_response(c);
  close(c->fd);
  close(fd);
  free(chunk);
  free(c);
  return (double)st.st_size;
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "", *targets = NULL, *path = NULL;
  size_t size = 4096;
  for (int i = 2; i + 1 < argc; i += 2) {
    if (strcmp(argv[i], "--addr") == 0) addr_text = argv[i + 1];
    else if (strcmp(argv[i], "--targets") == 0) targets = argv[i + 1];
    else if (strcmp(argv[i], "--path") == 0) path = argv[i + 1];
    else if (strcmp(argv[i], "--size") == 0) size = (size_t)atol(argv[i + 1]);
    else if (strcmp(argv[i], "--header") == 0 && n_extra_headers < MAX_HEADERS) extra_headers[n_extra_headers++] = argv[i + 1];
    else addr_text = NULL, i = argc; /* unknown flag: fall through to usage */
  }
  char host[64];
  const char *colon = addr_text ? strrchr(addr_text, ':') : NULL;
  if (colon == NULL || targets == NULL || (size_t)(colon - addr_text) >= sizeof host) {
    fprintf(stderr, "usage: raw_put seq|file|threads --addr HOST:PORT --targets FILE[,FILE...] "
                    "[--size BYTES] [--path DATA] [--header 'Name: value']...\n");
    return 2;
  }
  memcpy(host, addr_text, (size_t)(colon - addr_text));
  host[colon - addr_text] = '\0';
  server.sin_family = AF_INET;
  server.sin_port = htons((unsigned short)atoi(colon + 1));
  if (inet_pton(AF_INET, host, &server.sin_addr) != 1) {
    fprintf(stderr, "raw_put: %s is not an IPv4 address\n", host);
    return 2;
  }

  int file_mode = strcmp(mode, "file") == 0;
  if (!file_mode && strcmp(mode, "seq") != 0 && strcmp(mode, "threads") != 0) {
    fprintf(stderr, "raw_put: unknown mode %s\n", mode);
    return 2;
  }
  if (file_mode && path == NULL) {
    fprintf(stderr, "raw_put: file needs --path\n");
    return 2;
  }

  unsigned char *data = malloc(size + 1);
  if (data == NULL) die("malloc");
  for (size_t i = 0; i < size; i++) data[i] = (unsigned char)(i * 131 + 7);

  /* --targets a,b,c: one job (thread, connection) per file. */
  struct job jobs[64];
  pthread_t ids[64];
  int n = 0;
  long ops = 0;
  char *list = strdup(targets), *save = NULL;
  for (char *name = strtok_r(list, ",", &save); name != NULL && n < 64; name = strtok_r(NULL, ",", &save)) {
    jobs[n].targets = read_targets(name, &jobs[n].count);
    jobs[n].size = size;
    jobs[n].data = data;
    ops += jobs[n].count;
    n++;
  }
  if (n == 0 || jobs[0].count < 1) {
    fprintf(stderr, "raw_put: no targets in %s\n", targets);
    return 2;
  }

  double bytes, wall = now_seconds(), cpu = cpu_seconds();
  if (file_mode) {
    bytes = put_file(jobs[0].targets[0], path);
    ops = 1;
  } else {
    if (n == 1) {
      run_small(&jobs[0]);
    } else {
      for (int t = 0; t < n; t++) pthread_create(&ids[t], NULL, run_small, &jobs[t]);
      for (int t = 0; t < n; t++) pthread_join(ids[t], NULL);
    }
    bytes = (double)ops * (double)size;
  }
  wall = now_seconds() - wall;
  cpu = cpu_seconds() - cpu;
  printf("{\"ops\":%ld,\"bytes\":%.0f,\"seconds\":%.6f,\"cpu_seconds\":%.6f}\n", ops, bytes, wall, cpu);

  for (int t = 0; t < n; t++) {
    for (long i = 0; i < jobs[t].count; i++) free(jobs[t].targets[i]);
    free(jobs[t].targets);
  }
  free(list);
  free(data);
  return 0;
}
