/*
 * Bucket: what CreateBucket returns. As in the SDK, a successful CreateBucket gives a
 * default Bucket (every string empty; StorageClass() Standard, where the SDK leaves it
 * indeterminate).
 */
#ifndef ALIBABACLOUD_OSS_MODEL_BUCKET_H_OSSFFI
#define ALIBABACLOUD_OSS_MODEL_BUCKET_H_OSSFFI

#include <string>

#include "../Types.h"
#include "Owner.h"

namespace AlibabaCloud {
namespace OSS {

class Bucket {
 public:
  Bucket() : storageClass_(AlibabaCloud::OSS::StorageClass::Standard) {}
  ~Bucket() {}
  const std::string &Location() const { return location_; }
  const std::string &Name() const { return name_; }
  const std::string &CreationDate() const { return creationDate_; }
  const std::string &IntranetEndpoint() const { return intranetEndpoint_; }
  const std::string &ExtranetEndpoint() const { return extranetEndpoint_; }
  AlibabaCloud::OSS::StorageClass StorageClass() const { return storageClass_; }
  const AlibabaCloud::OSS::Owner &Owner() const { return owner_; }

 private:
  std::string location_;
  std::string name_;
  std::string creationDate_;
  std::string intranetEndpoint_;
  std::string extranetEndpoint_;
  AlibabaCloud::OSS::StorageClass storageClass_;
  AlibabaCloud::OSS::Owner owner_;
};

}  // namespace OSS
}  // namespace AlibabaCloud

#endif /* ALIBABACLOUD_OSS_MODEL_BUCKET_H_OSSFFI */
