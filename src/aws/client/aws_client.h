// The one send loop every service call goes through: validate the input against the model,
// serialize it with the service's protocol codec, sign every attempt afresh, send, retry
// throttling and transient failures with backoff, correct clock skew, and parse the answer.
#pragma once

#include <atomic>
#include <functional>
#include <memory>

#include "aws/auth/credentials_provider.h"
#include "aws/client/retry_strategy.h"
#include "aws/http/http_transport.h"
#include "aws/model/service_model.h"
#include "aws/protocol/protocol_codec.h"

namespace datamesh::aws {

struct ClientSettings {
  std::string service;         // the model's name: "sts", "iam", "glue", ...
  std::string signing_region;  // the region in the credential scope
  Endpoint endpoint;
  bool endpoint_overridden = false;  // custom endpoints get path-style S3 addressing
  std::shared_ptr<CredentialsProvider> credentials;
  std::shared_ptr<HttpTransport> transport;
  std::shared_ptr<RetryStrategy> retry;
  std::shared_ptr<Clock> clock;
  std::shared_ptr<Sleeper> sleeper;
  // Told each call's final outcome (after retries): `error` is null on success.
  std::function<void(const std::string& service, const std::string& operation, const Json& input, const Error* error)>
      observer;
};

class AwsClient {
 public:
  // REQUIRES: settings.service names an embedded model and every pointer is set.
  explicit AwsClient(ClientSettings settings);

  // Calls `operation` with `input` (the JSON form of its input shape) and returns its output.
  Outcome<Json> Call(const std::string& operation, const Json& input = Json::object());

  // Follows the operation's paginator (NextToken, Marker, LastEvaluatedKey, ...), handing each
  // page to `on_page`, which returns false to stop early.
  Status Paginate(const std::string& operation, const Json& input,
                  const std::function<bool(const Json& page)>& on_page);

  // Every page merged into one output: result lists concatenated, counts added.
  Outcome<Json> CallAllPages(const std::string& operation, const Json& input = Json::object());

  const ServiceModel& model() const { return *model_; }
  const ClientSettings& settings() const { return settings_; }
  // Server time minus local time, as last measured (zero until a skew over 4 minutes is seen).
  Millis clock_skew() const { return Millis(skew_ms_.load()); }

 private:
  Outcome<HttpRequest> BuildRequest(const std::string& operation, const Json& input) const;
  void Sign(HttpRequest& request, const Credentials& credentials) const;
  // Records the server's clock from the Date header; true if the skew estimate changed.
  bool UpdateClockSkew(const HttpResponse& response);

  ClientSettings settings_;
  const ServiceModel* model_;
  const ProtocolCodec* codec_;
  std::atomic<long long> skew_ms_{0};
};

}  // namespace datamesh::aws
