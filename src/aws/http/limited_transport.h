// An HttpTransport that lets at most N requests through at once, however many threads send: the
// bound behind a workflow's --max-concurrency. Work may be split among more threads than that
// (per table, per share); the requests they send still queue here, over the one connection pool.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>

#include "aws/http/http_transport.h"

namespace datamesh::aws {

class LimitedTransport : public HttpTransport {
 public:
  LimitedTransport(std::shared_ptr<HttpTransport> inner, int limit) : inner_(std::move(inner)), limit_(limit < 1 ? 1 : limit) {}

  Outcome<HttpResponse> Send(const HttpRequest& request) override {
    {
      std::unique_lock<std::mutex> lock(mu_);
      free_.wait(lock, [&] { return in_flight_ < limit_; });
      ++in_flight_;
    }
    auto response = inner_->Send(request);
    {
      std::lock_guard<std::mutex> lock(mu_);
      --in_flight_;
    }
    free_.notify_one();
    return response;
  }

 private:
  std::shared_ptr<HttpTransport> inner_;
  const int limit_;
  std::mutex mu_;
  std::condition_variable free_;
  int in_flight_ = 0;
};

}  // namespace datamesh::aws
