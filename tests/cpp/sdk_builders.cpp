// ObjectCallbackBuilder and ObjectCallbackVariableBuilder as the SDK's users call them: the
// outputs of cpp-sdk-surface.md section 6, the return values, the ordering and the getters.
#include "sdk_support.h"

using namespace AlibabaCloud::OSS;

static void callback_builder_matches_the_sdk_step_by_step() {
  // The sequence of the SDK's ObjectCallbackTest.ObjectCallbackBuilderTest.
  ObjectCallbackBuilder builder("192.168.1.100", "11111");
  builder.setCallbackUrl("192.168.1.1");
  builder.setCallbackBody("123456");
  CHECK_STREQ(builder.build(), "eyJjYWxsYmFja1VybCI6IjE5Mi4xNjguMS4xIiwiY2FsbGJhY2tCb2R5IjoiMTIzNDU2In0=");
  CHECK_STREQ(builder.CallbackUrl(), "192.168.1.1");
  CHECK_STREQ(builder.CallbackHost(), "");
  CHECK_STREQ(builder.CallbackBody(), "123456");
  CHECK(builder.CallbackBodyType() == ObjectCallbackBuilder::URL);

  builder.setCallbackHost("demo.com");
  CHECK_STREQ(builder.build(),
              "eyJjYWxsYmFja1VybCI6IjE5Mi4xNjguMS4xIiwiY2FsbGJhY2tIb3N0IjoiZGVtby5jb20iLCJjYWxsYmFja0JvZHkiOiIx"
              "MjM0NTYifQ==");
  CHECK_STREQ(builder.CallbackHost(), "demo.com");

  builder.setCallbackBodyType(ObjectCallbackBuilder::JSON);
  CHECK_STREQ(builder.build(),
              "eyJjYWxsYmFja1VybCI6IjE5Mi4xNjguMS4xIiwiY2FsbGJhY2tIb3N0IjoiZGVtby5jb20iLCJjYWxsYmFja0JvZHkiOiIx"
              "MjM0NTYiLCJjYWxsYmFja0JvZHlUeXBlIjoiYXBwbGljYXRpb24vanNvbiJ9");
  CHECK(builder.CallbackBodyType() == ObjectCallbackBuilder::Type::JSON);
  CHECK_STREQ(sdktest::base64Decode(builder.build()),
              "{\"callbackUrl\":\"192.168.1.1\",\"callbackHost\":\"demo.com\",\"callbackBody\":\"123456\","
              "\"callbackBodyType\":\"application/json\"}");
}

static void callback_builder_returns_empty_without_url_or_body() {
  ObjectCallbackBuilder neither("", "");
  CHECK_STREQ(neither.build(), "");
  ObjectCallbackBuilder noBody("http://a", "");
  CHECK_STREQ(noBody.build(), "");
  ObjectCallbackBuilder noUrl("", "body", "host.example", ObjectCallbackBuilder::JSON);
  CHECK_STREQ(noUrl.build(), "");
}

static void callback_builder_with_the_sdk_tests_body() {
  ObjectCallbackBuilder builder("http://oss-demo.aliyuncs.com:23450", sdktest::formCallbackBody(), "",
                                ObjectCallbackBuilder::Type::URL);
  CHECK_STREQ(builder.build(),
              "eyJjYWxsYmFja1VybCI6Imh0dHA6Ly9vc3MtZGVtby5hbGl5dW5jcy5jb206MjM0NTAiLCJjYWxsYmFja0JvZHkiOiJidWNr"
              "ZXQ9JHtidWNrZXR9Jm9iamVjdD0ke29iamVjdH0mZXRhZz0ke2V0YWd9JnNpemU9JHtzaXplfSZtaW1lVHlwZT0ke21pbWVU"
              "eXBlfSZteV92YXIxPSR7eDp2YXIxfSJ9");
  // The two-argument constructor is the four-argument one with host "" and type URL.
  ObjectCallbackBuilder shortForm("http://oss-demo.aliyuncs.com:23450", sdktest::formCallbackBody());
  CHECK_STREQ(shortForm.build(), builder.build());
}

