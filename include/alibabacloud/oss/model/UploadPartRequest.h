/* UploadPartRequest: one part of a multipart upload, from a stream. */
#ifndef ALIBABACLOUD_OSS_MODEL_UPLOADPARTREQUEST_H_OSSFFI
#define ALIBABACLOUD_OSS_MODEL_UPLOADPARTREQUEST_H_OSSFFI

#include <cstdint>
#include <iostream>
#include <memory>
#include <string>

#include "../OssRequest.h"
#include "../ServiceRequest.h"
#include "../Types.h"

namespace AlibabaCloud {
namespace OSS {

/*
 * Part PartNumber() (1 to 9999, as the SDK allows) of upload `uploadId`, read from the content
 * stream: setContentLength bytes from its current position, or else the rest of it. The stream
 * is put back at its starting position afterwards, so a failed part can be sent again. The
 * part's CRC-64 is checked against OSS's. setUserAgent is kept but, as in the SDK, the
 * client's user agent is what is sent; setVersionId is not sent.
 */
class UploadPartRequest : public OssObjectRequest {
 public:
  UploadPartRequest(const std::string &bucket, const std::string &key, const std::shared_ptr<std::iostream> &content)
      : OssObjectRequest(bucket, key), partNumber_(0), content_(content), contentLength_(0),
        contentLengthIsSet_(false), trafficLimit_(0) {
    setFlags(REQUEST_FLAG_CHECK_CRC64 | REQUEST_FLAG_CHUNKED_ENCODING);
  }
  UploadPartRequest(const std::string &bucket, const std::string &key, int partNumber, const std::string &uploadId,
                    const std::shared_ptr<std::iostream> &content)
      : OssObjectRequest(bucket, key), partNumber_(partNumber), uploadId_(uploadId), content_(content),
        contentLength_(0), contentLengthIsSet_(false), trafficLimit_(0) {
    setFlags(REQUEST_FLAG_CHECK_CRC64 | REQUEST_FLAG_CHUNKED_ENCODING);
  }

  std::shared_ptr<std::iostream> Body() const override { return content_; }
  void setPartNumber(int partNumber) { partNumber_ = partNumber; }
  void setUploadId(const std::string &uploadId) { uploadId_ = uploadId; }
  void setContent(const std::shared_ptr<std::iostream> &content) { content_ = content; }
  /* Spelt as in the SDK (whose tests use it); the same as setContent. */
  void setConetent(const std::shared_ptr<std::iostream> &content) { content_ = content; }
  /* The bytes to send from the stream's current position; also the size checked (5 GiB). */
  void setContentLength(uint64_t length) {
    contentLength_ = length;
    contentLengthIsSet_ = true;
  }
  /* In bit/s; 0 (the default) sends no limit. */
  void setTrafficLimit(uint64_t value) { trafficLimit_ = value; }
  void setUserAgent(const std::string &userAgent) { userAgent_ = userAgent; }
  /* The caller's base64 MD5 of the part, sent as Content-MD5 verbatim. */
  void setContentMd5(const std::string &value) { contentMd5_ = value; }
  int PartNumber() const { return partNumber_; }

 protected:
  friend struct ossffi::detail::RequestAccess;
  /* Bucket, key, the body (null, bad, failed), the part number, then the size. */
  int validate() const override {
    int code = OssObjectRequest::validate();
    if (code != 0) return code;
    if (!content_) return ossffi::detail::BodyNull;
    if (content_->bad()) return ossffi::detail::BodyBadState;
    if (content_->fail()) return ossffi::detail::BodyFailState;
    if (partNumber_ < 1 || partNumber_ >= 10000) return ossffi::detail::PartNumberInvalid;
    if (size() > 5LL * 1024 * 1024 * 1024) return ossffi::detail::PartSizeInvalid;
    return 0;
  }
  HeaderCollection specialHeaders() const override {
    HeaderCollection headers = OssObjectRequest::specialHeaders();
    if (trafficLimit_ != 0) headers["x-oss-traffic-limit"] = std::to_string(trafficLimit_);
    if (!contentMd5_.empty()) headers["Content-MD5"] = contentMd5_;
    return headers;
  }
  ParameterCollection specialParameters() const override {
    ParameterCollection parameters;
    parameters["partNumber"] = std::to_string(partNumber_);
    parameters["uploadId"] = uploadId_;
    return parameters;
  }

 private:
  /* As the SDK measures it: setContentLength's value, else the stream's end offset. */
  int64_t size() const {
    if (contentLengthIsSet_) return static_cast<int64_t>(contentLength_);
    std::streampos at = content_->tellg();
    content_->seekg(0, std::ios_base::end);
    std::streampos end = content_->tellg();
    content_->clear();
    content_->seekg(at);
    return end == std::streampos(-1) ? 0 : static_cast<int64_t>(end);
  }

  int partNumber_;
  std::string uploadId_;
  std::shared_ptr<std::iostream> content_;
  uint64_t contentLength_;
  bool contentLengthIsSet_;
  uint64_t trafficLimit_;
  std::string userAgent_;
  std::string contentMd5_;
};

}  // namespace OSS
}  // namespace AlibabaCloud

#endif /* ALIBABACLOUD_OSS_MODEL_UPLOADPARTREQUEST_H_OSSFFI */
