// The options every datamesh command accepts, named as in the AWS CLI, and the session they make.
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
  std::string local_db;          // --local FILE (or DATAMESH_LOCAL): the embedded local mesh
  std::string credentials_file;  // the spec's JSON credentials file
  std::string output = "json";
  std::string log_level = "warn";

  // Registers the options on `app` (available before or after the command name).
  void Register(CLI::App& app);
  OutputFormat format() const { return output == "table" ? OutputFormat::kTable : OutputFormat::kJson; }
  // Applies --log-level to the logger.
  void ApplyLogLevel() const;

  // A session from the flags. `entry` names the credentials file entry to use ("Mesh",
  // "Producer", ...) when --credentials-file is given. Unset flags fall through to the
  // environment and the shared config, as in the AWS CLI.
  Outcome<std::shared_ptr<aws::AwsSession>> MakeSession(const std::string& entry = "Mesh") const;
};

}  // namespace datamesh::cli
