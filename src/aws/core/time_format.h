// The timestamp formats of the AWS wire: SigV4's basic ISO 8601, extended ISO 8601 (query and
// XML protocols), RFC 1123 (HTTP Date headers) and epoch seconds (JSON protocols).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "aws/core/clock.h"

namespace datamesh::aws {

std::string FormatAmzDate(SystemTime t);    // 20150830T123600Z
std::string FormatDateStamp(SystemTime t);  // 20150830
// 2015-08-30T12:36:00Z, or with milliseconds 2015-08-30T12:36:00.123Z when they are non-zero.
std::string FormatIso8601(SystemTime t);
std::string FormatHttpDate(SystemTime t);  // Sun, 30 Aug 2015 12:36:00 GMT
double ToEpochSeconds(SystemTime t);
SystemTime FromEpochSeconds(double seconds);

std::optional<SystemTime> ParseAmzDate(std::string_view text);
// Accepts 2015-08-30T12:36:00Z, fractional seconds, and +hh:mm / -hh:mm offsets.
std::optional<SystemTime> ParseIso8601(std::string_view text);
std::optional<SystemTime> ParseHttpDate(std::string_view text);

}  // namespace datamesh::aws
