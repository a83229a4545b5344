// ossffi::CallbackVerifier (include/ossffi/callback_verifier.hpp): the vector cbsig-no-query of
// callback_signature.json verified with a PEM and through the key cache (fetched from a
// loopback key server once), the allow-list, results and RAII.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "check.h"
#include "ossffi/callback_verifier.hpp"

namespace {

const std::string kTarget = "/oss/callback";
const std::string kBody =
    "bucket=vec-shared-bkt&object=uploads%2Fphoto.jpg&etag=D8E8FCA2DC0F896FD7CB4CB0031BA249&size=17&"
    "mimeType=image%2Fjpeg&my_var=value1";
const std::string kAuthorization =
    "W8q8lHQ77QW4OCncHq5slUkf1bdEzAq/P9syvLfr7NH+4BTHcjoLBzB45AnfBf8AiAkxm+4r7KFCaee+jGaHhNPA+aAykpGjKS+z3rQrk0"
    "HBnLw1h3eEf6z/SC6+GDNMV9s3Kwgui66arXU4XOxlQ4CPTVIk80hBkHI/G6wNs3w=";
const std::string kPublicKeyPem =
    "-----BEGIN PUBLIC KEY-----\n"
    "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDE+dUvr2Edjl7OfL3W55zEGRHG\n"
    "MVTQPMUnmXSb9cdkXQV3IvGaPba+LAPUqYrbD+eAx6vrChrJ5NGHDIqu3KW5TvEb\n"
    "cnr8prcjbmi3vfxGMBFNnPu8tLKDrmSjIw+afQcT4tzTRTDpkCKhs0OWSMDHTqIr\n"
    "2gbHS7ruryaYjhmV6QIDAQAB\n"
    "-----END PUBLIC KEY-----\n";
// base64("https://gosspublic.alicdn.com/callback_pub_key_v1.pem"), the vector's header.
const std::string kOssKeyUrl = "aHR0cHM6Ly9nb3NzcHVibGljLmFsaWNkbi5jb20vY2FsbGJhY2tfcHViX2tleV92MS5wZW0=";

std::string base64(const std::string &in) {
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    unsigned v = (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8 | (unsigned char)in[i + 2];
    out += alphabet[v >> 18 & 63];
    out += alphabet[v >> 12 & 63];
    out += alphabet[v >> 6 & 63];
    out += alphabet[v & 63];
  }
  if (in.size() - i == 1) {
    unsigned v = (unsigned char)in[i] << 16;
    out += alphabet[v >> 18 & 63];
    out += alphabet[v >> 12 & 63];
    out += "==";
  } else if (in.size() - i == 2) {
    unsigned v = (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8;
    out += alphabet[v >> 18 & 63];
    out += alphabet[v >> 12 & 63];
    out += alphabet[v >> 6 & 63];
    out += '=';
  }
  return out;
}

// A loopback server that answers each connection with the PEM and counts them, until stopped.
class KeyServer {
 public:
  KeyServer() {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (fd_ < 0 || bind(fd_, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0 || listen(fd_, 8) != 0 ||
        getsockname(fd_, reinterpret_cast<sockaddr *>(&addr), &len) != 0) {
      return;
    }
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { run(); });
  }
  ~KeyServer() {
    shutdown(fd_, SHUT_RDWR);  // wakes accept()
    if (thread_.joinable()) thread_.join();
    close(fd_);
  }
  KeyServer(const KeyServer &) = delete;
  KeyServer &operator=(const KeyServer &) = delete;

  unsigned port() const { return port_; }
  int accepted() const { return accepted_.load(); }

 private:
  void run() {
    const std::string reply = "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(kPublicKeyPem.size()) +
                              "\r\nConnection: close\r\n\r\n" + kPublicKeyPem;
    for (;;) {
      int conn = accept(fd_, nullptr, nullptr);
      if (conn < 0) return;
      ++accepted_;
      std::string head;
      char buf[1024];
      while (head.find("\r\n\r\n") == std::string::npos) {
        ssize_t got = read(conn, buf, sizeof buf);
        if (got <= 0) break;
        head.append(buf, static_cast<std::size_t>(got));
      }
      if (write(conn, reply.data(), reply.size()) != static_cast<ssize_t>(reply.size())) {
        // the client went away; the test that uses the reply will notice
      }
      close(conn);
    }
  }

  int fd_ = -1;
  unsigned port_ = 0;
  std::atomic<int> accepted_{0};
  std::thread thread_;
};

void verify_with_public_key() {
  ossffi::CallbackVerifyResult ok =
      ossffi::CallbackVerifier::verifyWithPublicKey(kTarget, kAuthorization, kBody, kPublicKeyPem);
  CHECK(ok.isSuccess());
  CHECK(static_cast<bool>(ok));
  CHECK(ok.result() == OSSFFI_RESULT_OK);
  CHECK(ok.code().empty() && ok.message().empty());

  std::string altered = kBody;
  altered[0] = 'B';
  ossffi::CallbackVerifyResult bad =
      ossffi::CallbackVerifier::verifyWithPublicKey(kTarget, kAuthorization, altered, kPublicKeyPem);
  CHECK(!bad);
  CHECK(bad.result() == OSSFFI_RESULT_CALLBACK_SIGNATURE_MISMATCH);
  CHECK(bad.resultName() == "OSSFFI_RESULT_CALLBACK_SIGNATURE_MISMATCH");
  CHECK(bad.code() == "CallbackSignatureMismatch");
  CHECK(bad.message().find("do not trust this request") != std::string::npos);
  CHECK(bad.httpStatus() == 0);

  CHECK(ossffi::CallbackVerifier::verifyWithPublicKey(kTarget, "!!", kBody, kPublicKeyPem).result() ==
        OSSFFI_RESULT_CALLBACK_SIGNATURE_MALFORMED);
  CHECK(ossffi::CallbackVerifier::verifyWithPublicKey(kTarget, kAuthorization, kBody, "no key").result() ==
        OSSFFI_RESULT_CALLBACK_KEY_MALFORMED);
  CHECK(ossffi::CallbackVerifier::verifyWithPublicKey(kTarget + "\xff", kAuthorization, kBody, kPublicKeyPem)
            .result() == OSSFFI_RESULT_INVALID_UTF8);
  // An embedded NUL would make C see a shorter target than the one the caller acts on.
  ossffi::CallbackVerifyResult nul = ossffi::CallbackVerifier::verifyWithPublicKey(
      std::string("/oss/callback\0/evil", 19), kAuthorization, kBody, kPublicKeyPem);
  CHECK(nul.result() == OSSFFI_RESULT_INVALID_ARGUMENT);
  CHECK(nul.message() == "an argument contains a NUL byte");
}

void verifier_refuses_untrusted_key_urls() {
  ossffi::CallbackVerifier verifier;
  CHECK(verifier.valid());
  for (const char *url : {"http://127.0.0.1:1/evil", "file:///etc/passwd", "gopher://127.0.0.1:70/_x",
                          "https://gosspublic.alicdn.com@evil.example/",
                          "https://gosspublic.alicdn.com.evil.example/"}) {
    ossffi::CallbackVerifyResult r = verifier.verify(kTarget, kAuthorization, base64(url), kBody);
    CHECK(r.result() == OSSFFI_RESULT_CALLBACK_KEY_URL_NOT_ALLOWED);
    CHECK(r.code() == "CallbackKeyUrlNotAllowed");
    CHECK(r.message().find(url) != std::string::npos);
  }
  CHECK(verifier.allowKeyUrlPrefix("ftp://127.0.0.1/").result() == OSSFFI_RESULT_INVALID_ARGUMENT);
  CHECK(verifier.allowKeyUrlPrefix(std::string("http://127.0.0.1/\0x", 19)).result() ==
        OSSFFI_RESULT_INVALID_ARGUMENT);
  CHECK(!verifier.setKeyFetchTimeoutMs(0));
  CHECK(verifier.setKeyFetchTimeoutMs(2000));
}

void verifier_fetches_an_allowed_key_once() {
  KeyServer server;
  CHECK(server.port() != 0);
  ossffi::CallbackVerifier verifier;
  const std::string prefix = "http://127.0.0.1:" + std::to_string(server.port()) + "/";
  const std::string url = base64(prefix + "callback_pub_key_v1.pem");
  CHECK(verifier.allowKeyUrlPrefix(prefix).isSuccess());
  CHECK(verifier.setKeyFetchTimeoutMs(3000));

  // Shared by threads: the first fetch is shared too.
  std::vector<std::thread> threads;
  std::atomic<int> verified{0};
  for (int i = 0; i < 4; i++) {
    threads.emplace_back([&] {
      if (verifier.verify(kTarget, kAuthorization, url, kBody)) ++verified;
    });
  }
  for (std::thread &t : threads) t.join();
  CHECK(verified.load() == 4);
  const std::vector<uint8_t> bytes(kBody.begin(), kBody.end());
  CHECK(verifier.verify(kTarget, kAuthorization, url, bytes.data(), bytes.size()).isSuccess());
  CHECK(verifier.verify(kTarget, kAuthorization, url, nullptr, 0).result() ==
        OSSFFI_RESULT_CALLBACK_SIGNATURE_MISMATCH);
  CHECK(server.accepted() == 1);

  // Moving keeps the cache (no new fetch); the moved-from verifier fails safely.
  ossffi::CallbackVerifier moved = std::move(verifier);
  CHECK(moved.valid());
  CHECK(moved.verify(kTarget, kAuthorization, url, kBody).isSuccess());
  CHECK(server.accepted() == 1);
  CHECK(!verifier.valid());  // NOLINT(bugprone-use-after-move): checking the moved-from state
  CHECK(verifier.verify(kTarget, kAuthorization, url, kBody).result() == OSSFFI_RESULT_NULL_PARAMETER);
  CHECK(verifier.verify(kTarget, kAuthorization, kOssKeyUrl, kBody).result() == OSSFFI_RESULT_NULL_PARAMETER);
}

}  // namespace

int main() {
  verify_with_public_key();
  verifier_refuses_untrusted_key_urls();
  verifier_fetches_an_allowed_key_once();
  return finish();
}
