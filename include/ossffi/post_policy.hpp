// ossffi/post_policy.hpp: signing PostObject policies from C++, header-only over ossffi.h.
//
// A web page uploads straight to OSS with an HTML form; the application server signs what the
// form may do (bucket, key or key prefix, expiry, size range and other conditions, the success
// status or redirect, an upload callback) without ever sending its secret to the browser.
// PostPolicy builds that policy and returns the form's hidden fields, byte-equal to Alibaba's
// Node.js SDK (ali-oss) for the same policy, V4 or V1, with or without an STS token:
//
//   ossffi::PostPolicy policy("examplebucket", now + 3600);       // expires in an hour
//   policy.requireKeyPrefix("user/42/")                           // key: user/42/${filename}
//       .requireContentLength(1, 10 << 20)
//       .setSuccessActionStatus(201)
//       .setCallback(callbackBase64)                              // ObjectCallbackBuilder::build()
//       .addCallbackVar("x:uid", "42")
//       .setCredentials(accessKeyId, accessKeySecret)             // optional STS token third
//       .setSignatureV4("cn-hangzhou", now);
//   ossffi::PostPolicySignResult signed_ = policy.sign();
//   if (!signed_) { log signed_.message(); }
//
// and the page the server writes (hiddenInputs() HTML-escapes every name and value):
//
//   <form action="https://examplebucket.oss-cn-hangzhou.aliyuncs.com/" method="post"
//         enctype="multipart/form-data">
//     <input type="hidden" name="key" value="user/42/${filename}">
//     <input type="hidden" name="success_action_status" value="201">
//     <input type="hidden" name="callback" value="eyJjYWxsYmFja1VybCI6...">
//     <input type="hidden" name="x:uid" value="42">
//     <input type="hidden" name="x-oss-signature-version" value="OSS4-HMAC-SHA256">
//     <input type="hidden" name="x-oss-credential" value="LTAI.../20250115/cn-hangzhou/oss/aliyun_v4_request">
//     <input type="hidden" name="x-oss-date" value="20250115T083000Z">
//     <input type="hidden" name="policy" value="eyJleHBpcmF0aW9uIjoi...">
//     <input type="hidden" name="x-oss-signature" value="4e7ae7de...">
//     <input type="file" name="file">                              <!-- always last -->
//     <input type="submit" value="Upload">
//   </form>
//
// OSS checks the policy and its signature, stores the file, calls the callback URL and hands its
// reply to the browser. Signing is pure computation (no I/O; the signing time is an argument).
// No exception is thrown by this header except std::bad_alloc from std::string; failures come
// back in PostPolicySignResult. The official OSS C++ SDK has no such class; it lives in ossffi's
// own namespace.
#ifndef OSSFFI_POST_POLICY_HPP
#define OSSFFI_POST_POLICY_HPP

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "../ossffi.h"

namespace ossffi {

// One form field: a hidden input's name and raw (not HTML-escaped) value.
struct FormField {
  std::string name;
  std::string value;
};

// The outcome of PostPolicy::sign: the form fields, or why the policy cannot work.
class PostPolicySignResult {
 public:
  bool isSuccess() const noexcept { return code_ == OSSFFI_RESULT_OK; }
  explicit operator bool() const noexcept { return isSuccess(); }

  // OSSFFI_RESULT_OK, or the failure's category (OSSFFI_RESULT_INVALID_ARGUMENT,
  // _VALIDATE_ERROR for a bad bucket or key name, _INVALID_UTF8, ...).
  ossffi_result result() const noexcept { return code_; }
  // What to change, such as "the policy does not limit the object key, ..."; empty on success.
  const std::string &message() const noexcept { return message_; }
  // The fields in form order: key, added fields, callback, x: variables, signature fields.
  const std::vector<FormField> &fields() const noexcept { return fields_; }
  // The value of the field called `name`, or "" when there is none.
  std::string field(const std::string &name) const {
    for (const FormField &f : fields_) {
      if (f.name == name) return f.value;
    }
    return std::string();
  }

  // One <input type="hidden" name="..." value="..."> line per field, names and values
  // HTML-escaped (& < > " '), ready to paste into a form before its file input.
  std::string hiddenInputs() const {
    std::string html;
    for (const FormField &f : fields_) {
      html += "<input type=\"hidden\" name=\"" + htmlEscape(f.name) + "\" value=\"" +
              htmlEscape(f.value) + "\">\n";
    }
    return html;
  }

