// --debug: every request and response on the log, as the AWS CLI's --debug shows them, with every
// secret taken out first. Secrets travel in headers (the signature, the session token) and in
// bodies (STS AssumeRole answers credentials; IAM CreateAccessKey answers a secret key).
#pragma once

#include <string>

#include "aws/http/http_request.h"

namespace datamesh::aws {

// `text` with the value of every secret field replaced by "<redacted>": JSON members, XML
// elements and query parameters named SecretAccessKey, SessionToken, Token, Password, ...
std::string RedactSecrets(const std::string& text);

// Logs (at trace level, when enabled) the request as sent and the response as received.
void LogWireRequest(const std::string& operation, const HttpRequest& request);
void LogWireResponse(const std::string& operation, const HttpResponse& response);

}  // namespace datamesh::aws
