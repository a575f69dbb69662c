// JSON values to and from text the way Python writes and reads them. The AWS CLI evaluates
// --query with Python's JMESPath, so to_string() and to_number() follow Python's json.dumps,
// int() and float() for the same query to give the same answer.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace datamesh::cli::query {

// json.dumps(value, separators=(',', ':')): compact, non-ASCII characters escaped as \uXXXX,
// floats as Python's repr (1.0, 1e-05, 1e+16), object members in the order the value holds them.
std::string ToPythonJson(const nlohmann::json& value);

// repr() of a Python float: the shortest digits that read back as `value`, in positional form
// for exponents from -4 to 15 (with ".0" when integral) and as 1.5e+16 otherwise.
std::string PythonFloatRepr(double value);

// The number Python's int(text) reads from `text`, else the one float(text) reads, else nullopt.
// Surrounding whitespace, a sign and underscores between digits are accepted as Python accepts
// them; "nan" and "inf", which JSON cannot hold, and non-ASCII digits are not.
std::optional<nlohmann::json> ParsePythonNumber(std::string_view text);

}  // namespace datamesh::cli::query
