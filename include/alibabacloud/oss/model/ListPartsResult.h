/* ListPartsResult: one page of a multipart upload's parts. */
#ifndef ALIBABACLOUD_OSS_MODEL_LISTPARTSRESULT_H_OSSFFI
#define ALIBABACLOUD_OSS_MODEL_LISTPARTSRESULT_H_OSSFFI

#include <cstdint>
#include <string>

#include "../OssResult.h"
#include "Part.h"

namespace ossffi {
namespace detail {
struct ResultReader;
}  // namespace detail
}  // namespace ossffi

namespace AlibabaCloud {
namespace OSS {

/* With EncodingType "url", Key() is decoded. While IsTruncated(), ask for the next page with
 * setPartNumberMarker(NextPartNumberMarker()). */
class ListPartsResult : public OssResult {
 public:
  ListPartsResult() : maxParts_(0), partNumberMarker_(0), nextPartNumberMarker_(0), isTruncated_(false) {}
  const std::string &Bucket() const { return bucket_; }
  const std::string &Key() const { return key_; }
  const std::string &UploadId() const { return uploadId_; }
  const std::string &EncodingType() const { return encodingType_; }
  uint32_t MaxParts() const { return maxParts_; }
  uint32_t PartNumberMarker() const { return partNumberMarker_; }
  uint32_t NextPartNumberMarker() const { return nextPartNumberMarker_; }
  const AlibabaCloud::OSS::PartList &PartList() const { return partList_; }
  bool IsTruncated() const { return isTruncated_; }

 private:
  friend struct ossffi::detail::ResultReader;
  std::string bucket_;
  std::string key_;
  std::string uploadId_;
  std::string encodingType_;
  uint32_t maxParts_;
  uint32_t partNumberMarker_;
  uint32_t nextPartNumberMarker_;
  AlibabaCloud::OSS::PartList partList_;
  bool isTruncated_;
};

}  // namespace OSS
}  // namespace AlibabaCloud

#endif /* ALIBABACLOUD_OSS_MODEL_LISTPARTSRESULT_H_OSSFFI */
