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
// Prints "An error occurred (Code): message" on `err` and returns the exit code for it.
int ReportError(std::ostream& err, const Error& error, const std::string& operation);

}  // namespace datamesh::cli
