#include "cli/format/text_output.h"

#include <algorithm>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "cli/format/python_str.h"

namespace datamesh::cli::format {
namespace {

using Json = nlohmann::json;
using Keys = std::vector<std::string>;

void Write(std::ostream& out, const Json& v, const std::optional<std::string>& label, const Keys* columns);

std::string Upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

void WriteRow(std::ostream& out, const std::vector<std::string>& cells) {
  for (size_t i = 0; i < cells.size(); ++i) out << (i ? "\t" : "") << cells[i];
  out << "\n";
}

// Every key holding a scalar in any of the objects: the columns of a list of objects.
Keys ScalarKeysOf(const Json& list) {
  std::set<std::string> keys;
  for (const auto& element : list) {
    if (!element.is_object()) continue;
    for (auto& [k, v] : element.items()) {
      if (IsScalar(v)) keys.insert(k);
    }
  }
  return Keys(keys.begin(), keys.end());
}

void WriteObject(std::ostream& out, const Json& object, const std::optional<std::string>& label, const Keys* columns) {
  std::vector<std::string> scalars;
  std::vector<std::pair<std::string, const Json*>> nested;
  if (!columns) {
    for (auto& [k, v] : object.items()) {
      if (IsScalar(v)) scalars.push_back(PythonStr(v));
      else nested.emplace_back(k, &v);
    }
  } else {
    // In a list, every row has every column; a missing one is empty.
    for (const auto& k : *columns) scalars.push_back(object.contains(k) ? PythonStr(object[k]) : "");
    for (auto& [k, v] : object.items()) {
      if (!std::binary_search(columns->begin(), columns->end(), k)) nested.emplace_back(k, &v);
    }
  }
  if (!scalars.empty()) {
    if (label) scalars.insert(scalars.begin(), Upper(*label));
    WriteRow(out, scalars);
  }
  for (auto& [key, value] : nested) Write(out, *value, key, nullptr);
}

void WriteScalars(std::ostream& out, const std::vector<const Json*>& items, const std::optional<std::string>& label) {
  if (label) {
    for (const Json* item : items) out << Upper(*label) << "\t" << PythonStr(*item) << "\n";
    return;
  }
  std::vector<std::string> cells;
  for (const Json* item : items) cells.push_back(PythonStr(*item));
  WriteRow(out, cells);
}

void WriteList(std::ostream& out, const Json& list, const std::optional<std::string>& label) {
  if (list.empty()) return;
  bool has_object = std::any_of(list.begin(), list.end(), [](const Json& e) { return e.is_object(); });
  bool has_list = std::any_of(list.begin(), list.end(), [](const Json& e) { return e.is_array(); });
  if (has_object) {
    Keys columns = ScalarKeysOf(list);
    for (const auto& element : list) Write(out, element, label, &columns);
    return;
  }
  std::vector<const Json*> scalars;
  for (const auto& element : list) {
    if (IsScalar(element)) scalars.push_back(&element);
  }
  if (!has_list) return WriteScalars(out, scalars, label);
  if (!scalars.empty()) WriteScalars(out, scalars, label);
  for (const auto& element : list) {
    if (!IsScalar(element)) Write(out, element, label, nullptr);
  }
}

void Write(std::ostream& out, const Json& v, const std::optional<std::string>& label, const Keys* columns) {
  if (v.is_object()) return WriteObject(out, v, label, columns);
  if (v.is_array()) return WriteList(out, v, label);
  out << PythonStr(v) << "\n";
}

}  // namespace

void WriteText(std::ostream& out, const nlohmann::json& value) { Write(out, value, std::nullopt, nullptr); }

}  // namespace datamesh::cli::format
