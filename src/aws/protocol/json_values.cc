#include "aws/protocol/json_values.h"

#include <cmath>
#include <set>

#include "aws/core/time_format.h"
#include "aws/protocol/shape_values.h"

namespace datamesh::aws {

Json ToWireJson(const ServiceModel& model, const Json& shape, const Json& value) {
  const std::string type = shape.value("type", "string");
  if (type == "structure") {
    Json out = Json::object();
    if (value.contains(kUnmodeledMembers) && value[kUnmodeledMembers].is_object()) {
      for (auto& [wire_name, v] : value[kUnmodeledMembers].items()) out[wire_name] = v;
    }
    if (!shape.contains("members")) return out;
    for (auto& [name, ref] : shape["members"].items()) {
      if (!value.contains(name) || value[name].is_null()) continue;
      out[WireName(name, ref)] = ToWireJson(model, model.Shape(ref["shape"]), value[name]);
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
  const std::string type = shape.value("type", "string");
  auto mismatch = [&](const char* expected) {
    return Error::Local("SerializationException",
                        std::string("expected ") + expected + " in JSON, got " + wire.type_name());
  };
  if (wire.is_null()) return wire;
  if (type == "structure") {
    if (!wire.is_object()) return mismatch("an object");
    Json out = Json::object();
    std::set<std::string> modelled;
    if (shape.contains("members")) {
      for (auto& [name, ref] : shape["members"].items()) {
        const std::string wire_name = WireName(name, ref);
        modelled.insert(wire_name);
        auto it = wire.find(wire_name);
        if (it == wire.end()) continue;
        auto v = FromWireJson(model, model.Shape(ref["shape"]), *it);
        if (!v.ok()) return v;
        out[name] = std::move(*v);
      }
    }
    for (auto& [wire_name, v] : wire.items()) {
      if (!modelled.count(wire_name) && wire_name != kUnmodeledMembers) out[kUnmodeledMembers][wire_name] = v;
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
