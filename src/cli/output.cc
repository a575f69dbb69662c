#include "cli/output.h"

#include <iostream>
#include <set>
#include <vector>

#include "cli/format/table_output.h"
#include "cli/format/text_output.h"
#include "cli/format/yaml_output.h"
#include "cli/progress_display.h"
#include "cli/query/jmespath.h"

namespace datamesh::cli {
namespace {

std::vector<std::string>& CredentialsUsed() {
  static std::vector<std::string> used;
  return used;
}

// Errors that say an argument's value is wrong, which the AWS CLI exits 252 for.
bool IsInvalidArgument(const Error& error) {
  static const std::set<std::string> kCodes = {"InvalidArgument", "ParamValidation", "InvalidQuery", "InvalidRules"};
  return error.http_status() == 0 && kCodes.count(error.code()) > 0;
}

std::string ActingAs() {
  std::string out;
  const auto& used = CredentialsUsed();
  for (size_t i = 0; i < used.size(); ++i) out += (i == 0 ? "" : i + 1 == used.size() ? " and " : ", ") + used[i];
  return out;
}

}  // namespace

void NoteCredentialsUsed(const std::string& description) {
  auto& used = CredentialsUsed();
  for (const auto& u : used) {
    if (u == description) return;
  }
  used.push_back(description);
}

int PrintResult(std::ostream& out, const nlohmann::json& result, const GlobalOptions& globals,
                const std::string& title) {
  nlohmann::json shown = result;
  if (globals.query) {
    auto queried = query::Evaluate(*globals.query, result);
    if (!queried.ok()) return ReportError(std::cerr, Error::Local("InvalidQuery", "--query: " + queried.error().message()), "");
    shown = std::move(*queried);
  }
  switch (globals.format()) {
    case OutputFormat::kText: format::WriteText(out, shown); break;
    case OutputFormat::kTable: format::WriteTable(out, shown, title, format::TerminalWidth()); break;
    case OutputFormat::kYaml: format::WriteYaml(out, shown); break;
    case OutputFormat::kJson:
      if (!(shown.is_object() && shown.empty())) out << shown.dump(4, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
      break;
  }
  out.flush();
  return kExitOk;
}

int ReportError(std::ostream& err, const Error& error, const std::string& command) {
  EndProgressLine();
  const std::string prefix = command.empty() ? "datamesh" : "datamesh " + command;
  if (IsInvalidArgument(error)) {
    err << prefix << ": error: " << error.message() << "\n";
    return kExitUsage;
  }
  if (error.kind() == ErrorKind::kLocal || error.http_status() == 0) {
    err << prefix << ": " << error.code() << ": " << error.message();
    if (!error.operation().empty()) err << " (when calling the " << error.operation() << " operation)";
    err << "\n";
    return kExitLocalError;
  }
  const std::string& operation = error.operation().empty() ? command : error.operation();
  err << "An error occurred (" << error.code() << ") when calling the " << operation
      << " operation: " << error.message() << "\n";
  std::string acting = ActingAs();
  err << prefix << " failed" << (acting.empty() ? "" : ", acting with " + acting) << "\n";
  return kExitServiceError;
}

}  // namespace datamesh::cli
