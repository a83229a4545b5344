// Four threads sharing one OssClient, each uploading with callbacks, as the SDK's maintainers say
// a client may be used (issues #14, #42): every upload succeeds and gets its own callback reply.
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "sdk_support.h"

using namespace AlibabaCloud::OSS;

static const sdktest::Services services;

class CountingProvider : public CredentialsProvider {
 public:
  Credentials getCredentials() override {
    ++calls;
    return Credentials(services.accessKeyId, services.accessKeySecret);
  }
  std::atomic<int> calls{0};
};

int main() {
  const int kThreads = 4;
  const int kUploadsEach = 6;
  std::shared_ptr<CountingProvider> provider = std::make_shared<CountingProvider>();
  ClientConfiguration conf;
  conf.signatureVersion = SignatureVersionType::V4;
  OssClient client(services.endpoint, provider, conf);
  client.SetRegion(services.region);  // before sharing, as the SDK asks
  const std::string callback = ObjectCallbackBuilder(services.callbackUrl, sdktest::formCallbackBody()).build();

  std::atomic<int> succeeded{0};
  std::atomic<int> repliesNamingTheirObject{0};
  std::atomic<int> crcMatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t]() {
      for (int i = 0; i < kUploadsEach; ++i) {
        const std::string key = "threads/t" + std::to_string(t) + "/object" + std::to_string(i) + ".txt";
        const std::string body = "thread " + std::to_string(t) + " upload " + std::to_string(i);
        ObjectCallbackVariableBuilder vars;
        vars.addCallbackVariable("x:var1", key);
        PutObjectRequest request(services.bucket, key, sdktest::stream(body));
        request.setCallback(callback, vars.build());
        PutObjectOutcome outcome = client.PutObject(request);
        if (!outcome.isSuccess()) {
          std::cerr << key << ": " << outcome.error().Code() << ": " << outcome.error().Message() << "\n";
          continue;
        }
        ++succeeded;
        if (sdktest::contains(sdktest::readAll(outcome.result().Content()), "\"object\":\"" + key + "\"")) {
          ++repliesNamingTheirObject;
        }
        if (outcome.result().CRC64() == sdktest::crc64(body)) ++crcMatches;
      }
    });
  }
  for (std::thread &thread : threads) thread.join();

  CHECK_INTEQ(succeeded.load(), kThreads * kUploadsEach);
  CHECK_INTEQ(repliesNamingTheirObject.load(), kThreads * kUploadsEach);
  CHECK_INTEQ(crcMatches.load(), kThreads * kUploadsEach);
  CHECK_INTEQ(provider->calls.load(), kThreads * kUploadsEach);
  return finish();
}
