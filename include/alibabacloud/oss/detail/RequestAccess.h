/*
 * ossffi's C++ layer, private: what OssClient reads of a request that the SDK keeps protected
 * (the SDK's client is a friend of its requests; this struct is ours).
 */
#ifndef ALIBABACLOUD_OSS_DETAIL_REQUESTACCESS_H_OSSFFI
#define ALIBABACLOUD_OSS_DETAIL_REQUESTACCESS_H_OSSFFI

#include <cstdint>
#include <string>

#include "../OssRequest.h"
#include "../Types.h"
#include "../model/CompleteMultipartUploadRequest.h"
#include "../model/CreateBucketRequest.h"
#include "../model/GetObjectRequest.h"
#include "../model/Part.h"
#include "../model/UploadPartCopyRequest.h"
#include "../model/UploadPartRequest.h"

namespace ossffi {
namespace detail {

struct RequestAccess {
  /* "" when the request may be sent, else the SDK's ValidateError message. */
  static std::string invalid(const AlibabaCloud::OSS::OssRequest &request) {
    int code = request.validate();
    return code == 0 ? std::string() : std::string(request.validateMessage(code));
  }
  static const std::string &bucket(const AlibabaCloud::OSS::OssRequest &request) { return request.bucket(); }
  /* "" for a bucket request. */
  static const std::string &key(const AlibabaCloud::OSS::OssRequest &request) { return request.key(); }
  static AlibabaCloud::OSS::HeaderCollection headers(const AlibabaCloud::OSS::OssRequest &request) {
    return request.specialHeaders();
  }
  static AlibabaCloud::OSS::ParameterCollection parameters(const AlibabaCloud::OSS::OssRequest &request) {
    return request.specialParameters();
  }
  static bool standardRange(const AlibabaCloud::OSS::GetObjectRequest &request) { return request.standard_; }
  static AlibabaCloud::OSS::StorageClass storageClass(const AlibabaCloud::OSS::CreateBucketRequest &request) {
    return request.storageClass_;
  }
  static AlibabaCloud::OSS::DataRedundancyType dataRedundancyType(
      const AlibabaCloud::OSS::CreateBucketRequest &request) {
    return request.dataRedundancyType_;
  }
  static const AlibabaCloud::OSS::PartList &partList(const AlibabaCloud::OSS::CompleteMultipartUploadRequest &request) {
    return request.partList_;
  }
  /* setContentLength's value, or false when it was not called. */
  static bool partLength(const AlibabaCloud::OSS::UploadPartRequest &request, uint64_t &length) {
    length = request.contentLength_;
    return request.contentLengthIsSet_;
  }
  static const std::string &sourceBucket(const AlibabaCloud::OSS::UploadPartCopyRequest &request) {
    return request.sourceBucket_;
  }
  static const std::string &sourceKey(const AlibabaCloud::OSS::UploadPartCopyRequest &request) {
    return request.sourceKey_;
  }
  /* setCopySourceRange's (begin, end), or false when it was not called. */
  static bool copySourceRange(const AlibabaCloud::OSS::UploadPartCopyRequest &request, uint64_t &begin,
                              uint64_t &end) {
    begin = request.rangeBegin_;
    end = request.rangeEnd_;
    return request.rangeIsSet_;
  }
};

}  // namespace detail
}  // namespace ossffi

#endif /* ALIBABACLOUD_OSS_DETAIL_REQUESTACCESS_H_OSSFFI */
