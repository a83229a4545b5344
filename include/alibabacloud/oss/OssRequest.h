/*
 * OssRequest, and the two kinds of request every operation uses: OssBucketRequest (a bucket)
 * and OssObjectRequest (a bucket and a key). OssClient reads a request through its headers,
 * parameters and validate(), as the SDK's client does.
 */
#ifndef ALIBABACLOUD_OSS_OSSREQUEST_H_OSSFFI
#define ALIBABACLOUD_OSS_OSSREQUEST_H_OSSFFI

#include <iostream>
#include <memory>
#include <sstream>
#include <string>

#include "ServiceRequest.h"
#include "Types.h"
#include "detail/Validation.h"

namespace ossffi {
namespace detail {
struct RequestAccess;
}  // namespace detail
}  // namespace ossffi

namespace AlibabaCloud {
namespace OSS {

class OssRequest : public ServiceRequest {
 public:
  OssRequest() {}
  virtual ~OssRequest() {}
  /* The operation's headers; Content-Type application/xml unless the request sets one. */
  HeaderCollection Headers() const override {
    HeaderCollection headers = specialHeaders();
    if (headers.find("Content-Type") == headers.end()) headers["Content-Type"] = "application/xml";
    return headers;
  }
  ParameterCollection Parameters() const override { return specialParameters(); }
  /* The XML payload in a stream, or nullptr when the operation sends none. */
  std::shared_ptr<std::iostream> Body() const override {
    std::string text = payload();
    if (text.empty()) return nullptr;
    std::shared_ptr<std::iostream> body = std::make_shared<std::stringstream>();
    *body << text;
    return body;
  }

 protected:
  friend struct ossffi::detail::RequestAccess;
  OssRequest(const std::string &bucket, const std::string &key) : bucket_(bucket), key_(key) {}
  /* 0, or a code whose message validateMessage() gives; checked before anything is sent. */
  virtual int validate() const { return 0; }
  const char *validateMessage(int code) const { return ossffi::detail::validationMessage(code); }
  virtual std::string payload() const { return std::string(); }
  virtual HeaderCollection specialHeaders() const { return HeaderCollection(); }
  virtual ParameterCollection specialParameters() const { return ParameterCollection(); }
  const std::string &bucket() const { return bucket_; }
  const std::string &key() const { return key_; }

  std::string bucket_;
  std::string key_;
};

class OssBucketRequest : public OssRequest {
 public:
  OssBucketRequest(const std::string &bucket) : OssRequest(bucket, "") {}
  void setBucket(const std::string &bucket) { bucket_ = bucket; }
  const std::string &Bucket() const { return bucket_; }

 protected:
  int validate() const override {
    return ossffi::detail::isValidBucketName(bucket_) ? 0 : ossffi::detail::BucketInvalid;
  }
};

class OssObjectRequest : public OssRequest {
 public:
  OssObjectRequest(const std::string &bucket, const std::string &key)
      : OssRequest(bucket, key), requestPayer_(AlibabaCloud::OSS::RequestPayer::NotSet) {}
  void setBucket(const std::string &bucket) { bucket_ = bucket; }
  const std::string &Bucket() const { return bucket_; }
  void setKey(const std::string &key) { key_ = key; }
  const std::string &Key() const { return key_; }
  /* Sends x-oss-request-payer: requester for RequestPayer::Requester. */
  void setRequestPayer(AlibabaCloud::OSS::RequestPayer value) { requestPayer_ = value; }
  AlibabaCloud::OSS::RequestPayer RequestPayer() const { return requestPayer_; }
  /* Sent as the versionId query parameter. */
  void setVersionId(const std::string &versionId) { versionId_ = versionId; }
  const std::string &VersionId() const { return versionId_; }

 protected:
  int validate() const override {
    if (!ossffi::detail::isValidBucketName(bucket_)) return ossffi::detail::BucketInvalid;
    if (!ossffi::detail::isValidObjectKey(key_)) return ossffi::detail::ObjectKeyInvalid;
    return 0;
  }
  HeaderCollection specialHeaders() const override {
    HeaderCollection headers;
    if (requestPayer_ == AlibabaCloud::OSS::RequestPayer::Requester) headers["x-oss-request-payer"] = "requester";
    return headers;
  }
  ParameterCollection specialParameters() const override {
    ParameterCollection parameters;
    if (!versionId_.empty()) parameters["versionId"] = versionId_;
    return parameters;
  }

 private:
  AlibabaCloud::OSS::RequestPayer requestPayer_;
  std::string versionId_;
};

}  // namespace OSS
}  // namespace AlibabaCloud

#endif /* ALIBABACLOUD_OSS_OSSREQUEST_H_OSSFFI */
