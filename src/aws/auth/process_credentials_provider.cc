#include "aws/auth/process_credentials_provider.h"

#include <sys/wait.h>

#include <cstdio>

#include "aws/core/time_format.h"

namespace datamesh::aws {

Outcome<Credentials> ParseProcessCredentials(const std::string& output, const std::string& origin) {
  Json j = Json::parse(output, nullptr, false);
  if (!j.is_object()) {
    return Error::Local("InvalidCredentials", origin + " did not print a JSON object");
  }
  if (!j.contains("Version") || j["Version"] != 1) {
    return Error::Local("InvalidCredentials", origin + " printed an unsupported Version (expected 1)");
  }
  auto c = CredentialsFromJson(j, origin);
  if (!c.ok()) return c;
  if (j.contains("Expiration") && j["Expiration"].is_string()) {
    auto t = ParseIso8601(j["Expiration"].get<std::string>());
    if (!t) return Error::Local("InvalidCredentials", origin + " printed a bad Expiration");
    c->expiration = *t;
  }
  return c;
}

Outcome<std::optional<Credentials>> ProcessCredentialsProvider::Resolve() {
  const std::string origin = "credential_process of profile '" + profile_ + "'";
  FILE* pipe = popen(command_.c_str(), "r");
  if (!pipe) return Error::Local("InvalidCredentials", origin + ": cannot run '" + command_ + "'");
  std::string output;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) output.append(buf, n);
  int status = pclose(pipe);
  if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return Error::Local("InvalidCredentials",
                        origin + ": '" + command_ + "' failed with exit status " + std::to_string(code));
  }
  auto c = ParseProcessCredentials(output, origin);
  if (!c.ok()) return c.error();
  return std::optional(std::move(*c));
}

}  // namespace datamesh::aws
