// `datamesh local serve`: the local mesh over HTTP, speaking the real wire protocols so that any
// AWS SDK or the AWS CLI can use it as its endpoint. Keep-alive, a pool of worker threads, and
// GET /_datamesh/health.
#pragma once

#include <memory>
#include <string>
#include <thread>

#include "local/server/mesh_handler.h"

namespace httplib {
class Server;
}

namespace datamesh::local {

class HttpServer {
 public:
  explicit HttpServer(std::shared_ptr<MeshHandler> handler);
  ~HttpServer();

  // Binds host:port (port 0 picks a free one) and serves on a background thread.
  Status Start(const std::string& host, int port);
  // The port actually bound.
  int port() const { return port_; }
  // Stops accepting, finishes the requests in flight, and joins the serving thread.
  void Stop();

 private:
  std::shared_ptr<MeshHandler> handler_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace datamesh::local
