/* ListMultipartUploadsRequest: a bucket's multipart uploads in progress, a page at a time. */
#ifndef ALIBABACLOUD_OSS_MODEL_LISTMULTIPARTUPLOADSREQUEST_H_OSSFFI
#define ALIBABACLOUD_OSS_MODEL_LISTMULTIPARTUPLOADSREQUEST_H_OSSFFI

#include <algorithm>
#include <cstdint>
#include <string>

#include "../OssRequest.h"
#include "../Types.h"

namespace AlibabaCloud {
namespace OSS {

/*
 * As in the SDK: each parameter is sent only once its setter was called; max-uploads is at most
 * 1000 (larger values are sent as 1000); upload-id-marker is sent only together with a
 * key-marker; no getters.
 */
class ListMultipartUploadsRequest : public OssBucketRequest {
 public:
  ListMultipartUploadsRequest(const std::string &bucket)
      : OssBucketRequest(bucket), maxUploads_(0), delimiterIsSet_(false), maxUploadsIsSet_(false),
        keyMarkerIsSet_(false), prefixIsSet_(false), uploadIdMarkerIsSet_(false), encodingTypeIsSet_(false),
        requestPayer_(AlibabaCloud::OSS::RequestPayer::NotSet) {}
  void setDelimiter(const std::string &delimiter) {
    delimiter_ = delimiter;
    delimiterIsSet_ = true;
  }
  void setMaxUploads(uint32_t maxUploads) {
    maxUploads_ = std::min<uint32_t>(maxUploads, 1000);
    maxUploadsIsSet_ = true;
  }
  void setKeyMarker(const std::string &keyMarker) {
    keyMarker_ = keyMarker;
    keyMarkerIsSet_ = true;
  }
  void setPrefix(const std::string &prefix) {
    prefix_ = prefix;
    prefixIsSet_ = true;
  }
  void setUploadIdMarker(const std::string &uploadIdMarker) {
    uploadIdMarker_ = uploadIdMarker;
    uploadIdMarkerIsSet_ = true;
  }
  /* "url": OSS URL-encodes the names it lists, and the result holds them decoded. */
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
    parameters["uploads"] = "";
    if (delimiterIsSet_) parameters["delimiter"] = delimiter_;
    if (maxUploadsIsSet_) parameters["max-uploads"] = std::to_string(maxUploads_);
    if (keyMarkerIsSet_) {
      parameters["key-marker"] = keyMarker_;
      if (uploadIdMarkerIsSet_) parameters["upload-id-marker"] = uploadIdMarker_;
    }
    if (prefixIsSet_) parameters["prefix"] = prefix_;
    if (encodingTypeIsSet_) parameters["encoding-type"] = encodingType_;
    return parameters;
  }

 private:
  std::string delimiter_;
  uint32_t maxUploads_;
  std::string keyMarker_;
  std::string prefix_;
  std::string uploadIdMarker_;
  std::string encodingType_;
  bool delimiterIsSet_;
  bool maxUploadsIsSet_;
  bool keyMarkerIsSet_;
  bool prefixIsSet_;
  bool uploadIdMarkerIsSet_;
  bool encodingTypeIsSet_;
  AlibabaCloud::OSS::RequestPayer requestPayer_;
};

}  // namespace OSS
}  // namespace AlibabaCloud

#endif /* ALIBABACLOUD_OSS_MODEL_LISTMULTIPARTUPLOADSREQUEST_H_OSSFFI */
