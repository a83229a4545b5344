/* ListMultipartUploadsResult, MultipartUpload, MultipartUploadList: one page of uploads. */
#ifndef ALIBABACLOUD_OSS_MODEL_LISTMULTIPARTUPLOADSRESULT_H_OSSFFI
#define ALIBABACLOUD_OSS_MODEL_LISTMULTIPARTUPLOADSRESULT_H_OSSFFI

#include <cstdint>
#include <string>
#include <vector>

#include "../OssResult.h"

namespace ossffi {
namespace detail {
struct ResultReader;
}  // namespace detail
}  // namespace ossffi

namespace AlibabaCloud {
namespace OSS {

/* One upload in progress; plain public fields, as in the SDK. Initiated is ISO 8601. */
class MultipartUpload {
 public:
  MultipartUpload() = default;
  std::string Key;
  std::string UploadId;
  std::string Initiated;
};

typedef std::vector<MultipartUpload> MultipartUploadList;

/*
 * With EncodingType "url", KeyMarker(), NextKeyMarker(), CommonPrefixes() and the uploads' keys
 * are decoded (the upload-id markers are not). While IsTruncated(), ask for the next page with
 * setKeyMarker(NextKeyMarker()) and setUploadIdMarker(NextUploadIdMarker()).
 */
class ListMultipartUploadsResult : public OssResult {
 public:
  ListMultipartUploadsResult() : maxUploads_(0), isTruncated_(false) {}
  const std::string &Bucket() const { return bucket_; }
  const std::string &KeyMarker() const { return keyMarker_; }
  const std::string &UploadIdMarker() const { return uploadIdMarker_; }
  const std::string &EncodingType() const { return encodingType_; }
  const std::string &NextKeyMarker() const { return nextKeyMarker_; }
  const std::string &NextUploadIdMarker() const { return nextUploadIdMarker_; }
  uint32_t MaxUploads() const { return maxUploads_; }
  bool IsTruncated() const { return isTruncated_; }
  const CommonPrefixeList &CommonPrefixes() const { return commonPrefixes_; }
  const AlibabaCloud::OSS::MultipartUploadList &MultipartUploadList() const { return multipartUploadList_; }

 private:
  friend struct ossffi::detail::ResultReader;
  std::string bucket_;
  std::string keyMarker_;
  std::string uploadIdMarker_;
  std::string encodingType_;
  std::string nextKeyMarker_;
  std::string nextUploadIdMarker_;
  uint32_t maxUploads_;
  bool isTruncated_;
  CommonPrefixeList commonPrefixes_;
  AlibabaCloud::OSS::MultipartUploadList multipartUploadList_;
};

}  // namespace OSS
}  // namespace AlibabaCloud

#endif /* ALIBABACLOUD_OSS_MODEL_LISTMULTIPARTUPLOADSRESULT_H_OSSFFI */
