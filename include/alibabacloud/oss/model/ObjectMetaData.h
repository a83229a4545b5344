/* ObjectMetaData: an object's HTTP headers and user metadata. */
#ifndef ALIBABACLOUD_OSS_MODEL_OBJECTMETADATA_H_OSSFFI
#define ALIBABACLOUD_OSS_MODEL_OBJECTMETADATA_H_OSSFFI

#include <cstdint>
#include <cstdlib>
#include <string>

#include "../Types.h"
#include "../detail/Text.h"

namespace AlibabaCloud {
namespace OSS {

/*
 * HTTP headers and user metadata of an object, each a case-insensitive ordered map: adding a
 * name that exists in another case replaces the value and keeps the first spelling. User
 * metadata is sent as x-oss-meta-<name>. As in the SDK, a Content-Length set here is the number
 * of body bytes sent (by default, the rest of the stream).
 */
class ObjectMetaData {
 public:
  ObjectMetaData() = default;
  /* Splits response headers: names starting with x-oss-meta- (exact case) are user metadata. */
  ObjectMetaData(const HeaderCollection &data) { *this = data; }
  ObjectMetaData &operator=(const HeaderCollection &data) {
    for (HeaderCollection::const_iterator it = data.begin(); it != data.end(); ++it) {
      if (ossffi::detail::startsWith(it->first, "x-oss-meta-")) {
        userMetaData_[it->first.substr(11)] = it->second;
      } else {
        metaData_[it->first] = it->second;
      }
    }
    HeaderCollection::iterator etag = metaData_.find("ETag");
    if (etag != metaData_.end()) etag->second = ossffi::detail::unquote(etag->second);
    return *this;
  }

  const std::string &LastModified() const { return get("Last-Modified"); }
  const std::string &ExpirationTime() const { return get("Expires"); }
  /* -1 when not set. */
  int64_t ContentLength() const {
    MetaData::const_iterator it = metaData_.find("Content-Length");
    return it == metaData_.end() ? -1 : static_cast<int64_t>(std::strtoll(it->second.c_str(), nullptr, 10));
  }
  const std::string &ContentType() const { return get("Content-Type"); }
  const std::string &ContentEncoding() const { return get("Content-Encoding"); }
  const std::string &CacheControl() const { return get("Cache-Control"); }
  const std::string &ContentDisposition() const { return get("Content-Disposition"); }
  const std::string &ETag() const { return get("ETag"); }
  const std::string &ContentMd5() const { return get("Content-MD5"); }
  const std::string &ObjectType() const { return get("x-oss-object-type"); }
  const std::string &VersionId() const { return get("x-oss-version-id"); }
  /* 0 when not set. */
  uint64_t CRC64() const {
    MetaData::const_iterator it = metaData_.find("x-oss-hash-crc64ecma");
    return it == metaData_.end() ? 0 : static_cast<uint64_t>(std::strtoull(it->second.c_str(), nullptr, 10));
  }

  void setExpirationTime(const std::string &value) { metaData_["Expires"] = value; }
  void setContentLength(int64_t value) { metaData_["Content-Length"] = std::to_string(value); }
  void setContentType(const std::string &value) { metaData_["Content-Type"] = value; }
  void setContentEncoding(const std::string &value) { metaData_["Content-Encoding"] = value; }
  void setCacheControl(const std::string &value) { metaData_["Cache-Control"] = value; }
  void setContentDisposition(const std::string &value) { metaData_["Content-Disposition"] = value; }
  void setETag(const std::string &value) { metaData_["ETag"] = value; }
  void setContentMd5(const std::string &value) { metaData_["Content-MD5"] = value; }
  void setCrc64(uint64_t value) { metaData_["x-oss-hash-crc64ecma"] = std::to_string(value); }

  void addHeader(const std::string &key, const std::string &value) { metaData_[key] = value; }
  bool hasHeader(const std::string &key) const { return metaData_.find(key) != metaData_.end(); }
  void removeHeader(const std::string &key) { metaData_.erase(key); }
  MetaData &HttpMetaData() { return metaData_; }
  const MetaData &HttpMetaData() const { return metaData_; }

  void addUserHeader(const std::string &key, const std::string &value) { userMetaData_[key] = value; }
  bool hasUserHeader(const std::string &key) const { return userMetaData_.find(key) != userMetaData_.end(); }
  void removeUserHeader(const std::string &key) { userMetaData_.erase(key); }
  MetaData &UserMetaData() { return userMetaData_; }
  const MetaData &UserMetaData() const { return userMetaData_; }

  /* The headers as sent: HTTP headers plus x-oss-meta-<name> for each user entry. */
  HeaderCollection toHeaderCollection() const {
    HeaderCollection headers(metaData_);
    for (MetaData::const_iterator it = userMetaData_.begin(); it != userMetaData_.end(); ++it) {
      headers["x-oss-meta-" + it->first] = it->second;
    }
    return headers;
  }

 private:
  const std::string &get(const char *name) const {
    static const std::string empty;
    MetaData::const_iterator it = metaData_.find(name);
    return it == metaData_.end() ? empty : it->second;
  }

  MetaData userMetaData_;
  MetaData metaData_;
};

}  // namespace OSS
}  // namespace AlibabaCloud

#endif /* ALIBABACLOUD_OSS_MODEL_OBJECTMETADATA_H_OSSFFI */
