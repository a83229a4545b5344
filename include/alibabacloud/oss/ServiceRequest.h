/* ServiceRequest, the base of every request: flags, response stream, transfer progress. */
#ifndef ALIBABACLOUD_OSS_SERVICEREQUEST_H_OSSFFI
#define ALIBABACLOUD_OSS_SERVICEREQUEST_H_OSSFFI

#include <iostream>
#include <memory>
#include <string>

#include "Types.h"

namespace AlibabaCloud {
namespace OSS {

/* The SDK's request flags. ossffi keeps what a program sets but decides these itself. */
const int REQUEST_FLAG_CONTENTMD5 = (1 << 0);
const int REQUEST_FLAG_PARAM_IN_PATH = (1 << 1);
const int REQUEST_FLAG_CHECK_CRC64 = (1 << 2);
const int REQUEST_FLAG_SAVE_CLIENT_CRC64 = (1 << 3);
const int REQUEST_FLAG_CHUNKED_ENCODING = (1 << 4);

class ServiceRequest {
 public:
  virtual ~ServiceRequest() {}

  std::string Path() const { return path_; }
  virtual HeaderCollection Headers() const = 0;
  virtual ParameterCollection Parameters() const = 0;
  virtual std::shared_ptr<std::iostream> Body() const = 0;

  /* Accepted and kept; ossffi has none of the SDK's internal flags (the test hooks included). */
  int Flags() const { return flags_; }
  void setFlags(int flags) { flags_ = flags; }

  /*
   * Where a 2xx reply body is written (GetObject's object, PutObject's callback reply); called
   * when the first byte arrives. Default: a new std::stringstream.
   */
  const IOStreamFactory &ResponseStreamFactory() const { return responseStreamFactory_; }
  void setResponseStreamFactory(const IOStreamFactory &factory) { responseStreamFactory_ = factory; }

  const AlibabaCloud::OSS::TransferProgress &TransferProgress() const { return transferProgress_; }
  void setTransferProgress(const AlibabaCloud::OSS::TransferProgress &arg) { transferProgress_ = arg; }

 protected:
  ServiceRequest() : path_("/"), flags_(0) { transferProgress_.UserData = nullptr; }
  void setPath(const std::string &path) { path_ = path; }

 private:
  std::string path_;
  int flags_;
  IOStreamFactory responseStreamFactory_;
  AlibabaCloud::OSS::TransferProgress transferProgress_;
};

}  // namespace OSS
}  // namespace AlibabaCloud

#endif /* ALIBABACLOUD_OSS_SERVICEREQUEST_H_OSSFFI */
