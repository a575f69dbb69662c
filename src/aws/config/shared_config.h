// The AWS shared configuration: ~/.aws/config ([default], [profile NAME], [services NAME]) and
// ~/.aws/credentials ([NAME]), at the paths AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE
// choose. A profile's settings are the union of both files, the credentials file winning.
#pragma once

#include <optional>
#include <string>

#include "aws/config/environment.h"
#include "aws/config/ini_file.h"

namespace datamesh::aws {

class SharedConfig {
 public:
  // Missing files are fine (they are optional); unreadable or malformed ones are errors.
  static Outcome<SharedConfig> Load(const Environment& env);
  static Outcome<SharedConfig> FromText(const std::string& config_text,
                                        const std::string& credentials_text);

  // nullopt when neither file has the profile.
  std::optional<IniSection> Profile(const std::string& name) const;
  // A [services NAME] section of the config file.
  std::optional<IniSection> Services(const std::string& name) const;

  const std::string& config_path() const { return config_path_; }
  const std::string& credentials_path() const { return credentials_path_; }

 private:
  IniFile config_;
  IniFile credentials_;
  std::string config_path_;
  std::string credentials_path_;
};

// The profile the environment selects: AWS_PROFILE, else AWS_DEFAULT_PROFILE, else "default".
std::string SelectedProfile(const Environment& env, const std::optional<std::string>& explicit_profile);

}  // namespace datamesh::aws
