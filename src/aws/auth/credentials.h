// AWS credentials: an access key pair, an optional session token, and when they stop working.
#pragma once

#include <optional>
#include <string>

#include "aws/core/clock.h"

namespace datamesh::aws {

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;            // empty for long-term keys
  std::optional<SystemTime> expiration;  // unset: never expires
  std::string account_id;               // optional; known for the spec's object form and STS
  std::string source;                   // where they came from, for messages ("environment", ...)

  bool empty() const { return access_key_id.empty() || secret_access_key.empty(); }
};

}  // namespace datamesh::aws
