// ossffi/callback_verifier.hpp: verifying OSS upload callbacks from C++, header-only over
// ossffi.h.
//
// The application server that OSS calls after an upload must check that the callback really
// comes from OSS before it trusts the body. CallbackVerifier does that: it fetches OSS's public
// key from the URL in the request's x-oss-pub-key-url header (only from trusted prefixes, by
// default https://gosspublic.alicdn.com/ and http://gosspublic.alicdn.com/), keeps it, and
// checks the RSA-MD5 signature in the Authorization header over the path, query and body.
//
//   ossffi::CallbackVerifier verifier;
//   ossffi::CallbackVerifyResult r = verifier.verify(target, authorization, pubKeyUrl, body);
//   if (!r.isSuccess()) { answer 403 with r.message(); do not act on the body }
//
// No exception is thrown by this header, and none ever crosses into the C library; failures
// come back as CallbackVerifyResult (std::string copies may still throw std::bad_alloc).
// The official OSS C++ SDK has no such class; it lives in ossffi's own namespace.
#ifndef OSSFFI_CALLBACK_VERIFIER_HPP
#define OSSFFI_CALLBACK_VERIFIER_HPP

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "../ossffi.h"

namespace ossffi {

// The outcome of a verification: success, or the reason, as the C API reports it.
class CallbackVerifyResult {
 public:
  // Success.
  CallbackVerifyResult() = default;

  bool isSuccess() const noexcept { return code_ == OSSFFI_RESULT_OK; }
  explicit operator bool() const noexcept { return isSuccess(); }

  // OSSFFI_RESULT_OK, or the failure's category: OSSFFI_RESULT_CALLBACK_SIGNATURE_MALFORMED,
  // _CALLBACK_KEY_URL_NOT_ALLOWED, _CALLBACK_KEY_FETCH_FAILED, _CALLBACK_KEY_MALFORMED,
  // _CALLBACK_SIGNATURE_MISMATCH, or an argument error (_INVALID_UTF8, _INVALID_ARGUMENT, ...).
  ossffi_result result() const noexcept { return code_; }
  // The result's name, such as "OSSFFI_RESULT_CALLBACK_SIGNATURE_MISMATCH".
  std::string resultName() const { return ossffi_result_name(code_); }
  // The error code, such as "CallbackSignatureMismatch"; empty on success and for argument
  // errors.
  const std::string &code() const noexcept { return error_code_; }
  // What went wrong and what to do; empty on success.
  const std::string &message() const noexcept { return message_; }
  // The HTTP status of a failed key fetch (such as 404), otherwise 0.
  uint32_t httpStatus() const noexcept { return http_status_; }

  // Builds a result from a C call's return value and error object, taking ownership of `error`.
  static CallbackVerifyResult fromC(ossffi_result code, ossffi_error *error) {
    std::unique_ptr<ossffi_error, ErrorFree> owned(error);
    CallbackVerifyResult result;
    result.code_ = code;
    if (owned) {
      const char *text = ossffi_error_code(owned.get());
      result.error_code_ = text != nullptr ? text : "";
      text = ossffi_error_message(owned.get());
      result.message_ = text != nullptr ? text : "";
      result.http_status_ = ossffi_error_http_status(owned.get());
    } else if (code != OSSFFI_RESULT_OK) {
      result.message_ = ossffi_result_name(code);
    }
    return result;
  }

  // A failure found on the C++ side before calling the library.
  static CallbackVerifyResult invalidArgument(std::string message) {
    CallbackVerifyResult result;
    result.code_ = OSSFFI_RESULT_INVALID_ARGUMENT;
    result.message_ = std::move(message);
    return result;
  }

 private:
  struct ErrorFree {
    void operator()(ossffi_error *e) const noexcept { ossffi_error_free(e); }
  };

  ossffi_result code_ = OSSFFI_RESULT_OK;
  std::string error_code_;
  std::string message_;
  uint32_t http_status_ = 0;
};

namespace detail {

// C strings end at the first NUL: a std::string holding one would be verified cut short while
// the caller acts on all of it, so such input is refused.
inline bool hasNul(const std::string &s) { return s.find('\0') != std::string::npos; }

inline const uint8_t *bytes(const std::string &s) {
  return reinterpret_cast<const uint8_t *>(s.data());
}

}  // namespace detail

// Verifies OSS upload callbacks with keys fetched from x-oss-pub-key-url and cached per URL.
//
// Owns an ossffi_callback_key_cache (freed by the destructor). Movable, not copyable. One
// verifier is meant for a whole server: every const member function may be called from many
// threads at once, and allowKeyUrlPrefix / setKeyFetchTimeoutMs are thread-safe too.
class CallbackVerifier {
 public:
  // A verifier trusting OSS's key URLs, with a 5 second key fetch timeout.
  CallbackVerifier() noexcept : cache_(ossffi_callback_key_cache_new()) {}

