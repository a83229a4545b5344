// Uploads an object with an upload callback, written exactly as for the official OSS C++ SDK:
// after OSS stores the object it POSTs the callback body to your server, and hands your server's
// reply back as the result's Content().
//
//   c++ -std=c++11 -Iinclude examples_c/put_callback.cpp -Ltarget/release -lossffi
//
// Settings come from the environment, with defaults for a local ossffi-emulator:
//   OSS_ENDPOINT      http://127.0.0.1:9000
//   OSS_REGION        cn-hangzhou
//   OSS_BUCKET        test-bucket
//   OSS_OBJECT_KEY    exampledir/put_callback.txt
//   OSS_CALLBACK_URL  http://127.0.0.1:9090/callback
//   OSS_ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET (and OSS_SESSION_TOKEN for STS credentials)
#include <alibabacloud/oss/OssClient.h>

#include <cstdlib>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>

using namespace AlibabaCloud::OSS;

static std::string setting(const char *name, const char *fallback) {
  const char *value = std::getenv(name);
  return (value != nullptr && *value != '\0') ? value : fallback;
}

int main() {
  const std::string endpoint = setting("OSS_ENDPOINT", "http://127.0.0.1:9000");
  const std::string region = setting("OSS_REGION", "cn-hangzhou");
  const std::string bucket = setting("OSS_BUCKET", "test-bucket");
  const std::string key = setting("OSS_OBJECT_KEY", "exampledir/put_callback.txt");
  const std::string callbackUrl = setting("OSS_CALLBACK_URL", "http://127.0.0.1:9090/callback");

  InitializeSdk();

  ClientConfiguration conf;
  conf.signatureVersion = SignatureVersionType::V4;  // V4 signs with the region set below
  auto credentialsProvider = std::make_shared<EnvironmentVariableCredentialsProvider>();
  OssClient client(endpoint, credentialsProvider, conf);
  client.SetRegion(region);

  std::shared_ptr<std::iostream> content = std::make_shared<std::stringstream>();
  *content << "Thank you for using Alibaba Cloud Object Storage Service, through ossffi!";

  // What OSS POSTs to the callback server: OSS fills in ${...}; ${x:var1} comes from the
  // callback variables below.
  std::string callbackBody =
      "bucket=${bucket}&object=${object}&etag=${etag}&size=${size}&mimeType=${mimeType}&my_var1=${x:var1}";
  ObjectCallbackBuilder builder(callbackUrl, callbackBody, "", ObjectCallbackBuilder::Type::URL);
  std::string callbackValue = builder.build();

  ObjectCallbackVariableBuilder varBuilder;
  varBuilder.addCallbackVariable("x:var1", "value1");
  std::string callbackVarValue = varBuilder.build();

  PutObjectRequest request(bucket, key, content);
  request.MetaData().addHeader("x-oss-callback", callbackValue);
  request.MetaData().addHeader("x-oss-callback-var", callbackVarValue);
  // Equivalent, and what the SDK's own tests use: request.setCallback(callbackValue, callbackVarValue);

  auto outcome = client.PutObject(request);
  if (!outcome.isSuccess()) {
    std::cout << "PutObject failed: " << outcome.error().Code() << ": " << outcome.error().Message()
              << " (request id " << outcome.error().RequestId() << ")" << std::endl;
    ShutdownSdk();
    return 1;
  }

  std::cout << "uploaded oss://" << bucket << "/" << key << std::endl;
  std::cout << "  ETag:       " << outcome.result().ETag() << std::endl;
  std::cout << "  request id: " << outcome.result().RequestId() << std::endl;
  const std::shared_ptr<std::iostream> &reply = outcome.result().Content();
  if (reply) {
    std::cout << "  callback server replied: " << reply->rdbuf() << std::endl;
  } else {
    std::cout << "  (the callback server sent an empty reply)" << std::endl;
  }

  ShutdownSdk();
  return 0;
}
