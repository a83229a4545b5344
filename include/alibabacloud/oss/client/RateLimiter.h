/* RateLimiter: bandwidth limits in KB/s. Accepted and ignored (see ClientConfiguration). */
#ifndef ALIBABACLOUD_OSS_CLIENT_RATELIMITER_H_OSSFFI
#define ALIBABACLOUD_OSS_CLIENT_RATELIMITER_H_OSSFFI

namespace AlibabaCloud {
namespace OSS {

class RateLimiter {
 public:
  virtual ~RateLimiter() {}
  virtual void setRate(int rate) = 0;
  virtual int Rate() const = 0;
};

}  // namespace OSS
}  // namespace AlibabaCloud

#endif /* ALIBABACLOUD_OSS_CLIENT_RATELIMITER_H_OSSFFI */
