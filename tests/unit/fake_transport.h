// Test doubles for the client's side effects: a transport that answers from a script and records
// what it was sent, a clock that only moves when told, a sleeper that records instead of waiting.
#pragma once

#include <deque>
#include <functional>

#include "aws/core/clock.h"
#include "aws/http/http_transport.h"

namespace datamesh::aws::testing {

class FakeTransport : public HttpTransport {
 public:
  using Responder = std::function<Outcome<HttpResponse>(const HttpRequest&)>;

  void Push(int status, std::string body, Headers headers = {}) {
    HttpResponse r;
    r.status = status;
    r.body = std::move(body);
    r.headers = std::move(headers);
    script_.push_back([r](const HttpRequest&) { return r; });
  }
  void PushError(Error e) {
    script_.push_back([e](const HttpRequest&) -> Outcome<HttpResponse> { return e; });
  }
  void Push(Responder responder) { script_.push_back(std::move(responder)); }

  Outcome<HttpResponse> Send(const HttpRequest& request) override {
    sent.push_back(request);
    if (script_.empty()) return Error("NoScript", "the fake transport has no more answers");
    auto next = std::move(script_.front());
    script_.pop_front();
    return next(request);
  }

  std::vector<HttpRequest> sent;

 private:
  std::deque<Responder> script_;
};

class FakeClock : public Clock {
 public:
  explicit FakeClock(SystemTime start = SystemTime(std::chrono::seconds(1'700'000'000))) : now_(start) {}
  SystemTime Now() const override { return now_; }
  void Advance(std::chrono::milliseconds d) { now_ += d; }
  void Set(SystemTime t) { now_ = t; }

 private:
  SystemTime now_;
};

class RecordingSleeper : public Sleeper {
 public:
  void Sleep(Millis d) override { sleeps.push_back(d); }
  std::vector<Millis> sleeps;
};

class FixedRandom : public Random {
 public:
  explicit FixedRandom(double v) : v_(v) {}
  double NextUnit() override { return v_; }

 private:
  double v_;
};

}  // namespace datamesh::aws::testing
