/*
 * OssRequest, and the kinds of request the operations use: OssBucketRequest (a bucket),
 * OssObjectRequest (a bucket and a key) and OssResumableBaseRequest (a resumable transfer's
 * bucket, key, part size, threads and checkpoint directory). OssClient reads a request through
 * its headers, parameters and validate(), as the SDK's client does.
 */
#ifndef ALIBABACLOUD_OSS_OSSREQUEST_H_OSSFFI
#define ALIBABACLOUD_OSS_OSSREQUEST_H_OSSFFI

#include <cstdint>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>

#include "ServiceRequest.h"
#include "Types.h"
#include "detail/FileStatus.h"
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

/*
 * The base of the SDK's resumable requests (UploadObjectRequest here). A threadNum of 0 given
 * to the constructor becomes 1, as in the SDK; setThreadNum(0) is kept and refused by
 * validation. An empty checkpoint directory keeps no checkpoint record. Wide-character
 * (std::wstring) paths are accepted and kept, and, as the SDK does outside Windows, refused
 * when uploading with "Only support wstring path in windows os." (ossffi does so on every
 * platform: its C API takes UTF-8 paths). VersionId is kept but not sent, as in the SDK.
 */
class OssResumableBaseRequest : public OssRequest {
 public:
  OssResumableBaseRequest(const std::string &bucket, const std::string &key, const std::string &checkpointDir,
                          const uint64_t partSize, const uint32_t threadNum)
      : OssRequest(bucket, key), partSize_(partSize), objectSize_(0), threadNum_(threadNum == 0 ? 1 : threadNum),
        checkpointDir_(checkpointDir), requestPayer_(AlibabaCloud::OSS::RequestPayer::NotSet), trafficLimit_(0) {}
  OssResumableBaseRequest(const std::string &bucket, const std::string &key, const std::wstring &checkpointDir,
                          const uint64_t partSize, const uint32_t threadNum)
      : OssRequest(bucket, key), partSize_(partSize), objectSize_(0), threadNum_(threadNum == 0 ? 1 : threadNum),
        checkpointDirW_(checkpointDir), requestPayer_(AlibabaCloud::OSS::RequestPayer::NotSet), trafficLimit_(0) {}
  virtual ~OssResumableBaseRequest() {}

  void setBucket(const std::string &bucket) { bucket_ = bucket; }
  const std::string &Bucket() const { return bucket_; }
  void setKey(const std::string &key) { key_ = key; }
  const std::string &Key() const { return key_; }
  void setPartSize(uint64_t partSize) { partSize_ = partSize; }
  uint64_t PartSize() const { return partSize_; }
  /* The file's size when the request was made; the upload itself measures the file again. */
  void setObjectSize(uint64_t objectSize) { objectSize_ = objectSize; }
  uint64_t ObjectSize() const { return objectSize_; }
  void setThreadNum(uint32_t threadNum) { threadNum_ = threadNum; }
  uint32_t ThreadNum() const { return threadNum_; }
  /* Each setCheckpointDir clears the other width's directory, as in the SDK. */
  void setCheckpointDir(const std::string &checkpointDir) {
    checkpointDir_ = checkpointDir;
    checkpointDirW_.clear();
  }
  const std::string &CheckpointDir() const { return checkpointDir_; }
  void setCheckpointDir(const std::wstring &checkpointDir) {
    checkpointDirW_ = checkpointDir;
    checkpointDir_.clear();
  }
  const std::wstring &CheckpointDirW() const { return checkpointDirW_; }
  bool hasCheckpointDir() const { return !checkpointDir_.empty() || !checkpointDirW_.empty(); }
  /* ToGmtTime of the file's modification time when the request was made. */
  void setObjectMtime(const std::string &mtime) { mtime_ = mtime; }
  const std::string &ObjectMtime() const { return mtime_; }
  /* Sends x-oss-request-payer: requester on every request of the upload for Requester. */
  void setRequestPayer(AlibabaCloud::OSS::RequestPayer value) { requestPayer_ = value; }
  AlibabaCloud::OSS::RequestPayer RequestPayer() const { return requestPayer_; }
  /* In bit/s, sent as x-oss-traffic-limit on every data request; 0 (the default) sends none. */
  void setTrafficLimit(uint64_t value) { trafficLimit_ = value; }
  uint64_t TrafficLimit() const { return trafficLimit_; }
  void setVersionId(const std::string &versionId) { versionId_ = versionId; }
  const std::string &VersionId() const { return versionId_; }

 protected:
  /* The SDK's order: bucket, key, part size, threads, a wide checkpoint directory, then a
   * narrow one that is not an existing directory. */
  int validate() const override {
    if (!ossffi::detail::isValidBucketName(bucket_)) return ossffi::detail::BucketInvalid;
    if (!ossffi::detail::isValidObjectKey(key_)) return ossffi::detail::ObjectKeyInvalid;
    if (partSize_ < 100 * 1024) return ossffi::detail::ResumablePartSizeTooSmall;
    if (threadNum_ == 0) return ossffi::detail::ResumableThreadNumZero;
    if (!checkpointDirW_.empty()) return ossffi::detail::ResumableWidePathUnsupported;
    if (!checkpointDir_.empty() && !ossffi::detail::isDirectory(checkpointDir_)) {
      return ossffi::detail::ResumableCheckpointDirMissing;
    }
    return 0;
  }
  HeaderCollection specialHeaders() const override {
    HeaderCollection headers;
    if (requestPayer_ == AlibabaCloud::OSS::RequestPayer::Requester) headers["x-oss-request-payer"] = "requester";
    if (trafficLimit_ != 0) headers["x-oss-traffic-limit"] = std::to_string(trafficLimit_);
    return headers;
  }

 private:
  uint64_t partSize_;
  uint64_t objectSize_;
  uint32_t threadNum_;
  std::string checkpointDir_;
  std::wstring checkpointDirW_;
  std::string mtime_;
  AlibabaCloud::OSS::RequestPayer requestPayer_;
  uint64_t trafficLimit_;
  std::string versionId_;
};

}  // namespace OSS
}  // namespace AlibabaCloud

#endif /* ALIBABACLOUD_OSS_OSSREQUEST_H_OSSFFI */
