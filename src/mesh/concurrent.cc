#include "mesh/concurrent.h"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace datamesh::mesh {

Status ForEachConcurrently(size_t n, int concurrency, const std::function<Status(size_t)>& work,
                           const std::function<void(size_t)>& on_done) {
  if (concurrency <= 1 || n <= 1) {
    for (size_t i = 0; i < n; ++i) {
      if (auto s = work(i); !s.ok()) return s;
      if (on_done) on_done(i + 1);
    }
    return OkStatus();
  }
  std::mutex mu;
  std::condition_variable changed;
  size_t next = 0, done = 0, running = 0;
  std::optional<std::pair<size_t, Error>> first_failure;  // by item number, not by time
  auto worker = [&] {
    std::unique_lock<std::mutex> lock(mu);
    while (next < n && !first_failure) {
      const size_t i = next++;
      ++running;
      lock.unlock();
      Status s = work(i);
      lock.lock();
      --running;
      ++done;
      if (!s.ok() && (!first_failure || i < first_failure->first)) first_failure.emplace(i, s.error());
      changed.notify_all();
    }
  };
  const size_t threads = std::min(n, static_cast<size_t>(concurrency));
  std::vector<std::thread> pool;
  pool.reserve(threads);
  for (size_t t = 0; t < threads; ++t) pool.emplace_back(worker);
  {
    // This thread reports progress while the pool works.
    std::unique_lock<std::mutex> lock(mu);
    size_t reported = 0;
    for (;;) {
      changed.wait(lock, [&] { return done != reported || ((next >= n || first_failure) && running == 0); });
      if (done != reported && on_done && !first_failure) {
        reported = done;
        lock.unlock();
        on_done(reported);
        lock.lock();
        continue;
      }
      reported = done;
      if ((next >= n || first_failure) && running == 0) break;
    }
  }
  for (auto& t : pool) t.join();
  if (first_failure) return first_failure->second;
  return OkStatus();
}

}  // namespace datamesh::mesh
