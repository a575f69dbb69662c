// The AWS SDKs' "standard" retry mode: a bounded number of attempts, exponential backoff with
// full jitter capped at 20 s, and a retry quota that stops retry storms when a service is down.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>

#include "aws/client/adaptive_rate_limiter.h"
#include "aws/core/clock.h"
#include "datamesh/error.h"

namespace datamesh::aws {

struct RetryConfig {
  int max_attempts = 3;  // including the first
  Millis max_backoff{20'000};
  Millis base_delay{1'000};
};

// Shared by every client of a session, as the SDKs share it per client.
class RetryQuota {
 public:
  static constexpr int kInitial = 500;
  static constexpr int kRetryCost = 5;
  static constexpr int kTimeoutCost = 10;
  static constexpr int kSuccessRefund = 1;

  // Takes the cost of retrying after `error`; false when the quota is exhausted.
  bool Acquire(const Error& error, int* cost_taken);
  // After a success: gives back what the retry took, or the small no-retry refund.
  void Release(int cost_taken);
  int available() const;

 private:
  mutable std::mutex mu_;
  int tokens_ = kInitial;
};

class RetryStrategy {
 public:
  // `limiter`: set in the adaptive retry mode, null in the standard one.
  RetryStrategy(RetryConfig config, std::shared_ptr<RetryQuota> quota, std::shared_ptr<Random> random,
                std::shared_ptr<AdaptiveRateLimiter> limiter = nullptr)
      : config_(config), quota_(std::move(quota)), random_(std::move(random)), limiter_(std::move(limiter)) {}

  // Around every attempt: in the adaptive mode, waits for the client-side rate limiter's token,
  // and tells it whether the service throttled.
  void BeforeAttempt() {
    if (limiter_) limiter_->Acquire();
  }
  void AfterAttempt(bool throttled) {
    if (limiter_) limiter_->Update(throttled);
  }
  AdaptiveRateLimiter* limiter() const { return limiter_.get(); }

  // Whether to try again after `error` on attempt number `attempt` (1-based). Takes quota.
  bool ShouldRetry(const Error& error, int attempt, int* cost_taken);
  // How long to wait before attempt `attempt + 1`.
  Millis Backoff(int attempt);
  void OnSuccess(int cost_taken) { quota_->Release(cost_taken); }
  const RetryConfig& config() const { return config_; }

 private:
  RetryConfig config_;
  std::shared_ptr<RetryQuota> quota_;
  std::shared_ptr<Random> random_;
  std::shared_ptr<AdaptiveRateLimiter> limiter_;
};

}  // namespace datamesh::aws
