// CredentialsProvider subclasses, as SDK users write them: called once per attempt, rotating,
// throwing, and kept alive exactly as long as a client needs them.
//
// `sdk_credentials three-503s` is run by tests/cpp_sdk.rs with the emulator told to fail the next
// three requests with 503: two clients whose retry strategy does not retry see the 503, then a
// client with the default strategy retries, asking its provider once for each attempt.
#include <atomic>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "sdk_support.h"

using namespace AlibabaCloud::OSS;

static const sdktest::Services services;
static const std::string kBody = "credentials test body";

// Counts calls and hands out the right keys; thread-safe, as the SDK requires of providers.
class CountingProvider : public CredentialsProvider {
 public:
  Credentials getCredentials() override {
    ++calls;
    return Credentials(services.accessKeyId, services.accessKeySecret);
  }
  std::atomic<int> calls{0};
};

// Rotates: a stale secret first (as an expired STS token would be), the good one afterwards.
class RotatingProvider : public CredentialsProvider {
 public:
  Credentials getCredentials() override {
    int n = ++calls;
    return Credentials(services.accessKeyId, n == 1 ? "stale-secret" : services.accessKeySecret);
  }
  std::atomic<int> calls{0};
};

struct ProviderBroke : std::runtime_error {
  ProviderBroke() : std::runtime_error("the vault is sealed") {}
};

class ThrowingProvider : public CredentialsProvider {
 public:
  Credentials getCredentials() override { throw ProviderBroke(); }
};

static void the_provider_is_asked_once_per_upload() {
  std::shared_ptr<CountingProvider> provider = std::make_shared<CountingProvider>();
  OssClient client(services.endpoint, provider, ClientConfiguration());
  for (int i = 0; i < 3; ++i) {
    CHECK_SUCCESS(client.PutObject(services.bucket, "creds/count.txt", sdktest::stream(kBody)));
  }
  CHECK_INTEQ(provider->calls.load(), 3);
}

static void a_rotating_provider_takes_effect_on_the_next_request() {
  std::shared_ptr<RotatingProvider> provider = std::make_shared<RotatingProvider>();
  ClientConfiguration conf;
  conf.signatureVersion = SignatureVersionType::V4;
  OssClient client(services.endpoint, provider, conf);
  client.SetRegion(services.region);
  PutObjectOutcome stale = client.PutObject(services.bucket, "creds/rotate.txt", sdktest::stream(kBody));
  CHECK(!stale.isSuccess());
  CHECK_STREQ(stale.error().Code(), "SignatureDoesNotMatch");  // a 403 is not retried
  CHECK_INTEQ(provider->calls.load(), 1);
  CHECK_SUCCESS(client.PutObject(services.bucket, "creds/rotate.txt", sdktest::stream(kBody)));
  CHECK_INTEQ(provider->calls.load(), 2);
}

static void an_exception_from_the_provider_reaches_the_caller() {
  OssClient client(services.endpoint, std::make_shared<ThrowingProvider>(), ClientConfiguration());
  bool caught = false;
  try {
    client.PutObject(services.bucket, "creds/throws.txt", sdktest::stream(kBody));
  } catch (const ProviderBroke &) {
    caught = true;
  }
  CHECK(caught);
  // Nothing is left pending for the next call on this thread.
  OssClient good(services.endpoint, services.accessKeyId, services.accessKeySecret, ClientConfiguration());
  CHECK_SUCCESS(good.PutObject(services.bucket, "creds/after.txt", sdktest::stream(kBody)));
}

static void the_client_keeps_the_provider_alive_while_any_copy_exists() {
  std::weak_ptr<CountingProvider> watch;
  {
    std::shared_ptr<CountingProvider> provider = std::make_shared<CountingProvider>();
    watch = provider;
    OssClient first(services.endpoint, provider, ClientConfiguration());
    provider.reset();
    OssClient copy = first;
    {
      OssClient gone = first;
    }
    CHECK(!watch.expired());
    CHECK_SUCCESS(copy.PutObject(services.bucket, "creds/alive.txt", sdktest::stream(kBody)));
  }
  CHECK(watch.expired());
}

static void environment_credentials_are_read_on_every_call() {
  OssClient client(services.endpoint, std::make_shared<EnvironmentVariableCredentialsProvider>(),
                   ClientConfiguration());
  CHECK_SUCCESS(client.PutObject(services.bucket, "creds/env.txt", sdktest::stream(kBody)));
  unsetenv("OSS_ACCESS_KEY_ID");
  PutObjectOutcome unset = client.PutObject(services.bucket, "creds/env.txt", sdktest::stream(kBody));
  CHECK(!unset.isSuccess());
  CHECK_STREQ(unset.error().Code(), "InvalidCredentials");
  setenv("OSS_ACCESS_KEY_ID", services.accessKeyId.c_str(), 1);
  CHECK_SUCCESS(client.PutObject(services.bucket, "creds/env.txt", sdktest::stream(kBody)));
}

// A retry strategy written for the SDK, as users subclass it: this one never retries.
class NoRetries : public RetryStrategy {
 public:
  bool shouldRetry(const Error &, long) const override { return false; }
  long calcDelayTimeMs(const Error &, long) const override { return 0; }
};

static void retry_strategies_are_honoured_and_a_retry_asks_the_provider_again() {
  ClientConfiguration noRetries;
  noRetries.retryStrategy = std::make_shared<NoRetries>();
  ClientConfiguration nullStrategy;
  nullStrategy.retryStrategy = nullptr;  // the SDK's way to turn retries off
  for (const ClientConfiguration *conf : {&noRetries, &nullStrategy}) {
    OssClient client(services.endpoint, services.accessKeyId, services.accessKeySecret, *conf);
    PutObjectOutcome refused = client.PutObject(services.bucket, "creds/retried.txt", sdktest::stream(kBody));
    CHECK(!refused.isSuccess());
    CHECK_STREQ(refused.error().Code(), "ServiceUnavailable");
    CHECK_INTEQ(refused.error().Status(), 503);
  }
  // The default strategy retries; the body is rewound and the provider asked again.
  std::shared_ptr<CountingProvider> provider = std::make_shared<CountingProvider>();
  OssClient client(services.endpoint, provider, ClientConfiguration());
  PutObjectOutcome outcome = client.PutObject(services.bucket, "creds/retried.txt", sdktest::stream(kBody));
  CHECK_SUCCESS(outcome);
  CHECK(outcome.result().CRC64() == sdktest::crc64(kBody));
  CHECK_INTEQ(provider->calls.load(), 2);
}

int main(int argc, char **argv) {
  if (argc > 1 && std::string(argv[1]) == "three-503s") {
    retry_strategies_are_honoured_and_a_retry_asks_the_provider_again();
    return finish();
  }
  the_provider_is_asked_once_per_upload();
  a_rotating_provider_takes_effect_on_the_next_request();
  an_exception_from_the_provider_reaches_the_caller();
  the_client_keeps_the_provider_alive_while_any_copy_exists();
  environment_credentials_are_read_on_every_call();
  return finish();
}
