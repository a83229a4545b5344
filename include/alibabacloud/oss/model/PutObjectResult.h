/* PutObjectResult: what a PutObject returns (ETag, CRC-64, the callback server's reply). */
#ifndef ALIBABACLOUD_OSS_MODEL_PUTOBJECTRESULT_H_OSSFFI
#define ALIBABACLOUD_OSS_MODEL_PUTOBJECTRESULT_H_OSSFFI

#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>

#include "../OssResult.h"
#include "../Types.h"
#include "../detail/Text.h"

namespace AlibabaCloud {
namespace OSS {

class PutObjectResult : public OssObjectResult {
 public:
  PutObjectResult() : crc64_(0) {}
  PutObjectResult(const std::string eTag, const uint64_t crc64) : eTag_(eTag), crc64_(crc64) {}
  /* From response headers (ETag, x-oss-hash-crc64ecma, x-oss-request-id, x-oss-version-id). */
  explicit PutObjectResult(const HeaderCollection &headers) : OssObjectResult(headers), crc64_(0) {
    readHeaders(headers);
  }
  PutObjectResult(const HeaderCollection &headers, const std::shared_ptr<std::iostream> &content)
      : OssObjectResult(headers), crc64_(0) {
    readHeaders(headers);
    if (content && content->peek() != std::char_traits<char>::eof()) content_ = content;
  }

  /* The object's ETag without quotes (upper-case hex MD5 for a PutObject). */
  const std::string &ETag() const { return eTag_; }
  /* The object's CRC-64/XZ as OSS computed it; 0 if OSS did not say. */
  uint64_t CRC64() const { return crc64_; }
  /*
   * The reply body: with an upload callback, the callback server's reply (OSS relays it, at
   * most 3 MB); nullptr when the body was empty, i.e. without a callback.
   */
  const std::shared_ptr<std::iostream> &Content() const { return content_; }
  void setContent(const std::shared_ptr<std::iostream> &value) { content_ = value; }

 private:
  void readHeaders(const HeaderCollection &headers) {
    HeaderCollection::const_iterator it = headers.find("ETag");
    if (it != headers.end()) eTag_ = ossffi::detail::unquote(it->second);
    it = headers.find("x-oss-hash-crc64ecma");
    if (it != headers.end()) crc64_ = std::strtoull(it->second.c_str(), nullptr, 10);
  }

  std::string eTag_;
  uint64_t crc64_;
  std::shared_ptr<std::iostream> content_;
};

}  // namespace OSS
}  // namespace AlibabaCloud

#endif /* ALIBABACLOUD_OSS_MODEL_PUTOBJECTRESULT_H_OSSFFI */
