/* The C++ SDK's utility functions through the C API, against the outputs the official SDK
 * 1.10.1 produced (spec cpp-sdk-surface-2.md section 6) and the vectors of crc64.json. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "ossffi.h"

/* Runs `call`, which writes a new string to `out`, checks it succeeded with `expected`, and
 * frees the string. */
#define CHECK_OWNED(call, expected)               \
  do {                                            \
    out = NULL;                                   \
    CHECK_RESULT(call, OSSFFI_RESULT_OK);         \
    CHECK_STR(out, expected);                     \
    ossffi_string_free(out);                      \
  } while (0)

#define TEXT(s) (const uint8_t *)(s), strlen(s)

static uint64_t crc_of(uint64_t crc, const char *s) {
  uint64_t out = 0;
  CHECK_RESULT(ossffi_crc64(crc, TEXT(s), &out), OSSFFI_RESULT_OK);
  return out;
}

static void crc64_matches_the_sdk(void) {
  CHECK(crc_of(0, "123456789") == UINT64_C(11051210869376104954));
  CHECK(crc_of(0, "123456789") == UINT64_C(0x995DC9BBDF1939FA));
  CHECK(crc_of(0, "a") == UINT64_C(3675645893302102789));
  CHECK(crc_of(0, "hello world") == UINT64_C(5981764153023615706));
  CHECK(crc_of(0, "") == 0);
  CHECK(crc_of(crc_of(0, "hello "), "world") == UINT64_C(5981764153023615706));

  uint64_t out = 1;
  CHECK_RESULT(ossffi_crc64(0, NULL, 0, &out), OSSFFI_RESULT_OK); /* {NULL, 0} is empty */
  CHECK(out == 0);
}

static void crc64_combine_matches_the_sdk_and_the_vectors(void) {
  uint64_t hello = crc_of(0, "hello ");
  uint64_t world = crc_of(0, "world");
  CHECK(ossffi_crc64_combine(hello, world, 5) == UINT64_C(5981764153023615706));
  CHECK(ossffi_crc64_combine(hello, world, 0) == hello);
  /* crc64.json, crc-combine-hello */
  CHECK(crc_of(0, "Hello, ") == UINT64_C(10885815064641008907));
  CHECK(crc_of(0, "OSS!") == UINT64_C(1848986067322176311));
  CHECK(ossffi_crc64_combine(UINT64_C(10885815064641008907), UINT64_C(1848986067322176311), 4) ==
        UINT64_C(2004446556369382352));
}

static void content_md5_and_etag_match_the_sdk(void) {
  char *out;
  CHECK_OWNED(ossffi_content_md5(TEXT(""), &out), "1B2M2Y8AsgTpgAmY7PhCfg==");
  CHECK_OWNED(ossffi_content_md5(NULL, 0, &out), "1B2M2Y8AsgTpgAmY7PhCfg==");
  CHECK_OWNED(ossffi_content_md5(TEXT("a"), &out), "DMF1ucDxtqgxw5niaXcmYQ==");
  CHECK_OWNED(ossffi_content_md5(TEXT("hello world"), &out), "XrY7u+Ae7tCTyyK7j1rNww==");
  CHECK_OWNED(ossffi_content_etag(TEXT(""), &out), "D41D8CD98F00B204E9800998ECF8427E");
  CHECK_OWNED(ossffi_content_etag(TEXT("abc"), &out), "900150983CD24FB0D6963F7D28E17F72");
  CHECK_OWNED(ossffi_content_etag(TEXT("hello world"), &out), "5EB63BBBE01EEED093CB22BB8F5ACDC3");
}

