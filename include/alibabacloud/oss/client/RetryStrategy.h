// The official OSS C++ SDK declares this part of its API in <alibabacloud/oss/client/RetryStrategy.h>; ossffi keeps
// its whole C++ layer in OssClient.h, so code that includes this header compiles unchanged.
#pragma once
#include "../OssClient.h"
