// Conversions between the JSON form of a modelled value (what callers pass and get back, like
// boto3's parameter dicts) and the text forms of the wire (query strings, XML, headers).
//
// The JSON form: structures and maps are objects, lists are arrays, strings and enums are
// strings, integers/longs/floats/doubles are numbers, booleans are booleans, blobs are base64
// strings, timestamps are ISO 8601 strings on output (ISO strings or epoch numbers on input).
#pragma once

#include <string>

#include "aws/core/clock.h"
#include "aws/model/service_model.h"

namespace datamesh::aws {

enum class TimestampFormat { kIso8601, kEpochSeconds, kHttpDate };

// The timestamp format a member uses on the wire: its timestampFormat trait, else `fallback`.
TimestampFormat TimestampFormatOf(const Json& shape, const Json* member_ref, TimestampFormat fallback);

// A timestamp in the JSON form (ISO string or epoch number) as a time point.
Outcome<SystemTime> TimestampFromJson(const Json& value);
std::string FormatTimestamp(SystemTime t, TimestampFormat format);

// The text of a scalar for a query string, XML element or header.
// REQUIRES: the value was validated against the shape.
std::string ScalarToText(const Json& shape, const Json& value, TimestampFormat ts_format);
// Parses wire text into the JSON form; an error names the problem.
Outcome<Json> ScalarFromText(const Json& shape, const std::string& text);

bool IsScalarShape(const Json& shape);

}  // namespace datamesh::aws
