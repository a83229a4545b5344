// ossffi::PostPolicy (include/ossffi/post_policy.hpp): vectors of postobject.json (ali-oss
// 6.23.0) v4-hangzhou-prefix-size-status-ctype-meta and v1-hangzhou-basic field for field, the
// HTML the doc comment shows, and refusals reported by sign().
#include <string>
#include <vector>

#include "check.h"
#include "ossffi/post_policy.hpp"

namespace {

const int64_t kSigned = 1736929800;   // 2025-01-15T08:30:00Z
const int64_t kExpires = 1736933400;  // 2025-01-15T09:30:00Z

void check_names(const ossffi::PostPolicySignResult &r, const std::vector<std::string> &names) {
  CHECK(r.fields().size() == names.size());
  for (size_t i = 0; i < names.size() && i < r.fields().size(); i++) {
    CHECK_STR(r.fields()[i].name.c_str(), names[i].c_str());
  }
}

void v4_prefix_vector() {
  ossffi::PostPolicy policy("examplebucket", kExpires);
  policy.requireKeyPrefix("user/")
      .requireContentLength(1, 10485760)
      .addCondition("eq", "success_action_status", "201")
      .addCondition("eq", "Content-Type", "image/jpeg")
      .addCondition("exact", "x-oss-meta-uuid", "a1b2c3d4-0000-4000-8000-000000000001")
      .addCondition("starts-with", "x-oss-meta-tag", "tag-")
      .addField("Content-Type", "image/jpeg")
      .addField("success_action_status", "201")
      .addField("x-oss-meta-uuid", "a1b2c3d4-0000-4000-8000-000000000001")
      .addField("x-oss-meta-tag", "tag-holiday")
      .setCredentials("LTAI5tFAKEACCESSKEYID", "FAKESECRETFAKESECRETFAKESECRET12")
      .setSignatureV4("cn-hangzhou", kSigned);
  ossffi::PostPolicySignResult r = policy.sign();
  CHECK(r.isSuccess());
  CHECK(r.message().empty());
  check_names(r, {"key", "Content-Type", "success_action_status", "x-oss-meta-uuid", "x-oss-meta-tag",
                  "x-oss-signature-version", "x-oss-credential", "x-oss-date", "policy", "x-oss-signature"});
  CHECK(r.field("key") == "user/${filename}");
  CHECK(r.field("x-oss-signature") == "10a37ad9d921631fa7d2ad62bb4599760a1eaf7d3f0b7dd76e2cf461d0feaeeb");
  std::string html = r.hiddenInputs();
  CHECK(html.find("<input type=\"hidden\" name=\"key\" value=\"user/${filename}\">\n") == 0);
  CHECK(html.find("name=\"x-oss-date\" value=\"20250115T083000Z\"") != std::string::npos);
}

void v1_basic_vector() {
  ossffi::PostPolicy policy("examplebucket", kExpires);
  policy.setKey("user/eric/notes.txt")
      .requireKeyPrefix("user/eric/")
      .requireContentLength(1, 10485760)
      .setSuccessActionStatus(200)
      .setCredentials("LTAI5tFAKEACCESSKEYID", "FAKESECRETFAKESECRETFAKESECRET12")
      .setSignatureV1();
  ossffi::PostPolicySignResult r = policy.sign();
  CHECK(r.isSuccess());
  check_names(r, {"key", "success_action_status", "OSSAccessKeyId", "policy", "Signature"});
  CHECK(r.field("Signature") == "iJFq2CmPMIMqE0MmbIOzLBLMuKE=");
}

void refusals() {
  ossffi::PostPolicy no_key("examplebucket", kExpires);
  no_key.setCredentials("id", "secret").setSignatureV1();
  ossffi::PostPolicySignResult r = no_key.sign();
  CHECK(!r);
  CHECK(r.result() == OSSFFI_RESULT_INVALID_ARGUMENT);
  CHECK(r.message().find("no key field") != std::string::npos);
  CHECK(r.fields().empty());

  ossffi::PostPolicy bad_op("examplebucket", kExpires);
  bad_op.requireKey("a.txt").addCondition("starts_with", "key", "a").setCredentials("id", "secret").setSignatureV1();
  CHECK(bad_op.sign().result() == OSSFFI_RESULT_INVALID_ARGUMENT);

  ossffi::PostPolicy nul("examplebucket", kExpires);
  nul.requireKey(std::string("a\0b", 3)).setCredentials("id", "secret").setSignatureV1();
  CHECK(nul.sign().result() == OSSFFI_RESULT_INVALID_ARGUMENT);

  ossffi::PostPolicy nul_bucket(std::string("b\0", 2), kExpires);
  nul_bucket.requireKey("a.txt").setCredentials("id", "secret").setSignatureV1();
  CHECK(nul_bucket.sign().result() == OSSFFI_RESULT_INVALID_ARGUMENT);

  CHECK(ossffi::PostPolicySignResult::htmlEscape("<a href=\"x\">&'") ==
        "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
}

}  // namespace

int main() {
  v4_prefix_vector();
  v1_basic_vector();
  refusals();
  return finish();
}
