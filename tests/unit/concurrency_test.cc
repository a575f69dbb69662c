// The pieces behind --max-concurrency and the adaptive retry mode: running independent work
// concurrently with results that do not depend on timing, the bound on requests in flight, and the
// SDKs' client-side rate limiter.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "aws/client/adaptive_rate_limiter.h"
#include "aws/http/limited_transport.h"
#include "fake_transport.h"
#include "mesh/concurrent.h"

namespace datamesh {
namespace {

using aws::testing::FakeClock;

// Raises `most` to `now` when `now` is higher, whatever other threads do meanwhile.
void RaiseTo(std::atomic<int>& most, int now) {
  int seen = most.load();
  while (now > seen && !most.compare_exchange_weak(seen, now)) {
  }
}

TEST(ForEachConcurrentlyTest, RunsEveryItemOnceAndNoMoreAtOnceThanAllowed) {
  std::vector<std::atomic<int>> runs(200);
  std::atomic<int> running = 0, most = 0;
  std::vector<size_t> reported;
  const auto caller = std::this_thread::get_id();
  bool reported_elsewhere = false;
  auto s = mesh::ForEachConcurrently(
      runs.size(), 5,
      [&](size_t i) {
        RaiseTo(most, ++running);
        std::this_thread::sleep_for(std::chrono::microseconds(200));
        ++runs[i];
        --running;
        return OkStatus();
      },
      [&](size_t done) {
        reported_elsewhere |= std::this_thread::get_id() != caller;
        reported.push_back(done);
      });
  ASSERT_TRUE(s.ok());
  for (const auto& r : runs) EXPECT_EQ(r.load(), 1);
  EXPECT_LE(most.load(), 5);
  EXPECT_GT(most.load(), 1);  // it did run concurrently
  EXPECT_FALSE(reported_elsewhere);  // progress is told on the caller's thread
  ASSERT_FALSE(reported.empty());
  EXPECT_TRUE(std::is_sorted(reported.begin(), reported.end()));
  EXPECT_EQ(reported.back(), runs.size());
}

TEST(ForEachConcurrentlyTest, TheErrorReportedIsTheLowestNumberedItemsWhateverFinishedFirst) {
  // The first items (one a thread) wait for item 5 to fail, and go on 20 ms later: by then the
  // failure is recorded, so however the threads are scheduled no item after them starts (without
  // the wait, on a busy machine the other threads could take every item before item 5 was done).
  auto wait_for = [](const std::atomic<bool>& flag) {
    while (!flag.load()) std::this_thread::sleep_for(std::chrono::microseconds(100));
  };
  for (int attempt = 0; attempt < 20; ++attempt) {
    std::atomic<int> started = 0;
    std::atomic<bool> five_failed = false;
    auto s = mesh::ForEachConcurrently(40, 8, [&](size_t i) -> Status {
      ++started;
      if (i == 5) {
        five_failed = true;
        return Error::Local("Five", "item 5");
      }
      if (i < 8) {
        wait_for(five_failed);
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
      if (i == 3) return Error::Local("Three", "item 3");  // fails last of the failing
      return OkStatus();
    });
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code(), "Three");
    EXPECT_LT(started.load(), 40);  // no new item starts after a failure
  }
}

TEST(ForEachConcurrentlyTest, OneAtATimeRunsInOrderOnTheCallersThreadAndStopsAtTheFirstFailure) {
  std::vector<size_t> order;
  const auto caller = std::this_thread::get_id();
  auto s = mesh::ForEachConcurrently(10, 1, [&](size_t i) -> Status {
    EXPECT_EQ(std::this_thread::get_id(), caller);
    order.push_back(i);
    return i == 6 ? Status(Error::Local("Six", "item 6")) : OkStatus();
  });
  EXPECT_EQ(s.error().code(), "Six");
  EXPECT_EQ(order, (std::vector<size_t>{0, 1, 2, 3, 4, 5, 6}));
}

// Answers after a pause, counting how many requests it holds at once.
class SlowTransport : public aws::HttpTransport {
 public:
  Outcome<aws::HttpResponse> Send(const aws::HttpRequest&) override {
    RaiseTo(most, ++in_flight);
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    --in_flight;
    aws::HttpResponse r;
    r.status = 200;
    return r;
  }
  std::atomic<int> in_flight = 0, most = 0;
};

TEST(LimitedTransportTest, HoldsRequestsFromAnyNumberOfThreadsToItsLimit) {
  auto slow = std::make_shared<SlowTransport>();
  aws::LimitedTransport limited(slow, 3);
  std::vector<std::thread> threads;
  for (int t = 0; t < 12; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10; ++i) EXPECT_EQ(limited.Send(aws::HttpRequest{})->status, 200);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(slow->most.load(), 3);
}

// A sleeper that moves the fake clock, so waits take (fake) time.
class ClockSleeper : public aws::Sleeper {
 public:
  explicit ClockSleeper(std::shared_ptr<FakeClock> clock) : clock_(std::move(clock)) {}
  void Sleep(aws::Millis d) override {
    slept += d;
    clock_->Advance(d);
  }
  aws::Millis slept{0};

