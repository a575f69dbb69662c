// _datamesh: the C++ library as Debian's python3 sees it. Each persona is a handle whose methods
// are called by name with keyword arguments as JSON, answering JSON; the Python package
// (python/datamesh) gives them the seeds' classes, signatures, docstrings and exceptions.
//
// The GIL is released for the whole of a call, so other Python threads run meanwhile (and other
// handles' calls in parallel); one handle runs its calls one at a time.
#include <pybind11/pybind11.h>

#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "bindings.h"
#include "python_log_sink.h"

namespace py = pybind11;
using datamesh::python::CallFailed;
using datamesh::python::Handle;

PYBIND11_MODULE(_datamesh, m) {
  m.doc() = "The datamesh C++ library; use the datamesh package, not this module.";
  static py::exception<CallFailed> error(m, "Error");
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const CallFailed& e) {
      const datamesh::Error& x = e.error();
      // (code, message, operation, kind, http_status, request_id): datamesh.errors builds the
      // exception class from these.
      py::tuple args = py::make_tuple(x.code(), x.message(), x.operation(), datamesh::python::KindName(x.kind()),
                                      x.http_status(), x.request_id());
      PyErr_SetObject(error.ptr(), args.ptr());
    }
  });

  py::class_<Handle>(m, "Handle")
      .def(py::init([](const std::string& persona, const std::string& options_json) {
             // Opening checks the credentials' identity: an AWS call, made without the GIL.
             py::gil_scoped_release released;
             return datamesh::python::Open(persona, options_json);
           }),
           py::arg("persona"), py::arg("options_json"))
      .def(
          "call",
          [](Handle& h, const std::string& method, const std::string& args_json) {
            std::string out;
            {
              py::gil_scoped_release released;
              out = h.Call(method, args_json);
            }
            return out;
          },
          py::arg("method"), py::arg("args_json"))
      .def_property_readonly("persona", &Handle::persona);

  m.def(
      "bootstrap_account",
      [](const std::string& args_json) {
        py::gil_scoped_release released;
        return datamesh::python::BootstrapAccount(args_json);
      },
      py::arg("args_json"));
  m.def("set_log_handler", &datamesh::python::SetLogHandler, py::arg("handler"),
        "Where the library's log lines go: handler(levelno, message), or None to drop them.");
  m.attr("__version__") = DATAMESH_VERSION;
}
