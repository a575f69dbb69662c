// Time, sleeping and randomness behind interfaces, so that retries, backoff and credential expiry
// are tested without waiting and without chance.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <random>

namespace datamesh::aws {

using SystemTime = std::chrono::system_clock::time_point;
using Millis = std::chrono::milliseconds;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual SystemTime Now() const = 0;
  static std::shared_ptr<Clock> System();
};

class Sleeper {
 public:
  virtual ~Sleeper() = default;
  virtual void Sleep(Millis duration) = 0;
  static std::shared_ptr<Sleeper> Real();
};

// Uniform doubles in [0, 1).
class Random {
 public:
  virtual ~Random() = default;
  virtual double NextUnit() = 0;
  static std::shared_ptr<Random> Default();
};

}  // namespace datamesh::aws
