/*
 * The SDK's symbol-visibility macros. ossffi's C++ layer is header-only (everything is inline
 * and links against libossffi's C symbols), so they expand to nothing.
 */
#ifndef ALIBABACLOUD_OSS_GLOBAL_H_OSSFFI
#define ALIBABACLOUD_OSS_GLOBAL_H_OSSFFI

#include "Config.h"

#if !defined(ALIBABACLOUD_DECL_EXPORT)
#define ALIBABACLOUD_DECL_EXPORT
#endif
#if !defined(ALIBABACLOUD_DECL_IMPORT)
#define ALIBABACLOUD_DECL_IMPORT
#endif

#endif /* ALIBABACLOUD_OSS_GLOBAL_H_OSSFFI */
