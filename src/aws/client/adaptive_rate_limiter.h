// The client-side rate limiter of the AWS SDKs' "adaptive" retry mode. Until a request is throttled
// it does nothing. From the first throttling answer on, every attempt first takes a token from a
// bucket whose fill rate follows the service: cut by a factor (beta) at each throttle, then grown
// back along a cubic curve (as TCP CUBIC grows a window), never above twice the rate actually
// measured. One limiter is shared by all clients and threads of a session, so when AWS throttles
// one request the whole workflow slows down, not only the retried call.
#pragma once

#include <memory>
#include <mutex>

#include "aws/core/clock.h"

namespace datamesh::aws {

class AdaptiveRateLimiter {
 public:
  // The constants of the SDKs' adaptive mode.
  static constexpr double kBeta = 0.7;           // the share of the rate kept at a throttle
  static constexpr double kScale = 0.4;          // the cubic's scale constant
  static constexpr double kSmoothing = 0.8;      // weight of the newest measured send rate
  static constexpr double kMinFillRate = 0.5;    // tokens a second, at the least
  static constexpr double kMinCapacity = 1.0;    // tokens the bucket holds, at the least
  static constexpr double kBucketSeconds = 0.5;  // the send rate is measured over half seconds

  AdaptiveRateLimiter(std::shared_ptr<Clock> clock, std::shared_ptr<Sleeper> sleeper)
      : clock_(std::move(clock)), sleeper_(std::move(sleeper)) {}

  // Before an attempt is sent: waits for a token once throttling has been seen.
  void Acquire();
  // After an attempt is answered (or failed): whether the answer was a throttle.
  void Update(bool throttled);

  bool enabled() const;
  double fill_rate() const;

 private:
  double Seconds() const;
  void Refill(double now);
  void MeasureSendRate(double now);

  std::shared_ptr<Clock> clock_;
  std::shared_ptr<Sleeper> sleeper_;
  mutable std::mutex mu_;
  bool enabled_ = false;
  double fill_rate_ = 0;
  double capacity_ = 0;
  double tokens_ = 0;
  double last_refill_ = -1;
  double measured_rate_ = 0;
  double last_rate_bucket_ = -1;
  int requests_in_bucket_ = 0;
  double last_max_rate_ = 0;
  double last_throttle_ = 0;
};

}  // namespace datamesh::aws
