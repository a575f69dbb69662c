#include "local/auth/request_authenticator.h"

#include <cstdlib>
#include <openssl/crypto.h>
#include <spdlog/spdlog.h>

#include "aws/auth/sigv4_signer.h"
#include "aws/core/crypto.h"
#include "aws/core/encoding.h"
#include "aws/core/time_format.h"
#include "local/auth/auth_errors.h"
#include "local/iam/iam_store.h"

namespace datamesh::local {
namespace {

constexpr auto kMaxSkew = std::chrono::minutes(15);

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find(sep, start);
    if (end == std::string::npos) end = s.size();
    out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

Error Incomplete(const std::string& service, const std::string& why) {
  Error e = AuthError("", AuthFailure::kIncomplete);
  return Error(e.code(), e.message() + " " + why, e.kind(), e.http_status());
}

Status ReadCredential(const std::string& credential, SignatureInfo& info) {
  auto parts = Split(credential, '/');
  if (parts.size() != 5 || parts[4] != "aws4_request" || parts[0].empty()) {
    return Incomplete("", "Credential must have the form <key>/<date>/<region>/<service>/aws4_request.");
  }
  info.access_key_id = parts[0];
  info.date = parts[1];
  info.region = parts[2];
  info.service = parts[3];
  return OkStatus();
}

}  // namespace

Outcome<std::optional<SignatureInfo>> ReadSignatureInfo(const aws::HttpRequest& request) {
  SignatureInfo info;
  if (auto auth = request.headers.Get("Authorization")) {
    const std::string prefix = std::string(aws::kSigV4Algorithm) + " ";
    if (auth->rfind(prefix, 0) != 0) return Incomplete("", "Unsupported authorization algorithm.");
    std::map<std::string, std::string> fields;
    for (const auto& part : Split(auth->substr(prefix.size()), ',')) {
      std::string p = Trim(part);
      size_t eq = p.find('=');
      if (eq != std::string::npos) fields[p.substr(0, eq)] = p.substr(eq + 1);
    }
    for (const char* need : {"Credential", "SignedHeaders", "Signature"}) {
      if (!fields.count(need)) return Incomplete("", std::string("Authorization header requires '") + need + "' parameter.");
    }
    if (auto s = ReadCredential(fields["Credential"], info); !s.ok()) return s.error();
    info.signed_headers = Split(fields["SignedHeaders"], ';');
    info.signature = fields["Signature"];
    info.amz_date = request.headers.Get("X-Amz-Date").value_or("");
    if (info.amz_date.empty()) return Incomplete("", "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
    return std::optional(info);
  }
  std::map<std::string, std::string> q;
  for (auto& [k, v] : request.query) q[k] = v;
  if (!q.count("X-Amz-Algorithm")) return std::optional<SignatureInfo>();
  if (q["X-Amz-Algorithm"] != aws::kSigV4Algorithm) return Incomplete("", "Unsupported X-Amz-Algorithm.");
  for (const char* need : {"X-Amz-Credential", "X-Amz-Date", "X-Amz-SignedHeaders", "X-Amz-Signature"}) {
    if (!q.count(need)) return Incomplete("", std::string("Query-string authentication requires the ") + need + " parameter.");
  }
  if (auto s = ReadCredential(q["X-Amz-Credential"], info); !s.ok()) return s.error();
  info.signed_headers = Split(q["X-Amz-SignedHeaders"], ';');
  info.signature = q["X-Amz-Signature"];
  info.amz_date = q["X-Amz-Date"];
  info.presigned = true;
  info.expires = std::atoll(q.count("X-Amz-Expires") ? q["X-Amz-Expires"].c_str() : "604800");
  return std::optional(info);
}

Outcome<Principal> Authenticate(const aws::HttpRequest& request, const std::string& service,
                                Transaction& tx, aws::SystemTime now) {
  auto read = ReadSignatureInfo(request);
  if (!read.ok()) return read.error();
  if (!*read) return AuthError(service, AuthFailure::kMissing);
  const SignatureInfo& info = **read;

  auto signed_at = aws::ParseAmzDate(info.amz_date);
  if (!signed_at || aws::FormatDateStamp(*signed_at) != info.date) {
    return Incomplete(service, "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP.");
  }
  auto owner = FindKeyOwner(tx, info.access_key_id);
  if (!owner || !owner->active) return AuthError(service, AuthFailure::kUnknownKey);

  // The session token travels as a header or (presigned) a query parameter.
  std::optional<std::string> token = request.headers.Get("X-Amz-Security-Token");
  for (auto& [k, v] : request.query) {
    if (k == "X-Amz-Security-Token") token = v;
  }
  if (owner->session_token.empty()) {
    if (token) return AuthError(service, AuthFailure::kInvalidToken);
  } else {
    if (!token || *token != owner->session_token) return AuthError(service, AuthFailure::kInvalidToken);
    if (owner->expires && now >= *owner->expires) return AuthError(service, AuthFailure::kExpiredToken);
  }

  if (info.presigned) {
    if (now > *signed_at + std::chrono::seconds(info.expires)) return AuthError(service, AuthFailure::kPresignExpired);
    if (*signed_at - now > kMaxSkew) return AuthError(service, AuthFailure::kClockSkew);
  } else if (now - *signed_at > kMaxSkew || *signed_at - now > kMaxSkew) {
    return AuthError(service, AuthFailure::kClockSkew);
  }

  // Recompute the signature over exactly what the client says it signed.
  aws::HttpRequest canonical;
  canonical.method = request.method;
  canonical.path = request.path;
  for (auto& [k, v] : request.query) {
    if (!(info.presigned && k == "X-Amz-Signature")) canonical.query.emplace_back(k, v);
  }
  for (const auto& name : info.signed_headers) {
    for (const auto& [k, v] : request.headers) {
      if (aws::EqualsIgnoreCase(k, name)) canonical.headers.Add(name, v);
    }
  }
  aws::SigningOptions options;
  options.region = info.region;
  options.service = info.service;
  options.time = *signed_at;
  if (info.service == "s3") {
    options.normalize_path = false;
    options.double_encode_path = false;
  }
  std::string payload_hash;
  if (auto h = request.headers.Get("x-amz-content-sha256")) {
    payload_hash = *h;
    if (*h != aws::kUnsignedPayload && *h != aws::HexEncode(aws::Sha256(request.body))) {
      return Error(service == "s3" ? "XAmzContentSHA256Mismatch" : "InvalidSignatureException",
                   "The provided 'x-amz-content-sha256' header does not match what was computed.", ErrorKind::kClient, 400);
    }
  } else if (info.presigned && info.service == "s3") {
    payload_hash = aws::kUnsignedPayload;
  } else {
    payload_hash = aws::HexEncode(aws::Sha256(request.body));
  }
  auto expected = aws::ComputeSignature(canonical, owner->secret, options, info.signed_headers, payload_hash);
  if (expected.signature.size() != info.signature.size() ||
      CRYPTO_memcmp(expected.signature.data(), info.signature.data(), info.signature.size()) != 0) {
    spdlog::debug("signature mismatch for {}; the canonical request was:\n{}", info.access_key_id,
                  expected.canonical_request);
    return AuthError(service, AuthFailure::kBadSignature);
  }
  return owner->principal;
}

}  // namespace datamesh::local
