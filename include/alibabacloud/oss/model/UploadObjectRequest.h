/* UploadObjectRequest: a file to upload with OssClient::ResumableUploadObject. */
#ifndef ALIBABACLOUD_OSS_MODEL_UPLOADOBJECTREQUEST_H_OSSFFI
#define ALIBABACLOUD_OSS_MODEL_UPLOADOBJECTREQUEST_H_OSSFFI

#include <cstdint>
#include <iostream>
#include <memory>
#include <string>

#include "../OssRequest.h"
#include "../Types.h"
#include "../detail/FileStatus.h"
#include "ObjectMetaData.h"
#include "PutObjectRequest.h"

namespace AlibabaCloud {
namespace OSS {

/*
 * A resumable upload of the file at `filePath` to `key`, as in the SDK: parts of PartSize()
 * bytes (8 MiB unless given), ThreadNum() of them at once (3 unless given), a checkpoint record
 * in `checkpointDir` when one is given. The narrow constructors stat the file at once:
 * ObjectSize() is its size, ObjectMtime() its modification time as ToGmtTime writes it, and a
 * file that cannot be stat'ed (or an empty path) is size 0, "Thu, 01 Jan 1970 00:00:00 GMT",
 * and refused when uploading with "Open upload file failed.". The wide (std::wstring)
 * constructors, as the SDK's outside Windows, stat nothing (size 0, the epoch) and are
 * refused when uploading with "Only support wstring path in windows os.".
 *
 * The setters write headers into MetaData() exactly as the SDK's do; the whole metadata goes on
 * a single PutObject or on InitiateMultipartUpload, and CompleteMultipartUpload carries the ACL
 * and the upload callback. A plain copyable value; setFlags values are kept (ossffi has none
 * of the SDK's test hooks).
 */
class UploadObjectRequest : public OssResumableBaseRequest {
 public:
  UploadObjectRequest(const std::string &bucket, const std::string &key, const std::string &filePath,
                      const std::string &checkpointDir, const uint64_t partSize, const uint32_t threadNum)
      : OssResumableBaseRequest(bucket, key, checkpointDir, partSize, threadNum), filePath_(filePath) {
    statFile();
  }
  UploadObjectRequest(const std::string &bucket, const std::string &key, const std::string &filePath,
                      const std::string &checkpointDir, const uint64_t partSize, const uint32_t threadNum,
                      const ObjectMetaData &meta)
      : OssResumableBaseRequest(bucket, key, checkpointDir, partSize, threadNum), filePath_(filePath),
        metaData_(meta) {
    statFile();
  }
  UploadObjectRequest(const std::string &bucket, const std::string &key, const std::string &filePath,
                      const std::string &checkpointDir, const ObjectMetaData &meta)
      : OssResumableBaseRequest(bucket, key, checkpointDir, kDefaultPartSize, kDefaultThreadNum),
        filePath_(filePath), metaData_(meta) {
    statFile();
  }
  UploadObjectRequest(const std::string &bucket, const std::string &key, const std::string &filePath,
                      const std::string &checkpointDir)
      : OssResumableBaseRequest(bucket, key, checkpointDir, kDefaultPartSize, kDefaultThreadNum),
        filePath_(filePath) {
    statFile();
  }
  UploadObjectRequest(const std::string &bucket, const std::string &key, const std::string &filePath)
      : OssResumableBaseRequest(bucket, key, std::string(), kDefaultPartSize, kDefaultThreadNum),
        filePath_(filePath) {
    statFile();
  }

  UploadObjectRequest(const std::string &bucket, const std::string &key, const std::wstring &filePath,
                      const std::wstring &checkpointDir, const uint64_t partSize, const uint32_t threadNum)
      : OssResumableBaseRequest(bucket, key, checkpointDir, partSize, threadNum), filePathW_(filePath) {
    noFile();
  }
  UploadObjectRequest(const std::string &bucket, const std::string &key, const std::wstring &filePath,
                      const std::wstring &checkpointDir, const uint64_t partSize, const uint32_t threadNum,
                      const ObjectMetaData &meta)
      : OssResumableBaseRequest(bucket, key, checkpointDir, partSize, threadNum), filePathW_(filePath),
        metaData_(meta) {
    noFile();
  }
  UploadObjectRequest(const std::string &bucket, const std::string &key, const std::wstring &filePath,
                      const std::wstring &checkpointDir, const ObjectMetaData &meta)
      : OssResumableBaseRequest(bucket, key, checkpointDir, kDefaultPartSize, kDefaultThreadNum),
        filePathW_(filePath), metaData_(meta) {
    noFile();
  }
  UploadObjectRequest(const std::string &bucket, const std::string &key, const std::wstring &filePath,
                      const std::wstring &checkpointDir)
      : OssResumableBaseRequest(bucket, key, checkpointDir, kDefaultPartSize, kDefaultThreadNum),
        filePathW_(filePath) {
    noFile();
  }
  UploadObjectRequest(const std::string &bucket, const std::string &key, const std::wstring &filePath)
      : OssResumableBaseRequest(bucket, key, std::wstring(), kDefaultPartSize, kDefaultThreadNum),
        filePathW_(filePath) {
    noFile();
  }
  virtual ~UploadObjectRequest() {}

