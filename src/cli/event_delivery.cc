#include "cli/event_delivery.h"

#include <spdlog/spdlog.h>
#include <sys/wait.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <thread>

#include "aws/http/curl_transport.h"

namespace datamesh::cli {

EventDelivery::EventDelivery(DeliveryOptions options, const std::atomic<bool>* stop)
    : options_(std::move(options)), stop_(stop) {
  if (!options_.webhook.empty()) transport_ = std::make_shared<aws::CurlTransport>();
  // A command that exits without reading the event closes the pipe: that is its failure to
  // report, not a signal to die of.
  if (!options_.exec.empty()) std::signal(SIGPIPE, SIG_IGN);
}

Status EventDelivery::WithRetries(const std::string& what, const std::function<Status()>& attempt) {
  double backoff = options_.first_backoff_seconds;
  for (int i = 1;; ++i) {
    auto done = attempt();
    if (done.ok()) return done;
    if (i >= options_.attempts || (stop_ && *stop_)) return done;
    spdlog::warn("{} failed (attempt {} of {}): {}; again in {:.1f} s", what, i, options_.attempts, done.error().message(),
                 backoff);
    const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(backoff);
    while (std::chrono::steady_clock::now() < until && !(stop_ && *stop_)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    backoff = std::min(backoff * 2, 30.0);
  }
}

Status EventDelivery::RunCommand(const std::string& text) {
  FILE* pipe = popen(options_.exec.c_str(), "w");
  if (!pipe) return Error::Local("DeliveryFailed", "cannot run --exec command");
  std::fwrite(text.data(), 1, text.size(), pipe);
  std::fputc('\n', pipe);
  const int status = pclose(pipe);
  if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return Error::Local("DeliveryFailed", "the --exec command exited with status " +
                                              std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : status));
  }
  return OkStatus();
}

Status EventDelivery::Post(const std::string& text) {
  auto endpoint = aws::Endpoint::Parse(options_.webhook);
  if (!endpoint.ok()) return Error::Local("InvalidArgument", "--webhook: " + endpoint.error().message());
  aws::HttpRequest request;
  request.method = "POST";
  request.endpoint = *endpoint;
  request.path = endpoint->base_path.empty() ? "/" : "";  // the URL's own path, as given
  request.headers.Set("Content-Type", "application/json");
  request.body = text;
  auto response = transport_->Send(request);
  if (!response.ok()) return Error::Local("DeliveryFailed", "webhook unreachable: " + response.error().message());
  if (response->status < 200 || response->status >= 300) {
    return Error::Local("DeliveryFailed", "webhook answered HTTP " + std::to_string(response->status));
  }
  return OkStatus();
}

Status EventDelivery::Deliver(const nlohmann::json& event) {
  const std::string text = event.dump();
  if (!options_.exec.empty()) {
    if (auto s = WithRetries("--exec", [&] { return RunCommand(text); }); !s.ok()) return s;
  }
  if (!options_.webhook.empty()) {
    if (auto s = WithRetries("--webhook", [&] { return Post(text); }); !s.ok()) return s;
  }
  return OkStatus();
}

}  // namespace datamesh::cli
