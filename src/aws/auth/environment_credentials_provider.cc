#include "aws/auth/environment_credentials_provider.h"

namespace datamesh::aws {

Outcome<std::optional<Credentials>> EnvironmentCredentialsProvider::Resolve() {
  auto key = env_.Get("AWS_ACCESS_KEY_ID");
  auto secret = env_.Get("AWS_SECRET_ACCESS_KEY");
  if (!key && !secret) return std::optional<Credentials>();
  if (!key || !secret) {
    return Error::Local("InvalidCredentials",
                        std::string(key ? "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not"
                                        : "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not"));
  }
  Credentials c;
  c.access_key_id = *key;
  c.secret_access_key = *secret;
  c.session_token = env_.Get("AWS_SESSION_TOKEN").value_or(env_.Get("AWS_SECURITY_TOKEN").value_or(""));
  c.source = "environment";
  return std::optional(std::move(c));
}

}  // namespace datamesh::aws
