/* ObjectCallbackBuilder and ObjectCallbackVariableBuilder: the x-oss-callback(-var) values. */
#ifndef ALIBABACLOUD_OSS_MODEL_OBJECTCALLBACKBUILDER_H_OSSFFI
#define ALIBABACLOUD_OSS_MODEL_OBJECTCALLBACKBUILDER_H_OSSFFI

#include <string>

#include "../Types.h"
#include "../detail/CApi.h"

namespace AlibabaCloud {
namespace OSS {

/*
 * Builds the x-oss-callback header value: base64 of
 * {"callbackUrl":..,"callbackHost":.. (when not empty),"callbackBody":..,
 *  "callbackBodyType":"application/json" (JSON only)}, byte for byte as the SDK does, except
 * that `"`, `\` and control characters are escaped (see the top of this file). build() returns
 * "" when the URL or the body is empty, or when a string is not valid UTF-8.
 */
class ObjectCallbackBuilder {
 public:
  enum Type { URL = 0, JSON };

  ObjectCallbackBuilder(const std::string &url, const std::string &body)
      : callbackUrl_(url), callbackBody_(body), callbackBodyType_(URL) {}
  ObjectCallbackBuilder(const std::string &url, const std::string &body, const std::string &host, Type type)
      : callbackUrl_(url), callbackHost_(host), callbackBody_(body), callbackBodyType_(type) {}

  const std::string &CallbackUrl() const { return callbackUrl_; }
  const std::string &CallbackHost() const { return callbackHost_; }
  const std::string &CallbackBody() const { return callbackBody_; }
  Type CallbackBodyType() const { return callbackBodyType_; }
  void setCallbackUrl(const std::string &url) { callbackUrl_ = url; }
  void setCallbackHost(const std::string &host) { callbackHost_ = host; }
  void setCallbackBody(const std::string &body) { callbackBody_ = body; }
  void setCallbackBodyType(Type type) { callbackBodyType_ = type; }

  std::string build() {
    ossffi::detail::Owned<ossffi_callback_builder> builder(ossffi_callback_builder_new());
    char *out = nullptr;
    if (!builder || ossffi_callback_builder_set_url(builder.get(), callbackUrl_.c_str()) != OSSFFI_RESULT_OK ||
        ossffi_callback_builder_set_body(builder.get(), callbackBody_.c_str()) != OSSFFI_RESULT_OK ||
        ossffi_callback_builder_set_host(builder.get(), callbackHost_.c_str()) != OSSFFI_RESULT_OK ||
        ossffi_callback_builder_set_body_type(builder.get(), static_cast<uint32_t>(callbackBodyType_)) !=
            OSSFFI_RESULT_OK ||
        ossffi_callback_builder_build(builder.get(), &out) != OSSFFI_RESULT_OK) {
      return std::string();
    }
    ossffi::detail::Owned<char> owned(out);
    return std::string(owned.get());
  }

 private:
  std::string callbackUrl_;
  std::string callbackHost_;
  std::string callbackBody_;
  Type callbackBodyType_;
};

/*
 * Builds the x-oss-callback-var header value: base64 of {"x:name":"value",...} in
 * caseInsensitiveLess order. Keys must start with lower-case "x:"; others are refused
 * (addCallbackVariable returns false). build() returns "" with no variables, or when a string
 * is not valid UTF-8.
 */
class ObjectCallbackVariableBuilder {
 public:
  ObjectCallbackVariableBuilder() {}
  const HeaderCollection &CallbackVariable() const { return callbackParams_; }
  bool addCallbackVariable(const std::string &key, const std::string &value) {
    if (!ossffi::detail::startsWith(key, "x:")) return false;
    callbackParams_[key] = value;
    return true;
  }
  std::string build() {
    ossffi::detail::Owned<ossffi_callback_var_builder> builder(ossffi_callback_var_builder_new());
    if (!builder) return std::string();
    for (HeaderCollection::const_iterator it = callbackParams_.begin(); it != callbackParams_.end(); ++it) {
      if (ossffi_callback_var_builder_add(builder.get(), it->first.c_str(), it->second.c_str()) != OSSFFI_RESULT_OK) {
        return std::string();
      }
    }
    char *out = nullptr;
    if (ossffi_callback_var_builder_build(builder.get(), &out) != OSSFFI_RESULT_OK) return std::string();
    ossffi::detail::Owned<char> owned(out);
    return std::string(owned.get());
  }

 private:
  HeaderCollection callbackParams_;
};

}  // namespace OSS
}  // namespace AlibabaCloud

#endif /* ALIBABACLOUD_OSS_MODEL_OBJECTCALLBACKBUILDER_H_OSSFFI */
