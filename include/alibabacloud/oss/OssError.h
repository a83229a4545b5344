/* OssError, the error half of every Outcome; and ossffi::Stored, which ossffi adds to it. */
#ifndef ALIBABACLOUD_OSS_OSSERROR_H_OSSFFI
#define ALIBABACLOUD_OSS_OSSERROR_H_OSSFFI

#include <cstdint>
#include <string>

#include "../../ossffi.h"

namespace ossffi {

/* Whether a failed upload left the object in the bucket (OssError::ObjectStored()). */
enum class Stored {
  No = OSSFFI_OBJECT_STORED_NO,           /* nothing was stored */
  Yes = OSSFFI_OBJECT_STORED_YES,         /* e.g. the upload callback failed (HTTP 203) */
  Unknown = OSSFFI_OBJECT_STORED_UNKNOWN  /* the connection broke after the body was sent */
};

}  // namespace ossffi

namespace AlibabaCloud {
namespace OSS {

/*
 * A failure, with the SDK's codes: OSS's own ("AccessDenied", "NoSuchKey", "CallbackFailed",
 * ...), "ValidateError" for a request refused before any I/O, "ClientError:100001" for a CRC-64
 * mismatch, "ClientError:2000xx" for transport failures (the SDK's curl numbering),
 * "ServerError:<status>" for an error reply without a body (a HEAD 404, a 304).
 * ossffi adds Status() (the HTTP status, 0 when there was no reply) and ObjectStored().
 */
class OssError {
 public:
  OssError() : status_(0), stored_(ossffi::Stored::No) {}
  OssError(const std::string &code, const std::string &message)
      : code_(code), message_(message), status_(0), stored_(ossffi::Stored::No) {}
  ~OssError() {}
  const std::string &Code() const { return code_; }
  const std::string &Message() const { return message_; }
  const std::string &RequestId() const { return requestId_; }
  const std::string &Host() const { return host_; }
  void setCode(const std::string &value) { code_ = value; }
  void setCode(const char *value) { code_ = value; }
  void setMessage(const std::string &value) { message_ = value; }
  void setMessage(const char *value) { message_ = value; }
  void setRequestId(const std::string &value) { requestId_ = value; }
  void setRequestId(const char *value) { requestId_ = value; }
  void setHost(const std::string &value) { host_ = value; }
  void setHost(const char *value) { host_ = value; }

  /* ossffi: the HTTP status of OSS's reply (203 for CallbackFailed), 0 when there was none. */
  uint32_t Status() const { return status_; }
  /* ossffi: whether the object is in the bucket despite the failure (Yes for CallbackFailed). */
  ossffi::Stored ObjectStored() const { return stored_; }
  void setStatus(uint32_t value) { status_ = value; }
  void setObjectStored(ossffi::Stored value) { stored_ = value; }

 private:
  std::string code_;
  std::string message_;
  std::string requestId_;
  std::string host_;
  uint32_t status_;
  ossffi::Stored stored_;
};

}  // namespace OSS
}  // namespace AlibabaCloud

#endif /* ALIBABACLOUD_OSS_OSSERROR_H_OSSFFI */
