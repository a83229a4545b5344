/* ListObjectsResult, ObjectSummary, ObjectSummaryList: one page of a bucket listing. */
#ifndef ALIBABACLOUD_OSS_MODEL_LISTOBJECTSRESULT_H_OSSFFI
#define ALIBABACLOUD_OSS_MODEL_LISTOBJECTSRESULT_H_OSSFFI

#include <cstdint>
#include <string>
#include <vector>

#include "../OssResult.h"
#include "Owner.h"

namespace ossffi {
namespace detail {
struct ResultReader;
}  // namespace detail
}  // namespace ossffi

namespace AlibabaCloud {
namespace OSS {

class ObjectSummary {
 public:
  ObjectSummary() : size_(0) {}
  const std::string &Key() const { return key_; }
  /* Without quotes. */
  const std::string &ETag() const { return eTag_; }
  int64_t Size() const { return size_; }
  const std::string &LastModified() const { return lastModified_; }
  const std::string &StorageClass() const { return storageClass_; }
  const std::string &Type() const { return type_; }
  const AlibabaCloud::OSS::Owner &Owner() const { return owner_; }
  const std::string &RestoreInfo() const { return restoreInfo_; }

 private:
  friend struct ossffi::detail::ResultReader;
  std::string key_;
  std::string eTag_;
  int64_t size_;
  std::string lastModified_;
  std::string storageClass_;
  std::string type_;
  AlibabaCloud::OSS::Owner owner_;
  std::string restoreInfo_;
};

typedef std::vector<ObjectSummary> ObjectSummaryList;

/* With EncodingType "url", the names (keys, prefixes, marker, delimiter) are decoded. */
class ListObjectsResult : public OssResult {
 public:
  ListObjectsResult() : maxKeys_(0), isTruncated_(false) {}
  const std::string &Name() const { return name_; }
  const std::string &Prefix() const { return prefix_; }
  const std::string &Marker() const { return marker_; }
  const std::string &NextMarker() const { return nextMarker_; }
  const std::string &Delimiter() const { return delimiter_; }
  const std::string &EncodingType() const { return encodingType_; }
  int MaxKeys() const { return maxKeys_; }
  bool IsTruncated() const { return isTruncated_; }
  const CommonPrefixeList &CommonPrefixes() const { return commonPrefixes_; }
  const ObjectSummaryList &ObjectSummarys() const { return objectSummarys_; }

 private:
  friend struct ossffi::detail::ResultReader;
  std::string name_;
  std::string prefix_;
  std::string marker_;
  std::string nextMarker_;
  std::string delimiter_;
  std::string encodingType_;
  int maxKeys_;
  bool isTruncated_;
  CommonPrefixeList commonPrefixes_;
  ObjectSummaryList objectSummarys_;
};

}  // namespace OSS
}  // namespace AlibabaCloud

#endif /* ALIBABACLOUD_OSS_MODEL_LISTOBJECTSRESULT_H_OSSFFI */
