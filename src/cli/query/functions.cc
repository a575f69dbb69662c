#include "cli/query/functions.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "cli/query/errors.h"
#include "cli/query/json_text.h"
#include "cli/query/values.h"

namespace datamesh::cli::query {
namespace {

using nlohmann::json;

// One call of a built-in, its arguments already checked against its signature.
struct Call {
  const std::string& name;
  const std::vector<Argument>& arguments;
  const Evaluator& evaluate;

  const json& operator[](size_t i) const { return arguments[i].value; }
  const std::string& String(size_t i) const {
    return arguments[i].value.get_ref<const std::string&>();
  }
  const Node& Expression(size_t i) const { return *arguments[i].expression; }
};

using Body = Outcome<json> (*)(const Call&);

struct Builtin {
  Signature signature;
  Body body;
};

// A double that holds an integral value, as an integer when int64 can hold it: Python's ceil()
// and floor() return integers, and to_string() then prints 2 rather than 2.0.
json IntegralResult(double value) {
  if (value >= -9223372036854775808.0 && value < 9223372036854775808.0) {
    return json(static_cast<int64_t>(value));
  }
  return json(value);
}

// Python's sum(): exact while every element is an integer; from the first float on, floating
// point, so [1, 2] sums to 3 and [1, 2.5] to 3.5.
json Sum(const json& numbers) {
  __int128 exact = 0;
  double inexact = 0;
  bool floating = false;
  for (const json& n : numbers) {
    if (!floating && !n.is_number_float()) {
      exact += n.is_number_unsigned() ? static_cast<__int128>(n.get<uint64_t>())
                                      : static_cast<__int128>(n.get<int64_t>());
      continue;
    }
    if (!floating) inexact = static_cast<double>(exact);
    floating = true;
    inexact += n.get<double>();
  }
  if (floating) return json(inexact);
  if (exact >= std::numeric_limits<int64_t>::min() &&
      exact <= std::numeric_limits<int64_t>::max()) {
    return json(static_cast<int64_t>(exact));
  }
  if (exact > 0 && exact <= std::numeric_limits<uint64_t>::max()) {
    return json(static_cast<uint64_t>(exact));
  }
  return json(static_cast<double>(exact));
}

Outcome<json> Abs(const Call& call) {
  const json& n = call[0];
  if (n.is_number_float()) return json(std::fabs(n.get<double>()));
  if (n.is_number_unsigned()) return n;
  int64_t value = n.get<int64_t>();
  if (value == std::numeric_limits<int64_t>::min()) return json(-static_cast<double>(value));
  return json(value < 0 ? -value : value);
}

Outcome<json> Avg(const Call& call) {
  if (call[0].empty()) return json(nullptr);
  return json(Sum(call[0]).get<double>() / static_cast<double>(call[0].size()));
}

Outcome<json> Ceil(const Call& call) {
  if (!call[0].is_number_float()) return call[0];
  return IntegralResult(std::ceil(call[0].get<double>()));
}

Outcome<json> Floor(const Call& call) {
  if (!call[0].is_number_float()) return call[0];
  return IntegralResult(std::floor(call[0].get<double>()));
}

Outcome<json> Contains(const Call& call) {
  const json& subject = call[0];
  const json& search = call[1];
  if (subject.is_array()) {
    return json(std::any_of(subject.begin(), subject.end(),
                            [&](const json& item) { return Equal(item, search); }));
  }
  // A string contains only strings; Python refuses other searches rather than answer false.
  if (!search.is_string()) {
    return Error::Local(kInvalidType, "contains() can only search a string for a string, got " +
                                          TypeNameWithArticle(search));
  }
  return json(call.String(0).find(call.String(1)) != std::string::npos);
}

Outcome<json> EndsWith(const Call& call) {
  const std::string& subject = call.String(0);
  const std::string& suffix = call.String(1);
  return json(subject.size() >= suffix.size() &&
              subject.compare(subject.size() - suffix.size(), suffix.size(), suffix) == 0);
}

Outcome<json> StartsWith(const Call& call) {
  return json(call.String(0).compare(0, call.String(1).size(), call.String(1)) == 0);
}

Outcome<json> Join(const Call& call) {
  std::string out;
  for (size_t i = 0; i < call[1].size(); ++i) {
    if (i > 0) out += call.String(0);
    out += call[1][i].get_ref<const std::string&>();
  }
  return json(out);
}

Outcome<json> Keys(const Call& call) {
  json out = json::array();
  for (auto it = call[0].begin(); it != call[0].end(); ++it) out.push_back(it.key());
  return out;
}

Outcome<json> Values(const Call& call) {
  json out = json::array();
  for (const json& value : call[0]) out.push_back(value);
  return out;
}

Outcome<json> Length(const Call& call) {
  if (call[0].is_string()) return json(CodePointCount(call.String(0)));
  return json(call[0].size());
}

// Unlike a projection, map() keeps null results, so the output lines up with the input.
Outcome<json> Map(const Call& call) {
  json out = json::array();
  for (const json& item : call[1]) {
    auto mapped = call.evaluate(call.Expression(0), item);
    if (!mapped.ok()) return mapped;
    out.push_back(std::move(mapped.value()));
  }
  return out;
}

// The first greatest (sign 1) or least (sign -1) element; ties keep the earliest, as Python's
// max() and min() do.
json Extreme(const json& items, int sign) {
  if (items.empty()) return json(nullptr);
  size_t best = 0;
  for (size_t i = 1; i < items.size(); ++i) {
    if (Compare(items[i], items[best]) * sign > 0) best = i;
  }
  return items[best];
}

Outcome<json> Max(const Call& call) { return Extreme(call[0], 1); }
Outcome<json> Min(const Call& call) { return Extreme(call[0], -1); }

// The keys `expression` yields for the elements of `items`, for sort_by(), max_by() and min_by():
// all numbers or all strings (the first key decides which), else an "invalid-type" error.
Outcome<json> SortKeys(const Call& call, const json& items, const Node& expression) {
  json keys = json::array();
  for (const json& item : items) {
    auto key = call.evaluate(expression, item);
    if (!key.ok()) return key;
    std::string problem;
    if (!key->is_number() && !key->is_string()) {
      problem = "numbers or strings";
    } else if (!keys.empty() && key->is_number() != keys[0].is_number()) {
      problem = TypeName(keys[0]) + "s throughout (as for the first element)";
    }
    if (!problem.empty()) {
      return Error::Local(kInvalidType, call.name + "() needs the expression to yield " + problem +
                                            ", got " + TypeNameWithArticle(*key));
    }
    keys.push_back(std::move(key.value()));
  }
  return keys;
}

Outcome<json> ExtremeBy(const Call& call, int sign) {
  if (call[0].empty()) return json(nullptr);
  auto keys = SortKeys(call, call[0], call.Expression(1));
  if (!keys.ok()) return keys;
  size_t best = 0;
  for (size_t i = 1; i < keys->size(); ++i) {
    if (Compare((*keys)[i], (*keys)[best]) * sign > 0) best = i;
  }
  return call[0][best];
}

Outcome<json> MaxBy(const Call& call) { return ExtremeBy(call, 1); }
Outcome<json> MinBy(const Call& call) { return ExtremeBy(call, -1); }

Outcome<json> Merge(const Call& call) {
  json out = json::object();
  for (const Argument& argument : call.arguments) {
    for (auto it = argument.value.begin(); it != argument.value.end(); ++it) out[it.key()] = *it;
  }
  return out;
}

Outcome<json> NotNull(const Call& call) {
  for (const Argument& argument : call.arguments) {
    if (!argument.value.is_null()) return argument.value;
  }
  return json(nullptr);
}

Outcome<json> Reverse(const Call& call) {
  if (call[0].is_string()) return json(ReverseCodePoints(call.String(0)));
  json out = json::array();
  for (auto it = call[0].rbegin(); it != call[0].rend(); ++it) out.push_back(*it);
  return out;
}

// Stable, like Python's sorted(): equal elements keep their order.
Outcome<json> Sort(const Call& call) {
  std::vector<json> items(call[0].begin(), call[0].end());
  std::stable_sort(items.begin(), items.end(),
                   [](const json& a, const json& b) { return Compare(a, b) < 0; });
  return json(std::move(items));
}

Outcome<json> SortBy(const Call& call) {
  auto keys = SortKeys(call, call[0], call.Expression(1));
  if (!keys.ok()) return keys;
  std::vector<size_t> order(call[0].size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return Compare((*keys)[a], (*keys)[b]) < 0; });
  json out = json::array();
  for (size_t i : order) out.push_back(call[0][i]);
  return out;
}

Outcome<json> SumFunction(const Call& call) { return Sum(call[0]); }

Outcome<json> ToArray(const Call& call) {
  if (call[0].is_array()) return call[0];
  return json::array({call[0]});
}

Outcome<json> ToString(const Call& call) {
  if (call[0].is_string()) return call[0];
  return json(ToPythonJson(call[0]));
}

Outcome<json> ToNumber(const Call& call) {
  if (call[0].is_number()) return call[0];
  if (!call[0].is_string()) return json(nullptr);
  return ParsePythonNumber(call.String(0)).value_or(json(nullptr));
}

Outcome<json> Type(const Call& call) { return json(TypeName(call[0])); }

const std::map<std::string, Builtin>& Builtins() {
  static const auto* builtins = new std::map<std::string, Builtin>{
      {"abs", {{{kNumber}}, Abs}},
      {"avg", {{{kArrayOfNumbers}}, Avg}},
      {"ceil", {{{kNumber}}, Ceil}},
      {"contains", {{{kArray | kString, kAnyValue}}, Contains}},
      {"ends_with", {{{kString, kString}}, EndsWith}},
      {"floor", {{{kNumber}}, Floor}},
      {"join", {{{kString, kArrayOfStrings}}, Join}},
      {"keys", {{{kObject}}, Keys}},
      {"length", {{{kString | kArray | kObject}}, Length}},
      {"map", {{{kExpref, kArray}}, Map}},
      {"max", {{{kArrayOfNumbers | kArrayOfStrings}}, Max}},
      {"max_by", {{{kArray, kExpref}}, MaxBy}},
      {"merge", {{{kObject}, true}, Merge}},
      {"min", {{{kArrayOfNumbers | kArrayOfStrings}}, Min}},
      {"min_by", {{{kArray, kExpref}}, MinBy}},
      {"not_null", {{{kAnyValue}, true}, NotNull}},
      {"reverse", {{{kArray | kString}}, Reverse}},
      {"sort", {{{kArrayOfNumbers | kArrayOfStrings}}, Sort}},
      {"sort_by", {{{kArray, kExpref}}, SortBy}},
      {"starts_with", {{{kString, kString}}, StartsWith}},
      {"sum", {{{kArrayOfNumbers}}, SumFunction}},
      {"to_array", {{{kAnyValue}}, ToArray}},
      {"to_number", {{{kAnyValue}}, ToNumber}},
      {"to_string", {{{kAnyValue}}, ToString}},
      {"type", {{{kAnyValue}}, Type}},
      {"values", {{{kObject}}, Values}},
  };
  return *builtins;
}

}  // namespace

Outcome<json> CallFunction(const std::string& name, const std::vector<Argument>& arguments,
                           const Evaluator& evaluate) {
  auto found = Builtins().find(name);
  if (found == Builtins().end()) {
    return Error::Local(kUnknownFunction, "unknown function " + name + "()");
  }
  auto checked = CheckArguments(name, found->second.signature, arguments);
  if (!checked.ok()) return checked.error();
  return found->second.body(Call{name, arguments, evaluate});
}

}  // namespace datamesh::cli::query