  CallbackVerifier(CallbackVerifier &&) noexcept = default;
  CallbackVerifier &operator=(CallbackVerifier &&) noexcept = default;
  CallbackVerifier(const CallbackVerifier &) = delete;
  CallbackVerifier &operator=(const CallbackVerifier &) = delete;

  // False only if the library could not create the cache (or after this object was moved
  // from); every call then fails with OSSFFI_RESULT_NULL_PARAMETER.
  bool valid() const noexcept { return cache_ != nullptr; }

  // Also trusts key URLs starting with `prefix` (an http:// or https:// URL with a host and no
  // user info, query or fragment), for a signer other than OSS such as the ossffi emulator.
  CallbackVerifyResult allowKeyUrlPrefix(const std::string &prefix) {
    if (detail::hasNul(prefix)) return CallbackVerifyResult::invalidArgument("the prefix contains a NUL byte");
    return CallbackVerifyResult::fromC(ossffi_callback_key_cache_allow_prefix(cache_.get(), prefix.c_str()),
                                       nullptr);
  }

  // Limits one key fetch to `milliseconds` (default 5000). Returns false for 0.
  bool setKeyFetchTimeoutMs(uint32_t milliseconds) noexcept {
    return ossffi_callback_key_cache_set_timeout_ms(cache_.get(), milliseconds) == OSSFFI_RESULT_OK;
  }

  // Verifies one callback request, passed exactly as received: `requestTarget` is the path with
  // the raw query from the request line, `authorization` the Authorization header,
  // `pubKeyUrlBase64` the x-oss-pub-key-url header, `body` the exact body bytes. Blocks for up
  // to the fetch timeout the first time a key URL is seen.
  CallbackVerifyResult verify(const std::string &requestTarget, const std::string &authorization,
                              const std::string &pubKeyUrlBase64, const std::string &body) const {
    return verify(requestTarget, authorization, pubKeyUrlBase64, detail::bytes(body), body.size());
  }

  CallbackVerifyResult verify(const std::string &requestTarget, const std::string &authorization,
                              const std::string &pubKeyUrlBase64, const uint8_t *body,
                              std::size_t bodyLength) const {
    if (detail::hasNul(requestTarget) || detail::hasNul(authorization) || detail::hasNul(pubKeyUrlBase64)) {
      return CallbackVerifyResult::invalidArgument("a request header or the request target contains a NUL byte");
    }
    ossffi_error *error = nullptr;
    ossffi_result code = ossffi_callback_key_cache_verify(cache_.get(), requestTarget.c_str(),
                                                          authorization.c_str(), pubKeyUrlBase64.c_str(),
                                                          body, bodyLength, &error);
    return CallbackVerifyResult::fromC(code, error);
  }

  // Verifies with a PEM RSA public key the caller already has (no cache, no network).
  static CallbackVerifyResult verifyWithPublicKey(const std::string &requestTarget,
                                                  const std::string &authorization, const std::string &body,
                                                  const std::string &publicKeyPem) {
    if (detail::hasNul(requestTarget) || detail::hasNul(authorization) || detail::hasNul(publicKeyPem)) {
      return CallbackVerifyResult::invalidArgument("an argument contains a NUL byte");
    }
    ossffi_error *error = nullptr;
    ossffi_result code = ossffi_callback_verify(requestTarget.c_str(), authorization.c_str(), detail::bytes(body),
                                                body.size(), publicKeyPem.c_str(), &error);
    return CallbackVerifyResult::fromC(code, error);
  }

 private:
  struct CacheFree {
    void operator()(ossffi_callback_key_cache *c) const noexcept { ossffi_callback_key_cache_free(c); }
  };

  std::unique_ptr<ossffi_callback_key_cache, CacheFree> cache_;
};

}  // namespace ossffi

#endif  // OSSFFI_CALLBACK_VERIFIER_HPP
