/* RetryStrategy, as ClientConfiguration::retryStrategy takes it (see there for how ossffi uses it). */
#ifndef ALIBABACLOUD_OSS_CLIENT_RETRYSTRATEGY_H_OSSFFI
#define ALIBABACLOUD_OSS_CLIENT_RETRYSTRATEGY_H_OSSFFI

#include "Error.h"

namespace AlibabaCloud {
namespace OSS {

class RetryStrategy {
 public:
  virtual ~RetryStrategy() {}
  virtual bool shouldRetry(const Error &error, long attemptedRetries) const = 0;
  virtual long calcDelayTimeMs(const Error &error, long attemptedRetries) const = 0;
};

}  // namespace OSS
}  // namespace AlibabaCloud

#endif /* ALIBABACLOUD_OSS_CLIENT_RETRYSTRATEGY_H_OSSFFI */
