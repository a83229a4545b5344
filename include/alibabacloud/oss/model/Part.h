/* Part and PartList: the parts of a multipart upload (ListParts, CompleteMultipartUpload). */
#ifndef ALIBABACLOUD_OSS_MODEL_PART_H_OSSFFI
#define ALIBABACLOUD_OSS_MODEL_PART_H_OSSFFI

#include <cstdint>
#include <string>
#include <vector>

namespace ossffi {
namespace detail {
struct ResultReader;
}  // namespace detail
}  // namespace ossffi

namespace AlibabaCloud {
namespace OSS {

/*
 * One uploaded part. Part(number, eTag) is what CompleteMultipartUpload needs (the ETag that
 * UploadPart returned); ListParts fills every field. No setters, as in the SDK.
 */
class Part {
 public:
  Part() : partNumber_(0), size_(0), cRC64_(0) {}
  Part(int32_t partNumber, const std::string &eTag) : partNumber_(partNumber), size_(0), cRC64_(0), eTag_(eTag) {}
  int32_t PartNumber() const { return partNumber_; }
  int64_t Size() const { return size_; }
  uint64_t CRC64() const { return cRC64_; }
  const std::string &LastModified() const { return lastModified_; }
  /* Without quotes when ListParts filled it. */
  const std::string &ETag() const { return eTag_; }

 private:
  friend struct ossffi::detail::ResultReader;
  int32_t partNumber_;
  int64_t size_;
  uint64_t cRC64_;
  std::string lastModified_;
  std::string eTag_;
};

typedef std::vector<Part> PartList;

}  // namespace OSS
}  // namespace AlibabaCloud

#endif /* ALIBABACLOUD_OSS_MODEL_PART_H_OSSFFI */
