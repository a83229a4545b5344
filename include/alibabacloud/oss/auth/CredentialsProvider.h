/*
 * CredentialsProvider and, as in the SDK, its two implementations SimpleCredentialsProvider and
 * EnvironmentVariableCredentialsProvider.
 */
#ifndef ALIBABACLOUD_OSS_AUTH_CREDENTIALSPROVIDER_H_OSSFFI
#define ALIBABACLOUD_OSS_AUTH_CREDENTIALSPROVIDER_H_OSSFFI

#include <cstdlib>
#include <string>

#include "../detail/Text.h"
#include "Credentials.h"

namespace AlibabaCloud {
namespace OSS {

/*
 * Where a client's credentials come from. getCredentials() is called once per HTTP attempt
 * (retries included), on the thread that called the operation, so a provider that rotates STS
 * credentials takes effect on the next attempt. With a client shared by several threads it runs
 * on several threads at once: make it thread-safe. An exception it throws fails the call and is
 * rethrown by the OssClient method. The client keeps a reference to the provider until the last
 * copy of the client is destroyed.
 */
class CredentialsProvider {
 public:
  CredentialsProvider() = default;
  virtual ~CredentialsProvider() {}
  virtual Credentials getCredentials() = 0;
};

class SimpleCredentialsProvider : public CredentialsProvider {
 public:
  explicit SimpleCredentialsProvider(const Credentials &credentials) : credentials_(credentials) {}
  SimpleCredentialsProvider(const std::string &accessKeyId, const std::string &accessKeySecret,
                            const std::string &securityToken = "")
      : credentials_(accessKeyId, accessKeySecret, securityToken) {}
  Credentials getCredentials() override { return credentials_; }

 private:
  Credentials credentials_;
};

/*
 * OSS_ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET and OSS_SESSION_TOKEN, read on every call (no
 * caching), as in the SDK. When OSS_ACCESS_KEY_ID is unset the credentials are empty and the
 * call fails with "InvalidCredentials".
 */
class EnvironmentVariableCredentialsProvider : public CredentialsProvider {
 public:
  Credentials getCredentials() override {
    const char *id = std::getenv("OSS_ACCESS_KEY_ID");
    if (id == nullptr) return Credentials("", "", "");
    return Credentials(id, ossffi::detail::copy(std::getenv("OSS_ACCESS_KEY_SECRET")),
                       ossffi::detail::copy(std::getenv("OSS_SESSION_TOKEN")));
  }
};

}  // namespace OSS
}  // namespace AlibabaCloud

#endif /* ALIBABACLOUD_OSS_AUTH_CREDENTIALSPROVIDER_H_OSSFFI */
