#include "cli/query/signatures.h"

#include <algorithm>

#include "cli/query/errors.h"
#include "cli/query/values.h"

namespace datamesh::cli::query {
namespace {

using nlohmann::json;

unsigned TypeOf(const json& value) {
  switch (value.type()) {
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
      return kNumber;
    case json::value_t::string:
      return kString;
    case json::value_t::boolean:
      return kBoolean;
    case json::value_t::array:
      return kArray;
    case json::value_t::object:
      return kObject;
    default:
      return kNull;
  }
}

// "a number, an array of strings or an expression (&expr)", for error messages.
std::string Describe(unsigned types) {
  static const std::pair<unsigned, const char*> kNames[] = {
      {kNumber, "a number"},
      {kString, "a string"},
      {kBoolean, "a boolean"},
      {kArray, "an array"},
      {kObject, "an object"},
      {kNull, "null"},
      {kArrayOfNumbers, "an array of numbers"},
      {kArrayOfStrings, "an array of strings"},
      {kExpref, "an expression (&expr)"},
  };
  if ((types & kAnyValue) == kAnyValue) return "any value";
  std::vector<std::string> names;
  for (const auto& [type, name] : kNames) {
    if (types & type) names.push_back(name);
  }
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " or " : ", ";
    out += names[i];
  }
  return out;
}

// Typed arrays: every element must be of the one allowed element type; when both numbers and
// strings are allowed, the first element decides which (a mix of the two is refused).
bool ElementsFit(const json& array, unsigned types) {
  if (array.empty()) return true;
  unsigned element = TypeOf(array[0]);
  bool fits_first = (element == kNumber && (types & kArrayOfNumbers)) ||
                    (element == kString && (types & kArrayOfStrings));
  if (!fits_first) return false;
  for (const json& item : array) {
    if (TypeOf(item) != element) return false;
  }
  return true;
}

bool Fits(const Argument& argument, unsigned types) {
  if (argument.expression != nullptr) return types & kExpref;
  unsigned actual = TypeOf(argument.value);
  if (actual != kArray) return types & actual;
  if (types & kArray) return true;
  if (types & (kArrayOfNumbers | kArrayOfStrings)) return ElementsFit(argument.value, types);
  return false;
}

std::string Received(const Argument& argument) {
  if (argument.expression != nullptr) return "an expression";
  if (!argument.value.is_array() || argument.value.empty()) {
    return TypeNameWithArticle(argument.value);
  }
  std::vector<std::string> kinds;
  for (const json& item : argument.value) {
    std::string kind = TypeName(item);
    if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end()) kinds.push_back(kind);
  }
  if (kinds.size() == 1) return "an array of " + kinds[0] + "s";
  std::string out = "an array mixing ";
  for (size_t i = 0; i < kinds.size(); ++i) out += (i > 0 ? " and " : "") + kinds[i] + "s";
  return out;
}

Status CheckArity(const std::string& function, const Signature& signature, size_t count) {
  size_t expected = signature.parameters.size();
  if (signature.variadic ? count >= expected : count == expected) return OkStatus();
  std::string how_many = (signature.variadic ? "at least " : "") + std::to_string(expected) +
                         (expected == 1 ? " argument" : " arguments");
  return Error::Local(kInvalidArity,
                      function + "() takes " + how_many + ", got " + std::to_string(count));
}

}  // namespace

Status CheckArguments(const std::string& function, const Signature& signature,
                      const std::vector<Argument>& arguments) {
  auto arity = CheckArity(function, signature, arguments.size());
  if (!arity.ok()) return arity;
  for (size_t i = 0; i < arguments.size(); ++i) {
    unsigned types = signature.parameters[std::min(i, signature.parameters.size() - 1)];
    if (!Fits(arguments[i], types)) {
      return Error::Local(kInvalidType, function + "() expects " + Describe(types) +
                                            " as argument " + std::to_string(i + 1) + ", got " +
                                            Received(arguments[i]));
    }
  }
  return OkStatus();
}

}  // namespace datamesh::cli::query
