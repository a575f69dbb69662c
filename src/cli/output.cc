#include "cli/output.h"

#include "cli/progress_display.h"

#include <algorithm>
#include <ostream>
#include <vector>

namespace datamesh::cli {
namespace {

std::string Cell(const nlohmann::json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

// Rows of (key, value) from an object, nested objects flattened as "a.b".
void Flatten(const nlohmann::json& v, const std::string& prefix,
             std::vector<std::pair<std::string, std::string>>& rows) {
  if (v.is_object() && !v.empty()) {
    for (auto& [k, child] : v.items()) Flatten(child, prefix.empty() ? k : prefix + "." + k, rows);
  } else {
    rows.emplace_back(prefix, Cell(v));
  }
}

}  // namespace

void PrintResult(std::ostream& out, const nlohmann::json& result, OutputFormat format,
                 const std::string& title) {
  if (format == OutputFormat::kJson) {
    out << result.dump(4) << "\n";
    return;
  }
  std::vector<std::pair<std::string, std::string>> rows;
  Flatten(result, "", rows);
  size_t key_width = 0, value_width = 0;
  for (auto& [k, v] : rows) {
    key_width = std::max(key_width, k.size());
    value_width = std::max(value_width, v.size());
  }
  size_t inner = std::max(title.size(), key_width + value_width + 5);
  value_width = inner - key_width - 5;
  std::string rule(inner + 2, '-');
  out << rule << "\n|" << std::string((inner - title.size()) / 2, ' ') << title
      << std::string(inner - title.size() - (inner - title.size()) / 2, ' ') << "|\n";
  out << "+" << std::string(key_width + 2, '-') << "+" << std::string(value_width + 2, '-') << "+\n";
  for (auto& [k, v] : rows) {
    out << "| " << k << std::string(key_width - k.size(), ' ') << " | " << v
        << std::string(value_width - v.size(), ' ') << " |\n";
  }
  out << "+" << std::string(key_width + 2, '-') << "+" << std::string(value_width + 2, '-') << "+\n";
}

int ReportError(std::ostream& err, const Error& error, const std::string& operation) {
  EndProgressLine();
  if (error.kind() == ErrorKind::kLocal || error.http_status() == 0) {
    err << "datamesh: " << error.code() << ": " << error.message() << "\n";
    return kExitLocalError;
  }
  err << "An error occurred (" << error.code() << ") when calling the " << operation
      << " operation: " << error.message() << "\n";
  return kExitServiceError;
}

}  // namespace datamesh::cli
