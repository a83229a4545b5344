/* class Http: the SDK's HTTP method and scheme enums and header-name constants. */
#ifndef ALIBABACLOUD_OSS_HTTP_HTTPTYPE_H_OSSFFI
#define ALIBABACLOUD_OSS_HTTP_HTTPTYPE_H_OSSFFI

#include <string>

namespace ossffi {
namespace detail {
/* Header names as static members of a template, so that a header-only C++11 library can define
 * them once for the whole program. */
template <typename Unused = void>
struct HttpNames {
  static const char *const ACCEPT;
  static const char *const ACCEPT_CHARSET;
  static const char *const ACCEPT_ENCODING;
  static const char *const ACCEPT_LANGUAGE;
  static const char *const AUTHORIZATION;
  static const char *const CACHE_CONTROL;
  static const char *const CONTENT_DISPOSITION;
  static const char *const CONTENT_ENCODING;
  static const char *const CONTENT_LENGTH;
  static const char *const CONTENT_MD5;
  static const char *const CONTENT_RANGE;
  static const char *const CONTENT_TYPE;
  static const char *const DATE;
  static const char *const EXPECT;
  static const char *const EXPIRES;
  static const char *const ETAG;
  static const char *const LAST_MODIFIED;
  static const char *const RANGE;
  static const char *const USER_AGENT;
};
template <typename U> const char *const HttpNames<U>::ACCEPT = "Accept";
template <typename U> const char *const HttpNames<U>::ACCEPT_CHARSET = "Accept-Charset";
template <typename U> const char *const HttpNames<U>::ACCEPT_ENCODING = "Accept-Encoding";
template <typename U> const char *const HttpNames<U>::ACCEPT_LANGUAGE = "Accept-Language";
template <typename U> const char *const HttpNames<U>::AUTHORIZATION = "Authorization";
template <typename U> const char *const HttpNames<U>::CACHE_CONTROL = "Cache-Control";
template <typename U> const char *const HttpNames<U>::CONTENT_DISPOSITION = "Content-Disposition";
template <typename U> const char *const HttpNames<U>::CONTENT_ENCODING = "Content-Encoding";
template <typename U> const char *const HttpNames<U>::CONTENT_LENGTH = "Content-Length";
template <typename U> const char *const HttpNames<U>::CONTENT_MD5 = "Content-MD5";
template <typename U> const char *const HttpNames<U>::CONTENT_RANGE = "Content-Range";
template <typename U> const char *const HttpNames<U>::CONTENT_TYPE = "Content-Type";
template <typename U> const char *const HttpNames<U>::DATE = "Date";
template <typename U> const char *const HttpNames<U>::EXPECT = "Expect";
template <typename U> const char *const HttpNames<U>::EXPIRES = "Expires";
template <typename U> const char *const HttpNames<U>::ETAG = "ETag";
template <typename U> const char *const HttpNames<U>::LAST_MODIFIED = "Last-Modified";
template <typename U> const char *const HttpNames<U>::RANGE = "Range";
template <typename U> const char *const HttpNames<U>::USER_AGENT = "User-Agent";
}  // namespace detail
}  // namespace ossffi

namespace AlibabaCloud {
namespace OSS {

class Http : public ossffi::detail::HttpNames<> {
 public:
  enum Method { Get, Head, Post, Put, Delete, Connect, Options, Patch, Trace };
  enum Scheme { HTTP, HTTPS };

  /* "GET", "HEAD", ... */
  static std::string MethodToString(Method method) {
    static const char *const names[] = {"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "PATCH", "TRACE"};
    return (method >= Get && method <= Trace) ? names[method] : "GET";
  }
  /* "http" or "https". */
  static std::string SchemeToString(Scheme scheme) { return scheme == HTTPS ? "https" : "http"; }
};

}  // namespace OSS
}  // namespace AlibabaCloud

#endif /* ALIBABACLOUD_OSS_HTTP_HTTPTYPE_H_OSSFFI */
