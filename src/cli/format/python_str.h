// The AWS CLI prints scalars with Python's str(): True/False/None, integers in decimal, floats in
// their shortest round-trip form, strings as they are. Its text and table formats are defined by
// that, so ours print scalars the same way.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace datamesh::cli::format {

// str(value) for a JSON scalar; containers print as Python would print the dict or list.
std::string PythonStr(const nlohmann::json& value);

// Columns a string takes on a terminal: East Asian wide and fullwidth characters take two.
size_t DisplayWidth(const std::string& utf8);

inline bool IsScalar(const nlohmann::json& v) { return !v.is_object() && !v.is_array(); }

}  // namespace datamesh::cli::format
