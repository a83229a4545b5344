// The utility functions the C++ SDK declares in OssClient.h, called as SDK users call them
// (and as the SDK's own UtilsFunctionTest does), against the outputs the official SDK 1.10.1
// produced (spec cpp-sdk-surface-2.md section 6). Offline: no service is contacted.
#include <alibabacloud/oss/OssClient.h>

#include <clocale>
#include <cstdint>
#include <ctime>
#include <fstream>
#include <locale>
#include <sstream>
#include <string>

#include "sdk_support.h"

using namespace AlibabaCloud::OSS;

static void content_md5_of_buffers() {
  CHECK_STREQ(ComputeContentMD5("", 0), "1B2M2Y8AsgTpgAmY7PhCfg==");
  CHECK_STREQ(ComputeContentMD5("a", 1), "DMF1ucDxtqgxw5niaXcmYQ==");
  CHECK_STREQ(ComputeContentMD5("hello world", 11), "XrY7u+Ae7tCTyyK7j1rNww==");
  CHECK_STREQ(ComputeContentMD5(nullptr, 0), "");
  std::string data = "hello world";
  CHECK_STREQ(ComputeContentMD5(data.c_str(), data.size()), "XrY7u+Ae7tCTyyK7j1rNww==");
}

static void content_md5_of_a_stream_hashes_it_whole_and_keeps_its_position() {
  std::stringstream ss("hello world");
  ss.seekg(5);
  CHECK_STREQ(ComputeContentMD5(ss), "XrY7u+Ae7tCTyyK7j1rNww==");
  CHECK_INTEQ(ss.tellg(), 5);
  CHECK(ss.good());

  std::shared_ptr<std::iostream> content = std::make_shared<std::stringstream>();
  *content << "hello world";
  CHECK_STREQ(ComputeContentMD5(*content), "XrY7u+Ae7tCTyyK7j1rNww==");

  std::fstream unopened;
  CHECK_STREQ(ComputeContentMD5(unopened), "1B2M2Y8AsgTpgAmY7PhCfg==");
}

static void content_etag_of_buffers_and_streams() {
  CHECK_STREQ(ComputeContentETag("", 0), "D41D8CD98F00B204E9800998ECF8427E");
  CHECK_STREQ(ComputeContentETag("abc", 3), "900150983CD24FB0D6963F7D28E17F72");
  CHECK_STREQ(ComputeContentETag("hello world", 11), "5EB63BBBE01EEED093CB22BB8F5ACDC3");
  CHECK_STREQ(ComputeContentETag(nullptr, 3), "");
  std::stringstream ss("hello world");
  ss.seekg(3);
  CHECK_STREQ(ComputeContentETag(ss), "5EB63BBBE01EEED093CB22BB8F5ACDC3");
  CHECK_INTEQ(ss.tellg(), 3);
}

// A stream larger than one read, from a file: crc64.json's crc-1MiB-pattern (byte i is i % 251).
static void digests_of_a_1mib_file_stream_match_the_vector() {
  const std::string path = "/tmp/ossffi-sdk-utilities-" + std::to_string(std::time(nullptr)) + ".bin";
  std::string data(1048576, '\0');
  for (size_t i = 0; i < data.size(); i++) data[i] = static_cast<char>(i % 251);
  {
    std::ofstream out(path, std::ios::binary);
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
  }
  std::shared_ptr<std::fstream> file =
      std::make_shared<std::fstream>(path, std::ios::in | std::ios::binary);
  CHECK_STREQ(ComputeContentMD5(*file), "jyk6L2wZs0UVL3pJu0xkPA==");
  CHECK_STREQ(ComputeContentETag(*file), "8F293A2F6C19B345152F7A49BB4C643C");
  CHECK_INTEQ(file->tellg(), 0);
  CHECK(ComputeCRC64(0, &data[0], data.size()) == UINT64_C(16028127081582314172));
  file.reset();
  std::remove(path.c_str());
}

static void url_encode_and_decode() {
  CHECK_STREQ(UrlEncode("a b+c/d?e=f&g"), "a%20b%2Bc%2Fd%3Fe%3Df%26g");
  CHECK_STREQ(UrlEncode("abcXYZ019-_.~"), "abcXYZ019-_.~");
  CHECK_STREQ(UrlEncode("\xe4\xb8\xad\xe6\x96\x87"), "%E4%B8%AD%E6%96%87");
  CHECK_STREQ(UrlEncode("!*'();:@&=+$,/?#[]"), "%21%2A%27%28%29%3B%3A%40%26%3D%2B%24%2C%2F%3F%23%5B%5D");
  CHECK_STREQ(UrlEncode(std::string("a\0b", 3)), "a%00b");
  CHECK_STREQ(UrlEncode(""), "");

  CHECK_STREQ(UrlDecode("a%20b%2Bc%2Fd"), "a b+c/d");
  CHECK_STREQ(UrlDecode("a+b"), "a+b");
  CHECK_STREQ(UrlDecode("%e4%b8%ad"), "\xe4\xb8\xad");
  CHECK_STREQ(UrlDecode("%zz"), std::string(1, '\0'));
  CHECK_STREQ(UrlDecode("%2x"), "\x02");
  CHECK_STREQ(UrlDecode(UrlEncode("key/with space+plus")), "key/with space+plus");
}

