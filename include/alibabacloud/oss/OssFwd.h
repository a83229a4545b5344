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
#include "model/AbortMultipartUploadRequest.h"
#include "model/Bucket.h"
#include "model/CompleteMultipartUploadRequest.h"
#include "model/CompleteMultipartUploadResult.h"
#include "model/CreateBucketRequest.h"
#include "model/DeleteBucketRequest.h"
#include "model/DeleteObjectRequest.h"
#include "model/DeleteObjectResult.h"
#include "model/DeleteObjectsRequest.h"
#include "model/DeleteObjectsResult.h"
#include "model/GeneratePresignedUrlRequest.h"
#include "model/GetObjectByUrlRequest.h"
#include "model/GetObjectMetaRequest.h"
#include "model/GetObjectRequest.h"
#include "model/GetObjectResult.h"
#include "model/HeadObjectRequest.h"
#include "model/InitiateMultipartUploadRequest.h"
#include "model/InitiateMultipartUploadResult.h"
#include "model/ListMultipartUploadsRequest.h"
#include "model/ListMultipartUploadsResult.h"
#include "model/ListObjectsRequest.h"
#include "model/ListObjectsResult.h"
#include "model/ListPartsRequest.h"
#include "model/ListPartsResult.h"
#include "model/ObjectCallbackBuilder.h"
#include "model/ObjectMetaData.h"
#include "model/Part.h"
#include "model/PutObjectByUrlRequest.h"
#include "model/PutObjectRequest.h"
#include "model/PutObjectResult.h"
#include "model/UploadObjectRequest.h"
#include "model/UploadPartCopyRequest.h"
#include "model/UploadPartCopyResult.h"
#include "model/UploadPartRequest.h"
#include "model/VoidResult.h"
#include "model/Owner.h"
#include "utils/Outcome.h"

namespace AlibabaCloud {
namespace OSS {

typedef Outcome<OssError, VoidResult> VoidOutcome;
typedef Outcome<OssError, std::string> StringOutcome;
typedef Outcome<OssError, Bucket> CreateBucketOutcome;
typedef Outcome<OssError, ListObjectsResult> ListObjectOutcome;
typedef Outcome<OssError, GetObjectResult> GetObjectOutcome;
typedef Outcome<OssError, PutObjectResult> PutObjectOutcome;
typedef Outcome<OssError, DeleteObjectResult> DeleteObjectOutcome;
/* Spelt as in the SDK. */
typedef Outcome<OssError, DeleteObjectsResult> DeleteObjecstOutcome;
typedef Outcome<OssError, ObjectMetaData> ObjectMetaDataOutcome;
typedef Outcome<OssError, InitiateMultipartUploadResult> InitiateMultipartUploadOutcome;
typedef Outcome<OssError, UploadPartCopyResult> UploadPartCopyOutcome;
typedef Outcome<OssError, CompleteMultipartUploadResult> CompleteMultipartUploadOutcome;
typedef Outcome<OssError, ListPartsResult> ListPartsOutcome;
typedef Outcome<OssError, ListMultipartUploadsResult> ListMultipartUploadsOutcome;

}  // namespace OSS
}  // namespace AlibabaCloud

#endif /* ALIBABACLOUD_OSS_OSSFWD_H_OSSFFI */
