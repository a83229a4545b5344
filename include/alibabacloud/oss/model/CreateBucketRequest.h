/* CreateBucketRequest: a bucket's storage class, ACL and data redundancy at creation. */
#ifndef ALIBABACLOUD_OSS_MODEL_CREATEBUCKETREQUEST_H_OSSFFI
#define ALIBABACLOUD_OSS_MODEL_CREATEBUCKETREQUEST_H_OSSFFI

#include <string>

#include "../OssRequest.h"
#include "../Types.h"

namespace AlibabaCloud {
namespace OSS {

/* The ACL is sent as x-oss-acl unless it is Default; storage class and redundancy travel in the
 * operation's XML body. */
class CreateBucketRequest : public OssBucketRequest {
 public:
  CreateBucketRequest(const std::string &bucket,
                      AlibabaCloud::OSS::StorageClass storageClass = AlibabaCloud::OSS::StorageClass::Standard)
      : OssBucketRequest(bucket), storageClass_(storageClass), acl_(Default),
        dataRedundancyType_(AlibabaCloud::OSS::DataRedundancyType::NotSet) {}
  CreateBucketRequest(const std::string &bucket, AlibabaCloud::OSS::StorageClass storageClass,
                      CannedAccessControlList acl)
      : OssBucketRequest(bucket), storageClass_(storageClass), acl_(acl),
        dataRedundancyType_(AlibabaCloud::OSS::DataRedundancyType::NotSet) {}
  void setDataRedundancyType(AlibabaCloud::OSS::DataRedundancyType type) { dataRedundancyType_ = type; }

 protected:
  friend struct ossffi::detail::RequestAccess;
  HeaderCollection specialHeaders() const override {
    static const char *const acls[] = {"private", "public-read", "public-read-write"};
    HeaderCollection headers;
    if (acl_ >= Private && acl_ <= PublicReadWrite) headers["x-oss-acl"] = acls[acl_];
    return headers;
  }

 private:
  AlibabaCloud::OSS::StorageClass storageClass_;
  CannedAccessControlList acl_;
  AlibabaCloud::OSS::DataRedundancyType dataRedundancyType_;
};

}  // namespace OSS
}  // namespace AlibabaCloud

#endif /* ALIBABACLOUD_OSS_MODEL_CREATEBUCKETREQUEST_H_OSSFFI */
