#include "aws/auth/sigv4_signer.h"

#include <algorithm>
#include <set>

#include "aws/core/crypto.h"
#include "aws/core/encoding.h"
#include "aws/core/time_format.h"

namespace datamesh::aws {
namespace {

// Headers that proxies and clients add or change in flight; signing them breaks requests.
bool IsUnsignableHeader(const std::string& lower_name) {
  return lower_name == "user-agent" || lower_name == "expect" || lower_name == "x-amzn-trace-id" ||
         lower_name == "authorization" || lower_name == "connection" ||
         lower_name == "transfer-encoding";
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

// Trims the value and collapses every run of whitespace to one space (SigV4's "Trimall").
std::string TrimAll(const std::string& value) {
  std::string out;
  bool pending_space = false;
  for (char c : value) {
    if (IsSpace(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(c);
  }
  return out;
}

// RFC 3986 dot-segment removal, also dropping the empty segments of repeated slashes.
std::string NormalizePath(const std::string& path) {
  std::vector<std::string> segments;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    std::string segment = path.substr(start, end - start);
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(segment);
    }
    start = end + 1;
  }
  std::string out;
  for (const auto& s : segments) out += "/" + s;
  // A trailing slash survives only where the path ends in one, as the AWS SDKs do it.
  if (out.empty() || (path.back() == '/' && !segments.empty())) out += "/";
  return out;
}

std::string PayloadHash(const HttpRequest& request, const SigningOptions& options) {
  return options.payload_hash ? *options.payload_hash : HexEncode(Sha256(request.body));
}

}  // namespace

std::string CanonicalPath(const std::string& wire_path, const SigningOptions& options) {
  std::string path = wire_path.empty() ? "/" : wire_path;
  if (options.normalize_path) path = NormalizePath(path);
  return options.double_encode_path ? UriEncode(path, "/") : path;
}

std::string CanonicalQuery(const QueryParams& query) {
  std::vector<std::pair<std::string, std::string>> encoded;
  encoded.reserve(query.size());
  for (const auto& [k, v] : query) encoded.emplace_back(UriEncode(k), UriEncode(v));
  std::sort(encoded.begin(), encoded.end());
  std::string out;
  for (const auto& [k, v] : encoded) {
    if (!out.empty()) out += '&';
    out += k + "=" + v;
  }
  return out;
}

std::vector<std::string> HeadersToSign(const Headers& headers) {
  std::set<std::string> names;
  for (const auto& [name, value] : headers) {
    std::string lower = ToLower(name);
    if (!IsUnsignableHeader(lower)) names.insert(lower);
  }
  return {names.begin(), names.end()};
}

std::string CanonicalHeaders(const Headers& headers, const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) {
    std::string joined;
    bool first = true;
    for (const auto& [n, v] : headers) {
      if (!EqualsIgnoreCase(n, name)) continue;
      if (!first) joined += ',';
      joined += TrimAll(v);
      first = false;
    }
    out += name + ":" + joined + "\n";
  }
  return out;
}

std::string CredentialScope(const SigningOptions& options) {
  return FormatDateStamp(options.time) + "/" + options.region + "/" + options.service +
         "/aws4_request";
}

std::string DeriveSigningKey(const std::string& secret, const SigningOptions& options) {
  std::string k_date = HmacSha256("AWS4" + secret, FormatDateStamp(options.time));
  std::string k_region = HmacSha256(k_date, options.region);
  std::string k_service = HmacSha256(k_region, options.service);
  return HmacSha256(k_service, "aws4_request");
}

SigningResult ComputeSignature(const HttpRequest& request, const std::string& secret,
                               const SigningOptions& options,
                               const std::vector<std::string>& signed_header_names,
                               const std::string& payload_hash) {
  SigningResult result;
  for (const auto& name : signed_header_names) {
    if (!result.signed_headers.empty()) result.signed_headers += ';';
    result.signed_headers += name;
  }
  result.canonical_request = request.method + "\n" + CanonicalPath(request.WirePath(), options) +
                             "\n" + CanonicalQuery(request.query) + "\n" +
                             CanonicalHeaders(request.headers, signed_header_names) + "\n" +
                             result.signed_headers + "\n" + payload_hash;
  result.string_to_sign = std::string(kSigV4Algorithm) + "\n" + FormatAmzDate(options.time) + "\n" +
                          CredentialScope(options) + "\n" +
                          HexEncode(Sha256(result.canonical_request));
  result.signature =
      HexEncode(HmacSha256(DeriveSigningKey(secret, options), result.string_to_sign));
  return result;
}

SigningResult SignRequestHeaders(HttpRequest& request, const Credentials& credentials,
                                 const SigningOptions& options) {
  request.headers.Remove("Authorization");
  if (!request.headers.Has("Host")) request.headers.Add("Host", request.endpoint.Authority());
  request.headers.Set("X-Amz-Date", FormatAmzDate(options.time));
  request.headers.Remove("X-Amz-Security-Token");
  bool token = !credentials.session_token.empty();
  if (token && !options.omit_session_token) {
    request.headers.Add("X-Amz-Security-Token", credentials.session_token);
  }
  std::string payload_hash = PayloadHash(request, options);
  if (options.add_content_sha256_header) request.headers.Set("x-amz-content-sha256", payload_hash);

  SigningResult result = ComputeSignature(request, credentials.secret_access_key, options,
                                          HeadersToSign(request.headers), payload_hash);
  request.headers.Add("Authorization", std::string(kSigV4Algorithm) +
                                           " Credential=" + credentials.access_key_id + "/" +
                                           CredentialScope(options) +
                                           ", SignedHeaders=" + result.signed_headers +
                                           ", Signature=" + result.signature);
  if (token && options.omit_session_token) {
    request.headers.Add("X-Amz-Security-Token", credentials.session_token);
  }
  return result;
}

SigningResult PresignRequest(HttpRequest& request, const Credentials& credentials,
                             const SigningOptions& options) {
  if (!request.headers.Has("Host")) request.headers.Add("Host", request.endpoint.Authority());
  std::vector<std::string> names = HeadersToSign(request.headers);
  std::string signed_headers;
  for (const auto& n : names) signed_headers += (signed_headers.empty() ? "" : ";") + n;

  bool token = !credentials.session_token.empty();
  auto& q = request.query;
  q.emplace_back("X-Amz-Algorithm", kSigV4Algorithm);
  q.emplace_back("X-Amz-Credential", credentials.access_key_id + "/" + CredentialScope(options));
  q.emplace_back("X-Amz-Date", FormatAmzDate(options.time));
  q.emplace_back("X-Amz-SignedHeaders", signed_headers);
  q.emplace_back("X-Amz-Expires", std::to_string(options.expires.count()));
  if (token && !options.omit_session_token) q.emplace_back("X-Amz-Security-Token", credentials.session_token);

  SigningResult result = ComputeSignature(request, credentials.secret_access_key, options, names,
                                          PayloadHash(request, options));
  if (token && options.omit_session_token) q.emplace_back("X-Amz-Security-Token", credentials.session_token);
  q.emplace_back("X-Amz-Signature", result.signature);
  return result;
}

}  // namespace datamesh::aws