 private:
  std::shared_ptr<FakeClock> clock_;
};

// The adaptive retry mode as the AWS SDKs describe it (AWS SDKs and Tools Reference Guide, retry
// behavior: "adaptive" adds client-side rate limiting that backs off when throttled).
TEST(AdaptiveRateLimiterTest, DoesNothingUntilThrottledThenLimitsTheRateAndGrowsItBack) {
  auto clock = std::make_shared<FakeClock>();
  auto sleeper = std::make_shared<ClockSleeper>(clock);
  aws::AdaptiveRateLimiter limiter(clock, sleeper);
  // 20 requests a second for 3 s, unthrottled: no limit, no wait.
  for (int i = 0; i < 60; ++i) {
    limiter.Acquire();
    limiter.Update(false);
    clock->Advance(aws::Millis(50));
  }
  EXPECT_FALSE(limiter.enabled());
  EXPECT_EQ(sleeper->slept.count(), 0);
  // A throttle: the rate drops to beta (0.7) of the measured ~20 a second.
  limiter.Update(true);
  ASSERT_TRUE(limiter.enabled());
  const double after_throttle = limiter.fill_rate();
  EXPECT_NEAR(after_throttle, 20 * aws::AdaptiveRateLimiter::kBeta, 2.5);
  // Sending as fast as allowed now waits: 30 requests take about 30 / rate seconds.
  const auto before = clock->Now();
  for (int i = 0; i < 30; ++i) {
    limiter.Acquire();
    limiter.Update(false);
  }
  const double took = std::chrono::duration<double>(clock->Now() - before).count();
  EXPECT_GT(took, 0.8);
  EXPECT_GT(sleeper->slept.count(), 0);
  // Unthrottled, the rate climbs back along the cubic, past where it was throttled.
  for (int i = 0; i < 400; ++i) {
    limiter.Acquire();
    limiter.Update(false);
  }
  EXPECT_GT(limiter.fill_rate(), after_throttle);
  // Another throttle cuts it again.
  const double before_second = limiter.fill_rate();
  limiter.Update(true);
  EXPECT_LT(limiter.fill_rate(), before_second);
}

TEST(AdaptiveRateLimiterTest, NeverFallsBelowHalfARequestASecond) {
  auto clock = std::make_shared<FakeClock>();
  auto sleeper = std::make_shared<ClockSleeper>(clock);
  aws::AdaptiveRateLimiter limiter(clock, sleeper);
  for (int i = 0; i < 50; ++i) {
    limiter.Acquire();
    limiter.Update(true);
  }
  EXPECT_GE(limiter.fill_rate(), aws::AdaptiveRateLimiter::kMinFillRate);
}

}  // namespace
}  // namespace datamesh