static void callback_builder_escapes_quotes_where_the_sdk_emits_invalid_json() {
  // The SDK would build {"callbackBody":"{"bucket":${bucket}}"}, which OSS rejects.
  ObjectCallbackBuilder raw("http://example.com/cb", "{\"bucket\":${bucket},\"object\":${object}}", "",
                            ObjectCallbackBuilder::JSON);
  CHECK_STREQ(sdktest::base64Decode(raw.build()),
              "{\"callbackUrl\":\"http://example.com/cb\",\"callbackBody\":\"{\\\"bucket\\\":${bucket},"
              "\\\"object\\\":${object}}\",\"callbackBodyType\":\"application/json\"}");
  // OSS's documented pre-escaped form is valid already and comes out exactly as from the SDK.
  ObjectCallbackBuilder preEscaped("http://example.com/cb", "{\\\"bucket\\\":${bucket},\\\"object\\\":${object}}",
                                   "", ObjectCallbackBuilder::JSON);
  CHECK_STREQ(preEscaped.build(), raw.build());
}

static void variable_builder_accepts_only_x_colon_keys() {
  ObjectCallbackVariableBuilder vars;
  CHECK(!vars.addCallbackVariable("var1", "value1"));
  CHECK(!vars.addCallbackVariable("X:up", "value"));
  CHECK(!vars.addCallbackVariable("", "value"));
  CHECK(!vars.addCallbackVariable("x", "value"));
  CHECK(vars.CallbackVariable().empty());
  CHECK_STREQ(vars.build(), "");
  CHECK(vars.addCallbackVariable("x:", "empty-name"));
  CHECK_STREQ(vars.build(), "eyJ4OiI6ImVtcHR5LW5hbWUifQ==");
}

static void variable_builder_matches_the_sdk_tests_vars() {
  ObjectCallbackVariableBuilder vars;
  CHECK(vars.addCallbackVariable("x:var1", "value1"));
  CHECK(vars.addCallbackVariable("x:var2", "value2"));
  CHECK_STREQ(vars.build(), "eyJ4OnZhcjEiOiJ2YWx1ZTEiLCJ4OnZhcjIiOiJ2YWx1ZTIifQ==");
  CHECK_INTEQ(vars.CallbackVariable().size(), 2);
  CHECK_STREQ(vars.CallbackVariable().at("X:VAR1"), "value1");
}

static void variable_builder_orders_case_insensitively_and_keeps_the_first_spelling() {
  ObjectCallbackVariableBuilder vars;
  vars.addCallbackVariable("x:b", "2");
  vars.addCallbackVariable("x:A", "1");
  vars.addCallbackVariable("x:a", "overwritten");
  vars.addCallbackVariable("x:C", "3");
  std::string order;
  for (const auto &entry : vars.CallbackVariable()) order += entry.first + "=" + entry.second + ";";
  CHECK_STREQ(order, "x:A=overwritten;x:b=2;x:C=3;");
  CHECK_STREQ(vars.build(), "eyJ4OkEiOiJvdmVyd3JpdHRlbiIsIng6YiI6IjIiLCJ4OkMiOiIzIn0=");
  CHECK_STREQ(sdktest::base64Decode(vars.build()), "{\"x:A\":\"overwritten\",\"x:b\":\"2\",\"x:C\":\"3\"}");
}

static void builders_feed_set_callback() {
  ObjectCallbackBuilder builder("http://oss-demo.aliyuncs.com:23450", sdktest::formCallbackBody());
  ObjectCallbackVariableBuilder vars;
  vars.addCallbackVariable("x:var1", "value1");
  PutObjectRequest request("bucket", "key", sdktest::stream("body"));
  request.setCallback(builder.build(), vars.build());
  CHECK_STREQ(request.MetaData().HttpMetaData().at("x-oss-callback"), builder.build());
  CHECK_STREQ(request.MetaData().HttpMetaData().at("x-oss-callback-var"), vars.build());
}

int main() {
  callback_builder_matches_the_sdk_step_by_step();
  callback_builder_returns_empty_without_url_or_body();
  callback_builder_with_the_sdk_tests_body();
  callback_builder_escapes_quotes_where_the_sdk_emits_invalid_json();
  variable_builder_accepts_only_x_colon_keys();
  variable_builder_matches_the_sdk_tests_vars();
  variable_builder_orders_case_insensitively_and_keeps_the_first_spelling();
  builders_feed_set_callback();
  return finish();
}
