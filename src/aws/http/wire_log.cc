#include "aws/http/wire_log.h"

#include <re2/re2.h>
#include <spdlog/spdlog.h>

namespace datamesh::aws {
namespace {

// Names whose values are secrets, in any of the wire formats (JSON "Name": "v", XML <Name>v</Name>,
// query Name=v; the shared config's snake_case spellings too).
constexpr char kSecretNames[] =
    "SecretAccessKey|SessionToken|SecurityToken|Token|Password|SecretKey|secret_access_key|aws_secret_access_key|"
    "session_token|aws_session_token|X-Amz-Security-Token|X-Amz-Signature";

const size_t kBodyLimit = 64 * 1024;  // a page of partitions is enough to see what happened

bool IsSecretHeader(const std::string& name) {
  std::string lower;
  for (char c : name) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower == "authorization" || lower == "x-amz-security-token" || lower == "cookie";
}

std::string Body(const std::string& body) {
  if (body.size() <= kBodyLimit) return RedactSecrets(body);
  return RedactSecrets(body.substr(0, kBodyLimit)) + "... (" + std::to_string(body.size()) + " bytes)";
}

}  // namespace

std::string RedactSecrets(const std::string& text) {
  static const re2::RE2 kJson(std::string("(\"(?:") + kSecretNames + ")\"\\s*:\\s*\")(?:[^\"\\\\]|\\\\.)*(\")");
  static const re2::RE2 kXml(std::string("(<(") + kSecretNames + ")>)[^<]*(</)");
  static const re2::RE2 kQuery(std::string("((?:^|[&?\\s])(?:") + kSecretNames + ")=)[^&\\s]*");
  std::string out = text;
  re2::RE2::GlobalReplace(&out, kJson, "\\1<redacted>\\2");
  re2::RE2::GlobalReplace(&out, kXml, "\\1<redacted>\\3");
  re2::RE2::GlobalReplace(&out, kQuery, "\\1<redacted>");
  return out;
}

void LogWireRequest(const std::string& operation, const HttpRequest& request) {
  if (!spdlog::should_log(spdlog::level::trace)) return;
  std::string headers;
  for (const auto& f : request.headers) {
    headers += "\n  " + f.first + ": " + (IsSecretHeader(f.first) ? "<redacted>" : f.second);
  }
  spdlog::trace("{} request: {} {}{}\n{}", operation, request.method, RedactSecrets(request.Url()), headers,
                Body(request.body));
}

void LogWireResponse(const std::string& operation, const HttpResponse& response) {
  if (!spdlog::should_log(spdlog::level::trace)) return;
  std::string headers;
  for (const auto& f : response.headers) {
    headers += "\n  " + f.first + ": " + (IsSecretHeader(f.first) ? "<redacted>" : f.second);
  }
  spdlog::trace("{} response: HTTP {}{}\n{}", operation, response.status, headers, Body(response.body));
}

}  // namespace datamesh::aws
