// GeneratePresignedUrl through the C++ SDK layer, written as an SDK user writes it (only the
// SDK's API, plus a few lines of POSIX sockets standing in for the browser or curl that would
// use the URL): the URLs the SDK itself gives (cpp-sdk-surface-2.md 4.3, verified against
// aliyun-oss-cpp-sdk 1.10.1), validation, and URLs used against the emulator: a PUT carrying an
// upload callback, then a GET of the stored bytes, in V1 (the SDK's default) and V4.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <ctime>
#include <string>

#include "sdk_support.h"

using namespace AlibabaCloud::OSS;

static const sdktest::Services services;

static OssClient exampleClient(const std::string &endpoint) {
  ClientConfiguration conf;
  return OssClient(endpoint, "AKIDEXAMPLE", "SECRETEXAMPLE", conf);
}

static std::string urlOf(const StringOutcome &outcome) {
  CHECK_SUCCESS(outcome);
  return outcome.isSuccess() ? outcome.result() : std::string();
}

// cpp-sdk-surface-2.md 4.3: the SDK's V1 URLs, byte for byte.
static void sdk_urls() {
  OssClient client = exampleClient("oss-cn-hangzhou.aliyuncs.com");
  CHECK_STREQ(urlOf(client.GeneratePresignedUrl("my-bucket", "dir/a b+c.txt", 1700000000)),
              "http://my-bucket.oss-cn-hangzhou.aliyuncs.com/dir%2Fa%20b%2Bc.txt?Expires=1700000000"
              "&OSSAccessKeyId=AKIDEXAMPLE&Signature=lohTUMr%2Fl86GE%2BKsHRAYLIBhdQ8%3D");
  CHECK_STREQ(urlOf(client.GeneratePresignedUrl("my-bucket", "obj.txt", 1700000000, Http::Put)),
              "http://my-bucket.oss-cn-hangzhou.aliyuncs.com/obj.txt?Expires=1700000000"
              "&OSSAccessKeyId=AKIDEXAMPLE&Signature=3mFJCGV5q%2FIa%2F5sdKdwcbdyJm0M%3D");

  GeneratePresignedUrlRequest request("my-bucket", "obj.txt", Http::Put);
  request.setExpires(1700000000);
  request.setContentType("text/plain");
  request.setContentMd5("XrY7u+Ae7tCTyyK7j1rNww==");
  request.UserMetaData()["Author"] = "oss";
  request.addParameter("x-param", "v v");
  request.addParameter("acl", "");
  request.setProcess("image/resize,w_100");
  request.setTrafficLimit(819200);
  request.setVersionId("CAEQ");
  request.setRequestPayer(RequestPayer::Requester);
  request.addResponseHeaders(ContentDisposition, "attachment; filename=x.txt");
  CHECK_STREQ(urlOf(client.GeneratePresignedUrl(request)),
              "http://my-bucket.oss-cn-hangzhou.aliyuncs.com/obj.txt?Expires=1700000000&OSSAccessKeyId=AKIDEXAMPLE"
              "&Signature=2AaIDTJ6LfNtuEo93uwKHo9fsSc%3D&acl&response-content-disposition=attachment%3B%20filename%3Dx.txt"
              "&versionId=CAEQ&x-oss-process=image%2Fresize%2Cw_100&x-oss-request-payer=requester"
              "&x-oss-traffic-limit=819200&x-param=v%20v");

  GeneratePresignedUrlRequest slashes("my-bucket", "a/b/c");
  slashes.setExpires(1700000000);
  slashes.setUnencodedSlash(true);
  CHECK_STREQ(urlOf(client.GeneratePresignedUrl(slashes)),
              "http://my-bucket.oss-cn-hangzhou.aliyuncs.com/a/b/c?Expires=1700000000&OSSAccessKeyId=AKIDEXAMPLE"
              "&Signature=dsRNWS4gURVYKvJEm9bsw%2FDWNUc%3D");

  ClientConfiguration conf;
  OssClient sts("https://oss-cn-hangzhou.aliyuncs.com", "AKIDEXAMPLE", "SECRETEXAMPLE", "STSTOKEN", conf);
  CHECK_STREQ(urlOf(sts.GeneratePresignedUrl("my-bucket", "k", 1700000000)),
              "https://my-bucket.oss-cn-hangzhou.aliyuncs.com/k?Expires=1700000000&OSSAccessKeyId=AKIDEXAMPLE"
              "&Signature=RvDacvbl%2ByWb12TRYQMy7ymseA8%3D&security-token=STSTOKEN");
  CHECK_STREQ(urlOf(exampleClient("http://127.0.0.1:8080").GeneratePresignedUrl("my-bucket", "k", 1700000000)),
              "http://127.0.0.1:8080/my-bucket/k?Expires=1700000000&OSSAccessKeyId=AKIDEXAMPLE"
              "&Signature=cToGsXIkvMaKDo5wCy1oT0jfvLo%3D");

  GeneratePresignedUrlRequest callback("my-bucket", "k", Http::Put);
  callback.setExpires(1700000000);
  callback.addParameter("callback", "eyJjYWxsYmFja1VybCI6Imh0dHA6Ly9leGFtcGxlLmNvbSJ9");
  CHECK_STREQ(urlOf(client.GeneratePresignedUrl(callback)),
              "http://my-bucket.oss-cn-hangzhou.aliyuncs.com/k?Expires=1700000000&OSSAccessKeyId=AKIDEXAMPLE"
              "&Signature=deBy5ihzucHEzsQmtI1NKd5tlLM%3D&callback=eyJjYWxsYmFja1VybCI6Imh0dHA6Ly9leGFtcGxlLmNvbSJ9");

  // The default expiry is 900 seconds after the request was made.
  const std::string url = urlOf(client.GeneratePresignedUrl("my-bucket", "k"));
  const size_t at = url.find("Expires=");
  const long long expires = at == std::string::npos ? 0 : std::atoll(url.c_str() + at + 8);
  const long long now = static_cast<long long>(std::time(nullptr));
  CHECK(expires >= now + 899 && expires <= now + 900);
}

