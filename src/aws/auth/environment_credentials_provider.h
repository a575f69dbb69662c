// Credentials from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN.
#pragma once

#include "aws/auth/credentials_provider.h"
#include "aws/config/environment.h"

namespace datamesh::aws {

class EnvironmentCredentialsProvider : public CredentialsProvider {
 public:
  explicit EnvironmentCredentialsProvider(Environment env) : env_(std::move(env)) {}
  Outcome<std::optional<Credentials>> Resolve() override;
  std::string Describe() const override {
    return "environment variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)";
  }

 private:
  Environment env_;
};

}  // namespace datamesh::aws