static void base64_encode() {
  CHECK_STREQ(Base64Encode("f"), "Zg==");
  CHECK_STREQ(Base64Encode("fo"), "Zm8=");
  CHECK_STREQ(Base64Encode("foo"), "Zm9v");
  CHECK_STREQ(Base64Encode("foobar"), "Zm9vYmFy");
  CHECK_STREQ(Base64Encode("\xfb\xff\xfe", 3), "+//+");
  CHECK_STREQ(Base64Encode(std::string("\xfb\xff\xfe")), "+//+");
  CHECK_STREQ(Base64Encode(nullptr, 1), "");
  CHECK_STREQ(Base64Encode("abc", 0), "");
  CHECK_STREQ(Base64Encode(std::string()), "");

  CHECK_STREQ(Base64EncodeUrlSafe("\xfb\xff\xfe", 3), "-__-");
  CHECK_STREQ(Base64EncodeUrlSafe(std::string("\xfb\xff\xfe")), "-__-");
  CHECK_STREQ(Base64EncodeUrlSafe("f"), "Zg");
  CHECK_STREQ(Base64EncodeUrlSafe("foob"), "Zm9vYg");
  CHECK_STREQ(Base64EncodeUrlSafe("abcde"), "YWJjZGU");
  CHECK_STREQ(Base64EncodeUrlSafe(nullptr, 4), "");
}

static void gmt_and_utc_time() {
  std::time_t t = 0;
  CHECK_STREQ(ToGmtTime(t), "Thu, 01 Jan 1970 00:00:00 GMT");
  CHECK_STREQ(ToUtcTime(t), "1970-01-01T00:00:00.000Z");
  t = 1520411719;
  CHECK_STREQ(ToGmtTime(t), "Wed, 07 Mar 2018 08:35:19 GMT");
  t = 951782400;
  CHECK_STREQ(ToGmtTime(t), "Tue, 29 Feb 2000 00:00:00 GMT");
  t = 1700000000;
  CHECK_STREQ(ToUtcTime(t), "2023-11-14T22:13:20.000Z");
}

// The SDK imbues the C locale; a program that switched its global locale gets the same text.
static void gmt_time_ignores_the_global_locale() {
  std::setlocale(LC_ALL, "");
  std::time_t t = 1520411719;
  CHECK_STREQ(ToGmtTime(t), "Wed, 07 Mar 2018 08:35:19 GMT");
  std::setlocale(LC_ALL, "C");
}

static void utc_to_unix_time() {
  CHECK_INTEQ(UtcToUnixTime("2018-03-07T08:35:19.123Z"), 1520411719);
  CHECK_INTEQ(UtcToUnixTime("2023-11-14T22:13:20.000Z"), 1700000000);
  CHECK_INTEQ(UtcToUnixTime("2018-03-07T08:35:19Z"), -1);
  CHECK_INTEQ(UtcToUnixTime("1969-12-31T23:59:59.000Z"), -1);
  CHECK_INTEQ(UtcToUnixTime("2018-03-07 08:35:19.000Z"), -1);
  CHECK_INTEQ(UtcToUnixTime(""), -1);
  std::time_t t = 1700000000;
  CHECK_INTEQ(UtcToUnixTime(ToUtcTime(t)), 1700000000);
}

static void crc64_compute_and_combine() {
  std::string check = "123456789";
  CHECK(ComputeCRC64(0, &check[0], check.size()) == UINT64_C(11051210869376104954));
  CHECK(ComputeCRC64(0, &check[0], check.size()) == UINT64_C(0x995DC9BBDF1939FA));
  char a[] = "a";
  CHECK(ComputeCRC64(0, a, 1) == UINT64_C(3675645893302102789));
  char hello_world[] = "hello world";
  CHECK(ComputeCRC64(0, hello_world, 11) == UINT64_C(5981764153023615706));
  CHECK(ComputeCRC64(0, hello_world, 0) == 0);

  uint64_t hello = ComputeCRC64(0, hello_world, 6);  // "hello "
  uint64_t world = ComputeCRC64(0, hello_world + 6, 5);
  CHECK(CombineCRC64(hello, world, 5) == UINT64_C(5981764153023615706));
  CHECK(ComputeCRC64(hello, hello_world + 6, 5) == UINT64_C(5981764153023615706));
  CHECK(CombineCRC64(hello, world, 0) == hello);
}

int main() {
  content_md5_of_buffers();
  content_md5_of_a_stream_hashes_it_whole_and_keeps_its_position();
  content_etag_of_buffers_and_streams();
  digests_of_a_1mib_file_stream_match_the_vector();
  url_encode_and_decode();
  base64_encode();
  gmt_and_utc_time();
  gmt_time_ignores_the_global_locale();
  utc_to_unix_time();
  crc64_compute_and_combine();
  return finish();
}
