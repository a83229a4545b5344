/*
 * ossffi's C++ layer, private: what the SDK's free functions in OssClient.h (logging, the
 * utility functions) need around the C API.
 */
#ifndef ALIBABACLOUD_OSS_DETAIL_UTILITIES_H_OSSFFI
#define ALIBABACLOUD_OSS_DETAIL_UTILITIES_H_OSSFFI

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <istream>
#include <string>
#include <vector>

#include "../Types.h"
#include "CApi.h"

namespace ossffi {
namespace detail {

/* The LogCallback in force; ossffi's C callback has a userdata pointer, the SDK's has none. */
inline std::atomic<AlibabaCloud::OSS::LogCallback> &logCallback() {
  static std::atomic<AlibabaCloud::OSS::LogCallback> callback(nullptr);
  return callback;
}

inline void forwardLog(void *, uint32_t level, const char *message) {
  AlibabaCloud::OSS::LogCallback callback = logCallback().load();
  if (callback == nullptr) return;
  try {
    callback(static_cast<AlibabaCloud::OSS::LogLevel>(level), copy(message));
  } catch (...) {
    /* A log line is not worth unwinding through the library for; it is dropped. */
  }
}

/*
 * The MD5 of a whole stream, as the SDK's ComputeContentMD5/ComputeContentETag read it: from
 * offset 0 whatever the current position, then the state flags are cleared and the previous
 * get position restored (a stream whose tellg() fails counts as being at 0). An unopened
 * fstream hashes as empty. The stream is read in pieces, never whole.
 */
inline Owned<ossffi_md5> md5OfStream(std::istream &stream) {
  Owned<ossffi_md5> md5(ossffi_md5_new());
  std::streampos position = stream.tellg();
  if (position == std::streampos(-1)) {
    position = 0;
    stream.clear();
  }
  stream.seekg(0, std::ios::beg);
  std::vector<char> buffer(64 * 1024);
  while (stream.good()) {
    stream.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    std::streamsize got = stream.gcount();
    if (got > 0) (void)ossffi_md5_update(md5.get(), bytes(buffer.data()), static_cast<size_t>(got));
  }
  stream.clear();
  stream.seekg(position, std::ios::beg);
  return md5;
}

inline std::string base64(const char *src, size_t len, bool urlSafe) {
  if (src == nullptr || len == 0) return std::string();
  char *out = nullptr;
  ossffi_result result = urlSafe ? ossffi_base64_encode_url_safe(bytes(src), len, &out)
                                 : ossffi_base64_encode(bytes(src), len, &out);
  return takeString(result, &out);
}

}  // namespace detail
}  // namespace ossffi

#endif /* ALIBABACLOUD_OSS_DETAIL_UTILITIES_H_OSSFFI */
