/* ossffi_resumable: the ossffi side of `make bench` (f). It uploads one file with the public C
 * API's resumable upload exactly as a C user would (a request with the file, the part size and
 * the thread count, the ResumableUploadObject verb, response and error freed), times only the
 * upload, and prints one JSON line: {"ops":1,"bytes":B,"seconds":WALL,"cpu_seconds":CPU}.
 *
 *   ossffi_resumable --path FILE [--key KEY] [--part-size BYTES] [--threads N] [--crc 0|1]
 *                    --endpoint URL --bucket B --access-key-id AK --access-key-secret SK
 *                    [--region R]
 *
 * Defaults: key "ossffi-f/file", 8 MiB parts, 4 threads, CRC-64 on. A file larger than the part
 * size goes up as a multipart upload, its parts streamed from their file ranges by the library's
 * worker threads; with --crc 1 the library checks the object's CRC-64, combined from the parts',
 * against the server's. No checkpoint directory: the benchmark measures the transfer, not the
 * record. Retries are off, so a failure cannot hide as a slower success. CPU is
 * getrusage(RUSAGE_SELF) around the upload (every thread of the process). A failed upload stops
 * the program with exit status 1.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include "ossffi.h"
#include "bench.h"

static void die(const char *what, ossffi_result rc, ossffi_error *err) { fail("ossffi_resumable", what, rc, err); }

static void usage(void) {
  fprintf(stderr,
          "usage: ossffi_resumable --path FILE [--key KEY] [--part-size BYTES] [--threads N]\n"
          "       [--crc 0|1] --endpoint URL --bucket B --access-key-id AK\n"
          "       --access-key-secret SK [--region R]\n");
  exit(2);
}

int main(int argc, char **argv) {
  const char *endpoint = NULL, *bucket = NULL, *access_key_id = NULL, *access_key_secret = NULL;
  const char *region = "cn-hangzhou", *key = "ossffi-f/file", *path = NULL;
  unsigned long long part_size = 8ULL << 20;
  long threads = 4;
  int crc = 1, i;
  for (i = 1; i + 1 < argc; i += 2) {
    const char *flag = argv[i], *value = argv[i + 1];
    if (strcmp(flag, "--endpoint") == 0) endpoint = value;
    else if (strcmp(flag, "--bucket") == 0) bucket = value;
    else if (strcmp(flag, "--access-key-id") == 0) access_key_id = value;
    else if (strcmp(flag, "--access-key-secret") == 0) access_key_secret = value;
    else if (strcmp(flag, "--region") == 0) region = value;
    else if (strcmp(flag, "--key") == 0) key = value;
    else if (strcmp(flag, "--path") == 0) path = value;
    else if (strcmp(flag, "--part-size") == 0) part_size = strtoull(value, NULL, 10);
    else if (strcmp(flag, "--threads") == 0) threads = atol(value);
    else if (strcmp(flag, "--crc") == 0) crc = atoi(value);
    else usage();
  }
  if (i != argc || endpoint == NULL || bucket == NULL || access_key_id == NULL ||
      access_key_secret == NULL || path == NULL || threads < 1 || part_size == 0) {
    usage();
  }
  struct stat st;
  if (stat(path, &st) != 0) {
    perror(path);
    return 1;
  }

  ossffi_client_config *config = ossffi_client_config_new();
  ossffi_client *client = NULL;
  ossffi_request *request = NULL;
  ossffi_response *response = NULL;
  ossffi_error *err = NULL;
  ossffi_result rc;
  ossffi_client_config_set_region(config, region);
  ossffi_client_config_set_crc64(config, (uint32_t)crc);
  /* A failed part must show up as a failure, not as a slower success. */
  ossffi_client_config_set_max_retries(config, 0);
  rc = ossffi_client_new(endpoint, access_key_id, access_key_secret, NULL, config, &client, &err);
  ossffi_client_config_free(config);
  if (rc != OSSFFI_RESULT_OK) die("creating the client", rc, err);

  double wall = now_seconds(), cpu = cpu_seconds();
  rc = ossffi_request_new(bucket, key, &request);
  if (rc == OSSFFI_RESULT_OK) rc = ossffi_request_set_body_file(request, path);
  if (rc == OSSFFI_RESULT_OK) rc = ossffi_request_set_part_size(request, (uint64_t)part_size);
  if (rc == OSSFFI_RESULT_OK) rc = ossffi_request_set_thread_num(request, (uint32_t)threads);
  if (rc != OSSFFI_RESULT_OK) die("preparing the request", rc, NULL);
  rc = ossffi_client_resumable_upload_object(client, request, &response, &err);
  if (rc != OSSFFI_RESULT_OK) die("ResumableUploadObject", rc, err);
  /* A multipart upload's ETag ends in "-<part count>"; a file under the part size would have
   * gone up as one PutObject, which is not what (f) measures. */
  const char *etag = ossffi_response_field(response, "ETag");
  if ((unsigned long long)st.st_size > part_size && (etag == NULL || strchr(etag, '-') == NULL)) {
    fprintf(stderr, "ossffi_resumable: ETag %s is not a multipart upload's\n", etag ? etag : "(none)");
    return 1;
  }
  ossffi_response_free(response);
  ossffi_request_free(request);
  wall = now_seconds() - wall;
  cpu = cpu_seconds() - cpu;

  printf("{\"ops\":1,\"bytes\":%.0f,\"seconds\":%.6f,\"cpu_seconds\":%.6f}\n", (double)st.st_size,
         wall, cpu);
  ossffi_client_free(client);
  return 0;
}
