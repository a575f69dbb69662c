#include "cli/global_options.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <set>

#include "aws/auth/credentials_provider.h"
#include "aws/config/shared_config.h"
#include "cli/output.h"
#include "cli/progress_display.h"
#include "datamesh/local_mesh.h"
#include "local/mesh_file.h"
#include "local/server/local_transport.h"

namespace datamesh::cli {

void GlobalOptions::Register(CLI::App& app) {
  app.add_option("--profile", profile, "Use this profile from the AWS shared config/credentials files");
  app.add_option("--region,--region_name", region,
                 "AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, profile region, us-east-1)");
  app.add_option("--use-credentials,--use_credentials", use_credentials,
                 "Credentials as JSON ({\"AccessKeyId\", \"SecretAccessKey\", \"SessionToken\"?, \"AccountId\"?}) for every "
                 "persona, instead of a credentials file (data-mesh-cli's form; never printed)");
  app.add_option("--endpoint-url,--endpoint_url", endpoint_url, "Send every request to this URL instead of the AWS endpoint");
  app.add_option("--local", local_db,
                 "Run against the embedded local mesh in this SQLite file (default: DATAMESH_LOCAL)");
  app.add_option("--credentials-file,--credentials_file", credentials_file,
                 "A JSON credentials file (AWS_REGION, Mesh, Producer, ProducerAdmin, Consumer, ConsumerAdmin)");
  app.add_option("--data-mesh-account-id,--data_mesh_account_id", data_mesh_account_id,
                 "The data mesh account (default: the credentials file's Mesh entry)");
  app.add_option("--output", output,
                 "Output format: json, text, table or yaml (default: AWS_DEFAULT_OUTPUT, the profile's output, json)");
  app.add_option("--query", query_text, "A JMESPath query to apply to the result");
  // The AWS CLI's words and Python logging's (data-mesh-cli: --log_level INFO), in any case.
  app.add_option("--log-level,--log_level", log_level, "Logging detail on stderr")
      ->transform(CLI::IsMember(std::map<std::string, std::string>{{"trace", "trace"}, {"debug", "debug"}, {"info", "info"},
                                                                   {"warn", "warn"}, {"warning", "warn"}, {"error", "error"},
                                                                   {"critical", "critical"}, {"off", "off"}},
                                CLI::ignore_case));
  app.add_flag("--debug", debug, "Log every AWS request and response on stderr (secrets redacted)");
  app.add_flag("--no-cli-pager", no_cli_pager, "Accepted for the AWS CLI's sake: datamesh never uses a pager");
  app.add_option("--max-concurrency,--max_concurrency", max_concurrency,
                 "Most AWS requests a workflow sends at once (default 8; 1 sends one at a time)")
      ->check(CLI::Range(1, 256));
  app.add_flag("--quiet", quiet, "No progress on stderr (stdout carries only the result either way)");
}

Status GlobalOptions::Resolve() {
  const auto env = aws::Environment::FromProcess();
  std::string source = "--output";
  if (output.empty()) {
    if (auto from_env = env.Get("AWS_DEFAULT_OUTPUT")) {
      output = *from_env;
      source = "AWS_DEFAULT_OUTPUT";
    }
  }
  if (output.empty()) {
    auto config = aws::SharedConfig::Load(env);
    if (config.ok()) {
      auto name = aws::SelectedProfile(env, profile.empty() ? std::nullopt : std::optional<std::string>(profile));
      if (auto section = config->Profile(name); section && section->count("output")) {
        output = section->at("output");
        source = "the output setting of profile " + name;
      }
    }
  }
  if (output.empty()) output = "json";
  if (output == "yaml-stream") output = "yaml";  // every result is one document
  static const std::set<std::string> kFormats = {"json", "text", "table", "yaml"};
  if (!kFormats.count(output)) {
    return Error::Local("InvalidArgument", "argument " + source + ": Invalid choice '" + output +
                                               "', valid choices are: json | text | table | yaml | yaml-stream");
  }
  if (!query_text.empty()) {
    auto compiled = query::Compile(query_text);
    if (!compiled.ok()) return Error::Local("InvalidArgument", compiled.error().message());
    query = std::move(*compiled);
  }
  if (debug) log_level = "trace";
  return OkStatus();
}

OutputFormat GlobalOptions::format() const {
  if (output == "text") return OutputFormat::kText;
  if (output == "table") return OutputFormat::kTable;
  if (output == "yaml") return OutputFormat::kYaml;
  return OutputFormat::kJson;
}

void GlobalOptions::ApplyLogLevel() const {
  auto logger = spdlog::stderr_color_mt("datamesh");
  logger->set_pattern("%Y-%m-%d %H:%M:%S.%e %^%l%$ %v");
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::from_str(log_level));
}