  /* Always nullptr, as in the SDK (the file is the body). */
  std::shared_ptr<std::iostream> Content() { return std::shared_ptr<std::iostream>(); }

  void setCacheControl(const std::string &value) { metaData_.addHeader("Cache-Control", value); }
  void setContentDisposition(const std::string &value) { metaData_.addHeader("Content-Disposition", value); }
  void setContentEncoding(const std::string &value) { metaData_.addHeader("Content-Encoding", value); }
  void setExpires(const std::string &value) { metaData_.addHeader("Expires", value); }
  /* x-oss-object-acl private, public-read, public-read-write or default; a non-const
   * reference, as in the SDK. */
  void setAcl(CannedAccessControlList &acl) {
    static const char *const names[] = {"private", "public-read", "public-read-write", "default"};
    int index = static_cast<int>(acl);
    if (index >= 0 && index <= 3) metaData_.addHeader("x-oss-object-acl", names[index]);
  }
  /*
   * Removes x-oss-callback and x-oss-callback-var, then sets each one that is not empty
   * (typically ObjectCallbackBuilder::build() and ObjectCallbackVariableBuilder::build()).
   */
  void setCallback(const std::string &callback, const std::string &callbackVar = "") {
    metaData_.removeHeader("x-oss-callback");
    metaData_.removeHeader("x-oss-callback-var");
    if (!callback.empty()) metaData_.addHeader("x-oss-callback", callback);
    if (!callbackVar.empty()) metaData_.addHeader("x-oss-callback-var", callbackVar);
  }
  /* An already URL-encoded "k=v&k2=v2" string (x-oss-tagging). */
  void setTagging(const std::string &value) { metaData_.addHeader("x-oss-tagging", value); }
  /* "url" asks OSS to URL-encode the key in InitiateMultipartUpload's reply. */
  void setEncodingType(const std::string &type) { encodingType_ = type; }

  const std::string &EncodingType() const { return encodingType_; }
  const std::string &FilePath() const { return filePath_; }
  const std::wstring &FilePathW() const { return filePathW_; }
  const ObjectMetaData &MetaData() const { return metaData_; }
  ObjectMetaData &MetaData() { return metaData_; }

  /* ossffi: lets another thread stop this upload (see ossffi::CancellationToken); every worker
   * stops before its next chunk and the upload fails with "ClientError:200042". */
  void setCancellationToken(const ossffi::CancellationToken &token) { cancellation_ = token; }
  const ossffi::CancellationToken &CancellationToken() const { return cancellation_; }

 protected:
  /* The base's checks, then a wide file path, mixed widths, and a file that did not exist when
   * the request was made. */
  int validate() const override {
    int code = OssResumableBaseRequest::validate();
    if (code != 0) return code;
    if (!filePathW_.empty()) return ossffi::detail::ResumableWidePathUnsupported;
    if ((!filePath_.empty() && !CheckpointDirW().empty()) || (!filePathW_.empty() && !CheckpointDir().empty())) {
      return ossffi::detail::ResumablePathTypesDiffer;
    }
    if (!fileExists_) return ossffi::detail::ResumableFileOpenFailed;
    return 0;
  }
  /* The metadata's headers (its Content-Length aside: the file's size is sent), the payer and
   * the traffic limit. */
  HeaderCollection specialHeaders() const override {
    HeaderCollection headers = metaData_.toHeaderCollection();
    headers.erase("Content-Length");
    HeaderCollection base = OssResumableBaseRequest::specialHeaders();
    for (HeaderCollection::const_iterator it = base.begin(); it != base.end(); ++it) headers[it->first] = it->second;
    return headers;
  }
  ParameterCollection specialParameters() const override {
    ParameterCollection parameters;
    if (!encodingType_.empty()) parameters["encoding-type"] = encodingType_;
    return parameters;
  }

 private:
  static const uint64_t kDefaultPartSize = 8 * 1024 * 1024; /* Const.h's DefaultPartSize */
  static const uint32_t kDefaultThreadNum = 3;              /* Const.h's DefaultResumableThreadNum */

  void statFile() {
    ossffi::detail::FileStatus status = ossffi::detail::fileStatus(filePath_);
    fileExists_ = status.exists;
    setObjectSize(status.size);
    setObjectMtime(status.mtime);
  }
  void noFile() {
    fileExists_ = false;
    setObjectSize(0);
    setObjectMtime(ossffi::detail::gmtTime(0));
  }

  std::string filePath_;
  std::wstring filePathW_;
  ObjectMetaData metaData_;
  std::string encodingType_;
  bool fileExists_;
  ossffi::CancellationToken cancellation_;
};

}  // namespace OSS
}  // namespace AlibabaCloud

#endif /* ALIBABACLOUD_OSS_MODEL_UPLOADOBJECTREQUEST_H_OSSFFI */
