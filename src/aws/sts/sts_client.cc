#include "aws/sts/sts_client.h"

#include "aws/auth/assume_role_credentials_provider.h"

namespace datamesh::aws {

Outcome<CallerIdentity> StsClient::GetCallerIdentity() {
  auto out = GetCallerIdentity(Json::object());
  if (!out.ok()) return out.error();
  return CallerIdentity{out->value("Account", ""), out->value("Arn", ""), out->value("UserId", "")};
}

Outcome<AssumedRole> StsClient::AssumeRole(const AssumeRoleRequest& request) {
  Json input = {{"RoleArn", request.role_arn}, {"RoleSessionName", request.session_name}};
  if (!request.external_id.empty()) input["ExternalId"] = request.external_id;
  if (request.duration_seconds) input["DurationSeconds"] = *request.duration_seconds;
  if (!request.policy.empty()) input["Policy"] = request.policy;
  auto out = AssumeRole(input);
  if (!out.ok()) return out.error();
  auto creds = CredentialsFromAssumeRoleOutput(*out, "role " + request.role_arn);
  if (!creds.ok()) return creds.error();
  AssumedRole role;
  role.credentials = std::move(*creds);
  if (out->contains("AssumedRoleUser")) {
    role.assumed_role_arn = (*out)["AssumedRoleUser"].value("Arn", "");
    role.assumed_role_id = (*out)["AssumedRoleUser"].value("AssumedRoleId", "");
  }
  return role;
}

}  // namespace datamesh::aws
