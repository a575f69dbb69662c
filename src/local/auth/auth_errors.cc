#include "local/auth/auth_errors.h"

namespace datamesh::local {
namespace {

struct Family {
  const char* unknown_key;
  const char* bad_signature;
  const char* missing;
  const char* expired_token;
  const char* invalid_token;
  int status;          // most auth failures
  int expired_status;  // ExpiredToken
};

// awsQuery services (STS, IAM).
constexpr Family kQuery = {"InvalidClientTokenId", "SignatureDoesNotMatch", "MissingAuthenticationToken",
                           "ExpiredToken", "InvalidClientTokenId", 403, 400};
// awsJson services (Glue, DynamoDB).
constexpr Family kJson = {"UnrecognizedClientException", "InvalidSignatureException",
                          "MissingAuthenticationTokenException", "ExpiredTokenException",
                          "UnrecognizedClientException", 400, 400};
// restJson services (Lake Formation, RAM).
constexpr Family kRestJson = {"UnrecognizedClientException", "InvalidSignatureException",
                              "MissingAuthenticationTokenException", "ExpiredTokenException",
                              "UnrecognizedClientException", 403, 403};
// S3.
constexpr Family kS3 = {"InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied", "ExpiredToken",
                        "InvalidToken", 403, 400};

const Family& FamilyOf(const std::string& service) {
  if (service == "glue" || service == "dynamodb") return kJson;
  if (service == "lakeformation" || service == "ram") return kRestJson;
  if (service == "s3") return kS3;
  return kQuery;
}

}  // namespace

Error AuthError(const std::string& service, AuthFailure failure, const std::string& detail) {
  const Family& f = FamilyOf(service);
  auto make = [&](const char* code, std::string message, int status) {
    if (!detail.empty()) message += " " + detail;
    return Error(code, message, ErrorKind::kClient, status);
  };
  switch (failure) {
    case AuthFailure::kUnknownKey:
      return make(f.unknown_key,
                  service == "s3" ? "The AWS Access Key Id you provided does not exist in our records."
                                  : "The security token included in the request is invalid.",
                  f.status);
    case AuthFailure::kBadSignature:
      return make(f.bad_signature,
                  "The request signature we calculated does not match the signature you provided. Check your "
                  "AWS Secret Access Key and signing method. Consult the service documentation for details.",
                  f.status);
    case AuthFailure::kMissing:
      return make(f.missing, service == "s3" ? "Access Denied" : "Request is missing Authentication Token", f.status);
    case AuthFailure::kIncomplete:
      return make("IncompleteSignature", "The request signature does not conform to AWS standards.", 400);
    case AuthFailure::kExpiredToken:
      return make(f.expired_token, "The security token included in the request is expired", f.expired_status);
    case AuthFailure::kInvalidToken:
      return make(f.invalid_token,
                  service == "s3" ? "The provided token is malformed or otherwise invalid."
                                  : "The security token included in the request is invalid.",
                  service == "s3" ? 400 : f.status);
    case AuthFailure::kClockSkew:
      if (service == "s3") {
        return make("RequestTimeTooSkewed", "The difference between the request time and the current time is too large.", 403);
      }
      return make(f.bad_signature, "Signature expired: the request time is more than 15 minutes from the server time.",
                  f.status);
    case AuthFailure::kPresignExpired:
      if (service == "s3") return make("AccessDenied", "Request has expired", 403);
      return make(f.bad_signature, "Signature expired: the presigned request is past its expiry time.", f.status);
  }
  return make(f.bad_signature, "authentication failed", f.status);
}

}  // namespace datamesh::local
