#include "cli/format/table_output.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <ostream>
#include <set>
#include <vector>

#include "cli/format/python_str.h"

namespace datamesh::cli::format {
namespace {

using Json = nlohmann::json;
using Row = std::vector<std::string>;

// Python's a // b for the possibly negative numbers the centring arithmetic makes.
long FloorDiv(long a, long b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }
std::string Spaces(long n) { return n > 0 ? std::string(n, ' ') : std::string(); }
std::string Dashes(long n) { return n > 0 ? std::string(n, '-') : std::string(); }

std::string Centered(const std::string& text, long length, const std::string& left, const std::string& right) {
  long text_length = static_cast<long>(DisplayWidth(text));
  long start = FloorDiv(length, 2) - FloorDiv(text_length, 2) - 1;
  long so_far = static_cast<long>(left.size()) + start + text_length;
  return left + Spaces(start) + text + Spaces(length - static_cast<long>(right.size()) - so_far) + right;
}

std::string LeftAligned(const std::string& text, long length, const std::string& left, const std::string& right) {
  long text_length = static_cast<long>(DisplayWidth(text));
  long padding = length - (text_length + 2 + static_cast<long>(left.size() + right.size())) >= 0 ? 2 : 0;
  long so_far = static_cast<long>(left.size()) + padding + text_length;
  return left + Spaces(padding) + text + Spaces(length - so_far - static_cast<long>(right.size())) + right;
}

// One box: a title, an optional header row, rows of cells, nested `indent` boxes deep.
struct Section {
  std::string title;
  Row headers;
  std::vector<Row> rows;
  long indent = 0;
  std::vector<long> max_widths;

  void Measure(const Row& row) {
    if (max_widths.empty()) {
      for (const auto& cell : row) max_widths.push_back(static_cast<long>(DisplayWidth(cell)));
      return;
    }
    for (size_t i = 0; i < row.size() && i < max_widths.size(); ++i) {
      max_widths[i] = std::max(max_widths[i], static_cast<long>(DisplayWidth(row[i])));
    }
  }
  void SetHeaders(Row h) {
    Measure(h);
    headers = std::move(h);
  }
  void AddRow(Row row) {
    Measure(row);
    rows.push_back(std::move(row));
  }

  // Each column's width plus padding, scaled to add up to `total` (rounding half to even, then
  // the remainder taken from or given to columns from the first, or the last, onwards).
  std::vector<long> ColumnWidths(long padding, long total) const {
    std::vector<long> widths;
    long sum = 0;
    for (long w : max_widths) {
      widths.push_back(w + padding);
      sum += w + padding;
    }
    if (widths.empty() || sum == 0) return widths;
    double scale = static_cast<double>(total) / static_cast<double>(sum);
    long scaled_sum = 0;
    for (auto& w : widths) {
      w = static_cast<long>(std::nearbyint(scale * static_cast<double>(w)));
      scaled_sum += w;
    }
    long off_by = scaled_sum - total;
    while (off_by != 0) {
      for (size_t k = 0; k < widths.size() && off_by != 0; ++k) {
        size_t i = off_by < 0 ? widths.size() - 1 - k : k;
        if (off_by > 0) {
          --widths[i];
          --off_by;
        } else {
          ++widths[i];
          ++off_by;
        }
      }
    }
    return widths;
  }

  long TotalWidth() const {
    long total = 2 + 2 * indent;
    for (long w : max_widths) total += w + 4;
    return std::max(static_cast<long>(DisplayWidth(title)) + 2 + 2 * indent, total);
  }
};

// Builds the sections from the value, as the AWS CLI's table formatter walks a response.
class Builder {
 public:
  std::vector<Section> sections;

  bool Build(const std::optional<std::string>& title, const Json& v, long indent) {
    if (Falsy(v)) return false;
    if (title) NewSection(*title, indent);
    if (v.is_array()) {
      if (v[0].is_object()) {
        FromList(v, indent, title);
      } else {
        for (const auto& item : v) {
          if (IsScalar(item)) {
            Current().AddRow({PythonStr(item)});
          } else if (AllScalar(item)) {
            Current().AddRow(Cells(item));
          } else {
            Build(std::nullopt, item, 0);  // as the AWS CLI: a nested list starts again at the left
          }
        }
      }
    }
    if (v.is_object()) FromObject(v, indent);
    return true;
  }

