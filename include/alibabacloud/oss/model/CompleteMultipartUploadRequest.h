/* CompleteMultipartUploadRequest: make the object from the uploaded parts. */
#ifndef ALIBABACLOUD_OSS_MODEL_COMPLETEMULTIPARTUPLOADREQUEST_H_OSSFFI
#define ALIBABACLOUD_OSS_MODEL_COMPLETEMULTIPARTUPLOADREQUEST_H_OSSFFI

#include <string>

#include "../OssRequest.h"
#include "../ServiceRequest.h"
#include "../Types.h"
#include "ObjectMetaData.h"
#include "Part.h"

namespace AlibabaCloud {
namespace OSS {

/*
 * The parts are sent in the order given (OSS wants ascending part numbers), each with the ETag
 * UploadPart returned. MetaData() holds any extra headers, all sent. As in the SDK there are no
 * getters but MetaData(), and setVersionId is not sent.
 */
class CompleteMultipartUploadRequest : public OssObjectRequest {
 public:
  CompleteMultipartUploadRequest(const std::string &bucket, const std::string &key)
      : OssObjectRequest(bucket, key), encodingTypeIsSet_(false) {
    setFlags(REQUEST_FLAG_CONTENTMD5);
  }
  CompleteMultipartUploadRequest(const std::string &bucket, const std::string &key,
                                 const AlibabaCloud::OSS::PartList &partList)
      : OssObjectRequest(bucket, key), partList_(partList), encodingTypeIsSet_(false) {
    setFlags(REQUEST_FLAG_CONTENTMD5);
  }
  CompleteMultipartUploadRequest(const std::string &bucket, const std::string &key,
                                 const AlibabaCloud::OSS::PartList &partList, const std::string &uploadId)
      : OssObjectRequest(bucket, key), partList_(partList), uploadId_(uploadId), encodingTypeIsSet_(false) {
    setFlags(REQUEST_FLAG_CONTENTMD5);
  }

  /* "url": OSS URL-encodes the key and location it returns; the result holds them decoded. */
  void setEncodingType(const std::string &encodingType) {
    encodingType_ = encodingType;
    encodingTypeIsSet_ = true;
  }
  void setPartList(const AlibabaCloud::OSS::PartList &partList) { partList_ = partList; }
  void setUploadId(const std::string &uploadId) { uploadId_ = uploadId; }
  /* The object's ACL: x-oss-object-acl private, public-read, public-read-write or default. */
  void setAcl(CannedAccessControlList acl) {
    static const char *const names[] = {"private", "public-read", "public-read-write", "default"};
    int index = static_cast<int>(acl);
    if (index >= 0 && index <= 3) metaData_.addHeader("x-oss-object-acl", names[index]);
  }
  /*
   * Removes x-oss-callback and x-oss-callback-var, then sets each one that is not empty
   * (typically ObjectCallbackBuilder::build() and ObjectCallbackVariableBuilder::build()).
   * OSS then calls the callback server before answering, and the result's Content() holds the
   * server's reply.
   */
  void setCallback(const std::string &callback, const std::string &callbackVar = "") {
    metaData_.removeHeader("x-oss-callback");
    metaData_.removeHeader("x-oss-callback-var");
    if (!callback.empty()) metaData_.addHeader("x-oss-callback", callback);
    if (!callbackVar.empty()) metaData_.addHeader("x-oss-callback-var", callbackVar);
  }
  ObjectMetaData &MetaData() { return metaData_; }
  const ObjectMetaData &MetaData() const { return metaData_; }

 protected:
  friend struct ossffi::detail::RequestAccess;
  /* Bucket, key, then a part list that is not empty. */
  int validate() const override {
    int code = OssObjectRequest::validate();
    if (code != 0) return code;
    return partList_.empty() ? ossffi::detail::PartListEmpty : 0;
  }
  /* The SDK's body, byte for byte (the C library builds the same one, escaping the ETags). */
  std::string payload() const override {
    std::string xml = "<CompleteMultipartUpload>\n";
    for (AlibabaCloud::OSS::PartList::const_iterator it = partList_.begin(); it != partList_.end(); ++it) {
      xml += "<Part>\n  <PartNumber>" + std::to_string(it->PartNumber()) + "</PartNumber>\n  <ETag>" + it->ETag() +
             "</ETag>\n</Part>";
    }
    return xml + "</CompleteMultipartUpload>";
  }
  HeaderCollection specialHeaders() const override {
    HeaderCollection headers = metaData_.toHeaderCollection();
    HeaderCollection base = OssObjectRequest::specialHeaders();
    headers.insert(base.begin(), base.end());
    return headers;
  }
  ParameterCollection specialParameters() const override {
    ParameterCollection parameters;
    if (encodingTypeIsSet_) parameters["encoding-type"] = encodingType_;
    parameters["uploadId"] = uploadId_;
    return parameters;
  }

 private:
  AlibabaCloud::OSS::PartList partList_;
  std::string uploadId_;
  std::string encodingType_;
  bool encodingTypeIsSet_;
  ObjectMetaData metaData_;
};

}  // namespace OSS
}  // namespace AlibabaCloud

#endif /* ALIBABACLOUD_OSS_MODEL_COMPLETEMULTIPARTUPLOADREQUEST_H_OSSFFI */