static void validation() {
  OssClient client = exampleClient("oss-cn-hangzhou.aliyuncs.com");
  const char *bad[][2] = {{"Bad_Bucket", "k"}, {"my-bucket", ""}, {"my-bucket", "?abc"}};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    StringOutcome outcome = client.GeneratePresignedUrl(bad[i][0], bad[i][1], 1700000000);
    CHECK(!outcome.isSuccess());
    CHECK_STREQ(outcome.error().Code(), "ValidateError");
    CHECK_STREQ(outcome.error().Message(), "The Bucket or Key is invalid.");
  }
  ClientConfiguration relaxed;
  relaxed.isVerifyObjectStrict = false;
  OssClient lenient("oss-cn-hangzhou.aliyuncs.com", "AKIDEXAMPLE", "SECRETEXAMPLE", relaxed);
  CHECK(sdktest::contains(urlOf(lenient.GeneratePresignedUrl("my-bucket", "?123", 1700000000)),
                          "aliyuncs.com/%3F123?Expires=1700000000&"));
  // No request is sent, so a disabled client still signs.
  client.DisableRequest();
  CHECK_SUCCESS(client.GeneratePresignedUrl("my-bucket", "k", 1700000000));
}

struct Reply {
  int status;
  std::string body;
};

// Sends one request to http://host:port/... as a browser or curl would, and reads the reply
// (the emulator closes the connection after a "Connection: close" request).
static Reply send(const std::string &method, const std::string &url, const std::string &headers,
                  const std::string &body) {
  Reply reply = {0, std::string()};
  const std::string rest = url.substr(std::strlen("http://"));
  const std::string authority = rest.substr(0, rest.find('/'));
  const std::string target = rest.substr(authority.size());
  const std::string host = authority.substr(0, authority.find(':'));
  const int port = std::atoi(authority.c_str() + authority.find(':') + 1);
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address;
  std::memset(&address, 0, sizeof address);
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, host.c_str(), &address.sin_addr);
  if (fd < 0 || connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0) {
    if (fd >= 0) close(fd);
    return reply;
  }
  const std::string request = method + " " + target + " HTTP/1.1\r\nHost: " + authority +
                              "\r\nConnection: close\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" +
                              headers + "\r\n" + body;
  size_t sent = 0;
  while (sent < request.size()) {
    const ssize_t n = write(fd, request.data() + sent, request.size() - sent);
    if (n <= 0) break;
    sent += static_cast<size_t>(n);
  }
  std::string all;
  char buffer[4096];
  for (ssize_t n; (n = read(fd, buffer, sizeof buffer)) > 0;) all.append(buffer, static_cast<size_t>(n));
  close(fd);
  const size_t split = all.find("\r\n\r\n");
  if (all.size() < 12 || split == std::string::npos) return reply;
  reply.status = std::atoi(all.c_str() + 9);
  reply.body = all.substr(split + 4);
  return reply;
}

