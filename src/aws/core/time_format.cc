#include "aws/core/time_format.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>

namespace datamesh::aws {
namespace {

std::tm ToUtc(SystemTime t) {
  std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return tm;
}

std::string Format(SystemTime t, const char* pattern) {
  std::tm tm = ToUtc(t);
  char buf[64];
  size_t n = std::strftime(buf, sizeof buf, pattern, &tm);
  return std::string(buf, n);
}

// system_clock counts nanoseconds: its range ends in 2262. Later times (a credential_process's
// "9999-12-31T23:59:59Z" Expiration) saturate to its end instead of overflowing, which UBSan
// reported in the sanitized test run.
SystemTime FromTimeT(std::time_t t) {
  using std::chrono::duration_cast;
  using std::chrono::seconds;
  const auto max = duration_cast<seconds>(SystemTime::max().time_since_epoch()).count();
  const auto min = duration_cast<seconds>(SystemTime::min().time_since_epoch()).count();
  if (t >= max) return SystemTime::max();
  if (t <= min) return SystemTime::min();
  return std::chrono::system_clock::from_time_t(t);
}

std::optional<SystemTime> FromFields(int year, int month, int day, int hour, int minute,
                                     int second) {
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0 ||
      minute > 59 || second < 0 || second > 60) {
    return std::nullopt;
  }
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  return FromTimeT(timegm(&tm));
}

}  // namespace

std::string FormatAmzDate(SystemTime t) { return Format(t, "%Y%m%dT%H%M%SZ"); }
std::string FormatDateStamp(SystemTime t) { return Format(t, "%Y%m%d"); }
std::string FormatHttpDate(SystemTime t) { return Format(t, "%a, %d %b %Y %H:%M:%S GMT"); }

std::string FormatIso8601(SystemTime t) {
  auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count() % 1000;
  if (millis < 0) millis += 1000;
  if (millis == 0) return Format(t, "%Y-%m-%dT%H:%M:%SZ");
  char frac[8];
  std::snprintf(frac, sizeof frac, ".%03lld", static_cast<long long>(millis));
  return Format(t, "%Y-%m-%dT%H:%M:%S") + frac + "Z";
}

double ToEpochSeconds(SystemTime t) {
  return std::chrono::duration<double>(t.time_since_epoch()).count();
}

SystemTime FromEpochSeconds(double seconds) {
  // Saturated at the clock's range, as FromTimeT (a double beyond it would overflow the cast).
  const double max = std::chrono::duration<double>(SystemTime::max().time_since_epoch()).count();
  const double min = std::chrono::duration<double>(SystemTime::min().time_since_epoch()).count();
  if (!(seconds < max)) return seconds != seconds ? SystemTime() : SystemTime::max();
  if (!(seconds > min)) return SystemTime::min();
  return SystemTime(std::chrono::duration_cast<SystemTime::duration>(std::chrono::duration<double>(seconds)));
}

std::optional<SystemTime> ParseAmzDate(std::string_view text) {
  int y, mo, d, h, mi, s;
  char z;
  std::string str(text);
  if (text.size() != 16 ||
      std::sscanf(str.c_str(), "%4d%2d%2dT%2d%2d%2d%c", &y, &mo, &d, &h, &mi, &s, &z) != 7 ||
      z != 'Z') {
    return std::nullopt;
  }
  return FromFields(y, mo, d, h, mi, s);
}

std::optional<SystemTime> ParseIso8601(std::string_view text) {
  std::string str(text);
  int y, mo, d, h, mi, s, consumed = 0;
  if (std::sscanf(str.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &s,
                  &consumed) != 6) {
    return std::nullopt;
  }
  auto base = FromFields(y, mo, d, h, mi, s);
  if (!base) return std::nullopt;
  std::string_view rest = text.substr(consumed);
  double fraction = 0;
  if (!rest.empty() && rest.front() == '.') {
    size_t i = 1;
    double scale = 0.1;
    while (i < rest.size() && rest[i] >= '0' && rest[i] <= '9') {
      fraction += (rest[i] - '0') * scale;
      scale /= 10;
      ++i;
    }
    if (i == 1) return std::nullopt;
    rest.remove_prefix(i);
  }
  int offset_seconds = 0;
  if (rest == "Z" || rest == "z" || rest.empty()) {
  } else if ((rest.front() == '+' || rest.front() == '-') &&
             (rest.size() == 6 || rest.size() == 5)) {
    int oh = 0, om = 0;
    std::string off(rest.substr(1));
    if (std::sscanf(off.c_str(), "%2d:%2d", &oh, &om) != 2 &&
        std::sscanf(off.c_str(), "%2d%2d", &oh, &om) != 2) {
      return std::nullopt;
    }
    offset_seconds = (oh * 3600 + om * 60) * (rest.front() == '+' ? 1 : -1);
  } else {
    return std::nullopt;
  }
  auto t = *base - std::chrono::seconds(offset_seconds);
  return t + std::chrono::duration_cast<SystemTime::duration>(
                 std::chrono::duration<double>(fraction));
}

std::optional<SystemTime> ParseHttpDate(std::string_view text) {
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::string str(text);
  char weekday[8], month[8], zone[8];
  int d, y, h, mi, s;
  if (std::sscanf(str.c_str(), "%7[A-Za-z], %d %7s %d %d:%d:%d %7s", weekday, &d, month, &y, &h,
                  &mi, &s, zone) != 8) {
    return std::nullopt;
  }
  for (int m = 0; m < 12; ++m) {
    if (std::strcmp(month, kMonths[m]) == 0) return FromFields(y, m + 1, d, h, mi, s);
  }
  return std::nullopt;
}

}  // namespace datamesh::aws
