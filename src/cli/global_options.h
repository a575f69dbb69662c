// The options every datamesh command accepts, named as in the AWS CLI, and the session they make.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>

#include "aws/client/aws_session.h"
#include "cli/query/jmespath.h"
#include "datamesh/mesh_options.h"

namespace datamesh::cli {

enum class OutputFormat { kJson, kText, kTable, kYaml };

struct GlobalOptions {
  std::string profile;
  std::string region;
  std::string endpoint_url;
  std::string local_db;          // --local FILE (or DATAMESH_LOCAL): the embedded local mesh
  std::string credentials_file;  // the spec's JSON credentials file
  std::string use_credentials;   // data-mesh-cli's --use_credentials JSON, for every persona
  std::string data_mesh_account_id;  // default: the credentials file's Mesh entry
  std::string output;  // --output; else AWS_DEFAULT_OUTPUT, the profile's output, json
  std::string query_text;  // --query, JMESPath
  std::optional<query::Expression> query;  // compiled by Resolve()
  std::string log_level = "warn";
  bool debug = false;         // --debug: log every request and response (secrets redacted)
  bool no_cli_pager = false;  // accepted as the AWS CLI's; datamesh never pages
  int max_concurrency = 8;  // AWS requests a workflow keeps in flight at most
  bool quiet = false;       // no progress on stderr

  // Registers the options on `app` (available before or after the command name).
  void Register(CLI::App& app);
  // After parsing: settles the output format (flag, AWS_DEFAULT_OUTPUT, the profile's `output`,
  // json) and compiles --query. An error is an invalid argument value.
  Status Resolve();
  OutputFormat format() const;
  // Applies --log-level (or --debug) to the logger.
  void ApplyLogLevel() const;

  // A session from the flags. `entry` names the credentials file entry to use ("Mesh",
  // "Producer", ...) when --credentials-file is given. Unset flags fall through to the
  // environment and the shared config, as in the AWS CLI.
  Outcome<std::shared_ptr<aws::AwsSession>> MakeSession(const std::string& entry = "Mesh") const;

  // Options for an Admin/Producer/Consumer acting with credentials file entry `entry` (or,
  // without a credentials file, the standard chain and --profile).
  Outcome<MeshOptions> MeshOptionsFor(const std::string& entry) const;

 private:
  // --use_credentials, read.
  Outcome<AwsCredentials> GivenCredentials() const;
  // How error messages name the credentials used for `entry`.
  std::string CredentialsDescription(const std::string& entry) const;
  // The credentials of a credentials file entry, and the file's AWS_REGION ("" if none) and Mesh
  // account id ("" if none). An error names the file and what is wrong with it.
  struct FileEntry {
    AwsCredentials credentials;
    std::string region;
    std::string mesh_account;
  };
  Outcome<FileEntry> CredentialsFileEntry(const std::string& entry) const;
  // --local, else DATAMESH_LOCAL: an existing local mesh file, or "" when neither is given.
  Outcome<std::string> LocalMesh() const;
};

}  // namespace datamesh::cli
