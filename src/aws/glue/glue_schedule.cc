#include "aws/glue/glue_schedule.h"

#include <sstream>
#include <vector>

namespace datamesh::aws {
namespace {

// One value of a cron field: a number in [lo, hi], a month or day name, or L/W/# forms where
// the field allows them.
bool CronValue(const std::string& v, int lo, int hi, bool names_month, bool names_day, bool allow_lw) {
  static const char* kMonths[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
  static const char* kDays[] = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};
  if (v.empty()) return false;
  if (v.find_first_not_of("0123456789") == std::string::npos) {
    if (v.size() > 4) return false;
    int n = std::stoi(v);
    return n >= lo && n <= hi;
  }
  if (names_month) {
    for (const char* m : kMonths) if (v == m) return true;
  }
  if (names_day) {
    for (const char* d : kDays) if (v == d) return true;
  }
  if (allow_lw && (v == "L" || v == "W" || v == "LW")) return true;
  if (allow_lw && v.size() > 1 && (v.back() == 'L' || v.back() == 'W')) {
    return CronValue(v.substr(0, v.size() - 1), lo, hi, names_month, names_day, false);
  }
  if (names_day && v.find('#') != std::string::npos) {
    std::string n = v.substr(v.find('#') + 1);
    return CronValue(v.substr(0, v.find('#')), lo, hi, false, true, false) && n.size() == 1 && n[0] >= '1' && n[0] <= '5';
  }
  return false;
}

// Glue's six-field cron: minutes hours day-of-month month day-of-week year, with '?' in one of
// the two day fields; each field a list of values, ranges and steps.
bool ValidCronField(const std::string& field, int lo, int hi, bool names_month, bool names_day, bool allow_q,
                    bool allow_lw) {
  if (field == "*") return true;
  if (field == "?") return allow_q;
  std::stringstream list(field);
  std::string item;
  while (std::getline(list, item, ',')) {
    std::string range = item;
    size_t slash = item.find('/');
    if (slash != std::string::npos) {
      range = item.substr(0, slash);
      std::string step = item.substr(slash + 1);
      if (step.empty() || step.find_first_not_of("0123456789") != std::string::npos) return false;
    }
    if (range == "*") continue;
    size_t dash = range.find('-');
    bool ok = dash != std::string::npos
                  ? CronValue(range.substr(0, dash), lo, hi, names_month, names_day, false) &&
                        CronValue(range.substr(dash + 1), lo, hi, names_month, names_day, false)
                  : CronValue(range, lo, hi, names_month, names_day, allow_lw);
    if (!ok) return false;
  }
  return true;
}

}  // namespace

bool IsValidGlueSchedule(const std::string& expression) {
  auto bad = [] { return false; };
  if (expression.rfind("cron(", 0) != 0 || expression.back() != ')') return bad();
  std::stringstream in(expression.substr(5, expression.size() - 6));
  std::vector<std::string> f;
  std::string field;
  while (in >> field) f.push_back(field);
  if (f.size() != 6) return bad();
  bool dom_q = f[2] == "?", dow_q = f[4] == "?";
  if (dom_q == dow_q) return bad();  // exactly one of the day fields is '?'
  bool ok = ValidCronField(f[0], 0, 59, false, false, false, false) && ValidCronField(f[1], 0, 23, false, false, false, false) &&
            ValidCronField(f[2], 1, 31, false, false, true, true) && ValidCronField(f[3], 1, 12, true, false, false, false) &&
            ValidCronField(f[4], 1, 7, false, true, true, true) && ValidCronField(f[5], 1970, 2199, false, false, false, false);
  return ok;
}


}  // namespace datamesh::aws
