#include "local/core/arn.h"

#include <algorithm>

namespace datamesh::local {

std::optional<Arn> Arn::Parse(const std::string& text) {
  if (text.rfind("arn:", 0) != 0) return std::nullopt;
  Arn a;
  size_t pos = 4;
  std::string* fields[] = {&a.partition, &a.service, &a.region, &a.account};
  for (std::string* f : fields) {
    size_t colon = text.find(':', pos);
    if (colon == std::string::npos) return std::nullopt;
    *f = text.substr(pos, colon - pos);
    pos = colon + 1;
  }
  a.resource = text.substr(pos);
  if (a.partition.empty() || a.service.empty() || a.resource.empty()) return std::nullopt;
  return a;
}

std::string Arn::ToString() const {
  return "arn:" + partition + ":" + service + ":" + region + ":" + account + ":" + resource;
}

std::string IamArn(const std::string& account, const std::string& kind, const std::string& path,
                   const std::string& name) {
  return "arn:aws:iam::" + account + ":" + kind + path + name;
}

bool IsAccountId(const std::string& text) {
  return text.size() == 12 && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace datamesh::local