static void against_the_emulator(SignatureVersionType version, const std::string &key) {
  ClientConfiguration conf;
  conf.signatureVersion = version;
  OssClient client(services.endpoint, services.accessKeyId, services.accessKeySecret, conf);
  client.SetRegion(services.region);
  const std::string data = "uploaded with a presigned URL";

  ObjectCallbackBuilder builder(services.callbackUrl, sdktest::formCallbackBody());
  ObjectCallbackVariableBuilder variables;
  variables.addCallbackVariable("x:var1", "from-the-url");
  GeneratePresignedUrlRequest put(services.bucket, key, Http::Put);
  put.setContentType("text/plain");
  put.UserMetaData()["author"] = "presign";
  put.addParameter("callback", builder.build());
  put.addParameter("callback-var", variables.build());
  const std::string putUrl = urlOf(client.GeneratePresignedUrl(put));
  Reply stored = send("PUT", putUrl, "Content-Type: text/plain\r\nx-oss-meta-author: presign\r\n", data);
  CHECK_INTEQ(stored.status, 200);
  CHECK(sdktest::contains(stored.body, "\"Status\":\"OK\""));

  Reply got = send("GET", urlOf(client.GeneratePresignedUrl(services.bucket, key)), "", "");
  CHECK_INTEQ(got.status, 200);
  CHECK_STREQ(got.body, data);
  CHECK_STREQ(sdktest::readAll(client.GetObject(services.bucket, key).result().Content()), data);

  // Without its signed Content-Type the same URL is refused.
  Reply refused = send("PUT", putUrl, "x-oss-meta-author: presign\r\n", data);
  CHECK_INTEQ(refused.status, 403);
  CHECK(sdktest::contains(refused.body, "<Code>SignatureDoesNotMatch</Code>"));

  // An expired V1 URL is refused. (A V4 URL counts its life from its signing time, so the SDK
  // cannot make one that is already expired; tests/presign_vectors.rs signs one in the past.)
  if (version == SignatureVersionType::V1) {
    const int64_t past = static_cast<int64_t>(std::time(nullptr)) - 60;
    Reply expired = send("GET", urlOf(client.GeneratePresignedUrl(services.bucket, key, past)), "", "");
    CHECK_INTEQ(expired.status, 403);
    CHECK(sdktest::contains(expired.body, "<Code>AccessDenied</Code>"));
    CHECK(sdktest::contains(expired.body, "Request has expired."));
  }
}

int main() {
  sdk_urls();
  validation();
  against_the_emulator(SignatureVersionType::V1, "presigned/v1 upload.txt");
  against_the_emulator(SignatureVersionType::V4, "presigned/v4 upload.txt");
  return finish();
}
