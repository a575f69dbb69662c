#include "aws/protocol/json_values.h"

#include <cmath>

#include "aws/core/time_format.h"
#include "aws/protocol/shape_values.h"

namespace datamesh::aws {

namespace {

const Json& TypeOf(const Json& shape) {
  static const Json kString = "string";
  auto it = shape.find("type");
  return it == shape.end() ? kString : *it;
}

// The member a wire name stands for: usually the member of that name (whose wire name is its
// own); otherwise the one whose locationName it is. Members are looked up from the value's side
// because values hold few of their shape's members (an AttributeValue holds one of ten).
const Json* MemberOfWireName(const Json& members, const std::string& wire_name, std::string& member_name) {
  auto direct = members.find(wire_name);
  if (direct != members.end() && WireName(wire_name, *direct) == wire_name) {
    member_name = wire_name;
    return &*direct;
  }
  for (auto& [name, ref] : members.items()) {
    if (WireName(name, ref) == wire_name) {
      member_name = name;
      return &ref;
    }
  }
  return nullptr;
}

}  // namespace

Json ToWireJson(const ServiceModel& model, const Json& shape, const Json& value) {
  const Json& type = TypeOf(shape);
  if (type == "structure") {
    Json out = Json::object();
    if (value.contains(kUnmodeledMembers) && value[kUnmodeledMembers].is_object()) {
      for (auto& [wire_name, v] : value[kUnmodeledMembers].items()) out[wire_name] = v;
    }
    auto members = shape.find("members");
    if (members == shape.end() || !value.is_object()) return out;
    for (auto& [name, v] : value.items()) {
      if (v.is_null()) continue;
      auto ref = members->find(name);
      if (ref == members->end()) continue;
      out[WireName(name, *ref)] = ToWireJson(model, model.Shape((*ref)["shape"]), v);
    }
    return out;
  }
  if (type == "list") {
    Json out = Json::array();
    const Json& member = model.Shape(shape["member"]["shape"]);
    for (const auto& v : value) out.push_back(ToWireJson(model, member, v));
    return out;
  }
  if (type == "map") {
    Json out = Json::object();
    const Json& val = model.Shape(shape["value"]["shape"]);
    for (auto& [k, v] : value.items()) out[k] = ToWireJson(model, val, v);
    return out;
  }
  if (type == "timestamp") {
    auto t = TimestampFromJson(value);
    if (!t.ok()) return value;
    if (TimestampFormatOf(shape, nullptr, TimestampFormat::kEpochSeconds) ==
        TimestampFormat::kEpochSeconds) {
      double secs = ToEpochSeconds(*t);
      if (secs == std::floor(secs)) return static_cast<long long>(secs);  // as the SDKs send it
      return secs;
    }
    return FormatTimestamp(*t, TimestampFormatOf(shape, nullptr, TimestampFormat::kIso8601));
  }
  return value;
}

Outcome<Json> FromWireJson(const ServiceModel& model, const Json& shape, const Json& wire) {
  const Json& type = TypeOf(shape);
  auto mismatch = [&](const char* expected) {
    return Error::Local("SerializationException",
                        std::string("expected ") + expected + " in JSON, got " + wire.type_name());
  };
  if (wire.is_null()) return wire;
  if (type == "structure") {
    if (!wire.is_object()) return mismatch("an object");
    Json out = Json::object();
    auto members = shape.find("members");
    std::string name;
    for (auto& [wire_name, v] : wire.items()) {
      const Json* ref = members == shape.end() ? nullptr : MemberOfWireName(*members, wire_name, name);
      if (!ref) {
        if (wire_name != kUnmodeledMembers) out[kUnmodeledMembers][wire_name] = v;
        continue;
      }
      auto value = FromWireJson(model, model.Shape((*ref)["shape"]), v);
      if (!value.ok()) return value;
      out[name] = std::move(*value);
    }
    return out;
  }
  if (type == "list") {
    if (!wire.is_array()) return mismatch("an array");
    Json out = Json::array();
    const Json& member = model.Shape(shape["member"]["shape"]);
    for (const auto& v : wire) {
      auto item = FromWireJson(model, member, v);
      if (!item.ok()) return item;
      out.push_back(std::move(*item));
    }
    return out;
  }
  if (type == "map") {
    if (!wire.is_object()) return mismatch("an object");
    Json out = Json::object();
    const Json& val = model.Shape(shape["value"]["shape"]);
    for (auto& [k, v] : wire.items()) {
      auto item = FromWireJson(model, val, v);
      if (!item.ok()) return item;
      out[k] = std::move(*item);
    }
    return out;
  }
  if (type == "timestamp") {
    auto t = TimestampFromJson(wire);
    if (!t.ok()) return mismatch("a timestamp");
    return Json(FormatIso8601(*t));
  }
  return wire;
}

}  // namespace datamesh::aws
