/* ListPartsRequest: the parts uploaded so far to a multipart upload, a page at a time. */
#ifndef ALIBABACLOUD_OSS_MODEL_LISTPARTSREQUEST_H_OSSFFI
#define ALIBABACLOUD_OSS_MODEL_LISTPARTSREQUEST_H_OSSFFI

#include <algorithm>
#include <cstdint>
#include <string>

#include "../OssRequest.h"
#include "../Types.h"

namespace AlibabaCloud {
namespace OSS {

/*
 * As in the SDK: uploadId is always sent; max-parts (at most 1000: larger values are sent as
 * 1000), part-number-marker and encoding-type only once their setter was called; no getters;
 * setVersionId is not sent.
 */
class ListPartsRequest : public OssObjectRequest {
 public:
  ListPartsRequest(const std::string &bucket, const std::string &key)
      : OssObjectRequest(bucket, key), maxParts_(0), partNumberMarker_(0), maxPartsIsSet_(false),
        partNumberMarkerIsSet_(false), encodingTypeIsSet_(false) {}
  ListPartsRequest(const std::string &bucket, const std::string &key, const std::string &uploadId)
      : OssObjectRequest(bucket, key), uploadId_(uploadId), maxParts_(0), partNumberMarker_(0),
        maxPartsIsSet_(false), partNumberMarkerIsSet_(false), encodingTypeIsSet_(false) {}
  void setUploadId(const std::string &uploadId) { uploadId_ = uploadId; }
  void setMaxParts(uint32_t maxParts) {
    maxParts_ = std::min<uint32_t>(maxParts, 1000);
    maxPartsIsSet_ = true;
  }
  /* The listing starts after this part number (NextPartNumberMarker() of the previous page). */
  void setPartNumberMarker(uint32_t partNumberMarker) {
    partNumberMarker_ = partNumberMarker;
    partNumberMarkerIsSet_ = true;
  }
  void setEncodingType(const std::string &encodingType) {
    encodingType_ = encodingType;
    encodingTypeIsSet_ = true;
  }

 protected:
  ParameterCollection specialParameters() const override {
    ParameterCollection parameters;
    parameters["uploadId"] = uploadId_;
    if (maxPartsIsSet_) parameters["max-parts"] = std::to_string(maxParts_);
    if (partNumberMarkerIsSet_) parameters["part-number-marker"] = std::to_string(partNumberMarker_);
    if (encodingTypeIsSet_) parameters["encoding-type"] = encodingType_;
    return parameters;
  }

 private:
  std::string uploadId_;
  uint32_t maxParts_;
  uint32_t partNumberMarker_;
  std::string encodingType_;
  bool maxPartsIsSet_;
  bool partNumberMarkerIsSet_;
  bool encodingTypeIsSet_;
};

}  // namespace OSS
}  // namespace AlibabaCloud

#endif /* ALIBABACLOUD_OSS_MODEL_LISTPARTSREQUEST_H_OSSFFI */
