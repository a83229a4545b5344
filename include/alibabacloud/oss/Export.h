/* ALIBABACLOUD_OSS_EXPORT, as in the SDK's static build: empty (the C++ layer is header-only). */
#ifndef ALIBABACLOUD_OSS_EXPORT_H_OSSFFI
#define ALIBABACLOUD_OSS_EXPORT_H_OSSFFI

#include "Global.h"

#if !defined(ALIBABACLOUD_OSS_EXPORT)
#define ALIBABACLOUD_OSS_EXPORT
#endif

#endif /* ALIBABACLOUD_OSS_EXPORT_H_OSSFFI */
