#include "python_log_sink.h"

#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <mutex>

namespace py = pybind11;

namespace datamesh::python {
namespace {

// logging's level numbers.
int LevelNumber(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace: return 5;
    case spdlog::level::debug: return 10;
    case spdlog::level::info: return 20;
    case spdlog::level::warn: return 30;
    case spdlog::level::err: return 40;
    case spdlog::level::critical: return 50;
    default: return 0;
  }
}

// Lines come from any thread (workflows run requests on worker threads); each takes the GIL to
// hand its line over, the calling thread having released it for the call.
class PythonSink : public spdlog::sinks::base_sink<std::mutex> {
 public:
  // Called with the GIL held. None keeps no Python object at all, so that nothing Python is left
  // for static destruction after the interpreter has gone (the package sets None at exit).
  void Set(py::object handler) {
    std::shared_ptr<py::object> old;
    {
      std::lock_guard<std::mutex> lock(handler_mu_);
      old = std::move(handler_);
      if (!handler.is_none()) handler_ = std::make_shared<py::object>(std::move(handler));
    }
  }  // `old` is released here, with the GIL still held

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    if (!Py_IsInitialized()) return;
    {
      std::lock_guard<std::mutex> lock(handler_mu_);
      if (!handler_) return;
    }
    // The GIL first, then the handler: the same order Set takes them in.
    py::gil_scoped_acquire gil;
    std::shared_ptr<py::object> handler;
    {
      std::lock_guard<std::mutex> lock(handler_mu_);
      handler = handler_;
    }
    if (!handler) return;
    try {
      (*handler)(LevelNumber(msg.level), std::string(msg.payload.data(), msg.payload.size()));
    } catch (py::error_already_set& e) {
      e.discard_as_unraisable("datamesh log handler");
    }
    handler.reset();  // with the GIL held
  }
  void flush_() override {}

 private:
  std::mutex handler_mu_;
  std::shared_ptr<py::object> handler_;
};

std::shared_ptr<PythonSink> TheSink() {
  static auto sink = [] {
    auto s = std::make_shared<PythonSink>();
    auto logger = std::make_shared<spdlog::logger>("datamesh", s);
    logger->set_level(spdlog::level::trace);  // the library's ApplyLogLevel sets the global level
    spdlog::set_default_logger(logger);
    return s;
  }();
  return sink;
}

}  // namespace

void SetLogHandler(py::object handler) {
  auto sink = TheSink();
  // The old handler is released with the GIL held (the caller holds it).
  sink->Set(std::move(handler));
}

}  // namespace datamesh::python
