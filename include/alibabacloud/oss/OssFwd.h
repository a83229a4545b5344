/*
 * The Outcome of every OssClient call, by name, as in the SDK; includes every model header, so
 * that <alibabacloud/oss/OssClient.h> makes every request and result class visible.
 */
#ifndef ALIBABACLOUD_OSS_OSSFWD_H_OSSFFI
#define ALIBABACLOUD_OSS_OSSFWD_H_OSSFFI

#include "Global.h"
#include "OssError.h"
#include "OssRequest.h"
#include "OssResult.h"
#include "ServiceRequest.h"
#include "Types.h"
#include "model/ObjectCallbackBuilder.h"
#include "model/ObjectMetaData.h"
#include "model/PutObjectRequest.h"
#include "model/PutObjectResult.h"
#include "utils/Outcome.h"

namespace AlibabaCloud {
namespace OSS {

typedef Outcome<OssError, PutObjectResult> PutObjectOutcome;

}  // namespace OSS
}  // namespace AlibabaCloud

#endif /* ALIBABACLOUD_OSS_OSSFWD_H_OSSFFI */
