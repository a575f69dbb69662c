// Printing results as the AWS CLI does: JSON (indented) or a boxed table.
#pragma once

#include <iosfwd>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/global_options.h"
#include "datamesh/error.h"

namespace datamesh::cli {

// Exit codes, following the AWS CLI's conventions.
inline constexpr int kExitOk = 0;
inline constexpr int kExitUsage = 252;        // bad command line
inline constexpr int kExitServiceError = 254;  // the service answered with an error
inline constexpr int kExitLocalError = 255;    // configuration, credentials, network

void PrintResult(std::ostream& out, const nlohmann::json& result, OutputFormat format,
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
// Prints "An error occurred (Code): message" on `err` and returns the exit code for it.
int ReportError(std::ostream& err, const Error& error, const std::string& operation);

}  // namespace datamesh::cli
