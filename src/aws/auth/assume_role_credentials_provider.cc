#include "aws/auth/assume_role_credentials_provider.h"

#include "aws/core/time_format.h"

namespace datamesh::aws {

Outcome<Credentials> CredentialsFromAssumeRoleOutput(const Json& output, const std::string& origin) {
  if (!output.contains("Credentials")) {
    return Error::Local("InvalidCredentials", origin + ": AssumeRole returned no Credentials");
  }
  const Json& c = output["Credentials"];
  Credentials creds;
  creds.access_key_id = c.value("AccessKeyId", "");
  creds.secret_access_key = c.value("SecretAccessKey", "");
  creds.session_token = c.value("SessionToken", "");
  creds.source = origin;
  if (c.contains("Expiration")) {
    auto t = ParseIso8601(c["Expiration"].get<std::string>());
    if (t) creds.expiration = *t;
  }
  // arn:aws:sts::123456789012:assumed-role/Role/session -> 123456789012
  std::string arn = output.contains("AssumedRoleUser") ? output["AssumedRoleUser"].value("Arn", "") : "";
  size_t start = arn.find("::");
  if (start != std::string::npos) creds.account_id = arn.substr(start + 2, arn.find(':', start + 2) - start - 2);
  if (creds.empty()) return Error::Local("InvalidCredentials", origin + ": AssumeRole returned empty keys");
  return creds;
}

Outcome<std::optional<Credentials>> AssumeRoleCredentialsProvider::Resolve() {
  auto source = source_->GetCredentials();
  if (!source.ok()) return source.error();
  Json input = {{"RoleArn", settings_.role_arn}, {"RoleSessionName", settings_.session_name}};
  if (!settings_.external_id.empty()) input["ExternalId"] = settings_.external_id;
  if (settings_.duration_seconds) input["DurationSeconds"] = *settings_.duration_seconds;
  auto out = call_(*source, input);
  if (!out.ok()) {
    const Error& e = out.error();
    return Error(e.code(), "assuming " + settings_.role_arn + ": " + e.message(), e.kind(),
                 e.http_status(), e.request_id());
  }
  auto creds = CredentialsFromAssumeRoleOutput(*out, "role " + settings_.role_arn);
  if (!creds.ok()) return creds.error();
  return std::optional(std::move(*creds));
}

}  // namespace datamesh::aws
