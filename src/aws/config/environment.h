// A snapshot of environment variables. Configuration code reads the environment only through
// this, so tests can give it any environment without touching the process's own.
#pragma once

#include <initializer_list>
#include <map>
#include <optional>
#include <string>

namespace datamesh::aws {

class Environment {
 public:
  Environment() = default;
  explicit Environment(std::map<std::string, std::string> vars) : vars_(std::move(vars)) {}
  Environment(std::initializer_list<std::pair<const std::string, std::string>> vars) : vars_(vars) {}
  static Environment FromProcess();

  // The value of `name`; empty values count as unset, as the AWS SDKs treat them.
  std::optional<std::string> Get(const std::string& name) const;
  void Set(const std::string& name, std::string value) { vars_[name] = std::move(value); }
  // $HOME, used for ~/.aws/*.
  std::string Home() const;

 private:
  std::map<std::string, std::string> vars_;
};

}  // namespace datamesh::aws
