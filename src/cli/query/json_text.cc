#include "cli/query/json_text.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>

namespace datamesh::cli::query {
namespace {

using nlohmann::json;

void AppendUnicodeEscape(std::string& out, uint32_t unit) {
  static const char kHex[] = "0123456789abcdef";
  out += "\\u";
  for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(unit >> shift) & 0xF];
}

// Decodes the UTF-8 character at `i` and moves past it; a malformed byte decodes as U+FFFD.
uint32_t NextCodePoint(std::string_view s, size_t& i) {
  unsigned char lead = static_cast<unsigned char>(s[i]);
  size_t extra = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : 0;
  if (lead >= 0x80 && (lead < 0xC0 || lead >= 0xF8 || i + extra >= s.size())) {
    ++i;
    return lead < 0x80 ? lead : 0xFFFD;
  }
  uint32_t cp = extra == 0 ? lead : lead & (0x3F >> extra);
  for (size_t k = 1; k <= extra; ++k) {
    unsigned char next = static_cast<unsigned char>(s[i + k]);
    if ((next & 0xC0) != 0x80) {
      ++i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (next & 0x3F);
  }
  i += extra + 1;
  return cp;
}

// A JSON string with everything outside printable ASCII escaped (json.dumps' ensure_ascii).
void AppendString(std::string& out, std::string_view s) {
  out += '"';
  for (size_t i = 0; i < s.size();) {
    uint32_t cp = NextCodePoint(s, i);
    switch (cp) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (cp >= 0x20 && cp < 0x7F) {
          out += static_cast<char>(cp);
        } else if (cp > 0xFFFF) {  // as a UTF-16 surrogate pair, like Python
          cp -= 0x10000;
          AppendUnicodeEscape(out, 0xD800 + (cp >> 10));
          AppendUnicodeEscape(out, 0xDC00 + (cp & 0x3FF));
        } else {
          AppendUnicodeEscape(out, cp);
        }
    }
  }
  out += '"';
}

void AppendValue(std::string& out, const json& value) {
  switch (value.type()) {
    case json::value_t::object: {
      out += '{';
      bool first = true;
      for (auto it = value.begin(); it != value.end(); ++it) {
        if (!first) out += ',';
        first = false;
        AppendString(out, it.key());
        out += ':';
        AppendValue(out, it.value());
      }
      out += '}';
      break;
    }
    case json::value_t::array: {
      out += '[';
      for (size_t i = 0; i < value.size(); ++i) {
        if (i > 0) out += ',';
        AppendValue(out, value[i]);
      }
      out += ']';
      break;
    }
    case json::value_t::string:
      AppendString(out, value.get_ref<const std::string&>());
      break;
    case json::value_t::boolean:
      out += value.get<bool>() ? "true" : "false";
      break;
    case json::value_t::number_integer:
      out += std::to_string(value.get<int64_t>());
      break;
    case json::value_t::number_unsigned:
      out += std::to_string(value.get<uint64_t>());
      break;
    case json::value_t::number_float:
      out += PythonFloatRepr(value.get<double>());
      break;
    default:
      out += "null";
  }
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Whitespace as Python's str.strip() sees it within ASCII (\x1c-\x1f are separators to Python).
bool IsPythonSpace(char c) {
  return c == ' ' || (c >= '\t' && c <= '\r') || (c >= '\x1c' && c <= '\x1f');
}

// Reads digits with single underscores between them ("1_000") from s[i], appending the digits
// to `out`; false if there are none or an underscore is misplaced.
bool ReadDigits(std::string_view s, size_t& i, std::string& out) {
  if (i >= s.size() || !IsDigit(s[i])) return false;
  out += s[i++];
  while (i < s.size()) {
    if (IsDigit(s[i])) {
      out += s[i++];
    } else if (s[i] == '_' && i + 1 < s.size() && IsDigit(s[i + 1])) {
      ++i;
    } else {
      break;
    }
  }
  return true;
}

// int(): sign? digits. Integers beyond int64 become uint64 or, beyond that, a float (the value
// Python has as an exact integer, rounded).
std::optional<json> ParseInteger(std::string_view s) {
  size_t i = 0;
  bool negative = s[0] == '-';
  if (s[0] == '-' || s[0] == '+') ++i;
  std::string digits;
  if (!ReadDigits(s, i, digits) || i != s.size()) return std::nullopt;
  uint64_t magnitude = 0;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), magnitude);
  if (error == std::errc() && end == digits.data() + digits.size()) {
    if (!negative) {
      if (magnitude <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
        return json(static_cast<int64_t>(magnitude));
      }
      return json(magnitude);
    }
    if (magnitude <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) + 1) {
      return json(static_cast<int64_t>(0 - magnitude));
    }
  }
  double approximate = 0;
  auto [rest, range] = std::from_chars(digits.data(), digits.data() + digits.size(), approximate);
  if (range != std::errc()) return std::nullopt;  // beyond double: Python's int, but not ours
  return json(negative ? -approximate : approximate);
}

