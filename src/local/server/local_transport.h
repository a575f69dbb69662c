// The in-process way to the local mesh: an HttpTransport that hands each (signed) request to the
// mesh handler directly, without sockets. Signatures are still made and verified.
#pragma once

#include <memory>

#include "aws/http/http_transport.h"
#include "local/server/mesh_handler.h"

namespace datamesh::local {

// The endpoint URL clients use with the in-process transport; the host is never resolved.
inline constexpr char kInProcessEndpoint[] = "http://local.datamesh";

class LocalTransport : public aws::HttpTransport {
 public:
  explicit LocalTransport(std::shared_ptr<MeshHandler> handler) : handler_(std::move(handler)) {}
  Outcome<aws::HttpResponse> Send(const aws::HttpRequest& request) override { return handler_->Handle(request); }

 private:
  std::shared_ptr<MeshHandler> handler_;
};

// Opens the local mesh in `path` and returns the transport that reaches it in process.
Outcome<std::shared_ptr<aws::HttpTransport>> OpenInProcessTransport(const std::string& path);

}  // namespace datamesh::local
