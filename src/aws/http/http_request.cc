#include "aws/http/http_request.h"

#include <cctype>

#include "aws/core/encoding.h"

namespace datamesh::aws {

std::string Endpoint::Authority() const {
  bool default_port = port == 0 || (scheme == "https" && port == 443) ||
                      (scheme == "http" && port == 80);
  return default_port ? host : host + ":" + std::to_string(port);
}

std::string Endpoint::ToString() const { return scheme + "://" + Authority() + base_path; }

Outcome<Endpoint> Endpoint::Parse(std::string_view url) {
  auto invalid = [&](const std::string& why) {
    return Error::Local("InvalidEndpoint", "invalid endpoint URL '" + std::string(url) + "': " + why);
  };
  Endpoint e;
  size_t sep = url.find("://");
  if (sep == std::string_view::npos) return invalid("expected scheme://host[:port]");
  e.scheme = ToLower(url.substr(0, sep));
  if (e.scheme != "http" && e.scheme != "https") return invalid("scheme must be http or https");
  std::string_view rest = url.substr(sep + 3);
  size_t slash = rest.find_first_of("/?#");
  if (slash != std::string_view::npos && rest[slash] != '/') {
    return invalid("query strings and fragments are not allowed");
  }
  std::string_view authority = rest.substr(0, slash);
  if (slash != std::string_view::npos) {
    std::string_view path = rest.substr(slash);
    size_t q = path.find_first_of("?#");
    if (q != std::string_view::npos) return invalid("query strings and fragments are not allowed");
    while (!path.empty() && path.back() == '/') path.remove_suffix(1);
    e.base_path = std::string(path);
  }
  if (authority.empty()) return invalid("missing host");
  if (authority.front() == '[') {  // IPv6 literal
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return invalid("unterminated IPv6 address");
    e.host = std::string(authority.substr(0, close + 1));
    authority.remove_prefix(close + 1);
    if (!authority.empty() && authority.front() != ':') return invalid("bad port");
  } else {
    size_t colon = authority.find(':');
    e.host = std::string(authority.substr(0, colon));
    authority.remove_prefix(colon == std::string_view::npos ? authority.size() : colon);
  }
  if (!authority.empty()) {
    std::string_view port = authority.substr(1);
    if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != port.npos) {
      return invalid("bad port");
    }
    e.port = std::stoi(std::string(port));
    if (e.port < 1 || e.port > 65535) return invalid("port out of range");
  }
  if (e.host.empty()) return invalid("missing host");
  // A host name is letters, digits, '-', '.' and '_' (RFC 3986 reg-name as DNS uses it); an IPv6
  // literal is hex digits, ':' and '.' between brackets.
  const bool ipv6 = e.host.front() == '[';
  const std::string_view inner = ipv6 ? std::string_view(e.host).substr(1, e.host.size() - 2) : std::string_view(e.host);
  for (char c : inner) {
    const bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_' || (ipv6 && c == ':');
    if (!ok) return invalid("the host may not contain '" + std::string(1, c) + "'");
  }
  if (inner.empty()) return invalid("missing host");
  for (char c : e.base_path) {
    if (std::isspace(static_cast<unsigned char>(c)) || std::iscntrl(static_cast<unsigned char>(c))) {
      return invalid("the path may not contain spaces or control characters");
    }
  }
  return e;
}

std::string HttpRequest::EncodedQuery() const {
  std::string out;
  for (const auto& [key, value] : query) {
    if (!out.empty()) out += '&';
    out += UriEncode(key);
    out += '=';
    out += UriEncode(value);
  }
  return out;
}

std::string HttpRequest::Url() const {
  std::string url = endpoint.scheme + "://" + endpoint.Authority() + WirePath();
  if (!query.empty()) url += "?" + EncodedQuery();
  return url;
}

QueryParams ParseQueryString(std::string_view query) {
  QueryParams out;
  if (query.empty()) return out;
  size_t start = 0;
  while (start <= query.size()) {
    size_t end = query.find('&', start);
    if (end == std::string_view::npos) end = query.size();
    std::string_view pair = query.substr(start, end - start);
    if (!pair.empty()) {
      size_t eq = pair.find('=');
      std::string_view key = pair.substr(0, eq);
      std::string_view value = eq == std::string_view::npos ? "" : pair.substr(eq + 1);
      out.emplace_back(UriDecode(key), UriDecode(value));
    }
    start = end + 1;
  }
  return out;
}

}  // namespace datamesh::aws
