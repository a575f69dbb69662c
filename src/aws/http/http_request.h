// An HTTP request as the client builds it and the signer signs it, and the response.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "aws/http/headers.h"
#include "datamesh/outcome.h"

namespace datamesh::aws {

using QueryParams = std::vector<std::pair<std::string, std::string>>;

// Where a service lives: parsed from "https://host[:port][/base/path]".
struct Endpoint {
  std::string scheme = "https";
  std::string host;
  int port = 0;           // 0: the scheme's default
  std::string base_path;  // "" or "/prefix" (no trailing slash)

  // "host" or "host:port" when the port is not the scheme's default: the Host header.
  std::string Authority() const;
  std::string ToString() const;
  static Outcome<Endpoint> Parse(std::string_view url);
};

struct HttpRequest {
  std::string method = "GET";
  Endpoint endpoint;
  // The path exactly as it goes on the request line (already percent-encoded), starting with '/'.
  std::string path = "/";
  // Query parameters, not encoded; the encoding happens when the URL is built or signed.
  QueryParams query;
  Headers headers;
  std::string body;

  // What goes on the request line before '?': the endpoint's base path, then `path`.
  std::string WirePath() const { return endpoint.base_path + path; }
  // The query string as sent: keys and values percent-encoded, in insertion order.
  std::string EncodedQuery() const;
  // scheme://authority + WirePath() [+ '?' + query].
  std::string Url() const;
};

// Splits "a=1&b=&c" into decoded pairs (no '+' translation: AWS query strings encode spaces as
// %20 and SigV4 treats '+' literally).
QueryParams ParseQueryString(std::string_view query);

struct HttpResponse {
  int status = 0;
  Headers headers;
  std::string body;
};

}  // namespace datamesh::aws
