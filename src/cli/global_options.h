// The options every datamesh command accepts, named as in the AWS CLI.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>

#include "aws/client/aws_session.h"

namespace datamesh::cli {

enum class OutputFormat { kJson, kTable };

struct GlobalOptions {
  std::string profile;
  std::string region;
  std::string endpoint_url;
  std::string output = "json";
  std::string log_level = "warn";

  // Registers the options on `app` (available before or after the command name).
  void Register(CLI::App& app);
  OutputFormat format() const { return output == "table" ? OutputFormat::kTable : OutputFormat::kJson; }
  // Session options from the flags; unset flags fall through to the environment and config.
  aws::SessionOptions ToSessionOptions() const;
  // Applies --log-level to the logger.
  void ApplyLogLevel() const;
};

}  // namespace datamesh::cli
