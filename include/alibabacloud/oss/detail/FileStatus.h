/*
 * ossffi's C++ layer, private: what the resumable upload's requests learn from the file
 * system (the SDK stats the file when the request is made, and checks the checkpoint
 * directory before uploading).
 */
#ifndef ALIBABACLOUD_OSS_DETAIL_FILESTATUS_H_OSSFFI
#define ALIBABACLOUD_OSS_DETAIL_FILESTATUS_H_OSSFFI

#include <sys/stat.h>
#include <sys/types.h>

#include <cstdint>
#include <string>

#include "CApi.h"

namespace ossffi {
namespace detail {

/* The SDK's ToGmtTime ("Thu, 01 Jan 1970 00:00:00 GMT"); "" outside the years 1000..9999. */
inline std::string gmtTime(int64_t seconds) {
  char *out = nullptr;
  return takeString(ossffi_format_gmt_time(seconds, &out), &out);
}

/* A file as the SDK's UploadObjectRequest sees it when it is made. */
struct FileStatus {
  bool exists;
  uint64_t size;
  std::string mtime; /* ToGmtTime of the modification time */
};

/* stat(2) of `path`; a path that cannot be stat'ed (or "") is size 0, mtime of the epoch, not
 * existing, as in the SDK. */
inline FileStatus fileStatus(const std::string &path) {
  FileStatus status;
  status.exists = false;
  status.size = 0;
  status.mtime = gmtTime(0);
  if (path.empty()) return status;
#ifdef _WIN32
  struct _stat64 st;
  if (_stat64(path.c_str(), &st) != 0) return status;
#else
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return status;
#endif
  status.exists = true;
  status.size = static_cast<uint64_t>(st.st_size);
  status.mtime = gmtTime(static_cast<int64_t>(st.st_mtime));
  return status;
}

inline bool isDirectory(const std::string &path) {
  if (path.empty()) return false;
#ifdef _WIN32
  struct _stat64 st;
  return _stat64(path.c_str(), &st) == 0 && (st.st_mode & _S_IFDIR) != 0;
#else
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
#endif
}

}  // namespace detail
}  // namespace ossffi

#endif /* ALIBABACLOUD_OSS_DETAIL_FILESTATUS_H_OSSFFI */
