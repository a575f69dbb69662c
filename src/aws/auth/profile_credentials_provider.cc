#include "aws/auth/profile_credentials_provider.h"

#include "aws/auth/environment_credentials_provider.h"
#include "aws/auth/process_credentials_provider.h"

namespace datamesh::aws {

ProfileCredentialsProvider::ProfileCredentialsProvider(std::shared_ptr<const SharedConfig> config,
                                                       std::string profile, bool explicitly_selected,
                                                       Environment env, AssumeRoleCall assume_role,
                                                       std::shared_ptr<Clock> clock)
    : config_(std::move(config)),
      profile_(std::move(profile)),
      explicitly_selected_(explicitly_selected),
      env_(std::move(env)),
      assume_role_(std::move(assume_role)),
      clock_(std::move(clock)) {}

std::string ProfileCredentialsProvider::Describe() const {
  return "profile '" + profile_ + "' in " + config_->credentials_path() + " and " +
         config_->config_path();
}

Outcome<std::optional<Credentials>> ProfileCredentialsProvider::Resolve() {
  std::shared_ptr<CredentialsProvider> provider;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!resolved_) {
      std::set<std::string> visiting;
      auto built = Build(profile_, visiting);
      if (!built.ok()) return built.error();
      built_ = *built;
      resolved_ = true;
    }
    provider = built_;
  }
  if (!provider) return std::optional<Credentials>();
  return provider->Resolve();
}

Outcome<std::shared_ptr<CredentialsProvider>> ProfileCredentialsProvider::Build(
    const std::string& name, std::set<std::string>& visiting) {
  auto invalid = [&](const std::string& why) {
    return Error::Local("InvalidProfile", "profile '" + name + "': " + why);
  };
  auto profile = config_->Profile(name);
  bool top = visiting.empty();
  if (!profile) {
    if (top && !explicitly_selected_) return std::shared_ptr<CredentialsProvider>();
    return Error::Local("ProfileNotFound", "The config profile (" + name + ") could not be found in " +
                                               config_->credentials_path() + " or " +
                                               config_->config_path());
  }
  visiting.insert(name);
  auto get = [&](const char* key) -> std::string {
    auto it = profile->find(key);
    return it == profile->end() ? "" : it->second;
  };
  auto static_keys = [&]() -> Outcome<std::shared_ptr<CredentialsProvider>> {
    if (get("aws_secret_access_key").empty()) return invalid("aws_access_key_id without aws_secret_access_key");
    Credentials c;
    c.access_key_id = get("aws_access_key_id");
    c.secret_access_key = get("aws_secret_access_key");
    c.session_token = get("aws_session_token");
    c.source = "profile " + name;
    return std::shared_ptr<CredentialsProvider>(
        std::make_shared<StaticCredentialsProvider>(c, "profile '" + name + "'"));
  };

  if (!get("role_arn").empty()) {
    if (!get("mfa_serial").empty()) return invalid("mfa_serial is not supported (no interactive MFA prompt)");
    std::shared_ptr<CredentialsProvider> source;
    std::string source_profile = get("source_profile");
    std::string credential_source = get("credential_source");
    if (!source_profile.empty() && !credential_source.empty()) {
      return invalid("source_profile and credential_source are mutually exclusive");
    }
    if (source_profile == name) {
      if (get("aws_access_key_id").empty()) return invalid("source_profile refers to itself but it has no keys");
      auto s = static_keys();
      if (!s.ok()) return s;
      source = *s;
    } else if (!source_profile.empty()) {
      if (visiting.count(source_profile)) {
        return invalid("source_profile chain loops back to '" + source_profile + "'");
      }
      auto s = Build(source_profile, visiting);
      if (!s.ok()) return s;
      if (!*s) return invalid("source_profile '" + source_profile + "' has no credentials");
      source = *s;
    } else if (credential_source == "Environment") {
      source = std::make_shared<EnvironmentCredentialsProvider>(env_);
    } else if (!credential_source.empty()) {
      return invalid("credential_source '" + credential_source + "' is not supported (use Environment)");
    } else {
      return invalid("role_arn needs source_profile or credential_source");
    }
    AssumeRoleSettings settings;
    settings.role_arn = get("role_arn");
    settings.session_name = get("role_session_name");
    if (settings.session_name.empty()) {
      settings.session_name = "datamesh-" + std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                               clock_->Now().time_since_epoch()).count());
    }
    settings.external_id = get("external_id");
    if (!get("duration_seconds").empty()) {
      const std::string d = get("duration_seconds");
      if (d.find_first_not_of("0123456789") != std::string::npos || d.size() > 6) {
        return invalid("duration_seconds must be a whole number of seconds, got '" + d + "'");
      }
      settings.duration_seconds = std::stoi(d);
    }
    return std::shared_ptr<CredentialsProvider>(std::make_shared<CachedCredentialsProvider>(
        std::make_shared<AssumeRoleCredentialsProvider>(source, settings, assume_role_), clock_));
  }
  if (!get("aws_access_key_id").empty()) return static_keys();
  if (!get("credential_process").empty()) {
    return std::shared_ptr<CredentialsProvider>(std::make_shared<CachedCredentialsProvider>(
        std::make_shared<ProcessCredentialsProvider>(get("credential_process"), name), clock_));
  }
  if (!get("sso_start_url").empty() || !get("sso_session").empty()) {
    return invalid("SSO profiles are not supported; use credential_process or static keys");
  }
  if (top && !explicitly_selected_) return std::shared_ptr<CredentialsProvider>();
  return invalid("no credentials (aws_access_key_id, role_arn or credential_process)");
}

}  // namespace datamesh::aws
