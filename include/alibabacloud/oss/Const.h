/*
 * The SDK's limits and defaults. As in the SDK, OssClient.h does not include this header:
 * include it yourself to use these names.
 */
#ifndef ALIBABACLOUD_OSS_CONST_H_OSSFFI
#define ALIBABACLOUD_OSS_CONST_H_OSSFFI

#include <cstdint>

namespace AlibabaCloud {
namespace OSS {

const int64_t MaxFileSize = 5LL * 1024LL * 1024LL * 1024LL;
const int32_t MaxPrefixStringSize = 1024;
const int32_t MaxMarkerStringSize = 1024;
const int32_t MaxDelimiterStringSize = 1024;
const int32_t MaxReturnedKeys = 1000;
const int32_t MaxUploads = 1000;
const int32_t DeleteObjectsUpperLimit = 1000;
const int32_t BucketCorsRuleLimit = 10;
const int32_t LifecycleRuleLimit = 1000;
const int32_t ObjectNameLengthLimit = 1023;
const int32_t PartNumberUpperLimit = 10000;
const int32_t DefaultPartSize = 8 * 1024 * 1024;
const int32_t PartSizeLowerLimit = 100 * 1024;
const int32_t DefaultResumableThreadNum = 3;
const int32_t MaxPathLength = 124;
const int32_t MinPathLength = 4;
#ifdef _WIN32
const char PATH_DELIMITER = '\\';
#else
const char PATH_DELIMITER = '/';
#endif

}  // namespace OSS
}  // namespace AlibabaCloud

#endif /* ALIBABACLOUD_OSS_CONST_H_OSSFFI */
