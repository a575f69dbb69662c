// Credential providers, small and composed as in the AWS SDKs: a chain tries each in turn; a
// cache keeps temporary credentials and refreshes them before they expire.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "aws/auth/credentials.h"
#include "aws/model/service_model.h"
#include "datamesh/outcome.h"

namespace datamesh::aws {

class CredentialsProvider {
 public:
  virtual ~CredentialsProvider() = default;
  // nullopt: this source has nothing, try the next one. An Error: the source is configured but
  // unusable (a chain stops there, rather than silently using other credentials).
  virtual Outcome<std::optional<Credentials>> Resolve() = 0;
  // Where this provider looks, for the "no credentials" message.
  virtual std::string Describe() const = 0;

  // Resolve(), with "nothing found" turned into a NoCredentials error.
  Outcome<Credentials> GetCredentials();
};

class StaticCredentialsProvider : public CredentialsProvider {
 public:
  explicit StaticCredentialsProvider(Credentials credentials, std::string description = "explicit credentials")
      : credentials_(std::move(credentials)), description_(std::move(description)) {}
  Outcome<std::optional<Credentials>> Resolve() override { return std::optional(credentials_); }
  std::string Describe() const override { return description_; }

 private:
  Credentials credentials_;
  std::string description_;
};

class ChainCredentialsProvider : public CredentialsProvider {
 public:
  explicit ChainCredentialsProvider(std::vector<std::shared_ptr<CredentialsProvider>> providers)
      : providers_(std::move(providers)) {}
  Outcome<std::optional<Credentials>> Resolve() override;
  std::string Describe() const override;

 private:
  std::vector<std::shared_ptr<CredentialsProvider>> providers_;
};

// Keeps what `inner` returned until it is within `refresh_window` of expiring. If a refresh fails
// while the old credentials are still valid, the old ones are used.
class CachedCredentialsProvider : public CredentialsProvider {
 public:
  CachedCredentialsProvider(std::shared_ptr<CredentialsProvider> inner, std::shared_ptr<Clock> clock,
                            std::chrono::seconds refresh_window = std::chrono::minutes(5))
      : inner_(std::move(inner)), clock_(std::move(clock)), refresh_window_(refresh_window) {}
  Outcome<std::optional<Credentials>> Resolve() override;
  std::string Describe() const override { return inner_->Describe(); }

 private:
  std::shared_ptr<CredentialsProvider> inner_;
  std::shared_ptr<Clock> clock_;
  std::chrono::seconds refresh_window_;
  std::mutex mu_;
  std::optional<Credentials> cached_;
};

// The spec's object form {"AccountId", "AccessKeyId", "SecretAccessKey", "SessionToken"?}.
// `origin` names the source in error messages.
Outcome<Credentials> CredentialsFromJson(const Json& object, const std::string& origin);

}  // namespace datamesh::aws
