#include "aws/config/shared_config.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace datamesh::aws {
namespace {

std::string ExpandHome(const std::string& path, const Environment& env) {
  if (path.rfind("~/", 0) == 0) return env.Home() + path.substr(1);
  return path;
}

Outcome<IniFile> LoadIni(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return IniFile{};
  std::ifstream in(path);
  if (!in) return Error::Local("InvalidConfigFile", "cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ParseIni(ss.str(), path);
}

}  // namespace

Outcome<SharedConfig> SharedConfig::Load(const Environment& env) {
  SharedConfig c;
  c.config_path_ = ExpandHome(env.Get("AWS_CONFIG_FILE").value_or("~/.aws/config"), env);
  c.credentials_path_ =
      ExpandHome(env.Get("AWS_SHARED_CREDENTIALS_FILE").value_or("~/.aws/credentials"), env);
  auto config = LoadIni(c.config_path_);
  if (!config.ok()) return config.error();
  auto credentials = LoadIni(c.credentials_path_);
  if (!credentials.ok()) return credentials.error();
  c.config_ = std::move(*config);
  c.credentials_ = std::move(*credentials);
  return c;
}

Outcome<SharedConfig> SharedConfig::FromText(const std::string& config_text,
                                             const std::string& credentials_text) {
  SharedConfig c;
  c.config_path_ = "<config>";
  c.credentials_path_ = "<credentials>";
  auto config = ParseIni(config_text, c.config_path_);
  if (!config.ok()) return config.error();
  auto credentials = ParseIni(credentials_text, c.credentials_path_);
  if (!credentials.ok()) return credentials.error();
  c.config_ = std::move(*config);
  c.credentials_ = std::move(*credentials);
  return c;
}

std::optional<IniSection> SharedConfig::Profile(const std::string& name) const {
  std::optional<IniSection> out;
  // In the config file, "default" may be written [default] or [profile default].
  for (const std::string& section : {std::string("profile ") + name, name}) {
    if (section == name && name != "default") continue;
    auto it = config_.find(section);
    if (it == config_.end()) continue;
    if (!out) out.emplace();
    for (const auto& [k, v] : it->second) out->emplace(k, v);
  }
  auto cred = credentials_.find(name);
  if (cred != credentials_.end()) {
    if (!out) out.emplace();
    for (const auto& [k, v] : cred->second) (*out)[k] = v;
  }
  return out;
}

std::optional<IniSection> SharedConfig::Services(const std::string& name) const {
  auto it = config_.find("services " + name);
  if (it == config_.end()) return std::nullopt;
  return it->second;
}

std::string SelectedProfile(const Environment& env,
                            const std::optional<std::string>& explicit_profile) {
  if (explicit_profile && !explicit_profile->empty()) return *explicit_profile;
  if (auto p = env.Get("AWS_PROFILE")) return *p;
  if (auto p = env.Get("AWS_DEFAULT_PROFILE")) return *p;
  return "default";
}

}  // namespace datamesh::aws
