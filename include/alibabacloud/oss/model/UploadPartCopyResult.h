/* UploadPartCopyResult: the part OSS copied (its ETag for CompleteMultipartUpload). */
#ifndef ALIBABACLOUD_OSS_MODEL_UPLOADPARTCOPYRESULT_H_OSSFFI
#define ALIBABACLOUD_OSS_MODEL_UPLOADPARTCOPYRESULT_H_OSSFFI

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
 * As the SDK reads the reply: ETag() without quotes and LastModified() (ISO 8601, as OSS wrote
 * it) from the CopyPartResult XML, SourceVersionId() from x-oss-copy-source-version-id ("" when
 * the source bucket has no versioning), RequestId(), VersionId(). A body that cannot be read
 * is, as in the SDK, a success with empty fields.
 */
class UploadPartCopyResult : public OssObjectResult {
 public:
  UploadPartCopyResult() {}
  const std::string &LastModified() const { return lastModified_; }
  const std::string &ETag() const { return eTag_; }
  /* Not const, as in the SDK. */
  const std::string &SourceVersionId() { return sourceVersionId_; }

 private:
  friend struct ossffi::detail::ResultReader;
  std::string lastModified_;
  std::string eTag_;
  std::string sourceVersionId_;
};

}  // namespace OSS
}  // namespace AlibabaCloud

#endif /* ALIBABACLOUD_OSS_MODEL_UPLOADPARTCOPYRESULT_H_OSSFFI */
