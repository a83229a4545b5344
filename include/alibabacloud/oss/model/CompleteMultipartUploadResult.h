/* CompleteMultipartUploadResult: the object a multipart upload made, or a callback's reply. */
#ifndef ALIBABACLOUD_OSS_MODEL_COMPLETEMULTIPARTUPLOADRESULT_H_OSSFFI
#define ALIBABACLOUD_OSS_MODEL_COMPLETEMULTIPARTUPLOADRESULT_H_OSSFFI

#include <cstdint>
#include <iostream>
#include <memory>
#include <string>

#include "../OssResult.h"

namespace ossffi {
namespace detail {
struct ResultReader;
}  // namespace detail
}  // namespace ossffi

namespace AlibabaCloud {
namespace OSS {

/*
 * As the SDK reads the reply. When its Content-Type is exactly application/json (any case, no
 * parameters), it is the callback server's reply: Content() holds it and nothing else is
 * parsed, ETag() comes from the ETag header without quotes. Otherwise Location(), Bucket(),
 * Key() (decoded with EncodingType "url") and ETag() come from OSS's XML, the ETag with its
 * quotes as the SDK keeps them ("\"<hex>-<parts>\""), and Content() is nullptr.
 */
class CompleteMultipartUploadResult : public OssObjectResult {
 public:
  CompleteMultipartUploadResult() : cRC64_(0) {}
  const std::string &Location() const { return location_; }
  const std::string &Bucket() const { return bucket_; }
  const std::string &Key() const { return key_; }
  const std::string &ETag() const { return eTag_; }
  const std::string &EncodingType() const { return encodingType_; }
  /* The whole object's CRC-64/XZ as OSS computed it; 0 if OSS did not say. */
  uint64_t CRC64() const { return cRC64_; }
  const std::shared_ptr<std::iostream> &Content() const { return content_; }

 private:
  friend struct ossffi::detail::ResultReader;
  std::string location_;
  std::string bucket_;
  std::string key_;
  std::string eTag_;
  std::string encodingType_;
  uint64_t cRC64_;
  std::shared_ptr<std::iostream> content_;
};

}  // namespace OSS
}  // namespace AlibabaCloud

#endif /* ALIBABACLOUD_OSS_MODEL_COMPLETEMULTIPARTUPLOADRESULT_H_OSSFFI */
