#include "aws/protocol/param_validator.h"

#include <re2/re2.h>

#include <map>
#include <memory>
#include <mutex>

#include "aws/core/encoding.h"
#include "aws/protocol/json_values.h"
#include "aws/protocol/shape_values.h"

namespace datamesh::aws {
namespace {

// Model patterns are Java regular expressions; RE2 spells \uXXXX as \x{XXXX}.
std::string ToRe2Pattern(const std::string& java) {
  std::string out;
  for (size_t i = 0; i < java.size(); ++i) {
    if (java[i] == '\\' && i + 5 < java.size() && java[i + 1] == 'u') {
      out += "\\x{" + java.substr(i + 2, 4) + "}";
      i += 5;
    } else {
      out.push_back(java[i]);
    }
  }
  return out;
}

const re2::RE2* CompiledPattern(const std::string& pattern) {
  static std::mutex mu;
  static std::map<std::string, std::unique_ptr<re2::RE2>> cache;
  std::lock_guard<std::mutex> lock(mu);
  auto it = cache.find(pattern);
  if (it == cache.end()) {
    re2::RE2::Options options;
    options.set_log_errors(false);
    auto re = std::make_unique<re2::RE2>(ToRe2Pattern(pattern), options);
    it = cache.emplace(pattern, re->ok() ? std::move(re) : nullptr).first;
  }
  return it->second.get();
}

// AWS names members in validation messages in lower camel case.
std::string LowerCamel(const std::string& path) {
  std::string out = path;
  bool start = true;
  for (auto& c : out) {
    if (start && std::isupper(static_cast<unsigned char>(c))) c = static_cast<char>(std::tolower(c));
    start = c == '.';
  }
  return out;
}

class Validator {
 public:
  Validator(const ServiceModel& model, ValidationMode mode) : model_(model), strict_(mode == ValidationMode::kServer) {}

  void Check(const Json& shape, const Json& value, const std::string& path) {
    const std::string type = shape.value("type", "string");
    if (type == "structure") {
      CheckStructure(shape, value, path);
    } else if (type == "list") {
      if (!value.is_array()) return Problem(path, "expected a list, got " + Kind(value));
      CheckMin(shape, static_cast<double>(value.size()), path, "length");
      if (strict_ && shape.contains("max") && value.size() > shape["max"].get<size_t>()) {
        Constraint(path, "", "Member must have length less than or equal to " + Num(shape["max"].get<double>()));
      }
      const Json& member = model_.Shape(shape["member"]["shape"]);
      for (size_t i = 0; i < value.size(); ++i) {
        Check(member, value[i], path + "[" + std::to_string(i) + "]");
      }
    } else if (type == "map") {
      if (!value.is_object()) return Problem(path, "expected a map, got " + Kind(value));
      const Json& val_shape = model_.Shape(shape["value"]["shape"]);
      for (auto& [k, v] : value.items()) Check(val_shape, v, path + "." + k);
    } else if (type == "string") {
      if (!value.is_string()) return Problem(path, "expected a string, got " + Kind(value));
      CheckMin(shape, static_cast<double>(CodePoints(value.get<std::string>())), path, "length");
      if (strict_) CheckStringLimits(shape, value.get<std::string>(), path);
    } else if (type == "blob") {
      if (!value.is_string()) return Problem(path, "expected base64 text, got " + Kind(value));
      if (!Base64Decode(value.get<std::string>())) Problem(path, "is not valid base64");
    } else if (type == "boolean") {
      if (!value.is_boolean()) Problem(path, "expected true or false, got " + Kind(value));
    } else if (type == "integer" || type == "long") {
      if (!value.is_number_integer()) return Problem(path, "expected an integer, got " + Kind(value));
      CheckMin(shape, value.get<double>(), path, "value");
      if (strict_ && shape.contains("max") && value.get<double>() > shape["max"].get<double>()) {
        Constraint(path, value.dump(), "Member must have value less than or equal to " + Num(shape["max"].get<double>()));
      }
    } else if (type == "float" || type == "double") {
      if (!value.is_number()) return Problem(path, "expected a number, got " + Kind(value));
    } else if (type == "timestamp") {
      if (!TimestampFromJson(value).ok()) Problem(path, "expected a timestamp, got " + value.dump());
    }
  }

