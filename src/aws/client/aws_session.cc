#include "aws/client/aws_session.h"

#include "aws/auth/environment_credentials_provider.h"
#include "aws/auth/profile_credentials_provider.h"
#include "aws/http/curl_transport.h"

namespace datamesh::aws {
namespace {

std::optional<std::string> ProfileValue(const IniSection& profile, const std::string& key) {
  auto it = profile.find(key);
  if (it == profile.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

Outcome<int> ParseMaxAttempts(const std::string& text, const std::string& origin) {
  if (text.empty() || text.size() > 3 || text.find_first_not_of("0123456789") != std::string::npos ||
      std::stoi(text) < 1) {
    return Error::Local("InvalidConfig", origin + " must be a whole number of at least 1, got '" + text + "'");
  }
  return std::stoi(text);
}

}  // namespace

Outcome<std::shared_ptr<AwsSession>> AwsSession::Create(SessionOptions options) {
  std::shared_ptr<AwsSession> s(new AwsSession());
  s->env_ = options.environment ? *options.environment : Environment::FromProcess();
  const Environment& env = s->env_;

  auto config = SharedConfig::Load(env);
  if (!config.ok()) return config.error();
  s->config_ = std::make_shared<SharedConfig>(std::move(*config));

  bool profile_named = (options.profile && !options.profile->empty()) || env.Get("AWS_PROFILE");
  s->profile_name_ = SelectedProfile(env, options.profile);
  auto profile = s->config_->Profile(s->profile_name_);
  if (!profile && profile_named && !options.credentials) {
    return Error::Local("ProfileNotFound", "The config profile (" + s->profile_name_ +
                                               ") could not be found in " + s->config_->credentials_path() +
                                               " or " + s->config_->config_path());
  }
  s->profile_ = profile.value_or(IniSection{});

  if (options.region && !options.region->empty()) {
    s->region_ = *options.region;
  } else if (auto r = env.Get("AWS_REGION")) {
    s->region_ = *r;
  } else if (auto r = env.Get("AWS_DEFAULT_REGION")) {
    s->region_ = *r;
  } else if (auto r = ProfileValue(s->profile_, "region")) {
    s->region_ = *r;
  } else {
    s->region_ = kDefaultRegion;
  }
  if (!IsValidRegionName(s->region_)) {
    return Error::Local("InvalidRegion", "'" + s->region_ + "' is not a valid region name");
  }

  RetryConfig retry;
  if (options.max_attempts) {
    if (*options.max_attempts < 1) return Error::Local("InvalidConfig", "max attempts must be at least 1");
    retry.max_attempts = *options.max_attempts;
  } else if (auto v = env.Get("AWS_MAX_ATTEMPTS")) {
    auto n = ParseMaxAttempts(*v, "AWS_MAX_ATTEMPTS");
    if (!n.ok()) return n.error();
    retry.max_attempts = *n;
  } else if (auto v = ProfileValue(s->profile_, "max_attempts")) {
    auto n = ParseMaxAttempts(*v, "max_attempts of profile " + s->profile_name_);
    if (!n.ok()) return n.error();
    retry.max_attempts = *n;
  }

  if (!options.clock) options.clock = Clock::System();
  if (!options.sleeper) options.sleeper = Sleeper::Real();
  if (!options.random) options.random = Random::Default();
  if (!options.transport) {
    CurlTransportOptions http;
    if (auto ca = env.Get("AWS_CA_BUNDLE")) http.ca_bundle = *ca;
    else if (auto ca = ProfileValue(s->profile_, "ca_bundle")) http.ca_bundle = *ca;
    options.transport = std::make_shared<CurlTransport>(http);
  }
  if (options.wrap_transport) options.transport = options.wrap_transport(options.transport);
  // The retry mode, as the AWS CLI reads it: AWS_RETRY_MODE, then the profile's retry_mode, then
  // the caller's default. "legacy" is served by the standard mode.
  std::string mode = options.default_retry_mode.value_or("standard");
  std::string mode_origin = "the default retry mode";
  if (auto v = env.Get("AWS_RETRY_MODE")) {
    mode = *v;
    mode_origin = "AWS_RETRY_MODE";
  } else if (auto v = ProfileValue(s->profile_, "retry_mode")) {
    mode = *v;
    mode_origin = "retry_mode of profile " + s->profile_name_;
  }
  if (mode != "standard" && mode != "adaptive" && mode != "legacy") {
    return Error::Local("InvalidConfig", mode_origin + " is '" + mode + "'; it must be standard, adaptive or legacy");
  }
  auto limiter = mode == "adaptive" ? std::make_shared<AdaptiveRateLimiter>(options.clock, options.sleeper) : nullptr;
  s->retry_ = std::make_shared<RetryStrategy>(retry, std::make_shared<RetryQuota>(), options.random, limiter);

  if (options.credentials) {
    s->credentials_ = std::make_shared<StaticCredentialsProvider>(*options.credentials);
  } else {
    std::weak_ptr<AwsSession> weak = s;
    AssumeRoleCall assume_role = [weak](const Credentials& source, const Json& input) -> Outcome<Json> {
      auto session = weak.lock();
      if (!session) return Error::Local("SessionClosed", "the session that owns this role is gone");
      auto sts = session->WithCredentials(source)->Client("sts");
      if (!sts.ok()) return sts.error();
      return (*sts)->Call("AssumeRole", input);
    };
    std::vector<std::shared_ptr<CredentialsProvider>> chain;
    // As in the AWS CLI: --profile means that profile's credentials, not the environment's.
    if (!(options.profile && !options.profile->empty())) {
      chain.push_back(std::make_shared<EnvironmentCredentialsProvider>(env));
    }
    chain.push_back(std::make_shared<ProfileCredentialsProvider>(
        s->config_, s->profile_name_, profile_named, env, assume_role, options.clock));
    s->credentials_ = std::make_shared<ChainCredentialsProvider>(std::move(chain));
  }
  s->options_ = std::move(options);
  return s;
}

Outcome<ResolvedEndpoint> AwsSession::EndpointFor(const std::string& service) const {
  return ResolveEndpoint(service, region_, options_.endpoint_url, env_, profile_, config_.get());
}

Outcome<std::shared_ptr<AwsClient>> AwsSession::Client(const std::string& service) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = clients_.find(service);
  if (it != clients_.end()) return it->second;
  if (!ServiceModel::Get(service)) return Error::Local("UnknownService", "no such service: " + service);
  auto endpoint = EndpointFor(service);
  if (!endpoint.ok()) return endpoint.error();
  ClientSettings settings;
  settings.service = service;
  settings.signing_region = endpoint->signing_region;
  settings.endpoint = endpoint->endpoint;
  settings.endpoint_overridden = endpoint->overridden;
  settings.credentials = credentials_;
  settings.transport = options_.transport;
  settings.retry = retry_;
  settings.clock = options_.clock;
  settings.sleeper = options_.sleeper;
  settings.observer = options_.observer;
  auto client = std::make_shared<AwsClient>(settings);
  clients_[service] = client;
  return client;
}

std::shared_ptr<AwsSession> AwsSession::WithCredentials(const Credentials& credentials) const {
  std::shared_ptr<AwsSession> s(new AwsSession());
  s->options_ = options_;
  s->options_.credentials = credentials;
  s->env_ = env_;
  s->config_ = config_;
  s->profile_ = profile_;
  s->profile_name_ = profile_name_;
  s->region_ = region_;
  s->retry_ = retry_;
  s->credentials_ = std::make_shared<StaticCredentialsProvider>(credentials, credentials.source);
  return s;
}

}  // namespace datamesh::aws
