#include "cli/global_options.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "aws/auth/credentials_provider.h"
#include "local/server/local_transport.h"

namespace datamesh::cli {

void GlobalOptions::Register(CLI::App& app) {
  app.add_option("--profile", profile, "Use this profile from the AWS shared config/credentials files");
  app.add_option("--region", region, "AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, profile region, us-east-1)");
  app.add_option("--endpoint-url,--endpoint_url", endpoint_url, "Send every request to this URL instead of the AWS endpoint");
  app.add_option("--local", local_db,
                 "Run against the embedded local mesh in this SQLite file (default: DATAMESH_LOCAL)");
  app.add_option("--credentials-file,--credentials_file", credentials_file,
                 "A JSON credentials file (AWS_REGION, Mesh, Producer, ProducerAdmin, Consumer, ConsumerAdmin)");
  app.add_option("--output", output, "Output format")->check(CLI::IsMember({"json", "table"}));
  app.add_option("--log-level,--log_level", log_level, "Logging detail on stderr")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));
}

void GlobalOptions::ApplyLogLevel() const {
  auto logger = spdlog::stderr_color_mt("datamesh");
  logger->set_pattern("%Y-%m-%d %H:%M:%S.%e %^%l%$ %v");
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::from_str(log_level));
}

Outcome<std::shared_ptr<aws::AwsSession>> GlobalOptions::MakeSession(const std::string& entry) const {
  aws::SessionOptions options;
  if (!profile.empty()) options.profile = profile;
  if (!region.empty()) options.region = region;
  if (!endpoint_url.empty()) options.endpoint_url = endpoint_url;

  if (!credentials_file.empty()) {
    std::ifstream in(credentials_file);
    if (!in) return Error::Local("InvalidCredentialsFile", "cannot read credentials file " + credentials_file);
    std::stringstream text;
    text << in.rdbuf();
    auto json = nlohmann::json::parse(text.str(), nullptr, false);
    if (!json.is_object()) {
      return Error::Local("InvalidCredentialsFile", credentials_file + " is not a JSON object");
    }
    if (!json.contains(entry)) {
      return Error::Local("InvalidCredentialsFile", credentials_file + " has no \"" + entry + "\" entry");
    }
    auto creds = aws::CredentialsFromJson(json[entry], credentials_file + " entry " + entry);
    if (!creds.ok()) return creds.error();
    options.credentials = *creds;
    if (region.empty() && json.contains("AWS_REGION") && json["AWS_REGION"].is_string()) {
      options.region = json["AWS_REGION"].get<std::string>();
    }
  }

  std::string local = local_db;
  if (local.empty()) {
    if (const char* env = std::getenv("DATAMESH_LOCAL"); env && *env) local = env;
  }
  if (!local.empty()) {
    if (!endpoint_url.empty()) {
      return Error::Local("InvalidArgument", "--local and --endpoint-url cannot be used together");
    }
    if (!std::filesystem::exists(local)) {
      return Error::Local("NoLocalMesh", "no local mesh at " + local + "; create one with: datamesh local init --db " +
                                             local + " --write-credentials FILE");
    }
    auto store = local::Store::Open(local);
    if (!store.ok()) return store.error();
    auto handler = std::make_shared<local::MeshHandler>(*store, aws::Clock::System());
    options.transport = std::make_shared<local::LocalTransport>(handler);
    options.endpoint_url = local::kInProcessEndpoint;
  }
  return aws::AwsSession::Create(std::move(options));
}

}  // namespace datamesh::cli
