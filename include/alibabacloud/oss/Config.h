/*
 * The SDK's version macros. ossffi's C++ layer offers the API of aliyun-oss-cpp-sdk 1.10.1, so
 * these name that SDK version (programs test them to pick API); ossffi's own version is
 * OSSFFI_VERSION_STRING in <ossffi.h> and ossffi_version().
 */
#ifndef ALIBABACLOUD_OSS_CONFIG_H_OSSFFI
#define ALIBABACLOUD_OSS_CONFIG_H_OSSFFI

/* (major << 16) + (minor << 8) + patch */
#define ALIBABACLOUD_OSS_VERSION ((1 << 16) + (10 << 8) + 1)
#define ALIBABACLOUD_OSS_VERSION_STR "1.10.1"

#endif /* ALIBABACLOUD_OSS_CONFIG_H_OSSFFI */
