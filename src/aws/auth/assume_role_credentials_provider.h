// Temporary credentials from STS AssumeRole, signed with a source provider's credentials (a
// profile's role_arn with source_profile or credential_source).
#pragma once

#include <functional>

#include "aws/auth/credentials_provider.h"

namespace datamesh::aws {

// Calls STS AssumeRole signed with `source` and returns its output. Injected so that the
// provider does not depend on the client stack that itself depends on providers.
using AssumeRoleCall = std::function<Outcome<Json>(const Credentials& source, const Json& input)>;

struct AssumeRoleSettings {
  std::string role_arn;
  std::string session_name;
  std::string external_id;            // empty: none
  std::optional<int> duration_seconds;
};

class AssumeRoleCredentialsProvider : public CredentialsProvider {
 public:
  AssumeRoleCredentialsProvider(std::shared_ptr<CredentialsProvider> source, AssumeRoleSettings settings,
                                AssumeRoleCall call)
      : source_(std::move(source)), settings_(std::move(settings)), call_(std::move(call)) {}
  Outcome<std::optional<Credentials>> Resolve() override;
  std::string Describe() const override { return "role " + settings_.role_arn; }

 private:
  std::shared_ptr<CredentialsProvider> source_;
  AssumeRoleSettings settings_;
  AssumeRoleCall call_;
};

// Credentials from an AssumeRole output ({"Credentials": {...}, "AssumedRoleUser": {...}}).
Outcome<Credentials> CredentialsFromAssumeRoleOutput(const Json& output, const std::string& origin);

}  // namespace datamesh::aws