static void running_md5_equals_one_shot(void) {
  char *out;
  ossffi_md5 *md5 = ossffi_md5_new();
  CHECK(md5 != NULL);
  CHECK_OWNED(ossffi_md5_etag(md5, &out), "D41D8CD98F00B204E9800998ECF8427E");
  CHECK_RESULT(ossffi_md5_update(md5, TEXT("hello ")), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_md5_update(md5, NULL, 0), OSSFFI_RESULT_OK);
  CHECK_RESULT(ossffi_md5_update(md5, TEXT("world")), OSSFFI_RESULT_OK);
  CHECK_OWNED(ossffi_md5_content_md5(md5, &out), "XrY7u+Ae7tCTyyK7j1rNww==");
  CHECK_OWNED(ossffi_md5_etag(md5, &out), "5EB63BBBE01EEED093CB22BB8F5ACDC3");
  ossffi_md5_free(md5);
}

/* crc64.json, crc-1MiB-pattern: byte i is i % 251, 1 MiB, hashed from a file. */
static void file_digests_match_the_1mib_vector(void) {
  enum { SIZE = 1048576 };
  char path[] = "/tmp/ossffi-c-utilities-XXXXXX";
  int fd = mkstemp(path);
  CHECK(fd >= 0);
  uint8_t *data = malloc(SIZE);
  CHECK(data != NULL);
  for (size_t i = 0; i < SIZE; i++) data[i] = (uint8_t)(i % 251);
  CHECK(write(fd, data, SIZE) == (ssize_t)SIZE);
  close(fd);

  char *out;
  CHECK_OWNED(ossffi_content_md5_file(path, &out), "jyk6L2wZs0UVL3pJu0xkPA==");
  CHECK_OWNED(ossffi_content_etag_file(path, &out), "8F293A2F6C19B345152F7A49BB4C643C");
  CHECK_OWNED(ossffi_content_md5(data, SIZE, &out), "jyk6L2wZs0UVL3pJu0xkPA==");
  uint64_t crc = 0;
  CHECK_RESULT(ossffi_crc64(0, data, SIZE, &crc), OSSFFI_RESULT_OK);
  CHECK(crc == UINT64_C(16028127081582314172));
  free(data);
  unlink(path);

  out = (char *)&out;
  CHECK_RESULT(ossffi_content_md5_file(path, &out), OSSFFI_RESULT_IO); /* removed above */
  CHECK(out == NULL);
  CHECK_RESULT(ossffi_content_etag_file("/nonexistent/ossffi", &out), OSSFFI_RESULT_IO);
}

static void url_encode_matches_the_sdk(void) {
  char *out;
  CHECK_OWNED(ossffi_url_encode(TEXT("a b+c/d?e=f&g"), &out), "a%20b%2Bc%2Fd%3Fe%3Df%26g");
  CHECK_OWNED(ossffi_url_encode(TEXT("abcXYZ019-_.~"), &out), "abcXYZ019-_.~");
  CHECK_OWNED(ossffi_url_encode(TEXT("\xe4\xb8\xad\xe6\x96\x87"), &out), "%E4%B8%AD%E6%96%87");
  CHECK_OWNED(ossffi_url_encode(TEXT("!*'();:@&=+$,/?#[]"), &out),
              "%21%2A%27%28%29%3B%3A%40%26%3D%2B%24%2C%2F%3F%23%5B%5D");
  CHECK_OWNED(ossffi_url_encode((const uint8_t *)"a\0\xff", 3, &out), "a%00%FF");
  CHECK_OWNED(ossffi_url_encode(NULL, 0, &out), "");
}

/* Decodes `src` and checks the bytes equal `expected` of `expected_len`. */
static void check_url_decode(const char *src, const char *expected, size_t expected_len) {
  uint8_t buf[64];
  size_t len = 99;
  CHECK_RESULT(ossffi_url_decode(TEXT(src), buf, &len), OSSFFI_RESULT_OK);
  CHECK(len == expected_len && memcmp(buf, expected, len) == 0);
}

static void url_decode_matches_the_sdk(void) {
  check_url_decode("a%20b%2Bc%2Fd", "a b+c/d", 7);
  check_url_decode("a+b", "a+b", 3);
  check_url_decode("%e4%b8%ad", "\xe4\xb8\xad", 3);
  check_url_decode("%zz", "\0", 1);
  check_url_decode("%2x", "\x02", 1);
  check_url_decode("a%", "a\0", 2);

  size_t len = 99;
  CHECK_RESULT(ossffi_url_decode(NULL, 0, NULL, &len), OSSFFI_RESULT_OK);
  CHECK(len == 0);
}

