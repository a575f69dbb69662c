#include "aws/protocol/param_validator.h"

#include "aws/core/encoding.h"
#include "aws/protocol/shape_values.h"

namespace datamesh::aws {
namespace {

class Validator {
 public:
  explicit Validator(const ServiceModel& model) : model_(model) {}

  void Check(const Json& shape, const Json& value, const std::string& path) {
    const std::string type = shape.value("type", "string");
    if (type == "structure") {
      CheckStructure(shape, value, path);
    } else if (type == "list") {
      if (!value.is_array()) return Problem(path, "expected a list, got " + Kind(value));
      CheckMin(shape, static_cast<double>(value.size()), path, "length");
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
    } else if (type == "blob") {
      if (!value.is_string()) return Problem(path, "expected base64 text, got " + Kind(value));
      if (!Base64Decode(value.get<std::string>())) Problem(path, "is not valid base64");
    } else if (type == "boolean") {
      if (!value.is_boolean()) Problem(path, "expected true or false, got " + Kind(value));
    } else if (type == "integer" || type == "long") {
      if (!value.is_number_integer()) return Problem(path, "expected an integer, got " + Kind(value));
      CheckMin(shape, value.get<double>(), path, "value");
    } else if (type == "float" || type == "double") {
      if (!value.is_number()) return Problem(path, "expected a number, got " + Kind(value));
    } else if (type == "timestamp") {
      if (!TimestampFromJson(value).ok()) Problem(path, "expected a timestamp, got " + value.dump());
    }
  }

  std::string problems;

 private:
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
      if (!members.contains(k)) {
        Problem(Join(path, k), "is not a parameter of this operation");
        continue;
      }
      if (v.is_null()) continue;  // null means "not given"
      Check(model_.Shape(members[k]["shape"]), v, Join(path, k));
    }
  }

  void CheckMin(const Json& shape, double actual, const std::string& path, const char* what) {
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
    problems += "\n  " + (path.empty() ? std::string("input") : path) + " " + what;
  }

  const ServiceModel& model_;
};

}  // namespace

Status ValidateInput(const ServiceModel& model, const Json& shape, const Json& input) {
  Validator v(model);
  v.Check(shape, input, "");
  if (v.problems.empty()) return OkStatus();
  return Error::Local("ParamValidation", "parameter validation failed:" + v.problems);
}

}  // namespace datamesh::aws
