#include "aws/protocol/shape_values.h"

#include <cmath>
#include <cstdio>

#include "aws/core/time_format.h"

namespace datamesh::aws {

bool IsScalarShape(const Json& shape) {
  const std::string type = shape.value("type", "");
  return type != "structure" && type != "list" && type != "map";
}

TimestampFormat TimestampFormatOf(const Json& shape, const Json* member_ref,
                                  TimestampFormat fallback) {
  std::string fmt;
  if (member_ref && member_ref->contains("timestampFormat")) {
    fmt = (*member_ref)["timestampFormat"];
  } else if (shape.contains("timestampFormat")) {
    fmt = shape["timestampFormat"];
  }
  if (fmt == "iso8601") return TimestampFormat::kIso8601;
  if (fmt == "unixTimestamp") return TimestampFormat::kEpochSeconds;
  if (fmt == "rfc822") return TimestampFormat::kHttpDate;
  return fallback;
}

Outcome<SystemTime> TimestampFromJson(const Json& value) {
  if (value.is_number()) return FromEpochSeconds(value.get<double>());
  if (value.is_string()) {
    const std::string text = value;
    if (auto t = ParseIso8601(text)) return *t;
    if (auto t = ParseHttpDate(text)) return *t;
    char* end = nullptr;
    double secs = std::strtod(text.c_str(), &end);
    if (!text.empty() && end && *end == '\0') return FromEpochSeconds(secs);
  }
  return Error::Local("InvalidTimestamp", "not a timestamp: " + value.dump());
}

std::string FormatTimestamp(SystemTime t, TimestampFormat format) {
  switch (format) {
    case TimestampFormat::kIso8601: return FormatIso8601(t);
    case TimestampFormat::kHttpDate: return FormatHttpDate(t);
    case TimestampFormat::kEpochSeconds: {
      double secs = ToEpochSeconds(t);
      if (secs == std::floor(secs)) return std::to_string(static_cast<long long>(secs));
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.3f", secs);
      return buf;
    }
  }
  return {};
}

std::string ScalarToText(const Json& shape, const Json& value, TimestampFormat ts_format) {
  const std::string type = shape.value("type", "string");
  if (type == "boolean") return value.get<bool>() ? "true" : "false";
  if (type == "timestamp") {
    auto t = TimestampFromJson(value);
    return t.ok() ? FormatTimestamp(*t, ts_format) : std::string();
  }
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_integer()) return std::to_string(value.get<long long>());
  if (value.is_number()) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", value.get<double>());
    return buf;
  }
  return value.dump();
}

Outcome<Json> ScalarFromText(const Json& shape, const std::string& text) {
  const std::string type = shape.value("type", "string");
  auto bad = [&]() {
    return Error::Local("SerializationException", "cannot read '" + text + "' as " + type);
  };
  if (type == "boolean") {
    if (text == "true") return Json(true);
    if (text == "false") return Json(false);
    return bad();
  }
  if (type == "integer" || type == "long") {
    try {
      size_t pos = 0;
      long long v = std::stoll(text, &pos);
      if (pos != text.size()) return bad();
      return Json(v);
    } catch (...) {
      return bad();
    }
  }
  if (type == "float" || type == "double") {
    try {
      size_t pos = 0;
      double v = std::stod(text, &pos);
      if (pos != text.size()) return bad();
      return Json(v);
    } catch (...) {
      return bad();
    }
  }
  if (type == "timestamp") {
    auto t = TimestampFromJson(Json(text));
    if (!t.ok()) return bad();
    return Json(FormatIso8601(*t));
  }
  return Json(text);  // string, enum-ish strings, blob (kept base64)
}

}  // namespace datamesh::aws
