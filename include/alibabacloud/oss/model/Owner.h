/* Owner: the id and display name of a bucket's or an object's owner. */
#ifndef ALIBABACLOUD_OSS_MODEL_OWNER_H_OSSFFI
#define ALIBABACLOUD_OSS_MODEL_OWNER_H_OSSFFI

#include <string>

namespace AlibabaCloud {
namespace OSS {

class Owner {
 public:
  Owner() = default;
  Owner(const std::string &id, const std::string &name) : id_(id), displayName_(name) {}
  const std::string &Id() const { return id_; }
  const std::string &DisplayName() const { return displayName_; }

 private:
  std::string id_;
  std::string displayName_;
};

}  // namespace OSS
}  // namespace AlibabaCloud

#endif /* ALIBABACLOUD_OSS_MODEL_OWNER_H_OSSFFI */
