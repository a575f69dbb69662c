// AWS Signature Version 4, as the named steps of the specification: canonical request, string to
// sign, signing key, signature. Pure functions of (request, credentials, options); no clock reads.
// The local mesh verifies incoming requests with the same functions.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "aws/auth/credentials.h"
#include "aws/http/http_request.h"

namespace datamesh::aws {

inline constexpr char kSigV4Algorithm[] = "AWS4-HMAC-SHA256";
inline constexpr char kUnsignedPayload[] = "UNSIGNED-PAYLOAD";

struct SigningOptions {
  std::string region;
  std::string service;
  SystemTime time;
  // Remove "." and ".." segments and repeated slashes before encoding (every service but S3).
  bool normalize_path = true;
  // Percent-encode the (already encoded) request path once more (every service but S3).
  bool double_encode_path = true;
  // Send the payload hash as x-amz-content-sha256 (S3 requires it).
  bool add_content_sha256_header = false;
  // Use this instead of the hex SHA-256 of the body (e.g. kUnsignedPayload).
  std::optional<std::string> payload_hash;
  // Sign without the session token and add it afterwards (a few services want this).
  bool omit_session_token = false;
  // Lifetime of a presigned URL.
  std::chrono::seconds expires{3600};
};

struct SigningResult {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;  // lower-case hex
  std::string signed_headers;
};

// Adds X-Amz-Date, X-Amz-Security-Token (and x-amz-content-sha256 when asked) and the
// Authorization header to `request`.
SigningResult SignRequestHeaders(HttpRequest& request, const Credentials& credentials,
                                 const SigningOptions& options);

// Adds the X-Amz-* query parameters of a presigned URL, X-Amz-Signature last.
SigningResult PresignRequest(HttpRequest& request, const Credentials& credentials,
                             const SigningOptions& options);

// The individual steps, exposed for verification and tests.
std::string CanonicalPath(const std::string& wire_path, const SigningOptions& options);
std::string CanonicalQuery(const QueryParams& query);
// Lower-case names of the headers that get signed, sorted, without duplicates.
std::vector<std::string> HeadersToSign(const Headers& headers);
std::string CanonicalHeaders(const Headers& headers, const std::vector<std::string>& names);
std::string CredentialScope(const SigningOptions& options);
std::string DeriveSigningKey(const std::string& secret, const SigningOptions& options);
// Computes everything from a request whose X-Amz-* headers or query parameters are in place;
// `signed_header_names` say which headers take part.
SigningResult ComputeSignature(const HttpRequest& request, const std::string& secret,
                               const SigningOptions& options,
                               const std::vector<std::string>& signed_header_names,
                               const std::string& payload_hash);

}  // namespace datamesh::aws
