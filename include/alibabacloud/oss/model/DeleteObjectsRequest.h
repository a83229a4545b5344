/* DeleteObjectsRequest and DeletedKeyList: delete up to 1000 objects of a bucket at once. */
#ifndef ALIBABACLOUD_OSS_MODEL_DELETEOBJECTSREQUEST_H_OSSFFI
#define ALIBABACLOUD_OSS_MODEL_DELETEOBJECTSREQUEST_H_OSSFFI

#include <list>
#include <string>

#include "../OssRequest.h"
#include "../Types.h"

namespace AlibabaCloud {
namespace OSS {

typedef std::list<std::string> DeletedKeyList;

/* Quiet: OSS lists no deleted key in its answer. EncodingType "url": OSS URL-encodes the keys it
 * lists (and they come back decoded). The keys travel in the operation's XML body. */
class DeleteObjectsRequest : public OssBucketRequest {
 public:
  DeleteObjectsRequest(const std::string &bucket)
      : OssBucketRequest(bucket), quiet_(false), requestPayer_(AlibabaCloud::OSS::RequestPayer::NotSet) {}
  bool Quiet() const { return quiet_; }
  const std::string &EncodingType() const { return encodingType_; }
  const DeletedKeyList &KeyList() const { return keyList_; }
  void setQuiet(bool quiet) { quiet_ = quiet; }
  void setEncodingType(const std::string &value) { encodingType_ = value; }
  void addKey(const std::string &key) { keyList_.push_back(key); }
  void setKeyList(const DeletedKeyList &keyList) { keyList_ = keyList; }
  void clearKeyList() { keyList_.clear(); }
  void setRequestPayer(AlibabaCloud::OSS::RequestPayer value) { requestPayer_ = value; }

 protected:
  HeaderCollection specialHeaders() const override {
    HeaderCollection headers;
    if (requestPayer_ == AlibabaCloud::OSS::RequestPayer::Requester) headers["x-oss-request-payer"] = "requester";
    return headers;
  }
  ParameterCollection specialParameters() const override {
    ParameterCollection parameters;
    if (!encodingType_.empty()) parameters["encoding-type"] = encodingType_;
    return parameters;
  }

 private:
  bool quiet_;
  std::string encodingType_;
  DeletedKeyList keyList_;
  AlibabaCloud::OSS::RequestPayer requestPayer_;
};

}  // namespace OSS
}  // namespace AlibabaCloud

#endif /* ALIBABACLOUD_OSS_MODEL_DELETEOBJECTSREQUEST_H_OSSFFI */
