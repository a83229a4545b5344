/* ListObjectsRequest: list a bucket's objects (GetBucket, V1), a page at a time. */
#ifndef ALIBABACLOUD_OSS_MODEL_LISTOBJECTSREQUEST_H_OSSFFI
#define ALIBABACLOUD_OSS_MODEL_LISTOBJECTSREQUEST_H_OSSFFI

#include <string>

#include "../OssRequest.h"
#include "../Types.h"

namespace AlibabaCloud {
namespace OSS {

/* As in the SDK: each parameter is sent only once its setter was called (an empty prefix is
 * sent as a bare `prefix`), and there are no getters. */
class ListObjectsRequest : public OssBucketRequest {
 public:
  ListObjectsRequest(const std::string &bucket)
      : OssBucketRequest(bucket), maxKeys_(0), delimiterIsSet_(false), markerIsSet_(false), maxKeysIsSet_(false),
        prefixIsSet_(false), encodingTypeIsSet_(false), requestPayer_(AlibabaCloud::OSS::RequestPayer::NotSet) {}
  void setDelimiter(const std::string &delimiter) {
    delimiter_ = delimiter;
    delimiterIsSet_ = true;
  }
  void setMarker(const std::string &marker) {
    marker_ = marker;
    markerIsSet_ = true;
  }
  void setMaxKeys(int maxKeys) {
    maxKeys_ = maxKeys;
    maxKeysIsSet_ = true;
  }
  void setPrefix(const std::string &prefix) {
    prefix_ = prefix;
    prefixIsSet_ = true;
  }
  /* "url": OSS URL-encodes the names it lists, and ListObjectsResult holds them decoded. */
  void setEncodingType(const std::string &encodingType) {
    encodingType_ = encodingType;
    encodingTypeIsSet_ = true;
  }
  void setRequestPayer(AlibabaCloud::OSS::RequestPayer value) { requestPayer_ = value; }

 protected:
  HeaderCollection specialHeaders() const override {
    HeaderCollection headers;
    if (requestPayer_ == AlibabaCloud::OSS::RequestPayer::Requester) headers["x-oss-request-payer"] = "requester";
    return headers;
  }
  ParameterCollection specialParameters() const override {
    ParameterCollection parameters;
    if (delimiterIsSet_) parameters["delimiter"] = delimiter_;
    if (markerIsSet_) parameters["marker"] = marker_;
    if (maxKeysIsSet_) parameters["max-keys"] = std::to_string(maxKeys_);
    if (prefixIsSet_) parameters["prefix"] = prefix_;
    if (encodingTypeIsSet_) parameters["encoding-type"] = encodingType_;
    return parameters;
  }

 private:
  std::string delimiter_;
  std::string marker_;
  int maxKeys_;
  std::string prefix_;
  std::string encodingType_;
  bool delimiterIsSet_;
  bool markerIsSet_;
  bool maxKeysIsSet_;
  bool prefixIsSet_;
  bool encodingTypeIsSet_;
  AlibabaCloud::OSS::RequestPayer requestPayer_;
};

}  // namespace OSS
}  // namespace AlibabaCloud

#endif /* ALIBABACLOUD_OSS_MODEL_LISTOBJECTSREQUEST_H_OSSFFI */
