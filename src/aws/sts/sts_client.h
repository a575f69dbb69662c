// AWS STS (awsQuery): who the caller is, and temporary credentials for a role.
#pragma once

#include <memory>

#include "aws/auth/credentials.h"
#include "aws/client/aws_client.h"

namespace datamesh::aws {

struct CallerIdentity {
  std::string account;
  std::string arn;
  std::string user_id;
};

struct AssumeRoleRequest {
  std::string role_arn;
  std::string session_name;
  std::string external_id = {};              // empty: none
  std::optional<int> duration_seconds = {};  // unset: the role's default (1 hour)
  std::string policy = {};                   // optional session policy (JSON)
};

struct AssumedRole {
  Credentials credentials;  // with expiration and the role's account id
  std::string assumed_role_arn;
  std::string assumed_role_id;
};

class StsClient {
 public:
  explicit StsClient(std::shared_ptr<AwsClient> client) : client_(std::move(client)) {}

  Outcome<Json> GetCallerIdentity(const Json& input) { return client_->Call("GetCallerIdentity", input); }
  Outcome<Json> AssumeRole(const Json& input) { return client_->Call("AssumeRole", input); }

  // Typed forms of the same calls.
  Outcome<CallerIdentity> GetCallerIdentity();
  Outcome<AssumedRole> AssumeRole(const AssumeRoleRequest& request);

  AwsClient& raw() { return *client_; }

 private:
  std::shared_ptr<AwsClient> client_;
};

}  // namespace datamesh::aws
