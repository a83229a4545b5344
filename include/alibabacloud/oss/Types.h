/* The SDK's enums, maps and callback types (namespace AlibabaCloud::OSS). */
#ifndef ALIBABACLOUD_OSS_TYPES_H_OSSFFI
#define ALIBABACLOUD_OSS_TYPES_H_OSSFFI

#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "Export.h"
#include "detail/Text.h"

namespace AlibabaCloud {
namespace OSS {

/* As in the SDK these enumerators are unscoped: `Standard`, `Private`, `URL`, `ContentType`, ...
 * are names in AlibabaCloud::OSS. */
enum StorageClass { Standard, IA, Archive, ColdArchive };

enum CannedAccessControlList { Private = 0, PublicRead, PublicReadWrite, Default };

enum CopyActionList { Copy = 0, Replace };

enum EncodingType { STRING_ANY, URL };

/* The response-* query parameters of GetObjectRequest::addResponseHeaders. */
enum RequestResponseHeader { ContentType, ContentLanguage, Expires, CacheControl, ContentDisposition, ContentEncoding };

enum RuleStatus { Enabled, Disabled };

enum LogLevel { LogOff = 0, LogFatal, LogError, LogWarn, LogInfo, LogDebug, LogTrace, LogAll };

enum LiveChannelStatus { EnabledStatus, DisabledStatus, IdleStatus, LiveStatus, UnknownStatus = 99 };

enum class RequestPayer { NotSet = 0, BucketOwner, Requester };

enum class SSEAlgorithm { NotSet = 0, KMS, AES256 };

enum class DataRedundancyType { NotSet = 0, LRS, ZRS };

enum class SignatureVersionType { V1, V4 };

/* The SDK's signature of a log callback; `stream` is one message. */
typedef void (*LogCallback)(LogLevel level, const std::string &stream);

/* Orders header names as the SDK does: byte-wise after ASCII lower-casing, a prefix first. */
struct caseInsensitiveLess {
  bool operator()(const std::string &lhs, const std::string &rhs) const {
    std::string::size_type n = lhs.size() < rhs.size() ? lhs.size() : rhs.size();
    for (std::string::size_type i = 0; i < n; ++i) {
      unsigned char a = ossffi::detail::lowerAscii(static_cast<unsigned char>(lhs[i]));
      unsigned char b = ossffi::detail::lowerAscii(static_cast<unsigned char>(rhs[i]));
      if (a != b) return a < b;
    }
    return lhs.size() < rhs.size();
  }
};

struct caseSensitiveLess {
  bool operator()(const std::string &lhs, const std::string &rhs) const { return lhs < rhs; }
};

/*
 * Transfer progress, as in the SDK: after each chunk, Handler receives the bytes in that chunk,
 * the bytes moved so far in this attempt and the content length (-1 when unknown), with
 * UserData. It runs on the thread that called the operation. For an upload only request bytes
 * are reported (the SDK also counts the callback reply it receives, ending with
 * transferred > total). An exception it throws stops the transfer and is rethrown by the
 * operation; to stop an upload without an exception, use an ossffi::CancellationToken.
 */
typedef std::function<void(size_t increment, int64_t transferred, int64_t total, void *userData)>
    TransferProgressHandler;
struct TransferProgress {
  TransferProgressHandler Handler;
  void *UserData;
};

typedef std::vector<std::string> RefererList;
typedef std::map<std::string, std::string, caseInsensitiveLess> MetaData;
typedef std::map<std::string, std::string, caseInsensitiveLess> HeaderCollection;
typedef std::map<std::string, std::string, caseSensitiveLess> ParameterCollection;
typedef std::function<std::shared_ptr<std::iostream>(void)> IOStreamFactory;
typedef std::vector<unsigned char> ByteBuffer;

}  // namespace OSS
}  // namespace AlibabaCloud

#endif /* ALIBABACLOUD_OSS_TYPES_H_OSSFFI */
