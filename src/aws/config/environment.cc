#include "aws/config/environment.h"

#include <pwd.h>
#include <unistd.h>

extern char** environ;

namespace datamesh::aws {

Environment Environment::FromProcess() {
  std::map<std::string, std::string> vars;
  for (char** e = environ; e && *e; ++e) {
    std::string entry(*e);
    size_t eq = entry.find('=');
    if (eq != std::string::npos) vars[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  return Environment(std::move(vars));
}

std::optional<std::string> Environment::Get(const std::string& name) const {
  auto it = vars_.find(name);
  if (it == vars_.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

std::string Environment::Home() const {
  if (auto home = Get("HOME")) return *home;
  if (passwd* pw = getpwuid(getuid())) return pw->pw_dir;
  return ".";
}

}  // namespace datamesh::aws
