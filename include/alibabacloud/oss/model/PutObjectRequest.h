/* PutObjectRequest; and ossffi::CancellationToken, which ossffi adds to it. */
#ifndef ALIBABACLOUD_OSS_MODEL_PUTOBJECTREQUEST_H_OSSFFI
#define ALIBABACLOUD_OSS_MODEL_PUTOBJECTREQUEST_H_OSSFFI

#include <atomic>
#include <cstdint>
#include <iostream>
#include <memory>
#include <string>

#include "../OssRequest.h"
#include "../ServiceRequest.h"
#include "../Types.h"
#include "ObjectMetaData.h"

namespace ossffi {

/*
 * A cancel switch for one upload, which the SDK lacks (it can only disable a whole client).
 * Give a copy to PutObjectRequest::setCancellationToken and call cancel() from any thread: the
 * upload stops before its next chunk of body and fails with "ClientError:200042". Copies share
 * one switch; reset() re-arms it for another upload.
 */
class CancellationToken {
 public:
  CancellationToken() : cancelled_(std::make_shared<std::atomic<bool> >(false)) {}
  void cancel() const { cancelled_->store(true); }
  void reset() const { cancelled_->store(false); }
  bool isCancelled() const { return cancelled_->load(); }

 private:
  std::shared_ptr<std::atomic<bool> > cancelled_;
};

}  // namespace ossffi

namespace AlibabaCloud {
namespace OSS {

/*
 * A PutObject request, a plain copyable value (the body stream is shared between copies, as in
 * the SDK). The setters write headers into MetaData(), exactly as the SDK's do; OssClient builds
 * the C request from it for each call. setVersionId is kept but not sent: OSS ignores it for
 * PutObject.
 */
class PutObjectRequest : public OssObjectRequest {
 public:
  PutObjectRequest(const std::string &bucket, const std::string &key, const std::shared_ptr<std::iostream> &content)
      : OssObjectRequest(bucket, key), content_(content) {
    setFlags(REQUEST_FLAG_CHECK_CRC64);
  }
  PutObjectRequest(const std::string &bucket, const std::string &key, const std::shared_ptr<std::iostream> &content,
                   const ObjectMetaData &meta)
      : OssObjectRequest(bucket, key), content_(content), metaData_(meta) {
    setFlags(REQUEST_FLAG_CHECK_CRC64);
  }
  virtual ~PutObjectRequest() {}

  void setCacheControl(const std::string &value) { metaData_.addHeader("Cache-Control", value); }
  void setContentDisposition(const std::string &value) { metaData_.addHeader("Content-Disposition", value); }
  void setContentEncoding(const std::string &value) { metaData_.addHeader("Content-Encoding", value); }
  /* The caller's base64 MD5 of the body; OSS rejects a body that does not match. */
  void setContentMd5(const std::string &value) { metaData_.addHeader("Content-MD5", value); }
  void setExpires(const std::string &value) { metaData_.addHeader("Expires", value); }
  /*
   * Removes x-oss-callback and x-oss-callback-var, then sets each one that is not empty
   * (typically ObjectCallbackBuilder::build() and ObjectCallbackVariableBuilder::build()).
   */
  void setCallback(const std::string &callback, const std::string &callbackVar = "") {
    metaData_.removeHeader("x-oss-callback");
    metaData_.removeHeader("x-oss-callback-var");
    if (!callback.empty()) metaData_.addHeader("x-oss-callback", callback);
    if (!callbackVar.empty()) metaData_.addHeader("x-oss-callback-var", callbackVar);
  }
  /* In bit/s; OSS accepts 819200 to 838860800. */
  void setTrafficLimit(uint64_t value) { metaData_.addHeader("x-oss-traffic-limit", std::to_string(value)); }
  /* An already URL-encoded "k=v&k2=v2" string. */
  void setTagging(const std::string &value) { metaData_.addHeader("x-oss-tagging", value); }
  ObjectMetaData &MetaData() { return metaData_; }
  const ObjectMetaData &MetaData() const { return metaData_; }

  void setBody(const std::shared_ptr<std::iostream> &content) { content_ = content; }
  std::shared_ptr<std::iostream> Body() const override { return content_; }

  /* ossffi: lets another thread stop this upload (see ossffi::CancellationToken). */
  void setCancellationToken(const ossffi::CancellationToken &token) { cancellation_ = token; }
  const ossffi::CancellationToken &CancellationToken() const { return cancellation_; }

 protected:
  /* Bucket, key, then the body: null, bad, failed (a file that did not open). */
  int validate() const override {
    int code = OssObjectRequest::validate();
    if (code != 0) return code;
    if (!content_) return ossffi::detail::BodyNull;
    if (content_->bad()) return ossffi::detail::BodyBadState;
    if (content_->fail()) return ossffi::detail::BodyFailState;
    return 0;
  }
  HeaderCollection specialHeaders() const override {
    HeaderCollection headers = metaData_.toHeaderCollection();
    HeaderCollection base = OssObjectRequest::specialHeaders();
    headers.insert(base.begin(), base.end());
    return headers;
  }

 private:
  std::shared_ptr<std::iostream> content_;
  ObjectMetaData metaData_;
  ossffi::CancellationToken cancellation_;
};

}  // namespace OSS
}  // namespace AlibabaCloud

#endif /* ALIBABACLOUD_OSS_MODEL_PUTOBJECTREQUEST_H_OSSFFI */
