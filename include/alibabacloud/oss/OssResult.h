/* OssResult (the request id every result carries), OssObjectResult (+ version id), CommonPrefixeList. */
#ifndef ALIBABACLOUD_OSS_OSSRESULT_H_OSSFFI
#define ALIBABACLOUD_OSS_OSSRESULT_H_OSSFFI

#include <string>
#include <vector>

#include "Types.h"

namespace AlibabaCloud {
namespace OSS {

/* ListObjectsResult::CommonPrefixes(), spelt as in the SDK. */
typedef std::vector<std::string> CommonPrefixeList;

class OssResult {
 public:
  OssResult() {}
  /* Takes x-oss-request-id. */
  explicit OssResult(const HeaderCollection &headers) {
    HeaderCollection::const_iterator it = headers.find("x-oss-request-id");
    if (it != headers.end()) requestId_ = it->second;
  }
  virtual ~OssResult() {}
  const std::string &RequestId() const { return requestId_; }
  /* ossffi: the client fills it in; kept public so results can be built in tests. */
  void setRequestId(const std::string &value) { requestId_ = value; }

 protected:
  std::string requestId_;
};

class OssObjectResult : public OssResult {
 public:
  OssObjectResult() {}
  /* Takes x-oss-request-id and x-oss-version-id. */
  explicit OssObjectResult(const HeaderCollection &headers) : OssResult(headers) {
    HeaderCollection::const_iterator it = headers.find("x-oss-version-id");
    if (it != headers.end()) versionId_ = it->second;
  }
  const std::string &VersionId() const { return versionId_; }
  void setVersionId(const std::string &value) { versionId_ = value; }

 protected:
  std::string versionId_;
};

}  // namespace OSS
}  // namespace AlibabaCloud

#endif /* ALIBABACLOUD_OSS_OSSRESULT_H_OSSFFI */
