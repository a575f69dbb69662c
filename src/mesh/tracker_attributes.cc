#include "mesh/tracker_attributes.h"

#include <cctype>

namespace datamesh::mesh::tracker {
namespace {

constexpr size_t kAccountLength = 12;

bool IsAccount(const std::string& s, size_t at) {
  if (s.size() < at + kAccountLength) return false;
  for (size_t i = at; i < at + kAccountLength; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

}  // namespace

std::string SubscriptionIdOf(const std::string& owner, const std::string& subscriber,
                             const std::string& digest) {
  return owner + "-" + subscriber + "-" + digest;
}

std::optional<IdAccounts> AccountsOfId(const std::string& id) {
  // 12 digits, '-', 12 digits, '-', then at least one character.
  const size_t second = kAccountLength + 1, rest = 2 * kAccountLength + 2;
  if (id.size() <= rest || !IsAccount(id, 0) || id[kAccountLength] != '-' ||
      !IsAccount(id, second) || id[rest - 1] != '-') {
    return std::nullopt;
  }
  return IdAccounts{id.substr(0, kAccountLength), id.substr(second, kAccountLength)};
}

std::string GrantsItemId(const std::string& owner, const std::string& subscriber) {
  return owner + "-" + subscriber + "-grants";
}

std::string OwnerKeyPattern(const std::string& owner) { return owner + "-*"; }

std::string SubscriberKeyPattern(const std::string& subscriber) {
  return std::string(kAccountLength, '?') + "-" + subscriber + "-*";
}

std::string AnySubscriptionKeyPattern() {
  return std::string(kAccountLength, '?') + "-" + std::string(kAccountLength, '?') + "-*";
}

}  // namespace datamesh::mesh::tracker
