/* SimpleCredentialsProvider is declared, as in the SDK, in auth/CredentialsProvider.h. */
#ifndef ALIBABACLOUD_OSS_AUTH_SIMPLECREDENTIALSPROVIDER_H_OSSFFI
#define ALIBABACLOUD_OSS_AUTH_SIMPLECREDENTIALSPROVIDER_H_OSSFFI

#include "CredentialsProvider.h"

#endif /* ALIBABACLOUD_OSS_AUTH_SIMPLECREDENTIALSPROVIDER_H_OSSFFI */