// Roughly the power of ten of the first significant digit of a float's text ("123e5" -> 7,
// "0.001" -> -3): enough to tell an overflow from an underflow.
long DecimalExponent(const std::string& text) {
  size_t e = text.find_first_of("eE");
  std::string mantissa = text.substr(0, e);
  long exponent = 0;
  if (e != std::string::npos) {
    for (size_t i = e + 1; i < text.size(); ++i) {
      if (IsDigit(text[i])) exponent = std::min(exponent * 10 + (text[i] - '0'), 100000L);
    }
    if (text.find('-', e) != std::string::npos) exponent = -exponent;
  }
  size_t point = std::min(mantissa.find('.'), mantissa.size());
  size_t significant = mantissa.find_first_of("123456789");
  if (significant == std::string::npos) return exponent;
  return exponent + (significant < point ? static_cast<long>(point - significant) - 1
                                         : -static_cast<long>(significant - point));
}

// float(): sign? (digits ('.' digits?)? | '.' digits) ([eE] sign? digits)?
std::optional<json> ParseFloat(std::string_view s) {
  size_t i = 0;
  bool negative = s[0] == '-';
  if (s[0] == '-' || s[0] == '+') ++i;
  std::string text;
  bool whole = ReadDigits(s, i, text);
  bool fraction = false;
  if (i < s.size() && s[i] == '.') {
    text += s[i++];
    fraction = ReadDigits(s, i, text);
  }
  if (!whole && !fraction) return std::nullopt;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    text += s[i++];
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) text += s[i++];
    if (!ReadDigits(s, i, text)) return std::nullopt;
  }
  if (i != s.size()) return std::nullopt;
  double value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error == std::errc::result_out_of_range) {
    // Python reads inf, which JSON cannot hold, on overflow and 0.0 on underflow.
    if (DecimalExponent(text) > 0) return std::nullopt;
    value = 0;
  } else if (error != std::errc() || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return json(negative ? -value : value);
}

}  // namespace

std::string ToPythonJson(const json& value) {
  std::string out;
  AppendValue(out, value);
  return out;
}

std::string PythonFloatRepr(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  char buffer[64];
  auto result =
      std::to_chars(buffer, buffer + sizeof(buffer), value, std::chars_format::scientific);
  std::string scientific(buffer, result.ptr);  // e.g. "-1.2345e+16", "5e-324"
  size_t e = scientific.find('e');
  int exponent = std::stoi(scientific.substr(e + 1));
  std::string sign = scientific[0] == '-' ? "-" : "";
  std::string digits;
  for (size_t i = sign.size(); i < e; ++i) {
    if (scientific[i] != '.') digits += scientific[i];
  }
  if (exponent < -4 || exponent >= 16) {
    std::string mantissa = digits.substr(0, 1);
    if (digits.size() > 1) mantissa += "." + digits.substr(1);
    char exp[16];
    std::snprintf(exp, sizeof(exp), "e%c%02d", exponent < 0 ? '-' : '+', std::abs(exponent));
    return sign + mantissa + exp;
  }
  if (exponent < 0) return sign + "0." + std::string(-exponent - 1, '0') + digits;
  size_t point = static_cast<size_t>(exponent) + 1;
  if (digits.size() <= point) return sign + digits + std::string(point - digits.size(), '0') + ".0";
  return sign + digits.substr(0, point) + "." + digits.substr(point);
}

std::optional<json> ParsePythonNumber(std::string_view text) {
  size_t first = 0;
  size_t last = text.size();
  while (first < last && IsPythonSpace(text[first])) ++first;
  while (last > first && IsPythonSpace(text[last - 1])) --last;
  std::string_view s = text.substr(first, last - first);
  if (s.empty()) return std::nullopt;
  if (auto integer = ParseInteger(s)) return integer;
  return ParseFloat(s);
}

}  // namespace datamesh::cli::query
