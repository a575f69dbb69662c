// The library logs through spdlog; in Python its lines go to the `datamesh` logger of the logging
// module, so that log_level and the application's own handlers decide what is shown.
#pragma once

#include <pybind11/pybind11.h>

namespace datamesh::python {

// handler(levelno, message) receives every line from now on (None: lines are dropped).
void SetLogHandler(pybind11::object handler);

}  // namespace datamesh::python
