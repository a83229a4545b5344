/* GeneratePresignedUrlRequest: what a presigned URL allows (OssClient::GeneratePresignedUrl). */
#ifndef ALIBABACLOUD_OSS_MODEL_GENERATEPRESIGNEDURLREQUEST_H_OSSFFI
#define ALIBABACLOUD_OSS_MODEL_GENERATEPRESIGNEDURLREQUEST_H_OSSFFI

#include <cstdint>
#include <ctime>
#include <string>
#include <vector>

#include "../Types.h"
#include "../http/HttpType.h"
#include "ObjectMetaData.h"

namespace ossffi {
namespace detail {
struct PresignAccess;
}  // namespace detail
}  // namespace ossffi

namespace AlibabaCloud {
namespace OSS {

/*
 * As in the SDK, not an OssRequest and without getters. The expiry defaults to 900 seconds
 * after construction, as absolute Unix time. HttpMetaData() entries Content-Type, Content-MD5
 * and x-oss-* are signed, and so are all of UserMetaData() (as x-oss-meta-<name>): whoever uses
 * the URL must send them with the same values. Parameters go into the URL's query (an empty
 * value as a bare name); a callback goes in as addParameter("callback", base64) and, optionally,
 * addParameter("callback-var", base64). addAdditionalSignHeader is kept and, as in the SDK,
 * never used.
 */
class GeneratePresignedUrlRequest {
 public:
  GeneratePresignedUrlRequest(const std::string &bucket, const std::string &key)
      : bucket_(bucket), key_(key), method_(Http::Get), expires_(static_cast<int64_t>(std::time(nullptr)) + 900),
        unencodedSlash_(false) {}
  GeneratePresignedUrlRequest(const std::string &bucket, const std::string &key, Http::Method method)
      : bucket_(bucket), key_(key), method_(method), expires_(static_cast<int64_t>(std::time(nullptr)) + 900),
        unencodedSlash_(false) {}

  void setBucket(const std::string &bucket) { bucket_ = bucket; }
  void setKey(const std::string &key) { key_ = key; }
  /* Absolute Unix time, seconds. */
  void setExpires(int64_t unixTime) { expires_ = unixTime; }
  void setContentType(const std::string &value) { metaData_.HttpMetaData()["Content-Type"] = value; }
  void setContentMd5(const std::string &value) { metaData_.HttpMetaData()["Content-MD5"] = value; }
  void setProcess(const std::string &process) { parameters_["x-oss-process"] = process; }
  void setTrafficLimit(uint64_t value) { parameters_["x-oss-traffic-limit"] = std::to_string(value); }
  void setVersionId(const std::string &versionId) { parameters_["versionId"] = versionId; }
  /* x-oss-request-payer=requester for RequestPayer::Requester only. */
  void setRequestPayer(RequestPayer value) {
    if (value == RequestPayer::Requester) {
      parameters_["x-oss-request-payer"] = "requester";
    } else {
      parameters_.erase("x-oss-request-payer");
    }
  }
  void addResponseHeaders(RequestResponseHeader header, const std::string &value) {
    static const char *const names[] = {"response-content-type",        "response-content-language",
                                        "response-expires",             "response-cache-control",
                                        "response-content-disposition", "response-content-encoding"};
    if (header >= ContentType && header <= ContentEncoding) parameters_[names[header]] = value;
  }
  /* Overwrites an earlier value of `key`. */
  void addParameter(const std::string &key, const std::string &value) { parameters_[key] = value; }
  MetaData &UserMetaData() { return metaData_.UserMetaData(); }
  MetaData &HttpMetaData() { return metaData_.HttpMetaData(); }
  /* false (the default): '/' in the key is written %2F in the URL's path. */
  void setUnencodedSlash(bool value) { unencodedSlash_ = value; }
  void addAdditionalSignHeader(const std::string &header) { additionalSignHeaders_.push_back(header); }

 private:
  friend struct ossffi::detail::PresignAccess;
  std::string bucket_;
  std::string key_;
  Http::Method method_;
  int64_t expires_;
  ObjectMetaData metaData_;
  ParameterCollection parameters_;
  bool unencodedSlash_;
  std::vector<std::string> additionalSignHeaders_;
};

}  // namespace OSS
}  // namespace AlibabaCloud

#endif /* ALIBABACLOUD_OSS_MODEL_GENERATEPRESIGNEDURLREQUEST_H_OSSFFI */
