#include "cli/progress_display.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <memory>
#include <string>

namespace datamesh::cli {
namespace {

using SteadyClock = std::chrono::steady_clock;

std::string Timestamp() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm local{};
  localtime_r(&t, &local);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%d %H:%M:%S", &local);
  char out[48];
  std::snprintf(out, sizeof(out), "%s.%03lld", text, static_cast<long long>(ms));
  return out;
}

std::string Seconds(double s) {
  char out[32];
  std::snprintf(out, sizeof(out), s < 10 ? "%.1f s" : "%.0f s", s);
  return out;
}

class Display {
 public:
  explicit Display(bool live) : live_(live) {}

  void Show(const ProgressEvent& e) {
    if (!e.workflow.empty()) workflow_ = e.workflow;
    if (!e.created.empty() || !e.existed.empty()) return Change(e);
    if (e.waiting) return Wait(e.phase);
    if (e.phase != phase_ || (e.done == 0 && !e.finished)) {
      phase_ = e.phase;
      started_ = SteadyClock::now();
    }
    const double elapsed = std::chrono::duration<double>(SteadyClock::now() - started_).count();
    std::string line = workflow_ + ": " + e.phase;
    if (e.total > 0) line += " " + std::to_string(e.done) + "/" + std::to_string(e.total);
    if (live_) {
      if (e.finished) return Erase();
      if (e.total > 0 && e.done > 0 && e.done < e.total) {
        line += ", about " + Seconds(elapsed / e.done * (e.total - e.done)) + " left";
      }
      Draw(line);
    } else if (e.finished) {
      std::fprintf(stderr, "%s info %s in %s\n", Timestamp().c_str(), line.c_str(), Seconds(elapsed).c_str());
    }
  }

  void Wait(const std::string& what) {
    if (live_) return Draw(workflow_ + ": " + what);
    if (what == last_wait_) return;  // once a wait, not once a poll
    last_wait_ = what;
    std::fprintf(stderr, "%s info %s: %s\n", Timestamp().c_str(), workflow_.c_str(), what.c_str());
  }
  // A thing made, or found in place: a line of its own (above the live line on a terminal).
  void Change(const ProgressEvent& e) {
    const bool created = !e.created.empty();
    ++(created ? created_ : existed_);
    const std::string text = created ? "created " + e.created : e.existed + " already existed";
    const bool redraw = drawn_;
    Erase();
    std::fprintf(stderr, "%s info %s: %s\n", Timestamp().c_str(), workflow_.c_str(), text.c_str());
    if (redraw) Draw(last_line_);
  }
  // After a workflow: how many things it made and found, when it touched any.
  void Summarize() {
    if (created_ + existed_ == 0) return;
    Erase();
    std::fprintf(stderr, "%s info %s: %zu created, %zu already existed\n", Timestamp().c_str(), workflow_.c_str(),
                 created_, existed_);
  }
  void Erase() {
    if (!drawn_) return;
    std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
    drawn_ = false;
  }

 private:
  void Draw(const std::string& line) {
    last_line_ = line;
    std::fprintf(stderr, "\r\033[K%s", line.c_str());
    std::fflush(stderr);
    drawn_ = true;
  }

  const bool live_;
  bool drawn_ = false;
  std::string workflow_ = "datamesh";
  std::string phase_;
  std::string last_wait_;
  std::string last_line_;
  size_t created_ = 0, existed_ = 0;
  SteadyClock::time_point started_ = SteadyClock::now();
};

}  // namespace

// One display a process: the live line is stderr's, whichever workflow draws it.
Display& TheDisplay() {
  static Display display(isatty(STDERR_FILENO) == 1);
  return display;
}

std::function<void(const ProgressEvent&)> StderrProgress() {
  return [](const ProgressEvent& e) { TheDisplay().Show(e); };
}

void EndProgressLine() { TheDisplay().Erase(); }

void SummarizeChanges() { TheDisplay().Summarize(); }

}  // namespace datamesh::cli
