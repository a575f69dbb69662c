// Sends one HTTP request and returns the response. The client's only way to the network, so that
// tests and the in-process local mesh can stand in for it.
#pragma once

#include "aws/http/http_request.h"

namespace datamesh::aws {

class HttpTransport {
 public:
  virtual ~HttpTransport() = default;
  // A response of any status is a success here; an Error means no response was received
  // (connection refused, timeout, TLS failure), classified transient where a retry may help.
  virtual Outcome<HttpResponse> Send(const HttpRequest& request) = 0;
};

}  // namespace datamesh::aws