Outcome<GlobalOptions::FileEntry> GlobalOptions::CredentialsFileEntry(const std::string& entry) const {
  std::ifstream in(credentials_file);
  if (!in) return Error::Local("InvalidCredentialsFile", "cannot read credentials file " + credentials_file);
  std::stringstream text;
  text << in.rdbuf();
  auto json = nlohmann::json::parse(text.str(), nullptr, false);
  if (!json.is_object()) return Error::Local("InvalidCredentialsFile", credentials_file + " is not a JSON object");
  if (!json.contains(entry)) {
    return Error::Local("InvalidCredentialsFile", credentials_file + " has no \"" + entry + "\" entry");
  }
  auto creds = AwsCredentials::FromJson(json[entry], credentials_file + " entry " + entry);
  if (!creds.ok()) return creds.error();
  FileEntry out{*creds, "", ""};
  if (json.contains("AWS_REGION") && json["AWS_REGION"].is_string()) out.region = json["AWS_REGION"];
  if (json.contains("Mesh") && json["Mesh"].is_object() && json["Mesh"].contains("AccountId")) {
    out.mesh_account = json["Mesh"]["AccountId"].get<std::string>();
  }
  return out;
}

Outcome<std::string> GlobalOptions::LocalMesh() const {
  std::string local = local_db;
  if (local.empty()) {
    if (const char* env = std::getenv("DATAMESH_LOCAL"); env && *env) local = env;
  }
  if (local.empty()) return local;
  if (!endpoint_url.empty()) return Error::Local("InvalidArgument", "--local and --endpoint-url cannot be used together");
  if (auto is_mesh = local::CheckIsLocalMesh(local); !is_mesh.ok()) return is_mesh.error();
  return local;
}

Outcome<AwsCredentials> GlobalOptions::GivenCredentials() const {
  // The value is a secret: errors say what is wrong with it, never what it is.
  auto json = nlohmann::json::parse(use_credentials, nullptr, false);
  if (!json.is_object()) return Error::Local("InvalidArgument", "argument --use_credentials: not a JSON object");
  return AwsCredentials::FromJson(json, "--use_credentials");
}

std::string GlobalOptions::CredentialsDescription(const std::string& entry) const {
  if (!use_credentials.empty()) return "the credentials of --use_credentials";
  if (!credentials_file.empty()) return "the " + entry + " entry of " + credentials_file;
  if (!profile.empty()) return "profile " + profile;
  auto env = aws::Environment::FromProcess();
  if (auto named = env.Get("AWS_PROFILE")) return "profile " + *named;
  return "the default credential chain";
}

Outcome<MeshOptions> GlobalOptions::MeshOptionsFor(const std::string& entry) const {
  NoteCredentialsUsed(CredentialsDescription(entry));
  MeshOptions o;
  if (!profile.empty()) o.profile = profile;
  if (!endpoint_url.empty()) o.endpoint_url = endpoint_url;
  auto local = LocalMesh();
  if (!local.ok()) return local.error();
  if (!local->empty()) {
    if (auto s = UseLocalMesh(o, *local); !s.ok()) return s.error();
  }
  o.data_mesh_account_id = data_mesh_account_id;
  std::string file_region;
  if (!use_credentials.empty()) {
    auto given = GivenCredentials();
    if (!given.ok()) return given.error();
    o.use_credentials = *given;
  } else if (!credentials_file.empty()) {
    auto file = CredentialsFileEntry(entry);
    if (!file.ok()) return file.error();
    o.use_credentials = file->credentials;
    file_region = file->region;
    if (o.data_mesh_account_id.empty()) o.data_mesh_account_id = file->mesh_account;
  }
  if (o.data_mesh_account_id.empty()) {
    return Error::Local("InvalidArgument", "the data mesh account is unknown: give --data-mesh-account-id or a "
                                           "credentials file with a Mesh entry");
  }
  o.region = !region.empty() ? region : !file_region.empty() ? file_region : o.region;
  o.max_concurrency = max_concurrency;
  if (!quiet) o.progress = StderrProgress();
  o.log_level = log_level == "warn" ? "WARNING" : log_level == "err" ? "ERROR" : log_level;
  return o;
}

Outcome<std::shared_ptr<aws::AwsSession>> GlobalOptions::MakeSession(const std::string& entry) const {
  NoteCredentialsUsed(CredentialsDescription(entry));
  aws::SessionOptions options;
  if (!profile.empty()) options.profile = profile;
  if (!region.empty()) options.region = region;
  if (!endpoint_url.empty()) options.endpoint_url = endpoint_url;
  if (!use_credentials.empty()) {
    auto given = GivenCredentials();
    if (!given.ok()) return given.error();
    aws::Credentials c;
    c.access_key_id = given->access_key_id;
    c.secret_access_key = given->secret_access_key;
    c.session_token = given->session_token;
    c.account_id = given->account_id;
    options.credentials = c;
  } else if (!credentials_file.empty()) {
    auto file = CredentialsFileEntry(entry);
    if (!file.ok()) return file.error();
    aws::Credentials c;
    c.access_key_id = file->credentials.access_key_id;
    c.secret_access_key = file->credentials.secret_access_key;
    c.session_token = file->credentials.session_token;
    c.account_id = file->credentials.account_id;
    options.credentials = c;
    if (region.empty() && !file->region.empty()) options.region = file->region;
  }
  auto local = LocalMesh();
  if (!local.ok()) return local.error();
  if (!local->empty()) {
    auto transport = local::OpenInProcessTransport(*local);
    if (!transport.ok()) return transport.error();
    options.transport = *transport;
    options.endpoint_url = local::kInProcessEndpoint;
  }
  return aws::AwsSession::Create(std::move(options));
}

}  // namespace datamesh::cli
