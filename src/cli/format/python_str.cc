#include "cli/format/python_str.h"

#include "cli/query/json_text.h"

namespace datamesh::cli::format {
namespace {

std::string PythonRepr(const nlohmann::json& v);

std::string PythonQuoted(const std::string& s) {
  // Python prefers single quotes unless the string holds one and no double quote.
  char q = (s.find('\'') != std::string::npos && s.find('"') == std::string::npos) ? '"' : '\'';
  std::string out(1, q);
  for (char c : s) {
    if (c == q || c == '\\') out += '\\';
    if (c == '\n') { out += "\\n"; continue; }
    if (c == '\t') { out += "\\t"; continue; }
    if (c == '\r') { out += "\\r"; continue; }
    out += c;
  }
  return out + q;
}

std::string PythonRepr(const nlohmann::json& v) {
  if (v.is_string()) return PythonQuoted(v.get<std::string>());
  if (v.is_array()) {
    std::string out = "[";
    for (size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + PythonRepr(v[i]);
    return out + "]";
  }
  if (v.is_object()) {
    std::string out = "{";
    bool first = true;
    for (auto& [k, child] : v.items()) {
      out += (first ? "" : ", ") + PythonQuoted(k) + ": " + PythonRepr(child);
      first = false;
    }
    return out + "}";
  }
  return PythonStr(v);
}

}  // namespace

std::string PythonStr(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::string: return value.get<std::string>();
    case nlohmann::json::value_t::boolean: return value.get<bool>() ? "True" : "False";
    case nlohmann::json::value_t::null: return "None";
    case nlohmann::json::value_t::number_integer: return std::to_string(value.get<long long>());
    case nlohmann::json::value_t::number_unsigned: return std::to_string(value.get<unsigned long long>());
    case nlohmann::json::value_t::number_float: return query::PythonFloatRepr(value.get<double>());
    default: return PythonRepr(value);
  }
}

size_t DisplayWidth(const std::string& s) {
  size_t width = 0;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
    char32_t cp = len == 1 ? c : c & (0x7F >> len);
    for (int k = 1; k < len && i + k < s.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    i += len;
    // The main wide and fullwidth blocks (Unicode East Asian Width W and F).
    bool wide = (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
                (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
                (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1F64F) || (cp >= 0x20000 && cp <= 0x3FFFD);
    width += wide ? 2 : 1;
  }
  return width;
}

}  // namespace datamesh::cli::format
