#include "aws/core/clock.h"

#include <thread>

namespace datamesh::aws {
namespace {

class SystemClock : public Clock {
 public:
  SystemTime Now() const override { return std::chrono::system_clock::now(); }
};

class RealSleeper : public Sleeper {
 public:
  void Sleep(Millis duration) override { std::this_thread::sleep_for(duration); }
};

class MersenneRandom : public Random {
 public:
  double NextUnit() override {
    std::lock_guard<std::mutex> lock(mu_);
    return dist_(engine_);
  }

 private:
  std::mutex mu_;
  std::mt19937_64 engine_{std::random_device{}()};
  std::uniform_real_distribution<double> dist_{0.0, 1.0};
};

}  // namespace

std::shared_ptr<Clock> Clock::System() {
  static auto clock = std::make_shared<SystemClock>();
  return clock;
}

std::shared_ptr<Sleeper> Sleeper::Real() {
  static auto sleeper = std::make_shared<RealSleeper>();
  return sleeper;
}

std::shared_ptr<Random> Random::Default() {
  static auto random = std::make_shared<MersenneRandom>();
  return random;
}

}  // namespace datamesh::aws
