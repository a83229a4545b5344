/* InitiateMultipartUploadResult: the upload id every later multipart call names. */
#ifndef ALIBABACLOUD_OSS_MODEL_INITIATEMULTIPARTUPLOADRESULT_H_OSSFFI
#define ALIBABACLOUD_OSS_MODEL_INITIATEMULTIPARTUPLOADRESULT_H_OSSFFI

#include <string>

#include "../OssResult.h"

namespace ossffi {
namespace detail {
struct ResultReader;
}  // namespace detail
}  // namespace ossffi

namespace AlibabaCloud {
namespace OSS {

/* With EncodingType "url", Key() is decoded. */
class InitiateMultipartUploadResult : public OssResult {
 public:
  InitiateMultipartUploadResult() {}
  const std::string &Bucket() const { return bucket_; }
  const std::string &Key() const { return key_; }
  const std::string &UploadId() const { return uploadId_; }
  const std::string &EncodingType() const { return encodingType_; }

 private:
  friend struct ossffi::detail::ResultReader;
  std::string bucket_;
  std::string key_;
  std::string uploadId_;
  std::string encodingType_;
};

}  // namespace OSS
}  // namespace AlibabaCloud

#endif /* ALIBABACLOUD_OSS_MODEL_INITIATEMULTIPARTUPLOADRESULT_H_OSSFFI */
