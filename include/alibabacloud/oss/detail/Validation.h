/*
 * ossffi's C++ layer, private: the SDK's client-side checks (its ModelError table), so that a
 * request the SDK refuses before any I/O is refused here with the same "ValidateError" message.
 */
#ifndef ALIBABACLOUD_OSS_DETAIL_VALIDATION_H_OSSFFI
#define ALIBABACLOUD_OSS_DETAIL_VALIDATION_H_OSSFFI

#include <string>

namespace ossffi {
namespace detail {

/* What OssRequest::validate() returns; 0 is valid. */
enum ValidationCode {
  Valid = 0,
  BucketInvalid,
  ObjectKeyInvalid,
  BodyNull,
  BodyBadState,
  BodyFailState,
  RangeInvalid,
  PartListEmpty,
  PartSizeInvalid,
  PartNumberInvalid,
  /* The resumable upload's checks (OssResumableBaseRequest, UploadObjectRequest). */
  ResumablePartSizeTooSmall,
  ResumableThreadNumZero,
  ResumableWidePathUnsupported,
  ResumablePathTypesDiffer,
  ResumableCheckpointDirMissing,
  ResumableFileOpenFailed,
  ValidationCodeCount
};

inline const char *validationMessage(int code) {
  static const char *const messages[] = {
      "",
      "The bucket name is invalid. A bucket name must  be comprised of lower-case characters, numbers or "
      "dash(-) with 3-63 characters long.",
      "The object key is invalid. An object name should be between 1-1023 bytes long and cannot begin with "
      "'/' or '\\'",
      "Request body is null.",
      "Request body is in bad state. Read/writing error on i/o operation.",
      "Request body is in fail state. Logical error on i/o operation.",
      "The range is invalid. The start should not be less than 0 or less then the end. The end could be -1 to "
      "get the rest of the data.",
      "PartList is empty.",
      "PartSize should not be less than 100*1024 or greater than 5*1024*1024*1024.",
      /* The SDK's text; it refuses 10000 too (its check is `>= PartNumberUpperLimit`). */
      "PartNumber should not be less than 1 or greater than 10000.",
      "The part size is less than 100KB.",
      "The thread num is less than 1.",
      "Only support wstring path in windows os.",
      "The type of filePath and checkpointDir should be the same, either string or wstring.",
      "Checkpoint directory is not exist.",
      "Open upload file failed.",
  };
  return (code >= 0 && code < ValidationCodeCount) ? messages[code] : "Unknown validation error.";
}

/* ^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$ */
inline bool isValidBucketName(const std::string &bucket) {
  if (bucket.size() < 3 || bucket.size() > 63 || bucket[0] == '-' || bucket[bucket.size() - 1] == '-') return false;
  for (std::string::size_type i = 0; i < bucket.size(); ++i) {
    char c = bucket[i];
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

/* Non-empty, at most 1023 bytes, not starting with '\' (a leading '/' passes, as in the SDK). */
inline bool isValidObjectKey(const std::string &key) {
  return !key.empty() && key[0] != '\\' && key.size() <= 1023;
}

}  // namespace detail
}  // namespace ossffi

#endif /* ALIBABACLOUD_OSS_DETAIL_VALIDATION_H_OSSFFI */
