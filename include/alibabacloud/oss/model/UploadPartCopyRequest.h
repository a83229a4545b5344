/* UploadPartCopyRequest: one part of a multipart upload, copied by OSS from an existing object. */
#ifndef ALIBABACLOUD_OSS_MODEL_UPLOADPARTCOPYREQUEST_H_OSSFFI
#define ALIBABACLOUD_OSS_MODEL_UPLOADPARTCOPYREQUEST_H_OSSFFI

#include <cstdint>
#include <string>

#include "../OssRequest.h"
#include "../Types.h"

namespace AlibabaCloud {
namespace OSS {

/*
 * Part PartNumber (1 to 9999, as the SDK allows) of upload `uploadId` in bucket/key, copied by
 * OSS from srcKey in srcBucket (any bucket the credentials can read): the whole object, or the
 * bytes setCopySourceRange names. Nothing but the request head is sent. As in the SDK,
 * setVersionId names the version of the SOURCE to copy (`?versionId=` inside
 * x-oss-copy-source), never a query parameter of the request. The four source conditions are
 * sent when not empty; one that does not hold is "PreconditionFailed" (412).
 */
class UploadPartCopyRequest : public OssObjectRequest {
 public:
  UploadPartCopyRequest(const std::string &bucket, const std::string &key)
      : OssObjectRequest(bucket, key), partNumber_(0), rangeIsSet_(false), rangeBegin_(0), rangeEnd_(0),
        trafficLimit_(0) {}
  UploadPartCopyRequest(const std::string &bucket, const std::string &key, const std::string &srcBucket,
                        const std::string &srcKey)
      : OssObjectRequest(bucket, key), sourceBucket_(srcBucket), sourceKey_(srcKey), partNumber_(0),
        rangeIsSet_(false), rangeBegin_(0), rangeEnd_(0), trafficLimit_(0) {}
  UploadPartCopyRequest(const std::string &bucket, const std::string &key, const std::string &srcBucket,
                        const std::string &srcKey, const std::string &uploadId, int partNumber)
      : OssObjectRequest(bucket, key), sourceBucket_(srcBucket), sourceKey_(srcKey), uploadId_(uploadId),
        partNumber_(partNumber), rangeIsSet_(false), rangeBegin_(0), rangeEnd_(0), trafficLimit_(0) {}
  /* Empty condition strings are not sent. */
  UploadPartCopyRequest(const std::string &bucket, const std::string &key, const std::string &srcBucket,
                        const std::string &srcKey, const std::string &uploadId, int partNumber,
                        const std::string &sourceIfMatchETag, const std::string &sourceIfNotMatchETag,
                        const std::string &sourceIfModifiedSince, const std::string &sourceIfUnModifiedSince)
      : OssObjectRequest(bucket, key), sourceBucket_(srcBucket), sourceKey_(srcKey), uploadId_(uploadId),
        partNumber_(partNumber), rangeIsSet_(false), rangeBegin_(0), rangeEnd_(0),
        sourceIfMatchETag_(sourceIfMatchETag), sourceIfNotMatchETag_(sourceIfNotMatchETag),
        sourceIfModifiedSince_(sourceIfModifiedSince), sourceIfUnModifiedSince_(sourceIfUnModifiedSince),
        trafficLimit_(0) {}

