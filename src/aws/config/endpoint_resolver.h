// Where each service lives: the real endpoints of the aws partition, and the overrides the AWS
// SDKs honour, in their order of precedence:
//   an explicit endpoint (--endpoint-url), AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL,
//   the profile's services section (<service> = endpoint_url = ...), the profile's endpoint_url.
// AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true ignores all but the explicit one.
#pragma once

#include <optional>
#include <string>

#include "aws/config/environment.h"
#include "aws/config/shared_config.h"
#include "aws/http/http_request.h"

namespace datamesh::aws {

struct ResolvedEndpoint {
  Endpoint endpoint;
  std::string signing_region;
  bool overridden = false;
  std::string origin;  // where the URL came from, for messages and logs
};

// The default endpoint URL of `service` in `region` (aws partition).
std::string DefaultEndpointUrl(const std::string& service, const std::string& region);

// `profile`: the selected profile's settings (may be empty).
Outcome<ResolvedEndpoint> ResolveEndpoint(const std::string& service, const std::string& region,
                                          const std::optional<std::string>& explicit_url,
                                          const Environment& env, const IniSection& profile,
                                          const SharedConfig* config);

// The suffix of AWS_ENDPOINT_URL_<SERVICE> and the key in a services section.
std::string ServiceEnvName(const std::string& service);

// True for region names that are safe to put in a host name.
bool IsValidRegionName(const std::string& region);

}  // namespace datamesh::aws
