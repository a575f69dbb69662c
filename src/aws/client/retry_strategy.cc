#include "aws/client/retry_strategy.h"

#include <algorithm>
#include <cmath>

namespace datamesh::aws {

bool RetryQuota::Acquire(const Error& error, int* cost_taken) {
  int cost = error.code() == "RequestTimeout" ? kTimeoutCost : kRetryCost;
  std::lock_guard<std::mutex> lock(mu_);
  if (tokens_ < cost) return false;
  tokens_ -= cost;
  *cost_taken += cost;
  return true;
}

void RetryQuota::Release(int cost_taken) {
  std::lock_guard<std::mutex> lock(mu_);
  tokens_ = std::min(kInitial, tokens_ + (cost_taken > 0 ? cost_taken : kSuccessRefund));
}

int RetryQuota::available() const {
  std::lock_guard<std::mutex> lock(mu_);
  return tokens_;
}

bool RetryStrategy::ShouldRetry(const Error& error, int attempt, int* cost_taken) {
  if (attempt >= config_.max_attempts) return false;
  if (!error.retryable()) return false;
  return quota_->Acquire(error, cost_taken);
}

Millis RetryStrategy::Backoff(int attempt) {
  double cap = static_cast<double>(config_.max_backoff.count());
  double exp = static_cast<double>(config_.base_delay.count()) * std::pow(2.0, attempt - 1);
  return Millis(static_cast<long long>(random_->NextUnit() * std::min(exp, cap)));
}

}  // namespace datamesh::aws