  std::string problems;
  int count = 0;

 private:
  void CheckStringLimits(const Json& shape, const std::string& text, const std::string& path) {
    if (shape.contains("max") && CodePoints(text) > shape["max"].get<size_t>()) {
      Constraint(path, text, "Member must have length less than or equal to " + Num(shape["max"].get<double>()));
    }
    if (shape.contains("pattern")) {
      const re2::RE2* re = CompiledPattern(shape["pattern"]);
      if (re && !re2::RE2::FullMatch(text, *re)) {
        Constraint(path, text, "Member must satisfy regular expression pattern: " + shape["pattern"].get<std::string>());
      }
    }
  }

  void Constraint(const std::string& path, const std::string& value, const std::string& rule) {
    ++count;
    problems += (count > 1 ? "; " : "") + std::string("Value") + (value.empty() ? "" : " '" + value + "'") +
                " at '" + LowerCamel(path) + "' failed to satisfy constraint: " + rule;
  }

  void CheckStructure(const Json& shape, const Json& value, const std::string& path) {
    if (!value.is_object()) return Problem(path, "expected a structure, got " + Kind(value));
    const Json& members = shape.contains("members") ? shape["members"] : Json::object();
    if (shape.contains("required")) {
      for (const auto& req : shape["required"]) {
        if (!value.contains(req.get<std::string>())) {
          Problem(Join(path, req), "is required but missing");
        }
      }
    }
    for (auto& [k, v] : value.items()) {
      if (k == kUnmodeledMembers) continue;  // kept from a response, sent back as it came
      if (!members.contains(k)) {
        Problem(Join(path, k), "is not a parameter of this operation");
        continue;
      }
      if (v.is_null()) continue;  // null means "not given"
      Check(model_.Shape(members[k]["shape"]), v, Join(path, k));
    }
  }

  void CheckMin(const Json& shape, double actual, const std::string& path, const char* what) {
    if (strict_ && shape.contains("min") && actual < shape["min"].get<double>()) {
      Constraint(path, "", std::string("Member must have ") + what + " greater than or equal to " +
                               Num(shape["min"].get<double>()));
      return;
    }
    if (shape.contains("min") && actual < shape["min"].get<double>()) {
      Problem(path, std::string("has ") + what + " " + Num(actual) + ", below the minimum of " +
                        Num(shape["min"].get<double>()));
    }
  }

  static std::string Num(double d) { return std::to_string(static_cast<long long>(d)); }
  static size_t CodePoints(const std::string& s) {
    size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
  }
  static std::string Join(const std::string& path, const std::string& name) {
    return path.empty() ? name : path + "." + name;
  }
  static std::string Kind(const Json& v) { return std::string(v.type_name()); }
  void Problem(const std::string& path, const std::string& what) {
    if (strict_) {
      if (what == "is required but missing") return Constraint(path, "null", "Member must not be null");
      ++count;
      problems += (count > 1 ? "; " : "") + std::string("Value at '") + LowerCamel(path) + "' " + what;
      return;
    }
    problems += "\n  " + (path.empty() ? std::string("input") : path) + " " + what;
  }

  const ServiceModel& model_;
  bool strict_;
};

}  // namespace

Status ValidateInput(const ServiceModel& model, const Json& shape, const Json& input, ValidationMode mode) {
  Validator v(model, mode);
  v.Check(shape, input, "");
  if (v.problems.empty()) return OkStatus();
  if (mode == ValidationMode::kServer) {
    return Error("ValidationError",
                 std::to_string(v.count) + " validation error" + (v.count > 1 ? "s" : "") + " detected: " + v.problems,
                 ErrorKind::kClient, 400);
  }
  return Error::Local("ParamValidation", "parameter validation failed:" + v.problems);
}

}  // namespace datamesh::aws
