#include "mesh/mesh_session.h"

#include <algorithm>
#include <map>
#include <set>

#include <spdlog/spdlog.h>

#include "aws/auth/credentials_provider.h"
#include "aws/http/limited_transport.h"
#include "mesh/change_report.h"
#include "mesh/concurrent.h"

namespace datamesh {

Outcome<AwsCredentials> AwsCredentials::FromJson(const nlohmann::json& object, const std::string& origin) {
  auto c = aws::CredentialsFromJson(object, origin);
  if (!c.ok()) return c.error();
  return AwsCredentials{c->account_id, c->access_key_id, c->secret_access_key, c->session_token};
}

namespace mesh {

namespace {
// The seeds' log levels (Python logging names) as spdlog levels, and datamesh's TRACE: every
// request and response on the wire, secrets redacted (the CLI's --debug).
Status ApplyLogLevel(const std::string& level) {
  static const std::map<std::string, spdlog::level::level_enum> kLevels = {
      {"DEBUG", spdlog::level::debug}, {"INFO", spdlog::level::info},   {"WARNING", spdlog::level::warn},
      {"WARN", spdlog::level::warn},   {"ERROR", spdlog::level::err},   {"CRITICAL", spdlog::level::critical},
      {"OFF", spdlog::level::off},     {"TRACE", spdlog::level::trace}};
  std::string upper = level;
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  auto it = kLevels.find(upper);
  if (it == kLevels.end()) {
    return Error::Local("InvalidArgument", "log_level must be TRACE, DEBUG, INFO, WARNING, ERROR or CRITICAL, got '" + level + "'");
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
  if (options.transport) {
    if (!options.endpoint_url) {
      return Error::Local("InvalidArgument", "a transport needs the endpoint_url it stands for");
    }
    o.transport = options.transport;
  }
  // Every request of the session, from whichever thread, passes the --max-concurrency bound.
  const int max_concurrency = std::max(1, options.max_concurrency);
  o.wrap_transport = [wrap = options.wrap_transport, max_concurrency](std::shared_ptr<aws::HttpTransport> t) {
    if (wrap) t = wrap(std::move(t));
    return std::shared_ptr<aws::HttpTransport>(std::make_shared<aws::LimitedTransport>(std::move(t), max_concurrency));
  };
  // When AWS throttles, the whole workflow slows down (the SDKs' adaptive retry mode), unless
  // AWS_RETRY_MODE or the profile chooses otherwise.
  o.default_retry_mode = "adaptive";
  if (options.sleeper) o.sleeper = options.sleeper;
  // What each call made or found in place reaches the progress sink (reruns say what existed).
  auto progress = std::make_shared<ProgressSink>();
  progress->report = options.progress;
  if (options.progress) {
    o.observer = [progress](const std::string& service, const std::string& operation, const aws::Json& input,
                            const Error* error) {
      auto change = ChangeOf(service, operation, input, error);
      if (!change) return;
      ProgressEvent event;
      (change->created ? event.created : event.existed) = change->what;
      std::lock_guard<std::mutex> lock(progress->mu);
      progress->report(event);
    };
  }
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
  s->clock_ = options.clock ? options.clock : aws::Clock::System();
  s->mesh_account_ = options.data_mesh_account_id;
  s->patience_ = std::chrono::seconds(std::max(0, options.eventual_consistency_timeout_seconds));
  s->max_concurrency_ = max_concurrency;
  s->progress_ = progress;
  return s;
}

std::shared_ptr<aws::AwsClient> MeshSession::Client(const std::string& service) {
  // Every service here has an embedded model, so this cannot fail for the services we name.
  return *session_->Client(service);
}

Outcome<aws::CallerIdentity> MeshSession::Identity() {
  {
    std::lock_guard<std::mutex> lock(kept_->mu);
    if (kept_->identity) return *kept_->identity;
  }
  auto id = Sts().GetCallerIdentity();
  if (!id.ok()) return id.error();
  std::lock_guard<std::mutex> lock(kept_->mu);
  kept_->identity = *id;
  return *id;
}

Outcome<Json> WaitFor(aws::Sleeper& sleeper, std::chrono::seconds patience,
                      const std::vector<std::string>& transient_codes,
                      const std::function<Outcome<Json>()>& attempt, const std::function<void()>& on_wait) {
  auto waited = std::chrono::milliseconds(0);
  auto delay = std::chrono::milliseconds(250);
  for (;;) {
    auto r = attempt();
    if (r.ok()) return r;
    bool transient = std::find(transient_codes.begin(), transient_codes.end(), r.error().code()) != transient_codes.end();
    if (!transient || waited + delay > patience) return r;
    if (on_wait) on_wait();
    sleeper.Sleep(delay);
    waited += delay;
    delay = std::min(delay * 2, std::chrono::milliseconds(8000));
  }
}

Status AcceptShareInvitations(aws::RamClient& ram, aws::Sleeper& sleeper, const std::set<std::string>& share_arns,
                              const MeshSession* session) {
  // Looked up a few shares a call: the same answers as one share at a time, in a tenth of the requests.
  constexpr size_t kSharesPerCall = 20;
  const int concurrency = session ? session->max_concurrency() : 1;
  // The chunks of `arns`, each asked by `call` concurrently; `call` keeps what it learns in its slot.
  auto in_chunks = [&](const std::set<std::string>& arns, const std::function<Status(const Json&, Json&)>& call,
                       std::vector<Json>& answers) -> Status {
    std::vector<Json> chunks;
    for (const auto& arn : arns) {
      if (chunks.empty() || chunks.back().size() == kSharesPerCall) chunks.push_back(Json::array());
      chunks.back().push_back(arn);
    }
    answers.assign(chunks.size(), Json::array());
    return ForEachConcurrently(chunks.size(), concurrency, [&](size_t i) { return call(chunks[i], answers[i]); });
  };
  std::set<std::string> waiting = share_arns;
  auto on_wait = [&] {
    if (session) {
      session->ReportWait("waiting for " + std::to_string(waiting.size()) + " RAM share(s) to reach this account");
    }
  };
  auto accepted = WaitFor(sleeper, std::chrono::seconds(60), {"InvitationNotYetVisible"}, [&]() -> Outcome<Json> {
    // Within an organization that shares through RAM there is no invitation: the share is
    // associated at once (RAM User Guide). Whether it has reached this account is what counts.
    std::vector<Json> active;
    auto reached = in_chunks(waiting, [&](const Json& chunk, Json& out) -> Status {
      auto received = ram.GetResourceSharesAllPages({{"resourceOwner", "OTHER-ACCOUNTS"}, {"resourceShareArns", chunk}});
      if (!received.ok()) return received.error();
      for (const auto& share : (*received)["resourceShares"]) {
        if (share.value("status", "") == "ACTIVE") out.push_back(share.value("resourceShareArn", ""));
      }
      return OkStatus();
    }, active);
    if (!reached.ok()) return reached.error();
    for (const auto& chunk : active) {
      for (const auto& arn : chunk) waiting.erase(arn.get<std::string>());
    }
    if (waiting.empty()) return Json::object();
    std::vector<Json> pending;
    auto invited = in_chunks(waiting, [&](const Json& chunk, Json& out) -> Status {
      auto invitations = ram.GetResourceShareInvitationsAllPages({{"resourceShareArns", chunk}});
      if (!invitations.ok()) return invitations.error();
      for (const auto& inv : (*invitations)["resourceShareInvitations"]) {
        if (inv["status"] == "PENDING") out.push_back(inv);
      }
      return OkStatus();
    }, pending);
    if (!invited.ok()) return invited.error();
    std::vector<Json> invitations;
    for (const auto& chunk : pending) invitations.insert(invitations.end(), chunk.begin(), chunk.end());
    auto accept = ForEachConcurrently(invitations.size(), concurrency, [&](size_t i) -> Status {
      auto r = ram.AcceptResourceShareInvitation({{"resourceShareInvitationArn", invitations[i]["resourceShareInvitationArn"]}});
      if (!r.ok() && r.error().code() != "ResourceShareInvitationAlreadyAcceptedException") return r.error();
      return OkStatus();
    });
    if (!accept.ok()) return accept.error();
    for (const auto& inv : invitations) waiting.erase(inv.value("resourceShareArn", ""));
    if (waiting.empty()) return Json::object();
    // Neither associated nor invited yet: RAM is eventually consistent.
    return Error::Local("InvitationNotYetVisible", "share " + *waiting.begin() + " has neither reached this account nor "
                                                       "sent it an invitation yet");
  }, on_wait);
  if (!accepted.ok()) return accepted.error();
  return OkStatus();
}

Outcome<std::shared_ptr<MeshSession>> MeshSession::AssumeRole(const std::string& role_arn,
                                                              const std::string& session_name,
                                                              std::optional<std::chrono::seconds> patience) {
  if (auto kept = KeptRole(role_arn, session_name)) return kept;
  auto sts = Sts();
  aws::Credentials credentials;
  auto out = WaitFor(*sleeper_, patience.value_or(patience_), {"AccessDenied"}, [&]() -> Outcome<Json> {
    auto r = sts.AssumeRole(aws::AssumeRoleRequest{.role_arn = role_arn, .session_name = session_name});
    if (!r.ok()) return r.error();
    credentials = r->credentials;
    return Json::object();
  }, [&] { ReportWait("waiting for role " + role_arn + " to become assumable (IAM is eventually consistent)"); });
  if (!out.ok()) return out.error();
  std::shared_ptr<MeshSession> s(new MeshSession());
  s->session_ = session_->WithCredentials(credentials);
  s->sleeper_ = sleeper_;
  s->clock_ = clock_;
  s->mesh_account_ = mesh_account_;
  s->patience_ = patience_;
  s->max_concurrency_ = max_concurrency_;
  s->progress_ = progress_;
  s->expiration_ = credentials.expiration;
  std::lock_guard<std::mutex> lock(kept_->mu);
  kept_->roles[{role_arn, session_name}] = s;
  return s;
}

std::shared_ptr<MeshSession> MeshSession::KeptRole(const std::string& role_arn, const std::string& session_name) {
  std::lock_guard<std::mutex> lock(kept_->mu);
  auto it = kept_->roles.find({role_arn, session_name});
  if (it == kept_->roles.end()) return nullptr;
  // Fresh enough by the wall clock (which STS goes by) and by the mesh's clock (which an embedded
  // mesh with an injected clock goes by): otherwise it is assumed again. Every workflow starts with
  // at least 45 minutes of its credentials left, as long as any workflow has taken: a kept session
  // serves a quarter of an hour of a default one-hour session.
  constexpr auto kMargin = std::chrono::minutes(45);
  const auto& expiration = it->second->expiration_;
  const bool fresh = !expiration || (*expiration - std::chrono::system_clock::now() > kMargin &&
                                     *expiration - clock_->Now() > kMargin);
  if (!fresh) {
    kept_->roles.erase(it);
    return nullptr;
  }
  return it->second;
}

void MeshSession::ReportWait(const std::string& what) const {
  ProgressEvent event;
  event.phase = what;
  event.waiting = true;
  Report(event);
}

void MeshSession::Report(const ProgressEvent& event) const {
  if (!progress_ || !progress_->report) return;
  std::lock_guard<std::mutex> lock(progress_->mu);
  progress_->report(event);
}

}  // namespace mesh
}  // namespace datamesh
