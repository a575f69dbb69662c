// An AwsSession resolves, once, everything a set of service clients shares: the region, the
// profile, the credentials chain, the endpoints, the HTTP transport and the retry quota. It
// follows the AWS CLI: an explicit setting wins, then the environment, then the shared config.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

#include "aws/client/aws_client.h"
#include "aws/config/endpoint_resolver.h"

namespace datamesh::aws {

struct SessionOptions {
  std::optional<std::string> profile;       // --profile; else AWS_PROFILE / "default"
  std::optional<std::string> region;        // --region; else AWS_REGION, AWS_DEFAULT_REGION, profile
  std::optional<std::string> endpoint_url;  // --endpoint-url, for every service
  std::optional<Credentials> credentials;   // explicit keys: no chain at all
  std::optional<int> max_attempts;          // else AWS_MAX_ATTEMPTS, profile max_attempts, 3
  // When neither AWS_RETRY_MODE nor the profile's retry_mode names one; unset: "standard".
  // "adaptive" adds the SDKs' client-side rate limiter, shared by the session's clients.
  std::optional<std::string> default_retry_mode;
  std::optional<Environment> environment;   // default: the process's
  std::shared_ptr<HttpTransport> transport;  // default: a CurlTransport
  // When set, requests go through the transport this returns for the one chosen above (to log,
  // or to inject faults in tests).
  std::function<std::shared_ptr<HttpTransport>(std::shared_ptr<HttpTransport>)> wrap_transport;
  std::shared_ptr<Clock> clock;
  std::shared_ptr<Sleeper> sleeper;
  std::shared_ptr<Random> random;
  // Told every call's final outcome, by every client of the session (see ClientSettings).
  decltype(ClientSettings::observer) observer;
};

// When nothing names a region. The seeds' library defaults to it too.
inline constexpr char kDefaultRegion[] = "us-east-1";

class AwsSession : public std::enable_shared_from_this<AwsSession> {
 public:
  static Outcome<std::shared_ptr<AwsSession>> Create(SessionOptions options);

  const std::string& region() const { return region_; }
  const std::string& profile() const { return profile_name_; }
  std::shared_ptr<CredentialsProvider> credentials() const { return credentials_; }

  // The client of `service` (a model name), created on first use and kept.
  Outcome<std::shared_ptr<AwsClient>> Client(const std::string& service);

  // A session sharing this one's configuration and transport but using `credentials`.
  std::shared_ptr<AwsSession> WithCredentials(const Credentials& credentials) const;

  Outcome<ResolvedEndpoint> EndpointFor(const std::string& service) const;

 private:
  AwsSession() = default;

  SessionOptions options_;
  Environment env_;
  std::shared_ptr<const SharedConfig> config_;
  IniSection profile_;
  std::string profile_name_;
  std::string region_;
  std::shared_ptr<CredentialsProvider> credentials_;
  std::shared_ptr<RetryStrategy> retry_;
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<AwsClient>> clients_;
};

}  // namespace datamesh::aws
