// JMESPath's view of JSON values: type names, truthiness, equality and ordering. nlohmann::json
// keeps integers, unsigned integers and floats apart; JMESPath has one number type, so
// everything here compares numbers by value (1 == 1.0).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace datamesh::cli::query {

// "number", "string", "boolean", "array", "object" or "null", as the type() function names them.
std::string TypeName(const nlohmann::json& value);
// "a number", "an array", ..., "null": the type for error messages.
std::string TypeNameWithArticle(const nlohmann::json& value);

// False for null, false, "", [] and {}; true for everything else, including 0.
bool IsTruthy(const nlohmann::json& value);

// Deep equality, numbers compared by value, never a boolean equal to a number.
bool Equal(const nlohmann::json& a, const nlohmann::json& b);

// <0, 0 or >0 as a is less than, equal to or greater than b. REQUIRES: both numbers, or both
// strings (compared by code point, which is the byte order of their UTF-8).
int Compare(const nlohmann::json& a, const nlohmann::json& b);

// Strings as sequences of Unicode code points, as length() and reverse() count them.
size_t CodePointCount(std::string_view utf8);
std::string ReverseCodePoints(std::string_view utf8);

}  // namespace datamesh::cli::query
