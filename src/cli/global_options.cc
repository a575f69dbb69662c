#include "cli/global_options.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace datamesh::cli {

void GlobalOptions::Register(CLI::App& app) {
  app.add_option("--profile", profile, "Use this profile from the AWS shared config/credentials files");
  app.add_option("--region", region, "AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, profile region, us-east-1)");
  app.add_option("--endpoint-url", endpoint_url, "Send every request to this URL instead of the AWS endpoint");
  app.add_option("--output", output, "Output format")->check(CLI::IsMember({"json", "table"}));
  app.add_option("--log-level", log_level, "Logging detail on stderr")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));
}

aws::SessionOptions GlobalOptions::ToSessionOptions() const {
  aws::SessionOptions options;
  if (!profile.empty()) options.profile = profile;
  if (!region.empty()) options.region = region;
  if (!endpoint_url.empty()) options.endpoint_url = endpoint_url;
  return options;
}

void GlobalOptions::ApplyLogLevel() const {
  auto logger = spdlog::stderr_color_mt("datamesh");
  logger->set_pattern("%Y-%m-%d %H:%M:%S.%e %^%l%$ %v");
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::from_str(log_level));
}

}  // namespace datamesh::cli
