#include "aws/auth/credentials_provider.h"

namespace datamesh::aws {

Outcome<Credentials> CredentialsProvider::GetCredentials() {
  auto r = Resolve();
  if (!r.ok()) return r.error();
  if (!*r) {
    return Error::Local("NoCredentials", "Unable to locate credentials. Looked in: " + Describe() +
                                             ". Configure credentials with environment variables, a "
                                             "profile (--profile), or a credentials file.");
  }
  return std::move(**r);
}

Outcome<std::optional<Credentials>> ChainCredentialsProvider::Resolve() {
  for (const auto& p : providers_) {
    auto r = p->Resolve();
    if (!r.ok() || *r) return r;
  }
  return std::optional<Credentials>();
}

std::string ChainCredentialsProvider::Describe() const {
  std::string out;
  for (const auto& p : providers_) out += (out.empty() ? "" : "; ") + p->Describe();
  return out;
}

Outcome<std::optional<Credentials>> CachedCredentialsProvider::Resolve() {
  std::lock_guard<std::mutex> lock(mu_);
  SystemTime now = clock_->Now();
  auto fresh = [&](const Credentials& c) {
    return !c.expiration || *c.expiration - now > refresh_window_;
  };
  if (cached_ && fresh(*cached_)) return cached_;
  auto r = inner_->Resolve();
  if (!r.ok()) {
    if (cached_ && cached_->expiration && *cached_->expiration > now) return cached_;
    return r;
  }
  cached_ = *r;
  return r;
}

Outcome<Credentials> CredentialsFromJson(const Json& object, const std::string& origin) {
  if (!object.is_object()) {
    return Error::Local("InvalidCredentials", origin + ": credentials must be a JSON object");
  }
  auto field = [&](const char* name) -> std::optional<std::string> {
    if (!object.contains(name) || object[name].is_null()) return std::nullopt;
    if (object[name].is_string()) return object[name].get<std::string>();
    if (object[name].is_number_integer()) return std::to_string(object[name].get<long long>());
    return std::nullopt;
  };
  Credentials c;
  c.access_key_id = field("AccessKeyId").value_or("");
  c.secret_access_key = field("SecretAccessKey").value_or("");
  c.session_token = field("SessionToken").value_or("");
  c.account_id = field("AccountId").value_or("");
  c.source = origin;
  if (c.access_key_id.empty() || c.secret_access_key.empty()) {
    return Error::Local("InvalidCredentials",
                        origin + ": AccessKeyId and SecretAccessKey are both required");
  }
  if (!c.account_id.empty() &&
      (c.account_id.size() != 12 || c.account_id.find_first_not_of("0123456789") != std::string::npos)) {
    return Error::Local("InvalidCredentials",
                        origin + ": AccountId must be 12 digits, got '" + c.account_id + "'");
  }
  return c;
}

}  // namespace datamesh::aws