  static std::string htmlEscape(const std::string &text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
      switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: out += c;
      }
    }
    return out;
  }

 private:
  friend class PostPolicy;
  ossffi_result code_ = OSSFFI_RESULT_OK;
  std::string message_;
  std::vector<FormField> fields_;
};

// A PostObject policy and the form fields that go with it, over ossffi_post_policy.
//
// Setters return *this for chaining. A setter the C API refuses (text with an embedded NUL or
// invalid UTF-8, an unknown condition operator) is remembered, and sign() reports the first
// such failure; every other check (bucket name, key limited, conditions satisfied, callback
// shape, V4 expiry after the signing time, ...) happens in sign(). Movable, not copyable;
// single-thread like every ossffi builder.
class PostPolicy {
 public:
  // A policy for `bucket` that expires at `expiration`, unix seconds.
  PostPolicy(const std::string &bucket, int64_t expiration) {
    ossffi_post_policy *raw = nullptr;
    if (!hasNul(bucket)) {
      note(ossffi_post_policy_new(bucket.c_str(), expiration, &raw));
    } else {
      note(OSSFFI_RESULT_INVALID_ARGUMENT);
    }
    policy_.reset(raw);
  }

  // The key field's value ("${filename}" allowed), no condition of its own.
  PostPolicy &setKey(const std::string &key) { return one(ossffi_post_policy_set_key, key); }
  // Exactly this object: the key field and ["eq","$key",key].
  PostPolicy &requireKey(const std::string &key) { return one(ossffi_post_policy_require_key, key); }
  // Any key under `prefix` ("" allows any); the key field defaults to prefix + "${filename}".
  PostPolicy &requireKeyPrefix(const std::string &prefix) {
    return one(ossffi_post_policy_require_key_prefix, prefix);
  }
  // ["content-length-range",min,max], bytes, both included.
  PostPolicy &requireContentLength(uint64_t min, uint64_t max) {
    note(ossffi_post_policy_require_content_length(policy_.get(), min, max));
    return *this;
  }
  // op "eq", "starts-with" or "exact" ({"field":"value"}); `field` without '$'.
  PostPolicy &addCondition(const std::string &op, const std::string &field, const std::string &value) {
    if (hasNul(op) || hasNul(field) || hasNul(value)) return refuse();
    note(ossffi_post_policy_add_condition(policy_.get(), op.c_str(), field.c_str(), value.c_str()));
    return *this;
  }
  // op "in" or "not-in" with a list of values.
  PostPolicy &addListCondition(const std::string &op, const std::string &field,
                               const std::vector<std::string> &values) {
    std::vector<const char *> pointers;
    for (const std::string &v : values) {
      if (hasNul(v)) return refuse();
      pointers.push_back(v.c_str());
    }
    if (hasNul(op) || hasNul(field)) return refuse();
    note(ossffi_post_policy_add_list_condition(policy_.get(), op.c_str(), field.c_str(),
                                               pointers.data(), pointers.size()));
    return *this;
  }
  // success_action_status 200, 201 or 204, pinned with eq.
  PostPolicy &setSuccessActionStatus(uint32_t status) {
    note(ossffi_post_policy_set_success_action_status(policy_.get(), status));
    return *this;
  }
  // success_action_redirect, pinned with eq.
  PostPolicy &setSuccessActionRedirect(const std::string &url) {
    return one(ossffi_post_policy_set_success_action_redirect, url);
  }
  // A plain field (Content-Type, x-oss-meta-*, ...), no condition of its own.
  PostPolicy &addField(const std::string &name, const std::string &value) {
    return two(ossffi_post_policy_add_field, name, value);
  }
  // The base64 callback JSON (ObjectCallbackBuilder::build()), sent and pinned in the policy.
  PostPolicy &setCallback(const std::string &callbackBase64) {
    return one(ossffi_post_policy_set_callback, callbackBase64);
  }
  // A custom callback variable "x:name", sent as its own field.
  PostPolicy &addCallbackVar(const std::string &name, const std::string &value) {
    return two(ossffi_post_policy_add_callback_var, name, value);
  }
  // Long-term keys, or STS keys with their token.
  PostPolicy &setCredentials(const std::string &accessKeyId, const std::string &accessKeySecret,
                             const std::string &securityToken = std::string()) {
    if (hasNul(accessKeyId) || hasNul(accessKeySecret) || hasNul(securityToken)) return refuse();
    note(ossffi_post_policy_set_credentials(policy_.get(), accessKeyId.c_str(), accessKeySecret.c_str(),
                                            securityToken.empty() ? nullptr : securityToken.c_str()));
    return *this;
  }
  // OSS4-HMAC-SHA256 for the bucket's region, signed at `signingTime` (unix seconds, UTC).
  PostPolicy &setSignatureV4(const std::string &region, int64_t signingTime) {
    if (hasNul(region)) return refuse();
    note(ossffi_post_policy_set_signature(policy_.get(), OSSFFI_SIGNATURE_VERSION_V4, region.c_str(),
                                          signingTime));
    return *this;
  }
  // HMAC-SHA1 (OSSAccessKeyId, Signature).
  PostPolicy &setSignatureV1() {
    note(ossffi_post_policy_set_signature(policy_.get(), OSSFFI_SIGNATURE_VERSION_V1, nullptr, 0));
    return *this;
  }

