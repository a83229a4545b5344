// Shared by the tests/cpp/sdk_*.cpp programs, which exercise the C++ SDK layer
// (include/alibabacloud/oss/OssClient.h) the way SDK users write code: the CHECK harness, the
// services the Rust runner announces through the environment, and small reference
// implementations (CRC-64/XZ, base64 decoding) to check results against.
#ifndef OSSFFI_TEST_SDK_SUPPORT_H
#define OSSFFI_TEST_SDK_SUPPORT_H

#include <alibabacloud/oss/OssClient.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <sstream>
#include <string>

#include "check.h"

// Compares two values convertible to std::string and prints both on failure.
#define CHECK_STREQ(actual, expected)                                                              \
  do {                                                                                             \
    const std::string a_ = (actual);                                                               \
    const std::string e_ = (expected);                                                             \
    if (a_ == e_) {                                                                                \
      CHECK_COUNT_(checks_passed);                                                                 \
    } else {                                                                                       \
      CHECK_COUNT_(checks_failed);                                                                 \
      std::cerr << __FILE__ << ":" << __LINE__ << ": " << #actual << " is \"" << a_                \
                << "\", expected \"" << e_ << "\"\n";                                              \
    }                                                                                              \
  } while (0)

// Compares two integers and prints both on failure.
#define CHECK_INTEQ(actual, expected)                                                              \
  do {                                                                                             \
    const long long a_ = static_cast<long long>(actual);                                           \
    const long long e_ = static_cast<long long>(expected);                                         \
    if (a_ == e_) {                                                                                \
      CHECK_COUNT_(checks_passed);                                                                 \
    } else {                                                                                       \
      CHECK_COUNT_(checks_failed);                                                                 \
      std::cerr << __FILE__ << ":" << __LINE__ << ": " << #actual << " is " << a_ << ", expected " \
                << e_ << "\n";                                                                     \
    }                                                                                              \
  } while (0)

// Checks that an outcome succeeded; on failure prints the error so the log says why.
#define CHECK_SUCCESS(outcome)                                                                     \
  do {                                                                                             \
    if ((outcome).isSuccess()) {                                                                   \
      CHECK_COUNT_(checks_passed);                                                                 \
    } else {                                                                                       \
      CHECK_COUNT_(checks_failed);                                                                 \
      std::cerr << __FILE__ << ":" << __LINE__ << ": " << #outcome << " failed: "                  \
                << (outcome).error().Code() << ": " << (outcome).error().Message() << "\n";       \
    }                                                                                              \
  } while (0)

namespace sdktest {

// A variable the runner (tests/support/native.rs) sets; the program cannot run without it.
inline std::string env(const char *name) {
  const char *value = std::getenv(name);
  if (value == nullptr || *value == '\0') {
    std::fprintf(stderr, "%s is not set: run this program through `cargo test -p ossffi`\n", name);
    std::exit(2);
  }
  return value;
}

// The emulator and the callback receiver the runner started for this program.
struct Services {
  std::string endpoint = env("OSSFFI_TEST_ENDPOINT");
  std::string region = env("OSSFFI_TEST_REGION");
  std::string bucket = env("OSSFFI_TEST_BUCKET");
  std::string callbackUrl = env("OSSFFI_TEST_CALLBACK_URL");
  std::string deadCallbackUrl = env("OSSFFI_TEST_DEAD_CALLBACK_URL");
  std::string accessKeyId = env("OSS_ACCESS_KEY_ID");
  std::string accessKeySecret = env("OSS_ACCESS_KEY_SECRET");
};

// The callback body the SDK's own tests use (ObjectCallbackTest.cc).
inline std::string formCallbackBody() {
  return "bucket=${bucket}&object=${object}&etag=${etag}&size=${size}&mimeType=${mimeType}&my_var1=${x:var1}";
}

inline std::shared_ptr<std::iostream> stream(const std::string &text) {
  std::shared_ptr<std::iostream> content = std::make_shared<std::stringstream>();
  *content << text;
  return content;
}

// Everything a stream holds from its current position (Content() is read this way).
inline std::string readAll(const std::shared_ptr<std::iostream> &content) {
  if (!content) return "<null>";
  std::ostringstream out;
  out << content->rdbuf();
  return out.str();
}

inline bool contains(const std::string &haystack, const std::string &needle) {
  return haystack.find(needle) != std::string::npos;
}

// CRC-64/XZ (ECMA-182, reflected, all-ones init and xorout), bit by bit: slow and obviously right.
inline uint64_t crc64(const std::string &data) {
  uint64_t crc = ~static_cast<uint64_t>(0);
  for (unsigned char byte : data) {
    crc ^= byte;
    for (int bit = 0; bit < 8; ++bit) crc = (crc & 1) ? (crc >> 1) ^ 0xC96C5795D7870F42ULL : crc >> 1;
  }
  return ~crc;
}

inline std::string base64Decode(const std::string &in) {
  static const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned int bits = 0;
  int count = 0;
  for (char c : in) {
    std::string::size_type p = alphabet.find(c);
    if (p == std::string::npos) break;
    bits = (bits << 6) | static_cast<unsigned int>(p);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out.push_back(static_cast<char>((bits >> count) & 0xFF));
    }
  }
  return out;
}

}  // namespace sdktest

#endif
