// Credentials printed by an external program (a profile's credential_process), in the documented
// JSON form {"Version": 1, "AccessKeyId", "SecretAccessKey", "SessionToken"?, "Expiration"?}.
#pragma once

#include "aws/auth/credentials_provider.h"

namespace datamesh::aws {

class ProcessCredentialsProvider : public CredentialsProvider {
 public:
  ProcessCredentialsProvider(std::string command, std::string profile)
      : command_(std::move(command)), profile_(std::move(profile)) {}
  Outcome<std::optional<Credentials>> Resolve() override;
  std::string Describe() const override {
    return "credential_process of profile '" + profile_ + "'";
  }

 private:
  std::string command_;
  std::string profile_;
};

// Parses the program's output; exposed for tests.
Outcome<Credentials> ParseProcessCredentials(const std::string& output, const std::string& origin);

}  // namespace datamesh::aws
