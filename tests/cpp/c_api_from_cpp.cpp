// The C API used from C++17: RAII ownership with unique_ptr deleters, strings copied out, the
// builders' SDK outputs.
#include <cstdio>
#include <memory>
#include <string>

#include "check.h"
#include "ossffi.h"

namespace {

struct BuilderFree {
  void operator()(ossffi_callback_builder *b) const { ossffi_callback_builder_free(b); }
};
struct VarBuilderFree {
  void operator()(ossffi_callback_var_builder *b) const { ossffi_callback_var_builder_free(b); }
};
struct StringFree {
  void operator()(char *s) const { ossffi_string_free(s); }
};

using Builder = std::unique_ptr<ossffi_callback_builder, BuilderFree>;
using VarBuilder = std::unique_ptr<ossffi_callback_var_builder, VarBuilderFree>;
using OwnedString = std::unique_ptr<char, StringFree>;

std::string build(const Builder &b) {
  char *out = nullptr;
  if (ossffi_callback_builder_build(b.get(), &out) != OSSFFI_RESULT_OK) return "<error>";
  OwnedString owned(out);
  return std::string(owned.get());
}

std::string build(const VarBuilder &b) {
  char *out = nullptr;
  if (ossffi_callback_var_builder_build(b.get(), &out) != OSSFFI_RESULT_OK) return "<error>";
  OwnedString owned(out);
  return std::string(owned.get());
}

}  // namespace

int main() {
  Builder b(ossffi_callback_builder_new());
  CHECK(b != nullptr);
  CHECK(ossffi_callback_builder_set_url(b.get(), "http://oss-demo.aliyuncs.com:23450") == OSSFFI_RESULT_OK);
  CHECK(ossffi_callback_builder_set_body(
            b.get(),
            "bucket=${bucket}&object=${object}&etag=${etag}&size=${size}&mimeType=${mimeType}&my_var1=${x:var1}") ==
        OSSFFI_RESULT_OK);
  CHECK(build(b) ==
        "eyJjYWxsYmFja1VybCI6Imh0dHA6Ly9vc3MtZGVtby5hbGl5dW5jcy5jb206MjM0NTAiLCJjYWxsYmFja0JvZHki"
        "OiJidWNrZXQ9JHtidWNrZXR9Jm9iamVjdD0ke29iamVjdH0mZXRhZz0ke2V0YWd9JnNpemU9JHtzaXplfSZtaW1l"
        "VHlwZT0ke21pbWVUeXBlfSZteV92YXIxPSR7eDp2YXIxfSJ9");

  VarBuilder v(ossffi_callback_var_builder_new());
  CHECK(ossffi_callback_var_builder_add(v.get(), "x:var1", "value1") == OSSFFI_RESULT_OK);
  CHECK(ossffi_callback_var_builder_add(v.get(), "x:var2", "value2") == OSSFFI_RESULT_OK);
  CHECK(ossffi_callback_var_builder_add(v.get(), "var3", "refused") ==
        OSSFFI_RESULT_INVALID_CALLBACK_VARIABLE_KEY);
  CHECK(build(v) == "eyJ4OnZhcjEiOiJ2YWx1ZTEiLCJ4OnZhcjIiOiJ2YWx1ZTIifQ==");

  CHECK(std::string(ossffi_version()) == OSSFFI_VERSION_STRING);
  return finish();
}
