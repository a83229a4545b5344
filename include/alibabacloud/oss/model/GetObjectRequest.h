/* GetObjectRequest: download an object, whole or a range, with conditions. */
#ifndef ALIBABACLOUD_OSS_MODEL_GETOBJECTREQUEST_H_OSSFFI
#define ALIBABACLOUD_OSS_MODEL_GETOBJECTREQUEST_H_OSSFFI

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "../OssRequest.h"
#include "../ServiceRequest.h"
#include "../Types.h"

namespace AlibabaCloud {
namespace OSS {

/*
 * As in the SDK: the two- and three-argument constructors check the CRC-64 of a whole object
 * (REQUEST_FLAG_CHECK_CRC64, with ClientConfiguration::enableCrc64); the seven-argument one does
 * not. Conditions become If-Match / If-None-Match (values joined with ",", sent as given),
 * If-Modified-Since / If-Unmodified-Since; setUserAgent is kept but, as in the SDK, the
 * configured user agent is what is sent.
 */
class GetObjectRequest : public OssObjectRequest {
 public:
  GetObjectRequest(const std::string &bucket, const std::string &key)
      : OssObjectRequest(bucket, key), start_(-1), end_(-1), rangeIsSet_(false), standard_(false), trafficLimit_(0) {
    setFlags(Flags() | REQUEST_FLAG_CHECK_CRC64);
  }
  GetObjectRequest(const std::string &bucket, const std::string &key, const std::string &process)
      : OssObjectRequest(bucket, key), start_(-1), end_(-1), rangeIsSet_(false), standard_(false),
        process_(process), trafficLimit_(0) {
    setFlags(Flags() | REQUEST_FLAG_CHECK_CRC64);
  }
  GetObjectRequest(const std::string &bucket, const std::string &key, const std::string &modifiedSince,
                   const std::string &unmodifiedSince, const std::vector<std::string> &matchingETags,
                   const std::vector<std::string> &nonmatchingETags,
                   const std::map<std::string, std::string> &responseHeaderParameters)
      : OssObjectRequest(bucket, key), start_(-1), end_(-1), rangeIsSet_(false), standard_(false),
        modifiedSince_(modifiedSince), unmodifiedSince_(unmodifiedSince), matchingETags_(matchingETags),
        nonmatchingETags_(nonmatchingETags), responseHeaderParameters_(responseHeaderParameters),
        trafficLimit_(0) {}

  /* Range: bytes=start-end; end -1 means to the end of the object. */
  void setRange(int64_t start, int64_t end) { setRange(start, end, false); }
  /* standard: x-oss-range-behavior: standard (an out-of-range range fails instead of giving all). */
  void setRange(int64_t start, int64_t end, bool standard) {
    start_ = start;
    end_ = end;
    rangeIsSet_ = true;
    standard_ = standard;
  }
  /* (-1, -1) when no range is set. */
  std::pair<int64_t, int64_t> Range() const {
    return rangeIsSet_ ? std::make_pair(start_, end_) : std::make_pair(int64_t(-1), int64_t(-1));
  }
  void setModifiedSinceConstraint(const std::string &gmt) { modifiedSince_ = gmt; }
  void setUnmodifiedSinceConstraint(const std::string &gmt) { unmodifiedSince_ = gmt; }
  void setMatchingETagConstraints(const std::vector<std::string> &match) { matchingETags_ = match; }
  void addMatchingETagConstraint(const std::string &match) { matchingETags_.push_back(match); }
  void setNonmatchingETagConstraints(const std::vector<std::string> &match) { nonmatchingETags_ = match; }
  void addNonmatchingETagConstraint(const std::string &match) { nonmatchingETags_.push_back(match); }
  void setProcess(const std::string &process) { process_ = process; }
  void addResponseHeaders(RequestResponseHeader header, const std::string &value) {
    static const char *const names[] = {"response-content-type",        "response-content-language",
                                        "response-expires",             "response-cache-control",
                                        "response-content-disposition", "response-content-encoding"};
    if (header >= ContentType && header <= ContentEncoding) responseHeaderParameters_[names[header]] = value;
  }
  /* In bit/s, sent as x-oss-traffic-limit when not 0. */
  void setTrafficLimit(uint64_t value) { trafficLimit_ = value; }
  void setUserAgent(const std::string &ua) { userAgent_ = ua; }

 protected:
  friend struct ossffi::detail::RequestAccess;
  int validate() const override {
    int code = OssObjectRequest::validate();
    if (code != 0) return code;
    if (rangeIsSet_ && (start_ < 0 || end_ < -1 || (end_ > -1 && end_ < start_))) return ossffi::detail::RangeInvalid;
    return 0;
  }
  HeaderCollection specialHeaders() const override {
    HeaderCollection headers = OssObjectRequest::specialHeaders();
    if (rangeIsSet_) {
      headers["Range"] = "bytes=" + std::to_string(start_) + "-" + (end_ == -1 ? std::string() : std::to_string(end_));
      if (standard_) headers["x-oss-range-behavior"] = "standard";
    }
    if (!modifiedSince_.empty()) headers["If-Modified-Since"] = modifiedSince_;
    if (!unmodifiedSince_.empty()) headers["If-Unmodified-Since"] = unmodifiedSince_;
    if (!matchingETags_.empty()) headers["If-Match"] = join(matchingETags_);
    if (!nonmatchingETags_.empty()) headers["If-None-Match"] = join(nonmatchingETags_);
    if (trafficLimit_ != 0) headers["x-oss-traffic-limit"] = std::to_string(trafficLimit_);
    return headers;
  }
  ParameterCollection specialParameters() const override {
    ParameterCollection parameters = OssObjectRequest::specialParameters();
    for (std::map<std::string, std::string>::const_iterator it = responseHeaderParameters_.begin();
         it != responseHeaderParameters_.end(); ++it) {
      parameters[it->first] = it->second;
    }
    if (!process_.empty()) parameters["x-oss-process"] = process_;
    return parameters;
  }

 private:
  static std::string join(const std::vector<std::string> &values) {
    std::string joined;
    for (std::vector<std::string>::size_type i = 0; i < values.size(); ++i) {
      if (i > 0) joined += ",";
      joined += values[i];
    }
    return joined;
  }

  int64_t start_;
  int64_t end_;
  bool rangeIsSet_;
  bool standard_;
  std::string process_;
  std::string modifiedSince_;
  std::string unmodifiedSince_;
  std::vector<std::string> matchingETags_;
  std::vector<std::string> nonmatchingETags_;
  std::map<std::string, std::string> responseHeaderParameters_;
  uint64_t trafficLimit_;
  std::string userAgent_;
};

}  // namespace OSS
}  // namespace AlibabaCloud

#endif /* ALIBABACLOUD_OSS_MODEL_GETOBJECTREQUEST_H_OSSFFI */
