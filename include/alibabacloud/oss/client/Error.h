/*
 * The SDK's internal error record, as retry strategies receive it, and its client error codes.
 * ossffi never calls a retry strategy per failure (see ClientConfiguration::retryStrategy); the
 * type exists so that strategies written for the SDK compile.
 */
#ifndef ALIBABACLOUD_OSS_CLIENT_ERROR_H_OSSFFI
#define ALIBABACLOUD_OSS_CLIENT_ERROR_H_OSSFFI

#include <string>

#include "../Types.h"

namespace AlibabaCloud {
namespace OSS {

/* Codes of "ClientError:<n>": 100001 a CRC-64 mismatch, 100002 requests disabled,
 * 200000 + n a transport failure numbered as curl numbers it. */
const int ERROR_CLIENT_BASE = 100000;
const int ERROR_CRC_INCONSISTENT = ERROR_CLIENT_BASE + 1;
const int ERROR_REQUEST_DISABLE = ERROR_CLIENT_BASE + 2;
const int ERROR_CURL_BASE = 200000;

class Error {
 public:
  Error() : status_(0) {}
  Error(const std::string &code, const std::string &message) : status_(0), code_(code), message_(message) {}
  ~Error() {}
  long Status() const { return status_; }
  const std::string &Code() const { return code_; }
  const std::string &Message() const { return message_; }
  const HeaderCollection &Headers() const { return headers_; }
  void setStatus(long status) { status_ = status; }
  void setCode(const std::string &code) { code_ = code; }
  void setMessage(const std::string &message) { message_ = message; }
  void setHeaders(const HeaderCollection &headers) { headers_ = headers; }

 private:
  long status_;
  std::string code_;
  std::string message_;
  HeaderCollection headers_;
};

}  // namespace OSS
}  // namespace AlibabaCloud

#endif /* ALIBABACLOUD_OSS_CLIENT_ERROR_H_OSSFFI */
