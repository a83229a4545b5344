// PutObjectByUrl and GetObjectByUrl through the C++ SDK layer, written as the SDK's own tests
// (ObjectCallbackTest.cc's PutPreSigned* cases, PutObjectByUrl/GetObjectByUrl) are: URLs from
// GeneratePresignedUrl, used against the emulator, with and without an upload callback, the
// SDK's negative callback cases, the ResponseStreamFactory quirk that turns a failed callback
// into "ParseXMLError:13", and downloads into memory, a stream, a file and by range.
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <string>

#include "sdk_support.h"

using namespace AlibabaCloud::OSS;

static const sdktest::Services services;

static OssClient client() {
  ClientConfiguration conf;
  OssClient c(services.endpoint, services.accessKeyId, services.accessKeySecret, conf);
  return c;
}

static std::string putUrl(const OssClient &signer, const std::string &key, const std::string &callback,
                          const std::string &callbackVar) {
  GeneratePresignedUrlRequest request(services.bucket, key, Http::Put);
  if (!callback.empty()) request.addParameter("callback", callback);
  if (!callbackVar.empty()) request.addParameter("callback-var", callbackVar);
  StringOutcome url = signer.GeneratePresignedUrl(request);
  CHECK_SUCCESS(url);
  return url.result();
}

static std::string callbackTo(const std::string &url) {
  ObjectCallbackBuilder builder(url, sdktest::formCallbackBody());
  return builder.build();
}

// PutPreSignedCallbackTest and PutPreSignedCallbackVarTest.
static void put_with_callback() {
  OssClient c = client();
  ObjectCallbackVariableBuilder variables;
  variables.addCallbackVariable("x:var1", "value-of-var1");
  const std::string url = putUrl(c, "by-url/callback.bin", callbackTo(services.callbackUrl), variables.build());
  const std::string data(1024, 'x');
  PutObjectOutcome outcome = c.PutObjectByUrl(url, sdktest::stream(data));
  CHECK_SUCCESS(outcome);
  CHECK(outcome.result().Content() != nullptr);
  CHECK_STREQ(sdktest::readAll(outcome.result().Content()), "{\"Status\":\"OK\",\"object\":\"by-url/callback.bin\"}");
  CHECK_INTEQ(outcome.result().CRC64(), sdktest::crc64(data));
  CHECK_INTEQ(outcome.result().ETag().size(), 32u);
  CHECK(!outcome.result().RequestId().empty());
  ObjectMetaDataOutcome head = c.HeadObject(services.bucket, "by-url/callback.bin");
  CHECK_SUCCESS(head);
  CHECK_INTEQ(head.result().ContentLength(), 1024);
}

// PutPreSignedWithoutCallbackTest; and the file and metadata overloads.
static void put_without_callback() {
  OssClient c = client();
  PutObjectOutcome outcome = c.PutObjectByUrl(putUrl(c, "by-url/plain.txt", "", ""), sdktest::stream("plain"));
  CHECK_SUCCESS(outcome);
  CHECK(outcome.result().Content() == nullptr);

  GeneratePresignedUrlRequest signedMeta(services.bucket, "by-url/meta.txt", Http::Put);
  signedMeta.setContentType("text/rtf");
  signedMeta.UserMetaData()["Author"] = "oss";
  const std::string url = c.GeneratePresignedUrl(signedMeta).result();
  const char *path = "by_url_upload.tmp";
  {
    std::ofstream file(path, std::ios::binary);
    file << "from a file";
  }
  ObjectMetaData meta;
  meta.setContentType("text/rtf");
  meta.UserMetaData()["Author"] = "oss";
  CHECK_SUCCESS(c.PutObjectByUrl(url, path, meta));
  ObjectMetaDataOutcome head = c.HeadObject(services.bucket, "by-url/meta.txt");
  CHECK_STREQ(head.result().ContentType(), "text/rtf");
  CHECK_STREQ(head.result().UserMetaData().at("author"), "oss");
  // Without the signed headers the URL's signature does not match.
  PutObjectOutcome unsigned_ = c.PutObjectByUrl(url, path);
  CHECK(!unsigned_.isSuccess());
  CHECK_STREQ(unsigned_.error().Code(), "SignatureDoesNotMatch");
  std::remove(path);

  PutObjectOutcome missing = c.PutObjectByUrl(url, "no/such/file");
  CHECK(!missing.isSuccess());
  CHECK_STREQ(missing.error().Code(), "ValidateError");

  PutObjectOutcome empty = c.PutObjectByUrl(putUrl(c, "by-url/empty", "", ""), std::shared_ptr<std::iostream>());
  CHECK_SUCCESS(empty);
  CHECK_INTEQ(c.HeadObject(services.bucket, "by-url/empty").result().ContentLength(), 0);
}

