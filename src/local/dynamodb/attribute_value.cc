#include "local/dynamodb/attribute_value.h"

#include <algorithm>
#include <set>

#include "aws/core/encoding.h"
#include "local/dynamodb/ddb_number.h"

namespace datamesh::local::ddb {
namespace {

const std::set<std::string>& Types() {
  static const std::set<std::string> types = {"S", "N", "B", "BOOL", "NULL", "L", "M", "SS", "NS", "BS"};
  return types;
}

Outcome<Json> CanonicalSet(const std::string& type, const Json& elements) {
  static const std::map<std::string, std::string> kNames = {{"SS", "string"}, {"NS", "number"}, {"BS", "binary"}};
  if (!elements.is_array()) return ValidationException("Supplied AttributeValue has an invalid " + type + " value");
  if (elements.empty()) {
    return ValidationException("One or more parameter values were invalid: An " + kNames.at(type) + " set  may not be empty");
  }
  Json out = Json::array();
  for (const auto& e : elements) {
    if (!e.is_string()) return ValidationException("Supplied AttributeValue has an invalid " + type + " value");
    if (type == "NS") {
      auto n = Number::Parse(e.get<std::string>());
      if (!n.ok()) return n.error();
      out.push_back(n->ToString());
    } else {
      if (type == "BS" && !aws::Base64Decode(e.get<std::string>())) {
        return ValidationException("Invalid Binary value in binary set");
      }
      out.push_back(e);
    }
  }
  for (size_t i = 0; i < out.size(); ++i) {
    for (size_t j = i + 1; j < out.size(); ++j) {
      bool same = type == "NS" ? (*Number::Parse(out[i]) == *Number::Parse(out[j])) : out[i] == out[j];
      if (same) {
        std::string shown;
        for (const auto& e : elements) shown += (shown.empty() ? "" : ", ") + e.get<std::string>();
        return ValidationException("One or more parameter values were invalid: Input collection [" + shown +
                                   "] contains duplicates.");
      }
    }
  }
  return Json{{type, out}};
}

size_t ValueSize(const Json& v) {
  std::string type = TypeOf(v);
  const Json& x = v[type];
  if (type == "S") return x.get<std::string>().size();
  if (type == "N") return x.get<std::string>().size() / 2 + 1;
  if (type == "B") return aws::Base64Decode(x.get<std::string>()).value_or("").size();
  if (type == "BOOL" || type == "NULL") return 1;
  size_t total = 3;
  if (type == "L") {
    for (const auto& e : x) total += 1 + ValueSize(e);
  } else if (type == "M") {
    for (auto& [k, e] : x.items()) total += 1 + k.size() + ValueSize(e);
  } else {
    for (const auto& e : x) total += e.get<std::string>().size();
  }
  return total;
}

}  // namespace

std::string BinaryOf(const Json& value) { return aws::Base64Decode(value["B"].get<std::string>()).value_or(""); }

std::string TypeOf(const Json& value) {
  if (!value.is_object() || value.size() != 1) return "";
  return value.begin().key();
}

Outcome<Json> CanonicalValue(const Json& value) {
  if (!value.is_object() || value.empty()) {
    return ValidationException("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
  }
  if (value.size() > 1) {
    return ValidationException("Supplied AttributeValue has more than one datatypes set, must contain exactly one of "
                               "the supported datatypes");
  }
  const std::string type = value.begin().key();
  const Json& x = value.begin().value();
  if (!Types().count(type)) return ValidationException("Supplied AttributeValue has an unknown datatype: " + type);
  if (type == "S") {
    if (!x.is_string()) return ValidationException("Supplied AttributeValue has an invalid S value");
    return value;
  }
  if (type == "N") {
    if (!x.is_string()) return ValidationException("Supplied AttributeValue has an invalid N value");
    auto n = Number::Parse(x.get<std::string>());
    if (!n.ok()) return n.error();
    return Json{{"N", n->ToString()}};
  }
  if (type == "B") {
    if (!x.is_string() || !aws::Base64Decode(x.get<std::string>())) return ValidationException("Invalid Binary value");
    return value;
  }
  if (type == "BOOL") {
    if (!x.is_boolean()) return ValidationException("Supplied AttributeValue has an invalid BOOL value");
    return value;
  }
  if (type == "NULL") {
    if (x != true) {
      return ValidationException("One or more parameter values were invalid: Null attribute value types must have "
                                 "the value of true");
    }
    return value;
  }
  if (type == "L") {
    if (!x.is_array()) return ValidationException("Supplied AttributeValue has an invalid L value");
    Json out = Json::array();
    for (const auto& e : x) {
      auto c = CanonicalValue(e);
      if (!c.ok()) return c;
      out.push_back(*c);
    }
    return Json{{"L", out}};
  }
  if (type == "M") {
    if (!x.is_object()) return ValidationException("Supplied AttributeValue has an invalid M value");
    auto m = CanonicalItem(x);
    if (!m.ok()) return m;
    return Json{{"M", *m}};
  }
  return CanonicalSet(type, x);
}

Outcome<Json> CanonicalItem(const Json& item) {
  if (!item.is_object()) return ValidationException("Item must be a map of attribute names to values");
  Json out = Json::object();
  for (auto& [name, v] : item.items()) {
    if (name.empty()) return ValidationException("One or more parameter values were invalid: An AttributeValue may not contain an empty attribute name");
    auto c = CanonicalValue(v);
    if (!c.ok()) return c;
    out[name] = *c;
  }
  return out;
}

bool ValuesEqual(const Json& a, const Json& b) {
  std::string ta = TypeOf(a), tb = TypeOf(b);
  if (ta != tb) return false;
  const Json& x = a[ta];
  const Json& y = b[tb];
  if (ta == "N") return *Number::Parse(x) == *Number::Parse(y);
  if (ta == "L") {
    if (x.size() != y.size()) return false;
    for (size_t i = 0; i < x.size(); ++i) {
      if (!ValuesEqual(x[i], y[i])) return false;
    }
    return true;
  }
  if (ta == "M") {
    if (x.size() != y.size()) return false;
    for (auto& [k, v] : x.items()) {
      if (!y.contains(k) || !ValuesEqual(v, y[k])) return false;
    }
    return true;
  }
  if (ta == "SS" || ta == "NS" || ta == "BS") {
    if (x.size() != y.size()) return false;
    for (const auto& e : x) {
      bool found = std::any_of(y.begin(), y.end(), [&](const Json& f) {
        return ta == "NS" ? *Number::Parse(e) == *Number::Parse(f) : e == f;
      });
      if (!found) return false;
    }
    return true;
  }
  return x == y;
}

std::optional<int> CompareValues(const Json& a, const Json& b) {
  std::string ta = TypeOf(a), tb = TypeOf(b);
  if (ta != tb) return std::nullopt;
  if (ta == "N") return Number::Parse(a["N"])->Compare(*Number::Parse(b["N"]));
  if (ta == "S") {
    const std::string& x = a["S"].get_ref<const std::string&>();
    const std::string& y = b["S"].get_ref<const std::string&>();
    return x < y ? -1 : x > y ? 1 : 0;  // UTF-8 byte order, as DynamoDB sorts
  }
  if (ta == "B") {
    std::string x = BinaryOf(a), y = BinaryOf(b);
    // Unsigned byte order, as DynamoDB sorts binary values.
    auto less = [](char p, char q) { return static_cast<unsigned char>(p) < static_cast<unsigned char>(q); };
    if (x == y) return 0;
    return std::lexicographical_compare(x.begin(), x.end(), y.begin(), y.end(), less) ? -1 : 1;
  }
  return std::nullopt;
}

size_t ItemSize(const Json& item) {
  size_t total = 0;
  for (auto& [k, v] : item.items()) total += k.size() + ValueSize(v);
  return total;
}

}  // namespace datamesh::local::ddb
