/*
 * ossffi's C++ layer, private: ASCII string helpers shared by the SDK headers. Not part of the
 * SDK's API; include <alibabacloud/oss/OssClient.h> instead.
 */
#ifndef ALIBABACLOUD_OSS_DETAIL_TEXT_H_OSSFFI
#define ALIBABACLOUD_OSS_DETAIL_TEXT_H_OSSFFI

#include <string>

namespace ossffi {
namespace detail {

/* ASCII-only lower-casing: header names are ASCII, and locale-dependent tolower is not wanted. */
inline unsigned char lowerAscii(unsigned char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<unsigned char>(c - 'A' + 'a') : c;
}

inline bool caseInsensitiveEquals(const std::string &a, const char *b) {
  std::string::size_type n = std::char_traits<char>::length(b);
  if (a.size() != n) return false;
  for (std::string::size_type i = 0; i < n; ++i) {
    if (lowerAscii(static_cast<unsigned char>(a[i])) != lowerAscii(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

inline bool startsWith(const std::string &s, const char *prefix) {
  return s.compare(0, std::char_traits<char>::length(prefix), prefix) == 0;
}

/* Whether `s` starts with `prefix` in any case ("URL" starts with "url"). */
inline bool startsWithIgnoringCase(const std::string &s, const char *prefix) {
  std::string::size_type n = std::char_traits<char>::length(prefix);
  return s.size() >= n && caseInsensitiveEquals(s.substr(0, n), prefix);
}

/* `"5EB6..."` -> `5EB6...`: an ETag as OSS quotes it, without the quotes. */
inline std::string unquote(const std::string &v) {
  if (v.size() >= 2 && v[0] == '"' && v[v.size() - 1] == '"') return v.substr(1, v.size() - 2);
  return v;
}

inline std::string copy(const char *s) { return s != nullptr ? std::string(s) : std::string(); }

}  // namespace detail
}  // namespace ossffi

#endif /* ALIBABACLOUD_OSS_DETAIL_TEXT_H_OSSFFI */
