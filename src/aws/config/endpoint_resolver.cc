#include "aws/config/endpoint_resolver.h"

#include <algorithm>

#include "aws/http/headers.h"

namespace datamesh::aws {

std::string ServiceEnvName(const std::string& service) {
  std::string out = service;
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
    return c == ' ' || c == '-' ? '_' : static_cast<char>(std::toupper(c));
  });
  return out;
}

bool IsValidRegionName(const std::string& region) {
  if (region.empty() || region.size() > 32) return false;
  return std::all_of(region.begin(), region.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

std::string DefaultEndpointUrl(const std::string& service, const std::string& region) {
  const std::string suffix = region.rfind("cn-", 0) == 0 ? "amazonaws.com.cn" : "amazonaws.com";
  if (service == "iam" && suffix == "amazonaws.com") return "https://iam.amazonaws.com";
  return "https://" + service + "." + region + "." + suffix;
}

Outcome<ResolvedEndpoint> ResolveEndpoint(const std::string& service, const std::string& region,
                                          const std::optional<std::string>& explicit_url,
                                          const Environment& env, const IniSection& profile,
                                          const SharedConfig* config) {
  std::string url;
  std::string origin;
  const std::string env_name = ServiceEnvName(service);
  const std::string key = ToLower(env_name);
  bool ignore_configured =
      ToLower(env.Get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS").value_or("false")) == "true";
  auto from_profile = [&](const std::string& k) -> std::optional<std::string> {
    auto it = profile.find(k);
    if (it == profile.end() || it->second.empty()) return std::nullopt;
    return it->second;
  };

  if (explicit_url && !explicit_url->empty()) {
    url = *explicit_url;
    origin = "--endpoint-url";
  } else if (!ignore_configured) {
    if (auto v = env.Get("AWS_ENDPOINT_URL_" + env_name)) {
      url = *v;
      origin = "AWS_ENDPOINT_URL_" + env_name;
    } else if (auto v = env.Get("AWS_ENDPOINT_URL")) {
      url = *v;
      origin = "AWS_ENDPOINT_URL";
    } else if (auto services = from_profile("services"); services && config) {
      if (auto section = config->Services(*services)) {
        auto it = section->find(key + ".endpoint_url");
        if (it != section->end() && !it->second.empty()) {
          url = it->second;
          origin = "services section '" + *services + "'";
        }
      }
    }
    if (url.empty()) {
      if (auto v = from_profile("endpoint_url")) {
        url = *v;
        origin = "profile endpoint_url";
      }
    }
  }

  ResolvedEndpoint resolved;
  resolved.overridden = !url.empty();
  if (url.empty()) {
    if (!IsValidRegionName(region)) {
      return Error::Local("InvalidRegion", "'" + region + "' is not a valid region name");
    }
    url = DefaultEndpointUrl(service, region);
    origin = "default";
  }
  auto endpoint = Endpoint::Parse(url);
  if (!endpoint.ok()) {
    return Error::Local(endpoint.error().code(), endpoint.error().message() + " (from " + origin + ")");
  }
  resolved.endpoint = *endpoint;
  resolved.origin = origin;
  // IAM is global: the aws partition signs it for us-east-1 wherever the caller is.
  resolved.signing_region = service == "iam" && region.rfind("cn-", 0) != 0 ? "us-east-1" : region;
  return resolved;
}

}  // namespace datamesh::aws
