// The authentication errors each family of AWS services answers with: the same failure has a
// different code and status in STS/IAM, the JSON services, the REST-JSON services and S3.
#pragma once

#include <string>

#include "datamesh/error.h"

namespace datamesh::local {

enum class AuthFailure {
  kUnknownKey,        // no such access key
  kBadSignature,      // the signature does not verify
  kMissing,           // no authentication at all
  kIncomplete,        // an Authorization header that is not well formed
  kExpiredToken,      // a session whose credentials expired
  kInvalidToken,      // a session token that is missing, wrong or tampered with
  kClockSkew,         // X-Amz-Date more than 15 minutes away from the server's clock
  kPresignExpired,    // a presigned URL past its X-Amz-Expires
};

// `service`: the model name of the service the request went to ("" if unknown).
Error AuthError(const std::string& service, AuthFailure failure, const std::string& detail = "");

}  // namespace datamesh::local
