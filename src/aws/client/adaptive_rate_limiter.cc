#include "aws/client/adaptive_rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace datamesh::aws {

double AdaptiveRateLimiter::Seconds() const {
  return std::chrono::duration<double>(clock_->Now().time_since_epoch()).count();
}

void AdaptiveRateLimiter::Refill(double now) {
  if (last_refill_ >= 0) tokens_ = std::min(capacity_, tokens_ + (now - last_refill_) * fill_rate_);
  last_refill_ = now;
}

void AdaptiveRateLimiter::Acquire() {
  double wait_seconds = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!enabled_) return;
    Refill(Seconds());
    // The token is taken now, on credit when the bucket is short: the caller then sleeps until
    // the refill would have paid for it. Threads queue fairly, one reservation after another, and
    // the wait ends even under a clock that does not move (tests).
    tokens_ -= 1;
    if (tokens_ < 0) wait_seconds = -tokens_ / fill_rate_;
  }
  if (wait_seconds > 0) sleeper_->Sleep(Millis(static_cast<long long>(std::ceil(wait_seconds * 1000))));
}

void AdaptiveRateLimiter::MeasureSendRate(double now) {
  const double bucket = std::floor(now / kBucketSeconds) * kBucketSeconds;
  ++requests_in_bucket_;
  if (last_rate_bucket_ < 0) {
    last_rate_bucket_ = bucket;
  } else if (bucket > last_rate_bucket_) {
    const double rate = requests_in_bucket_ / (bucket - last_rate_bucket_);
    measured_rate_ = rate * kSmoothing + measured_rate_ * (1 - kSmoothing);
    requests_in_bucket_ = 0;
    last_rate_bucket_ = bucket;
  }
}

void AdaptiveRateLimiter::Update(bool throttled) {
  std::lock_guard<std::mutex> lock(mu_);
  const double now = Seconds();
  MeasureSendRate(now);
  double rate;
  if (throttled) {
    // The rate that was throttled is the new ceiling; the new rate is a share of it.
    last_max_rate_ = enabled_ ? std::min(measured_rate_, fill_rate_) : measured_rate_;
    last_throttle_ = now;
    rate = last_max_rate_ * kBeta;
    enabled_ = true;
  } else {
    if (!enabled_) return;
    // Back towards the ceiling along the cubic: flat near it, steeper away from it.
    const double k = std::cbrt(last_max_rate_ * (1 - kBeta) / kScale);
    rate = kScale * std::pow(now - last_throttle_ - k, 3) + last_max_rate_;
  }
  rate = std::min(rate, 2 * measured_rate_);
  Refill(now);
  fill_rate_ = std::max(rate, kMinFillRate);
  capacity_ = std::max(rate, kMinCapacity);
  tokens_ = std::min(tokens_, capacity_);
}

bool AdaptiveRateLimiter::enabled() const {
  std::lock_guard<std::mutex> lock(mu_);
  return enabled_;
}

double AdaptiveRateLimiter::fill_rate() const {
  std::lock_guard<std::mutex> lock(mu_);
  return fill_rate_;
}

}  // namespace datamesh::aws