static void base64_matches_the_sdk(void) {
  char *out;
  CHECK_OWNED(ossffi_base64_encode(TEXT("f"), &out), "Zg==");
  CHECK_OWNED(ossffi_base64_encode(TEXT("fo"), &out), "Zm8=");
  CHECK_OWNED(ossffi_base64_encode(TEXT("foo"), &out), "Zm9v");
  CHECK_OWNED(ossffi_base64_encode(TEXT("foobar"), &out), "Zm9vYmFy");
  CHECK_OWNED(ossffi_base64_encode(TEXT("\xfb\xff\xfe"), &out), "+//+");
  CHECK_OWNED(ossffi_base64_encode(NULL, 0, &out), "");
  CHECK_OWNED(ossffi_base64_encode_url_safe(TEXT("\xfb\xff\xfe"), &out), "-__-");
  CHECK_OWNED(ossffi_base64_encode_url_safe(TEXT("f"), &out), "Zg");
  CHECK_OWNED(ossffi_base64_encode_url_safe(TEXT("foob"), &out), "Zm9vYg");
  CHECK_OWNED(ossffi_base64_encode_url_safe(TEXT("abcde"), &out), "YWJjZGU");
}

static void time_formats_match_the_sdk(void) {
  char *out;
  CHECK_OWNED(ossffi_format_gmt_time(0, &out), "Thu, 01 Jan 1970 00:00:00 GMT");
  CHECK_OWNED(ossffi_format_gmt_time(1520411719, &out), "Wed, 07 Mar 2018 08:35:19 GMT");
  CHECK_OWNED(ossffi_format_gmt_time(951782400, &out), "Tue, 29 Feb 2000 00:00:00 GMT");
  CHECK_OWNED(ossffi_format_utc_time(0, &out), "1970-01-01T00:00:00.000Z");
  CHECK_OWNED(ossffi_format_utc_time(1700000000, &out), "2023-11-14T22:13:20.000Z");

  out = (char *)&out;
  CHECK_RESULT(ossffi_format_gmt_time(INT64_MAX, &out), OSSFFI_RESULT_INVALID_ARGUMENT);
  CHECK(out == NULL);
  CHECK_RESULT(ossffi_format_utc_time(INT64_MIN, &out), OSSFFI_RESULT_INVALID_ARGUMENT);
  CHECK(out == NULL);
}

static void parse_utc_time_matches_the_sdk(void) {
  int64_t t = 0;
  CHECK_RESULT(ossffi_parse_utc_time("2018-03-07T08:35:19.123Z", &t), OSSFFI_RESULT_OK);
  CHECK(t == 1520411719);
  CHECK_RESULT(ossffi_parse_utc_time("2023-11-14T22:13:20.000Z", &t), OSSFFI_RESULT_OK);
  CHECK(t == 1700000000);

  const char *refused[] = {"2018-03-07T08:35:19Z", "1969-12-31T23:59:59.000Z",
                           "2018-03-07 08:35:19.000Z", ""};
  for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
    t = 99;
    CHECK_RESULT(ossffi_parse_utc_time(refused[i], &t), OSSFFI_RESULT_INVALID_ARGUMENT);
    CHECK(t == 0);
  }
}

int main(void) {
  crc64_matches_the_sdk();
  crc64_combine_matches_the_sdk_and_the_vectors();
  content_md5_and_etag_match_the_sdk();
  running_md5_equals_one_shot();
  file_digests_match_the_1mib_vector();
  url_encode_matches_the_sdk();
  url_decode_matches_the_sdk();
  base64_matches_the_sdk();
  time_formats_match_the_sdk();
  parse_utc_time_matches_the_sdk();
  return finish();
}
