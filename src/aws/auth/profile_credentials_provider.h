// Credentials from a named profile of the shared config: static keys, role_arn (with
// source_profile or credential_source = Environment), or credential_process. Role and process
// credentials are cached and refreshed before they expire.
#pragma once

#include <set>

#include "aws/auth/assume_role_credentials_provider.h"
#include "aws/config/shared_config.h"

namespace datamesh::aws {

class ProfileCredentialsProvider : public CredentialsProvider {
 public:
  // `explicitly_selected`: the user named this profile, so its absence is an error rather than
  // a reason to move on to the next source.
  ProfileCredentialsProvider(std::shared_ptr<const SharedConfig> config, std::string profile,
                             bool explicitly_selected, Environment env, AssumeRoleCall assume_role,
                             std::shared_ptr<Clock> clock);
  Outcome<std::optional<Credentials>> Resolve() override;
  std::string Describe() const override;

 private:
  // The provider for `name`; nullptr when the profile has no credentials of its own.
  Outcome<std::shared_ptr<CredentialsProvider>> Build(const std::string& name,
                                                      std::set<std::string>& visiting);

  std::shared_ptr<const SharedConfig> config_;
  std::string profile_;
  bool explicitly_selected_;
  Environment env_;
  AssumeRoleCall assume_role_;
  std::shared_ptr<Clock> clock_;
  std::mutex mu_;
  std::shared_ptr<CredentialsProvider> built_;
  bool resolved_ = false;
};

}  // namespace datamesh::aws