// PutPreSignedCallbackNegativeTest and ResumableUploadCallbackUrlNegativeTest's dead server.
static void bad_callbacks() {
  OssClient c = client();
  PutObjectOutcome outcome =
      c.PutObjectByUrl(putUrl(c, "by-url/not-json", "ZXJyb3IgYXJndW1lbnQ=", ""), sdktest::stream("data"));
  CHECK(!outcome.isSuccess());
  CHECK_STREQ(outcome.error().Code(), "InvalidArgument");
  CHECK_STREQ(outcome.error().Message(), "The callback configuration is not json format.");

  outcome = c.PutObjectByUrl(putUrl(c, "by-url/dead", callbackTo(services.deadCallbackUrl), ""), sdktest::stream("d"));
  CHECK(!outcome.isSuccess());
  CHECK_STREQ(outcome.error().Code(), "CallbackFailed");
  CHECK(!outcome.error().RequestId().empty());
  CHECK(c.DoesObjectExist(services.bucket, "by-url/dead"));
}

// PutPreSignedCallbackWithInvalidResponseTest: the reply of a failed callback goes into the
// factory's stream after what it holds, and the SDK reads the error from there.
static void factory_stream_quirk() {
  OssClient c = client();
  const std::string url = putUrl(c, "by-url/quirk", callbackTo(services.deadCallbackUrl), "");
  PutObjectByUrlRequest request(url, sdktest::stream("data"));
  request.setResponseStreamFactory([]() {
    std::shared_ptr<std::iostream> content = std::make_shared<std::stringstream>();
    *content << "invlid data";
    return content;
  });
  PutObjectOutcome outcome = c.PutObjectByUrl(request);
  CHECK(!outcome.isSuccess());
  CHECK_STREQ(outcome.error().Code(), "ParseXMLError:13");
  CHECK_STREQ(outcome.error().Message(), "XML_ERROR_PARSING_DECLARATION");
  CHECK(!outcome.error().RequestId().empty());

  // With a callback that works, Content() is that stream: the old text, then the reply.
  PutObjectByUrlRequest working(putUrl(c, "by-url/quirk-ok", callbackTo(services.callbackUrl), ""),
                                sdktest::stream("data"));
  working.setResponseStreamFactory(request.ResponseStreamFactory());
  outcome = c.PutObjectByUrl(working);
  CHECK_SUCCESS(outcome);
  CHECK_STREQ(sdktest::readAll(outcome.result().Content()),
              "invlid data{\"Status\":\"OK\",\"object\":\"by-url/quirk-ok\"}");
}

static void get_by_url() {
  OssClient c = client();
  const std::string data = "0123456789abcdef";
  CHECK_SUCCESS(c.PutObject(services.bucket, "by-url/get.txt", sdktest::stream(data)));
  const std::string url = c.GeneratePresignedUrl(services.bucket, "by-url/get.txt").result();

  GetObjectOutcome got = c.GetObjectByUrl(url);
  CHECK_SUCCESS(got);
  CHECK_STREQ(sdktest::readAll(got.result().Content()), data);
  CHECK_STREQ(got.result().Bucket(), "");
  CHECK_INTEQ(got.result().Metadata().ContentLength(), 16);

  const char *path = "by_url_download.tmp";
  CHECK_SUCCESS(c.GetObjectByUrl(url, path));
  std::ifstream file(path, std::ios::binary);
  std::string saved((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  CHECK_STREQ(saved, data);
  std::remove(path);

  ObjectMetaData range;
  range.addHeader("Range", "bytes=4-7");
  GetObjectOutcome part = c.GetObjectByUrl(GetObjectByUrlRequest(url, range));
  CHECK_SUCCESS(part);
  CHECK_STREQ(sdktest::readAll(part.result().Content()), "4567");

  const int64_t past = static_cast<int64_t>(std::time(nullptr)) - 60;
  GetObjectOutcome expired = c.GetObjectByUrl(c.GeneratePresignedUrl(services.bucket, "by-url/get.txt", past).result());
  CHECK(!expired.isSuccess());
  CHECK_STREQ(expired.error().Code(), "AccessDenied");

  GetObjectOutcome missing = c.GetObjectByUrl(c.GeneratePresignedUrl(services.bucket, "by-url/none").result());
  CHECK(!missing.isSuccess());
  CHECK_STREQ(missing.error().Code(), "NoSuchKey");
  GetObjectOutcome bad = c.GetObjectByUrl("not a url");
  CHECK(!bad.isSuccess());
  CHECK_STREQ(bad.error().Code(), "ClientError:200003");
}

int main() {
  put_with_callback();
  put_without_callback();
  bad_callbacks();
  factory_stream_quirk();
  get_by_url();
  return finish();
}