 private:
  static bool Falsy(const Json& v) {
    return v.is_null() || (v.is_boolean() && !v.get<bool>()) || (v.is_number() && v.get<double>() == 0) ||
           ((v.is_string() || v.is_array() || v.is_object()) && v.empty()) ||
           (v.is_string() && v.get<std::string>().empty());
  }
  // Iterating an object yields its keys, as in Python.
  static bool AllScalar(const Json& v) {
    if (v.is_object()) return true;
    return std::all_of(v.begin(), v.end(), [](const Json& e) { return IsScalar(e); });
  }
  static Row Cells(const Json& v) {
    Row row;
    if (v.is_object()) {
      for (auto& [k, unused] : v.items()) row.push_back(k);
    } else {
      for (const auto& e : v) row.push_back(PythonStr(e));
    }
    return row;
  }
  Section& Current() {
    if (sections.empty()) sections.emplace_back();
    return sections.back();
  }
  void NewSection(const std::string& title, long indent) {
    sections.emplace_back();
    sections.back().title = title;
    sections.back().indent = indent;
  }
  // Keys of scalar members, and keys of the others, each sorted.
  static void SplitKeys(const Json& object, std::set<std::string>& scalar, std::set<std::string>& nested) {
    if (!object.is_object()) return;
    for (auto& [k, v] : object.items()) (IsScalar(v) ? scalar : nested).insert(k);
  }
  void FromObject(const Json& object, long indent) {
    std::set<std::string> scalar, nested;
    SplitKeys(object, scalar, nested);
    if (scalar.size() == 1) {
      Current().AddRow({*scalar.begin(), PythonStr(object[*scalar.begin()])});
    } else if (!scalar.empty()) {
      Row values;
      for (const auto& k : scalar) values.push_back(PythonStr(object[k]));
      Current().SetHeaders(Row(scalar.begin(), scalar.end()));
      Current().AddRow(values);
    }
    for (const auto& k : nested) Build(k, object[k], indent + 1);
  }
  void FromList(const Json& list, long indent, const std::optional<std::string>& title) {
    std::set<std::string> scalar, nested;
    for (const auto& element : list) SplitKeys(element, scalar, nested);
    Row headers(scalar.begin(), scalar.end());
    Current().SetHeaders(headers);
    bool first = true;
    for (const auto& element : list) {
      if (!first && !nested.empty()) {
        NewSection(title.value_or(""), indent);
        Current().SetHeaders(headers);
      }
      first = false;
      Row row;
      for (const auto& h : headers) {
        row.push_back(element.is_object() && element.contains(h) ? PythonStr(element[h]) : "");
      }
      Current().AddRow(row);
      for (const auto& k : nested) {
        if (element.is_object() && element.contains(k)) Build(k, element[k], indent + 1);
      }
    }
  }
};

// A one-row table with a header becomes rows of (header, value): how a box too wide for the
// terminal is drawn.
void MakeVertical(std::vector<Section>& sections) {
  for (auto& s : sections) {
    if (s.rows.size() != 1 || s.headers.empty()) continue;
    Section vertical;
    vertical.title = s.title;
    vertical.indent = s.indent;
    for (size_t i = 0; i < s.headers.size() && i < s.rows[0].size(); ++i) vertical.AddRow({s.headers[i], s.rows[0][i]});
    s = std::move(vertical);
  }
}

long WidestBox(const std::vector<Section>& sections) {
  long widest = 0;
  for (const auto& s : sections) widest = std::max(widest, s.TotalWidth());
  return widest;
}

void WriteLine(std::ostream& out, long indent, const std::string& line) {
  std::string bars(indent, '|');
  out << bars << line << bars << "\n";
}

std::string Rule(const std::vector<long>& widths) {
  std::string line;
  for (size_t i = 0; i < widths.size(); ++i) line += i == 0 ? "+" + Dashes(widths[i] - 2) + "+" : Dashes(widths[i] - 1) + "+";
  return line;
}

void WriteSection(std::ostream& out, const Section& s, long width) {
  width -= 2 * s.indent;
  if (!s.title.empty()) {
    WriteLine(out, s.indent, Centered(s.title, width, "|", "|"));
    if (s.headers.empty() && s.rows.empty()) WriteLine(out, s.indent, "+" + Dashes(width - 2) + "+");
  }
  if (!s.headers.empty()) {
    auto widths = s.ColumnWidths(4, width);
    std::string line;
    for (size_t i = 0; i < widths.size() && i < s.headers.size(); ++i) {
      line += Centered(s.headers[i], widths[i], i == 0 ? "|" : "", "|");
    }
    WriteLine(out, s.indent, Rule(widths));
    WriteLine(out, s.indent, line);
  }
  if (s.rows.empty()) return;
  auto widths = s.ColumnWidths(4, width);
  if (widths.empty()) return;
  WriteLine(out, s.indent, Rule(widths));
  for (const auto& row : s.rows) {
    std::string line;
    for (size_t i = 0; i < widths.size() && i < row.size(); ++i) {
      line += LeftAligned(row[i], widths[i], i == 0 ? "|" : "", "|");
    }
    WriteLine(out, s.indent, line);
  }
  WriteLine(out, s.indent, Rule(widths));
}

}  // namespace

void WriteTable(std::ostream& out, const nlohmann::json& value, const std::string& title, size_t terminal_width) {
  Builder builder;
  if (!builder.Build(title, value, 0)) return;
  auto& sections = builder.sections;
  long width = WidestBox(sections);
  if (width > static_cast<long>(terminal_width)) {
    MakeVertical(sections);
    width = WidestBox(sections);
  }
  out << Dashes(width) << "\n";
  for (const auto& s : sections) WriteSection(out, s, width);
}

size_t TerminalWidth() {
  struct winsize size {};
  if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  return 80;
}

}  // namespace datamesh::cli::format
