/*
 * ossffi's C++ layer, private: a GeneratePresignedUrlRequest crossing into the C API's
 * ossffi_presign_request, signed with a client's settings and credentials.
 */
#ifndef ALIBABACLOUD_OSS_DETAIL_PRESIGN_H_OSSFFI
#define ALIBABACLOUD_OSS_DETAIL_PRESIGN_H_OSSFFI

#include <string>

#include "../OssError.h"
#include "../Types.h"
#include "../http/HttpType.h"
#include "../model/GeneratePresignedUrlRequest.h"
#include "../utils/Outcome.h"
#include "CApi.h"
#include "Client.h"

namespace ossffi {
namespace detail {

struct PresignAccess {
  typedef AlibabaCloud::OSS::Outcome<AlibabaCloud::OSS::OssError, std::string> StringOutcome;

  static StringOutcome url(const ossffi_client *client, const AlibabaCloud::OSS::GeneratePresignedUrlRequest &request,
                           bool verifyObjectStrict) {
    using AlibabaCloud::OSS::MetaData;
    using AlibabaCloud::OSS::ParameterCollection;
    const AlibabaCloud::OSS::OssError invalid("ValidateError", "The Bucket or Key is invalid.");
    ossffi_presign_request *raw = nullptr;
    if (ossffi_presign_request_new(request.bucket_.c_str(), request.key_.c_str(), &raw) != OSSFFI_RESULT_OK) {
      return invalid; /* not UTF-8 */
    }
    Owned<ossffi_presign_request> c(raw);
    bool ok = ossffi_presign_request_set_method(
                  c.get(), AlibabaCloud::OSS::Http::MethodToString(request.method_).c_str()) == OSSFFI_RESULT_OK &&
              ossffi_presign_request_set_expires(c.get(), request.expires_) == OSSFFI_RESULT_OK &&
              ossffi_presign_request_set_unencoded_slash(c.get(), request.unencodedSlash_ ? 1 : 0) ==
                  OSSFFI_RESULT_OK &&
              ossffi_presign_request_set_verify_object_strict(c.get(), verifyObjectStrict ? 1 : 0) ==
                  OSSFFI_RESULT_OK;
    const MetaData &headers = request.metaData_.HttpMetaData();
    for (MetaData::const_iterator it = headers.begin(); ok && it != headers.end(); ++it) {
      ok = ossffi_presign_request_set_header(c.get(), it->first.c_str(), it->second.c_str()) == OSSFFI_RESULT_OK;
    }
    const MetaData &user = request.metaData_.UserMetaData();
    for (MetaData::const_iterator it = user.begin(); ok && it != user.end(); ++it) {
      ok = ossffi_presign_request_set_user_metadata(c.get(), it->first.c_str(), it->second.c_str()) ==
           OSSFFI_RESULT_OK;
    }
    for (ParameterCollection::const_iterator it = request.parameters_.begin(); ok && it != request.parameters_.end();
         ++it) {
      ok = ossffi_presign_request_set_parameter(c.get(), it->first.c_str(), it->second.c_str()) == OSSFFI_RESULT_OK;
    }
    if (!ok) return AlibabaCloud::OSS::OssError("ValidateError", "A header or parameter is not valid UTF-8.");
    char *out = nullptr;
    ossffi_error *err = nullptr;
    ossffi_result rc = ossffi_client_presign_url(client, c.get(), &out, &err);
    Owned<char> url(out);
    Owned<ossffi_error> error(err);
    if (rc != OSSFFI_RESULT_OK) return fromC(error.get(), rc);
    return std::string(url.get());
  }
};

}  // namespace detail
}  // namespace ossffi

#endif /* ALIBABACLOUD_OSS_DETAIL_PRESIGN_H_OSSFFI */
