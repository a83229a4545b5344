/*
 * ossffi's C++ layer, private: ownership of the C API's objects and strings. Not part of the
 * SDK's API; include <alibabacloud/oss/OssClient.h> instead.
 */
#ifndef ALIBABACLOUD_OSS_DETAIL_CAPI_H_OSSFFI
#define ALIBABACLOUD_OSS_DETAIL_CAPI_H_OSSFFI

#include <cstdint>
#include <exception>
#include <memory>
#include <string>

/* Found next to alibabacloud/ both in the source tree and in an installed include/. */
#include "../../../ossffi.h"
#include "Text.h"

namespace ossffi {
namespace detail {

/* One deleter for every C object, so each can be held by a std::unique_ptr. */
struct CFree {
  void operator()(ossffi_client_config *p) const { ossffi_client_config_free(p); }
  void operator()(ossffi_client *p) const { ossffi_client_free(p); }
  void operator()(ossffi_put_request *p) const { ossffi_put_request_free(p); }
  void operator()(ossffi_put_result *p) const { ossffi_put_result_free(p); }
  void operator()(ossffi_error *p) const { ossffi_error_free(p); }
  void operator()(ossffi_request *p) const { ossffi_request_free(p); }
  void operator()(ossffi_response *p) const { ossffi_response_free(p); }
  void operator()(ossffi_callback_builder *p) const { ossffi_callback_builder_free(p); }
  void operator()(ossffi_callback_var_builder *p) const { ossffi_callback_var_builder_free(p); }
  void operator()(ossffi_md5 *p) const { ossffi_md5_free(p); }
  void operator()(ossffi_presign_request *p) const { ossffi_presign_request_free(p); }
  void operator()(char *p) const { ossffi_string_free(p); }
};

template <typename T>
using Owned = std::unique_ptr<T, CFree>;

inline const uint8_t *bytes(const void *p) { return static_cast<const uint8_t *>(p); }

/*
 * The string a C utility built into `*out`, or "" when it failed; the C string is freed either
 * way. Takes `out` by address so that `takeString(ossffi_f(..., &out), &out)` reads it only
 * after the call has written it (argument evaluation order is unspecified).
 */
inline std::string takeString(ossffi_result result, char **out) {
  Owned<char> owned(*out);
  return result == OSSFFI_RESULT_OK ? copy(owned.get()) : std::string();
}

/*
 * An exception caught in a callback that has no per-call context (the credentials provider,
 * which belongs to the client). ossffi calls it on the calling thread, during the operation,
 * so a per-thread slot reaches the call that must rethrow it.
 */
inline std::exception_ptr &pendingException() {
  static thread_local std::exception_ptr pending;
  return pending;
}

}  // namespace detail
}  // namespace ossffi

#endif /* ALIBABACLOUD_OSS_DETAIL_CAPI_H_OSSFFI */
