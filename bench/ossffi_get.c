/* ossffi_get: the ossffi side of `make bench` (e). It downloads one object to a file with the
 * public C API exactly as a C user would (a request with an output file, the GetObject verb,
 * response and error freed), times only the download, and prints one JSON line:
 * {"ops":1,"bytes":B,"seconds":WALL,"cpu_seconds":CPU}.
 *
 *   ossffi_get --key KEY --path FILE [--crc 0|1]
 *              --endpoint URL --bucket B --access-key-id AK --access-key-secret SK [--region R]
 *
 * With --crc 1 (the default) the client checks the CRC-64 of the whole object against the
 * server's, as the SDKs do. The library writes the file through a temporary file beside it,
 * renamed over FILE once the body is complete and checked; a FILE that exists and is not a
 * regular file (/dev/null) is written directly. CPU is getrusage(RUSAGE_SELF) around the
 * download. A failed download stops the program with exit status 1.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "ossffi.h"
#include "bench.h"

static void die(const char *what, ossffi_result rc, ossffi_error *err) { fail("ossffi_get", what, rc, err); }

static void usage(void) {
  fprintf(stderr,
          "usage: ossffi_get --key KEY --path FILE [--crc 0|1] --endpoint URL --bucket B\n"
          "       --access-key-id AK --access-key-secret SK [--region R]\n");
  exit(2);
}

int main(int argc, char **argv) {
  const char *endpoint = NULL, *bucket = NULL, *access_key_id = NULL, *access_key_secret = NULL;
  const char *region = "cn-hangzhou", *key = NULL, *path = NULL;
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
    else if (strcmp(flag, "--crc") == 0) crc = atoi(value);
    else usage();
  }
  if (i != argc || endpoint == NULL || bucket == NULL || access_key_id == NULL ||
      access_key_secret == NULL || key == NULL || path == NULL) {
    usage();
  }

  ossffi_client_config *config = ossffi_client_config_new();
  ossffi_client *client = NULL;
  ossffi_request *request = NULL;
  ossffi_response *response = NULL;
  ossffi_error *err = NULL;
  ossffi_result rc;
  ossffi_client_config_set_region(config, region);
  ossffi_client_config_set_crc64(config, (uint32_t)crc);
  /* A failed download must show up as a failure, not as a slower success. */
  ossffi_client_config_set_max_retries(config, 0);
  rc = ossffi_client_new(endpoint, access_key_id, access_key_secret, NULL, config, &client, &err);
  ossffi_client_config_free(config);
  if (rc != OSSFFI_RESULT_OK) die("creating the client", rc, err);

  double wall = now_seconds(), cpu = cpu_seconds();
  rc = ossffi_request_new(bucket, key, &request);
  if (rc == OSSFFI_RESULT_OK) rc = ossffi_request_set_output_file(request, path);
  if (rc != OSSFFI_RESULT_OK) die("preparing the request", rc, NULL);
  rc = ossffi_client_get_object(client, request, &response, &err);
  if (rc != OSSFFI_RESULT_OK) die("GetObject", rc, err);
  const char *length = ossffi_response_field(response, "ContentLength");
  double bytes = length != NULL ? strtod(length, NULL) : 0;
  ossffi_response_free(response);
  ossffi_request_free(request);
  wall = now_seconds() - wall;
  cpu = cpu_seconds() - cpu;

  printf("{\"ops\":1,\"bytes\":%.0f,\"seconds\":%.6f,\"cpu_seconds\":%.6f}\n", bytes, wall, cpu);
  ossffi_client_free(client);
  return 0;
}
