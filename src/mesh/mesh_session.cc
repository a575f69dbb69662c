#include "mesh/mesh_session.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include <spdlog/spdlog.h>

#include "aws/auth/credentials_provider.h"
#include "local/server/local_transport.h"

namespace datamesh {

Outcome<AwsCredentials> AwsCredentials::FromJson(const nlohmann::json& object, const std::string& origin) {
  auto c = aws::CredentialsFromJson(object, origin);
  if (!c.ok()) return c.error();
  return AwsCredentials{c->account_id, c->access_key_id, c->secret_access_key, c->session_token};
}

namespace mesh {

namespace {
// The seeds' log levels (Python logging names) as spdlog levels.
Status ApplyLogLevel(const std::string& level) {
  static const std::map<std::string, spdlog::level::level_enum> kLevels = {
      {"DEBUG", spdlog::level::debug}, {"INFO", spdlog::level::info},   {"WARNING", spdlog::level::warn},
      {"WARN", spdlog::level::warn},   {"ERROR", spdlog::level::err},   {"CRITICAL", spdlog::level::critical},
      {"OFF", spdlog::level::off}};
  std::string upper = level;
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  auto it = kLevels.find(upper);
  if (it == kLevels.end()) {
    return Error::Local("InvalidArgument", "log_level must be DEBUG, INFO, WARNING, ERROR or CRITICAL, got '" + level + "'");
  }
  spdlog::set_level(it->second);
  return OkStatus();
}
}  // namespace

Outcome<std::shared_ptr<MeshSession>> MeshSession::Create(const MeshOptions& options) {
  if (auto s = ApplyLogLevel(options.log_level); !s.ok()) return s.error();
  if (options.data_mesh_account_id.size() != 12 ||
      options.data_mesh_account_id.find_first_not_of("0123456789") != std::string::npos) {
    return Error::Local("InvalidArgument", "data_mesh_account_id must be a 12-digit account id, got '" +
                                               options.data_mesh_account_id + "'");
  }
  aws::SessionOptions o;
  o.region = options.region;
  if (options.profile) o.profile = *options.profile;
  if (options.endpoint_url) o.endpoint_url = *options.endpoint_url;
  if (options.use_credentials) {
    aws::Credentials c;
    c.access_key_id = options.use_credentials->access_key_id;
    c.secret_access_key = options.use_credentials->secret_access_key;
    c.session_token = options.use_credentials->session_token;
    c.account_id = options.use_credentials->account_id;
    o.credentials = c;
  }
  if (options.local_mesh) {
    if (options.endpoint_url) return Error::Local("InvalidArgument", "local_mesh and endpoint_url cannot be used together");
    if (!std::filesystem::exists(*options.local_mesh)) {
      return Error::Local("NoLocalMesh", "no local mesh at " + *options.local_mesh);
    }
    auto transport = local::OpenInProcessTransport(*options.local_mesh);
    if (!transport.ok()) return transport.error();
    o.transport = *transport;
    o.endpoint_url = local::kInProcessEndpoint;
  }
  o.wrap_transport = options.wrap_transport;
  if (options.sleeper) o.sleeper = options.sleeper;
  auto session = aws::AwsSession::Create(o);
  if (!session.ok()) return session.error();
  // Every service's endpoint is resolved now, so that a bad endpoint (InvalidEndpoint, a bad
  // region) is an error here and never later, where a client is taken for granted.
  for (const char* service : {"sts", "iam", "glue", "lakeformation", "ram", "dynamodb", "s3"}) {
    if (auto client = (*session)->Client(service); !client.ok()) return client.error();
  }
  std::shared_ptr<MeshSession> s(new MeshSession());
  s->session_ = *session;
  s->sleeper_ = options.sleeper ? options.sleeper : aws::Sleeper::Real();
  s->mesh_account_ = options.data_mesh_account_id;
  s->patience_ = std::chrono::seconds(std::max(0, options.eventual_consistency_timeout_seconds));
  return s;
}

std::shared_ptr<aws::AwsClient> MeshSession::Client(const std::string& service) {
  // Every service here has an embedded model, so this cannot fail for the services we name.
  return *session_->Client(service);
}

Outcome<aws::CallerIdentity> MeshSession::Identity() {
  if (identity_) return *identity_;
  auto id = Sts().GetCallerIdentity();
  if (!id.ok()) return id.error();
  identity_ = *id;
  return *id;
}

Outcome<Json> WaitFor(aws::Sleeper& sleeper, std::chrono::seconds patience,
                      const std::vector<std::string>& transient_codes,
                      const std::function<Outcome<Json>()>& attempt) {
  auto waited = std::chrono::milliseconds(0);
  auto delay = std::chrono::milliseconds(250);
  for (;;) {
    auto r = attempt();
    if (r.ok()) return r;
    bool transient = std::find(transient_codes.begin(), transient_codes.end(), r.error().code()) != transient_codes.end();
    if (!transient || waited + delay > patience) return r;
    sleeper.Sleep(delay);
    waited += delay;
    delay = std::min(delay * 2, std::chrono::milliseconds(8000));
  }
}

Status AcceptShareInvitations(aws::RamClient& ram, aws::Sleeper& sleeper, const std::set<std::string>& share_arns) {
  // Looked up a few shares a call: the same answers as one share at a time, in a tenth of the requests.
  constexpr size_t kSharesPerCall = 20;
  // Takes a copy of the set: the calls take shares out of `waiting` as they go.
  auto in_chunks = [&](std::set<std::string> arns, const std::function<Status(const Json&)>& call) -> Status {
    Json chunk = Json::array();
    for (const auto& arn : arns) {
      chunk.push_back(arn);
      if (chunk.size() == kSharesPerCall) {
        if (auto s = call(chunk); !s.ok()) return s;
        chunk = Json::array();
      }
    }
    return chunk.empty() ? OkStatus() : call(chunk);
  };
  std::set<std::string> waiting = share_arns;
  auto accepted = WaitFor(sleeper, std::chrono::seconds(60), {"InvitationNotYetVisible"}, [&]() -> Outcome<Json> {
    // Within an organization that shares through RAM there is no invitation: the share is
    // associated at once (RAM User Guide). Whether it has reached this account is what counts.
    auto reached = in_chunks(waiting, [&](const Json& chunk) -> Status {
      auto received = ram.GetResourceSharesAllPages({{"resourceOwner", "OTHER-ACCOUNTS"}, {"resourceShareArns", chunk}});
      if (!received.ok()) return received.error();
      for (const auto& share : (*received)["resourceShares"]) {
        if (share.value("status", "") == "ACTIVE") waiting.erase(share.value("resourceShareArn", ""));
      }
      return OkStatus();
    });
    if (!reached.ok()) return reached.error();
    if (waiting.empty()) return Json::object();
    auto invited = in_chunks(waiting, [&](const Json& chunk) -> Status {
      auto invitations = ram.GetResourceShareInvitationsAllPages({{"resourceShareArns", chunk}});
      if (!invitations.ok()) return invitations.error();
      for (const auto& inv : (*invitations)["resourceShareInvitations"]) {
        if (inv["status"] != "PENDING") continue;
        auto r = ram.AcceptResourceShareInvitation({{"resourceShareInvitationArn", inv["resourceShareInvitationArn"]}});
        if (!r.ok() && r.error().code() != "ResourceShareInvitationAlreadyAcceptedException") return r.error();
        waiting.erase(inv.value("resourceShareArn", ""));
      }
      return OkStatus();
    });
    if (!invited.ok()) return invited.error();
    if (waiting.empty()) return Json::object();
    // Neither associated nor invited yet: RAM is eventually consistent.
    return Error::Local("InvitationNotYetVisible", "share " + *waiting.begin() + " has neither reached this account nor "
                                                       "sent it an invitation yet");
  });
  if (!accepted.ok()) return accepted.error();
  return OkStatus();
}

Status AcceptShareInvitation(aws::RamClient& ram, aws::Sleeper& sleeper, const std::string& share_arn) {
  return AcceptShareInvitations(ram, sleeper, {share_arn});
}

Outcome<std::shared_ptr<MeshSession>> MeshSession::AssumeRole(const std::string& role_arn,
                                                              const std::string& session_name,
                                                              std::optional<std::chrono::seconds> patience) {
  auto sts = Sts();
  aws::Credentials credentials;
  auto out = WaitFor(*sleeper_, patience.value_or(patience_), {"AccessDenied"}, [&]() -> Outcome<Json> {
    auto r = sts.AssumeRole(aws::AssumeRoleRequest{.role_arn = role_arn, .session_name = session_name});
    if (!r.ok()) return r.error();
    credentials = r->credentials;
    return Json::object();
  });
  if (!out.ok()) return out.error();
  std::shared_ptr<MeshSession> s(new MeshSession());
  s->session_ = session_->WithCredentials(credentials);
  s->sleeper_ = sleeper_;
  s->mesh_account_ = mesh_account_;
  s->patience_ = patience_;
  return s;
}

}  // namespace mesh
}  // namespace datamesh
