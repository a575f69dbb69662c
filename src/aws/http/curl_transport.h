// HttpTransport over libcurl: TLS verification on, connections kept alive and reused through a
// pool of easy handles, connect and whole-request timeouts. Safe to use from many threads.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <vector>

#include "aws/http/http_transport.h"

namespace datamesh::aws {

struct CurlTransportOptions {
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds request_timeout{60'000};
  bool verify_tls = true;
  std::string ca_bundle;  // empty: the system's (AWS_CA_BUNDLE when set)
};

class CurlTransport : public HttpTransport {
 public:
  explicit CurlTransport(CurlTransportOptions options = {});
  ~CurlTransport() override;
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  Outcome<HttpResponse> Send(const HttpRequest& request) override;

 private:
  void* Acquire();
  void Release(void* handle);

  CurlTransportOptions options_;
  std::mutex mu_;
  std::vector<void*> idle_;  // CURL* handles, each keeping its connections alive
};

}  // namespace datamesh::aws
