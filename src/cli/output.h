// Printing results as the AWS CLI does: --query applied first, then JSON (indented), text
// (tab-separated rows), table (nested boxes) or YAML; and errors with the AWS CLI's exit codes.
#pragma once

#include <iosfwd>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/global_options.h"
#include "datamesh/error.h"

namespace datamesh::cli {

// Exit codes, following the AWS CLI's conventions.
inline constexpr int kExitOk = 0;
inline constexpr int kExitUsage = 252;        // bad command line or argument value
inline constexpr int kExitServiceError = 254;  // the service answered with an error
inline constexpr int kExitLocalError = 255;    // configuration, credentials, network

// Prints `result` through --query in the chosen --output format; `title` heads a table. Returns
// the exit code (a --query that fails on this result is a usage error).
int PrintResult(std::ostream& out, const nlohmann::json& result, const GlobalOptions& globals,
                const std::string& title);

// A library result in its documented JSON shape: its ToJson(), or a ToJson overload for it
// (lists), or the JSON itself for results that are AWS structures as AWS answers them.
inline const nlohmann::json& AsJson(const nlohmann::json& result) { return result; }
template <typename Result>
nlohmann::json AsJson(const Result& result) {
  if constexpr (requires { result.ToJson(); }) {
    return result.ToJson();
  } else {
    return ToJson(result);
  }
}

// Prints the error on `err` and returns its exit code. A service error reads as the AWS CLI's
// ("An error occurred (Code) when calling the GetTable operation: message") followed by the
// command and the credentials it acted with; a bad argument value exits 252.
int ReportError(std::ostream& err, const Error& error, const std::string& command);

// The credentials a command acts with, as error messages name them ("the Producer entry of
// creds.json", "profile dev"). GlobalOptions records each one it hands out.
void NoteCredentialsUsed(const std::string& description);

}  // namespace datamesh::cli