  /* Stored as the SDK stores it (an int): a value over INT_MAX is refused as out of range. */
  void setPartNumber(uint32_t partNumber) { partNumber_ = static_cast<int>(partNumber); }
  void setUploadId(const std::string &uploadId) { uploadId_ = uploadId; }
  void SetCopySource(const std::string &srcBucket, const std::string &srcKey) {
    sourceBucket_ = srcBucket;
    sourceKey_ = srcKey;
  }
  /*
   * Bytes `begin` to `end` inclusive of the source. As the SDK writes it, an `end` of 0 is sent
   * open (`bytes=begin-`), but its check refuses an `end` before `begin`, so (0, 0) is the whole
   * object; a range over 5 GiB is refused too (the part-size message).
   */
  void setCopySourceRange(uint64_t begin, uint64_t end) {
    rangeIsSet_ = true;
    rangeBegin_ = begin;
    rangeEnd_ = end;
  }
  /* x-oss-copy-source-if-match: copy only if the source's ETag is this one. */
  void SetSourceIfMatchETag(const std::string &value) { sourceIfMatchETag_ = value; }
  /* x-oss-copy-source-if-none-match. */
  void SetSourceIfNotMatchETag(const std::string &value) { sourceIfNotMatchETag_ = value; }
  /* x-oss-copy-source-if-modified-since, an HTTP date. */
  void SetSourceIfModifiedSince(const std::string &value) { sourceIfModifiedSince_ = value; }
  /* x-oss-copy-source-if-unmodified-since, an HTTP date. */
  void SetSourceIfUnModifiedSince(const std::string &value) { sourceIfUnModifiedSince_ = value; }
  /* In bit/s; 0 (the default) sends no limit. */
  void setTrafficLimit(uint64_t value) { trafficLimit_ = value; }

 protected:
  friend struct ossffi::detail::RequestAccess;
  /* The SDK's order: bucket, key, source bucket, source key, range, part number. */
  int validate() const override {
    int code = OssObjectRequest::validate();
    if (code != 0) return code;
    if (!ossffi::detail::isValidBucketName(sourceBucket_)) return ossffi::detail::BucketInvalid;
    if (!ossffi::detail::isValidObjectKey(sourceKey_)) return ossffi::detail::ObjectKeyInvalid;
    if (rangeIsSet_ &&
        (rangeEnd_ < rangeBegin_ || rangeEnd_ - rangeBegin_ >= static_cast<uint64_t>(5) * 1024 * 1024 * 1024)) {
      return ossffi::detail::PartSizeInvalid;
    }
    if (partNumber_ < 1 || partNumber_ >= 10000) return ossffi::detail::PartNumberInvalid;
    return 0;
  }
  /* The conditions and the traffic limit; the source and its range go to the C library through
   * its own setters (see OssClient::UploadPartCopy). */
  HeaderCollection specialHeaders() const override {
    HeaderCollection headers = OssObjectRequest::specialHeaders();
    if (!sourceIfMatchETag_.empty()) headers["x-oss-copy-source-if-match"] = sourceIfMatchETag_;
    if (!sourceIfNotMatchETag_.empty()) headers["x-oss-copy-source-if-none-match"] = sourceIfNotMatchETag_;
    if (!sourceIfModifiedSince_.empty()) headers["x-oss-copy-source-if-modified-since"] = sourceIfModifiedSince_;
    if (!sourceIfUnModifiedSince_.empty()) {
      headers["x-oss-copy-source-if-unmodified-since"] = sourceIfUnModifiedSince_;
    }
    if (trafficLimit_ != 0) headers["x-oss-traffic-limit"] = std::to_string(trafficLimit_);
    return headers;
  }
  /* Without the base class's versionId, which names the source here. */
  ParameterCollection specialParameters() const override {
    ParameterCollection parameters;
    parameters["partNumber"] = std::to_string(partNumber_);
    parameters["uploadId"] = uploadId_;
    return parameters;
  }

 private:
  std::string sourceBucket_;
  std::string sourceKey_;
  std::string uploadId_;
  int partNumber_;
  bool rangeIsSet_;
  uint64_t rangeBegin_;
  uint64_t rangeEnd_;
  std::string sourceIfMatchETag_;
  std::string sourceIfNotMatchETag_;
  std::string sourceIfModifiedSince_;
  std::string sourceIfUnModifiedSince_;
  uint64_t trafficLimit_;
};

}  // namespace OSS
}  // namespace AlibabaCloud

#endif /* ALIBABACLOUD_OSS_MODEL_UPLOADPARTCOPYREQUEST_H_OSSFFI */