  // Signs the policy; it may be changed and signed again afterwards.
  PostPolicySignResult sign() const {
    PostPolicySignResult result;
    if (first_failure_ != OSSFFI_RESULT_OK) {
      result.code_ = first_failure_;
      result.message_ = std::string("a PostPolicy setter was refused: ") +
                        ossffi_result_name(first_failure_);
      return result;
    }
    ossffi_form_fields *raw = nullptr;
    ossffi_error *error = nullptr;
    result.code_ = ossffi_post_policy_sign(policy_.get(), &raw, &error);
    std::unique_ptr<ossffi_form_fields, FieldsFree> fields(raw);
    std::unique_ptr<ossffi_error, ErrorFree> owned_error(error);
    if (result.code_ != OSSFFI_RESULT_OK) {
      const char *message = owned_error ? ossffi_error_message(owned_error.get()) : nullptr;
      result.message_ = message != nullptr ? message : ossffi_result_name(result.code_);
      return result;
    }
    for (size_t i = 0; i < ossffi_form_fields_count(fields.get()); i++) {
      const char *name = nullptr;
      const char *value = nullptr;
      if (ossffi_form_fields_at(fields.get(), i, &name, &value) == OSSFFI_RESULT_OK) {
        result.fields_.push_back(FormField{name, value});
      }
    }
    return result;
  }

 private:
  struct PolicyFree {
    void operator()(ossffi_post_policy *p) const noexcept { ossffi_post_policy_free(p); }
  };
  struct FieldsFree {
    void operator()(ossffi_form_fields *f) const noexcept { ossffi_form_fields_free(f); }
  };
  struct ErrorFree {
    void operator()(ossffi_error *e) const noexcept { ossffi_error_free(e); }
  };

  // C strings end at the first NUL: a std::string holding one would be signed cut short.
  static bool hasNul(const std::string &s) { return s.find('\0') != std::string::npos; }

  void note(ossffi_result code) noexcept {
    if (code != OSSFFI_RESULT_OK && first_failure_ == OSSFFI_RESULT_OK) first_failure_ = code;
  }
  PostPolicy &refuse() noexcept {
    note(OSSFFI_RESULT_INVALID_ARGUMENT);
    return *this;
  }
  PostPolicy &one(ossffi_result (*set)(ossffi_post_policy *, const char *), const std::string &v) {
    if (hasNul(v)) return refuse();
    note(set(policy_.get(), v.c_str()));
    return *this;
  }
  PostPolicy &two(ossffi_result (*set)(ossffi_post_policy *, const char *, const char *),
                  const std::string &a, const std::string &b) {
    if (hasNul(a) || hasNul(b)) return refuse();
    note(set(policy_.get(), a.c_str(), b.c_str()));
    return *this;
  }

  std::unique_ptr<ossffi_post_policy, PolicyFree> policy_;
  ossffi_result first_failure_ = OSSFFI_RESULT_OK;
};

}  // namespace ossffi

#endif  // OSSFFI_POST_POLICY_HPP
