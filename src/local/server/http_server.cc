#include "local/server/http_server.h"

#include <httplib.h>

#include "aws/http/http_request.h"

namespace datamesh::local {
namespace {

constexpr size_t kWorkerThreads = 64;

aws::HttpRequest FromHttplib(const httplib::Request& req) {
  aws::HttpRequest out;
  out.method = req.method;
  // The raw request target, so that signatures are checked over exactly what the client sent.
  const std::string& target = req.target.empty() ? req.path : req.target;
  size_t q = target.find('?');
  out.path = target.substr(0, q);
  if (q != std::string::npos) out.query = aws::ParseQueryString(target.substr(q + 1));
  for (const auto& [name, value] : req.headers) {
    // httplib adds these for its own bookkeeping; they were never sent by the client.
    if (name == "REMOTE_ADDR" || name == "REMOTE_PORT" || name == "LOCAL_ADDR" || name == "LOCAL_PORT") continue;
    out.headers.Add(name, value);
  }
  return out;
}

}  // namespace

HttpServer::HttpServer(std::shared_ptr<MeshHandler> handler)
    : handler_(std::move(handler)), server_(std::make_unique<httplib::Server>()) {
  auto respond = [this](const httplib::Request& req, std::string body, httplib::Response& res) {
    aws::HttpRequest request = FromHttplib(req);
    request.body = std::move(body);
    aws::HttpResponse r = handler_->Handle(request);
    res.status = r.status;
    std::string content_type = "application/octet-stream";
    for (const auto& [name, value] : r.headers) {
      if (aws::EqualsIgnoreCase(name, "Content-Type")) content_type = value;
      else res.set_header(name, value);
    }
    if (req.method == "HEAD") {
      res.set_header("Content-Type", content_type);
    } else {
      res.set_content(r.body, content_type);
    }
  };
  // Bodies are read through a content reader: httplib's own body reading refuses form-encoded
  // bodies over 8 KiB, and IAM requests carrying policy documents are often larger.
  auto with_body = [respond](const httplib::Request& req, httplib::Response& res,
                             const httplib::ContentReader& reader) {
    std::string body;
    reader([&body](const char* data, size_t length) {
      body.append(data, length);
      return true;
    });
    respond(req, std::move(body), res);
  };
  auto without_body = [respond](const httplib::Request& req, httplib::Response& res) { respond(req, "", res); };
  const char* any = "(.*)";
  server_->Get(any, without_body);
  server_->Options(any, without_body);
  server_->Post(any, with_body);
  server_->Put(any, with_body);
  server_->Delete(any, with_body);
  server_->Patch(any, with_body);
  // Each kept-alive connection holds a worker while it waits for its next request, so the pool
  // is sized for many concurrent SDK clients rather than for the number of cores.
  server_->new_task_queue = [] { return new httplib::ThreadPool(kWorkerThreads); };
  // Without TCP_NODELAY, a response sent in more than one write on a kept-alive connection waits
  // for the client's delayed ACK (Nagle's algorithm): about 40 ms per request. Accepted sockets
  // inherit the option from the listening one on Linux.
  server_->set_tcp_nodelay(true);
  // httplib's default sets SO_REUSEPORT, which lets a second server bind a port already in use
  // and the kernel then splits connections between two meshes. SO_REUSEADDR alone still allows
  // a quick restart (over TIME_WAIT) but refuses a port another socket listens on.
  server_->set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  server_->set_keep_alive_max_count(1000);
  server_->set_payload_max_length(64 * 1024 * 1024);
}

HttpServer::~HttpServer() { Stop(); }

Status HttpServer::Start(const std::string& host, int port) {
  if (port == 0) {
    port_ = server_->bind_to_any_port(host);
  } else {
    port_ = server_->bind_to_port(host, port) ? port : -1;
  }
  if (port_ <= 0) {
    return Error::Local("AddressInUse", "cannot listen on " + host + ":" + std::to_string(port) +
                                            " (in use, or not an address of this machine)");
  }
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  while (!server_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return OkStatus();
}

void HttpServer::Stop() {
  if (thread_.joinable()) {
    server_->stop();
    thread_.join();
  }
}

}  // namespace datamesh::local
