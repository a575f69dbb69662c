// CurlTransport against a real HTTP server on 127.0.0.1, started and stopped by each test.
#include "aws/http/curl_transport.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <set>
#include <thread>

namespace datamesh::aws {
namespace {

class LocalServer {
 public:
  LocalServer() {
    server_.Get("/slow", [](const httplib::Request&, httplib::Response& res) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1500));
      res.set_content("late", "text/plain");
    });
    auto echo = [this](const httplib::Request& req, httplib::Response& res) {
      {
        std::lock_guard<std::mutex> lock(mu_);
        client_ports_.insert(req.remote_port);
      }
      std::string content_type = req.has_header("Content-Type") ? req.get_header_value("Content-Type") : "";
      res.set_header("X-Method", req.method);
      res.set_header("X-Body", req.body);
      res.set_header("X-Query", req.get_param_value("q"));
      res.set_header("X-Content-Type", content_type.empty() ? "<none>" : content_type);
      res.set_header("X-Custom", req.get_header_value("X-Custom"));
      res.status = 201;
      res.set_content("echo", "text/plain");
    };
    server_.Get("/echo", echo);
    server_.Post("/echo", echo);
    server_.Put("/echo", echo);
    server_.Delete("/echo", echo);
    server_.Options("/echo", echo);
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~LocalServer() {
    server_.stop();
    thread_.join();
  }
  HttpRequest Request(const std::string& method, const std::string& path) const {
    HttpRequest r;
    r.method = method;
    r.endpoint = *Endpoint::Parse("http://127.0.0.1:" + std::to_string(port_));
    r.path = path;
    return r;
  }
  size_t distinct_connections() {
    std::lock_guard<std::mutex> lock(mu_);
    return client_ports_.size();
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::set<int> client_ports_;
};

TEST(CurlTransportTest, ReusesOneConnectionForSequentialRequests) {
  LocalServer server;
  CurlTransport transport;
  for (int i = 0; i < 5; ++i) {
    auto r = transport.Send(server.Request("GET", "/echo"));
    ASSERT_TRUE(r.ok()) << r.error().ToString();
    EXPECT_EQ(r->status, 201);
  }
  EXPECT_EQ(server.distinct_connections(), 1u);
}

TEST(CurlTransportTest, SendsMethodsBodiesQueriesAndHeaders) {
  LocalServer server;
  CurlTransport transport;
  HttpRequest put = server.Request("PUT", "/echo");
  put.body = "{\"Version\":\"2012-10-17\"}";
  put.query = {{"q", "a b&c"}};
  put.headers.Add("X-Custom", "v1");
  auto r = transport.Send(put);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->headers.Get("X-Method"), "PUT");
  EXPECT_EQ(r->headers.Get("X-Body"), put.body);
  EXPECT_EQ(r->headers.Get("X-Query"), "a b&c");
  EXPECT_EQ(r->headers.Get("X-Custom"), "v1");
  // curl must not invent a Content-Type the signer never saw.
  EXPECT_EQ(r->headers.Get("X-Content-Type"), "<none>");
  EXPECT_EQ(r->body, "echo");

  auto del = transport.Send(server.Request("DELETE", "/echo"));
  ASSERT_TRUE(del.ok());
  EXPECT_EQ(del->headers.Get("X-Method"), "DELETE");
  auto head = transport.Send(server.Request("HEAD", "/echo"));
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->status, 201);
  EXPECT_TRUE(head->body.empty());
}

TEST(CurlTransportTest, RequestTimeoutIsTransient) {
  LocalServer server;
  CurlTransportOptions options;
  options.request_timeout = std::chrono::milliseconds(300);
  CurlTransport transport(options);
  auto r = transport.Send(server.Request("GET", "/slow"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), "RequestTimeout");
  EXPECT_TRUE(r.error().retryable());
}

TEST(CurlTransportTest, RefusedConnectionIsTransientAndNamesTheUrl) {
  CurlTransport transport;
  HttpRequest r;
  r.endpoint = *Endpoint::Parse("http://127.0.0.1:9");
  auto out = transport.Send(r);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code(), "ConnectionError");
  EXPECT_TRUE(out.error().retryable());
  EXPECT_NE(out.error().message().find("http://127.0.0.1:9/"), std::string::npos);
}

}  // namespace
}  // namespace datamesh::aws
