#include "cli/query/values.h"

#include <vector>

namespace datamesh::cli::query {
namespace {

using nlohmann::json;

// Integers compared exactly (a 128-bit integer holds both int64 and uint64); a float on either
// side compares as double.
int CompareNumbers(const json& a, const json& b) {
  if (a.is_number_float() || b.is_number_float()) {
    double x = a.get<double>();
    double y = b.get<double>();
    return (x > y) - (x < y);
  }
  auto wide = [](const json& n) -> __int128 {
    return n.is_number_unsigned() ? static_cast<__int128>(n.get<uint64_t>())
                                  : static_cast<__int128>(n.get<int64_t>());
  };
  __int128 x = wide(a);
  __int128 y = wide(b);
  return (x > y) - (x < y);
}

}  // namespace

std::string TypeName(const json& value) {
  switch (value.type()) {
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
      return "number";
    case json::value_t::string:
      return "string";
    case json::value_t::boolean:
      return "boolean";
    case json::value_t::array:
      return "array";
    case json::value_t::object:
      return "object";
    default:
      return "null";
  }
}

std::string TypeNameWithArticle(const json& value) {
  std::string name = TypeName(value);
  if (name == "null") return name;
  return (name == "array" || name == "object" ? "an " : "a ") + name;
}

bool IsTruthy(const json& value) {
  switch (value.type()) {
    case json::value_t::boolean:
      return value.get<bool>();
    case json::value_t::string:
      return !value.get_ref<const std::string&>().empty();
    case json::value_t::array:
    case json::value_t::object:
      return !value.empty();
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
      return true;
    default:
      return false;
  }
}

bool Equal(const json& a, const json& b) {
  if (a.is_number() && b.is_number()) return CompareNumbers(a, b) == 0;
  if (a.type() != b.type()) return false;
  if (a.is_array()) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
      if (!Equal(a[i], b[i])) return false;
    }
    return true;
  }
  if (a.is_object()) {
    if (a.size() != b.size()) return false;
    for (auto it = a.begin(); it != a.end(); ++it) {
      auto other = b.find(it.key());
      if (other == b.end() || !Equal(it.value(), *other)) return false;
    }
    return true;
  }
  return a == b;
}

int Compare(const json& a, const json& b) {
  if (a.is_string() && b.is_string()) {
    return a.get_ref<const std::string&>().compare(b.get_ref<const std::string&>());
  }
  return CompareNumbers(a, b);
}

size_t CodePointCount(std::string_view utf8) {
  size_t count = 0;
  for (char c : utf8) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

std::string ReverseCodePoints(std::string_view utf8) {
  std::vector<std::string_view> characters;
  size_t start = 0;
  for (size_t i = 1; i <= utf8.size(); ++i) {
    if (i == utf8.size() || (static_cast<unsigned char>(utf8[i]) & 0xC0) != 0x80) {
      characters.push_back(utf8.substr(start, i - start));
      start = i;
    }
  }
  std::string out;
  out.reserve(utf8.size());
  for (auto it = characters.rbegin(); it != characters.rend(); ++it) out += *it;
  return out;
}

}  // namespace datamesh::cli::query
