// Admin: the mesh account's objects and the two sides of enabling producer and consumer accounts.
#include "datamesh/admin.h"

#include <set>

#include "datamesh/mesh_names.h"
#include "mesh/catalog_policy.h"
#include "mesh/catalog_setup.h"
#include "mesh/crawler_role.h"
#include "mesh/iam_objects.h"
#include "mesh/mesh_policies.h"
#include "mesh/mesh_session.h"

namespace datamesh {
namespace {

using mesh::Json;

std::string RoleArn(const std::string& account, const std::string& role) {
  return "arn:aws:iam::" + account + ":role" + names::kIamPath + role;
}

std::string Root(const std::string& account) { return "arn:aws:iam::" + account + ":root"; }

bool IsAccountId(const std::string& s) {
  return s.size() == 12 && s.find_first_not_of("0123456789") == std::string::npos;
}

// The caller as a Lake Formation principal: its user ARN, or its role's ARN for a role session.
Outcome<std::string> CallerPrincipal(mesh::MeshSession& session) {
  auto id = session.Identity();
  if (!id.ok()) return id.error();
  const std::string marker = ":assumed-role/";
  size_t at = id->arn.find(marker);
  if (at == std::string::npos) return id->arn;
  std::string role = id->arn.substr(at + marker.size());
  role = role.substr(0, role.find('/'));
  auto r = session.Iam().GetRole({{"RoleName", role}});
  if (!r.ok()) return r.error();
  return (*r)["Role"]["Arn"].get<std::string>();
}

Status RequireAccount(mesh::MeshSession& session, const std::string& expected, const std::string& what) {
  auto id = session.Identity();
  if (!id.ok()) return id.error();
  if (id->account != expected) {
    return Error::Local("WrongAccount", what + " must run with credentials of account " + expected +
                                            "; these credentials are for account " + id->account);
  }
  return OkStatus();
}

// The read-only role trusts the mesh account and every enabled account's local role; adding one
// keeps the others.
Outcome<std::string> TrustReadOnlyRole(aws::IamClient& iam, const std::string& mesh_account,
                                       const std::vector<std::string>& more) {
  std::vector<std::string> principals = {Root(mesh_account)};
  auto existing = iam.GetRole({{"RoleName", names::kReadOnlyRole}});
  if (existing.ok()) {
    for (const auto& p : mesh::TrustedPrincipals((*existing)["Role"]["AssumeRolePolicyDocument"])) principals.push_back(p);
  }
  for (const auto& p : more) principals.push_back(p);
  std::set<std::string> unique(principals.begin(), principals.end());
  std::vector<std::string> ordered = {Root(mesh_account)};
  for (const auto& p : unique) {
    if (p != Root(mesh_account)) ordered.push_back(p);
  }
  return mesh::EnsureRole(iam, names::kReadOnlyRole, mesh::TrustPolicy(ordered),
                          "Read-only access to the data mesh's public metadata");
}

Status GrantOnCatalog(aws::LakeFormationClient& lf, const std::string& principal, const Json& permissions) {
  auto g = lf.GrantPermissions({{"Principal", {{"DataLakePrincipalIdentifier", principal}}},
                                {"Resource", {{"Catalog", Json::object()}}},
                                {"Permissions", permissions}});
  if (!g.ok()) return g.error();
  return OkStatus();
}

// One side of an account: its role (trusting the account), policy, user and group.
Outcome<AccountObjects> InitializeAccountSide(mesh::MeshSession& session, const std::string& role, const std::string& policy_name,
                                    const std::string& policy) {
  auto id = session.Identity();
  if (!id.ok()) return id.error();
  if (id->account == session.mesh_account()) {
    return Error::Local("WrongAccount", "accounts are initialized as producers or consumers in their own account, "
                                        "not in the mesh account " + session.mesh_account());
  }
  auto admin = mesh::CallerIsDataLakeAdmin(session);
  if (!admin.ok()) return admin.error();
  if (!*admin) {
    return Error::Local("NotDataLakeAdmin", "the caller " + id->arn +
                                                " must be a Lake Formation data lake administrator of account " + id->account);
  }
  auto iam = session.Iam();
  auto policy_arn = mesh::EnsureManagedPolicy(iam, id->account, policy_name, policy, "Data mesh access for " + role);
  if (!policy_arn.ok()) return policy_arn.error();
  auto role_arn = mesh::EnsureRole(iam, role, mesh::TrustPolicy({Root(id->account)}), "Data mesh " + role);
  if (!role_arn.ok()) return role_arn.error();
  if (auto s = mesh::EnsureRolePolicyAttached(iam, role, *policy_arn); !s.ok()) return s.error();
  auto ug = mesh::EnsureUserAndGroup(iam, id->account, role, *role_arn);
  if (!ug.ok()) return ug.error();
  if (auto s = mesh::EnsureLakeFormationServiceLinkedRole(iam); !s.ok()) return s.error();
  auto lf = session.LakeFormation();
  if (auto s = GrantOnCatalog(lf, *role_arn, {"CREATE_DATABASE"}); !s.ok()) return s.error();
  return AccountObjects{id->account, *role_arn, *policy_arn, ug->user_arn, ug->group_arn};
}

Status MeshInstalled(mesh::MeshSession& session) {
  for (const char* role : {names::kManagerRole, names::kReadOnlyRole}) {
    auto r = session.Iam().GetRole({{"RoleName", role}});
    if (r.ok()) continue;
    if (r.error().code() != "NoSuchEntity") return r.error();
    return Error::Local("MeshNotInstalled", "the mesh account " + session.mesh_account() +
                                                " is not set up yet: run install-mesh-objects (InitializeMeshAccount) first");
  }
  return OkStatus();
}

// The mesh side of an account: its per-account role and policy, trusted by the account's role.
Outcome<MeshAccess> EnableAccountSide(mesh::MeshSession& session, const std::string& account, const std::string& local_role,
                                const std::string& mesh_role, const std::string& policy_name, const std::string& policy,
                                bool may_create_databases) {
  if (!IsAccountId(account)) return Error::Local("InvalidArgument", "'" + account + "' is not a 12-digit account id");
  if (account == session.mesh_account()) {
    return Error::Local("InvalidArgument", "the mesh account cannot be enabled as a producer or consumer of itself");
  }
  if (auto s = RequireAccount(session, session.mesh_account(), "enabling an account"); !s.ok()) return s.error();
  if (auto s = MeshInstalled(session); !s.ok()) return s.error();
  auto iam = session.Iam();
  auto policy_arn = mesh::EnsureManagedPolicy(iam, session.mesh_account(), policy_name, policy,
                                              "Data mesh permissions of account " + account);
  if (!policy_arn.ok()) return policy_arn.error();
  const std::string trusted = RoleArn(account, local_role);
  auto role_arn = mesh::EnsureRole(iam, mesh_role, mesh::TrustPolicy({trusted}), "Mesh role of account " + account);
  if (!role_arn.ok()) {
    if (role_arn.error().code() == "MalformedPolicyDocument") {
      return Error::Local("AccountNotInitialized", "account " + account + " has no role " + trusted +
                                                       " yet: initialize the account before enabling it in the mesh");
    }
    return role_arn.error();
  }
  if (auto s = mesh::EnsureRolePolicyAttached(iam, mesh_role, *policy_arn); !s.ok()) return s.error();
  if (may_create_databases) {
    // Producers create their products' databases and tag them; they are not data lake admins.
    auto lf = session.LakeFormation();
    if (auto s = GrantOnCatalog(lf, *role_arn, {"CREATE_DATABASE", "CREATE_LF_TAG"}); !s.ok()) return s.error();
  }
  auto read_only = TrustReadOnlyRole(iam, session.mesh_account(), {trusted});
  if (!read_only.ok()) return read_only.error();
  return MeshAccess{account, *role_arn, *policy_arn, trusted};
}

}  // namespace

nlohmann::json MeshAccountObjects::ToJson() const {
  return {{"Manager", manager_role_arn},
          {"ReadOnly", read_only_role_arn},
          {"ManagerUser", manager_user_arn},
          {"ManagerGroup", manager_group_arn},
          {"ReadOnlyUser", read_only_user_arn},
          {"ReadOnlyGroup", read_only_group_arn},
          {"SubscriptionTracker", {{"Table", tracker_table_arn}, {"Stream", tracker_stream_arn}}}};
}

nlohmann::json AccountObjects::ToJson() const {
  return {{"Account", account}, {"Role", role_arn}, {"User", user_arn}, {"Group", group_arn}, {"Policy", policy_arn}};
}

nlohmann::json MeshAccess::ToJson() const {
  return {{"Account", account}, {"MeshRole", mesh_role_arn}, {"Policy", policy_arn}, {"TrustedRole", trusted_role_arn}};
}

nlohmann::json EnabledAccount::ToJson() const { return {{"Account", account.ToJson()}, {"Mesh", mesh.ToJson()}}; }

nlohmann::json BootstrappedAccount::ToJson() const {
  nlohmann::json out = nlohmann::json::object();
  if (producer) out["Producer"] = producer->ToJson();
  if (consumer) out["Consumer"] = consumer->ToJson();
  return out;
}

Outcome<AccountType> ParseAccountType(const std::string& text) {
  if (text == "producer") return AccountType::kProducer;
  if (text == "consumer") return AccountType::kConsumer;
  if (text == "both") return AccountType::kBoth;
  return Error::Local("InvalidArgument", "account type must be producer, consumer or both, got '" + text + "'");
}

Outcome<Admin> Admin::Create(MeshOptions options) {
  auto session = mesh::MeshSession::Create(options);
  if (!session.ok()) return session.error();
  return Admin(std::move(options), *session);
}

Status Admin::CheckMeshInstalled() {
  if (auto r = RequireAccount(*session_, session_->mesh_account(), "checking the mesh account"); !r.ok()) return r;
  return MeshInstalled(*session_);
}

Outcome<MeshAccountObjects> Admin::InitializeMeshAccount() {
  mesh::MeshSession& s = *session_;
  if (auto r = RequireAccount(s, s.mesh_account(), "initializing the mesh account"); !r.ok()) return r.error();
  const mesh::PolicyScope scope{s.region(), s.mesh_account()};
  auto iam = s.Iam();
  MeshAccountObjects out;

  auto manager_policy = mesh::EnsureManagedPolicy(iam, s.mesh_account(), names::kManagerPolicy,
                                                  mesh::ManagerPolicyDocument(scope), "Data mesh manager");
  if (!manager_policy.ok()) return manager_policy.error();
  auto manager = mesh::EnsureRole(iam, names::kManagerRole, mesh::TrustPolicy({Root(s.mesh_account())}),
                                  "Administers the data mesh");
  if (!manager.ok()) return manager.error();
  out.manager_role_arn = *manager;
  if (auto r = mesh::EnsureRolePolicyAttached(iam, names::kManagerRole, *manager_policy); !r.ok()) return r.error();
  auto manager_ug = mesh::EnsureUserAndGroup(iam, s.mesh_account(), names::kManagerRole, *manager);
  if (!manager_ug.ok()) return manager_ug.error();
  out.manager_user_arn = manager_ug->user_arn;
  out.manager_group_arn = manager_ug->group_arn;

  auto read_policy = mesh::EnsureManagedPolicy(iam, s.mesh_account(), names::kReadOnlyPolicy,
                                               mesh::ReadOnlyPolicyDocument(scope), "Data mesh read-only");
  if (!read_policy.ok()) return read_policy.error();
  auto read_only = TrustReadOnlyRole(iam, s.mesh_account(), {});
  if (!read_only.ok()) return read_only.error();
  out.read_only_role_arn = *read_only;
  if (auto r = mesh::EnsureRolePolicyAttached(iam, names::kReadOnlyRole, *read_policy); !r.ok()) return r.error();
  auto read_ug = mesh::EnsureUserAndGroup(iam, s.mesh_account(), names::kReadOnlyRole, *read_only);
  if (!read_ug.ok()) return read_ug.error();
  out.read_only_user_arn = read_ug->user_arn;
  out.read_only_group_arn = read_ug->group_arn;

  if (auto r = mesh::EnsureLakeFormationServiceLinkedRole(iam); !r.ok()) return r.error();
  auto caller = CallerPrincipal(s);
  if (!caller.ok()) return caller.error();
  auto lf = s.LakeFormation();
  if (auto r = mesh::EnsureDataLakeSettings(lf, {*manager, *caller}, true); !r.ok()) return r.error();
  auto glue = s.Glue();
  if (auto r = mesh::EnsureCatalogSharingPolicy(glue, s.region(), s.mesh_account()); !r.ok()) return r.error();
  auto ddb = s.DynamoDb();
  auto tracker = mesh::EnsureTrackerTable(ddb, *s.sleeper());
  if (!tracker.ok()) return tracker.error();
  out.tracker_table_arn = tracker->table_arn;
  out.tracker_stream_arn = tracker->stream_arn;
  return out;
}

Outcome<AccountObjects> Admin::InitializeProducerAccount(const std::optional<std::string>& crawler_role_arn) {
  auto id = session_->Identity();
  if (!id.ok()) return id.error();
  return InitializeAccountSide(*session_, names::kProducerRole, names::kProducerAccessPolicy,
                               mesh::ProducerAccessPolicyDocument({session_->region(), session_->mesh_account()},
                                                                  id->account, crawler_role_arn));
}

Outcome<AccountObjects> Admin::InitializeConsumerAccount() {
  auto id = session_->Identity();
  if (!id.ok()) return id.error();
  return InitializeAccountSide(*session_, names::kConsumerRole, names::kConsumerAccessPolicy,
                               mesh::ConsumerAccessPolicyDocument({session_->region(), session_->mesh_account()}, id->account));
}

Outcome<MeshAccess> Admin::EnableAccountAsProducer(const std::string& account_id,
                                                   const std::optional<std::string>& enable_crawler_role) {
  if (enable_crawler_role) {
    if (auto s = mesh::CheckMeshCrawlerRole(*enable_crawler_role, session_->mesh_account(), "enable_crawler_role");
        !s.ok()) {
      return s.error();
    }
  }
  const mesh::PolicyScope scope{session_->region(), session_->mesh_account()};
  return EnableAccountSide(*session_, account_id, names::kProducerRole, names::ProducerAdminRole(account_id),
                           names::ProducerPolicy(account_id),
                           mesh::ProducerMeshPolicyDocument(scope, account_id, enable_crawler_role), true);
}

Outcome<MeshAccess> Admin::EnableAccountAsConsumer(const std::string& account_id) {
  const mesh::PolicyScope scope{session_->region(), session_->mesh_account()};
  auto enabled = EnableAccountSide(*session_, account_id, names::kConsumerRole, names::ConsumerAdminRole(account_id),
                           names::ConsumerPolicy(account_id), mesh::ConsumerMeshPolicyDocument(scope, account_id), false);
  if (!enabled.ok()) return enabled;
  // Tag-based cross-account access asks the catalog owner to name every recipient account.
  auto glue = session_->Glue();
  if (auto s = mesh::AllowConsumerInCatalogPolicy(glue, session_->region(), session_->mesh_account(), account_id); !s.ok()) {
    return s.error();
  }
  return enabled;
}

Outcome<BootstrappedAccount> BootstrapAccount(AccountType type, const MeshOptions& mesh_options,
                                              const MeshOptions& account_options,
                                              const std::optional<std::string>& crawler_role_arn) {
  auto account_admin = Admin::Create(account_options);
  if (!account_admin.ok()) return account_admin.error();
  auto mesh_admin = Admin::Create(mesh_options);
  if (!mesh_admin.ok()) return mesh_admin.error();
  // Nothing changes in the account unless the mesh is ready to take it.
  if (auto s = mesh_admin->CheckMeshInstalled(); !s.ok()) return s.error();
  if (crawler_role_arn) {
    if (auto s = mesh::CheckMeshCrawlerRole(*crawler_role_arn, mesh_options.data_mesh_account_id, "crawler_role_arn");
        !s.ok()) {
      return s.error();
    }
  }
  BootstrappedAccount out;
  bool producer = type == AccountType::kProducer || type == AccountType::kBoth;
  bool consumer = type == AccountType::kConsumer || type == AccountType::kBoth;
  if (producer) {
    auto local = account_admin->InitializeProducerAccount(crawler_role_arn);
    if (!local.ok()) return local.error();
    auto remote = mesh_admin->EnableAccountAsProducer(local->account, crawler_role_arn);
    if (!remote.ok()) return remote.error();
    out.producer = EnabledAccount{*local, *remote};
  }
  if (consumer) {
    auto local = account_admin->InitializeConsumerAccount();
    if (!local.ok()) return local.error();
    auto remote = mesh_admin->EnableAccountAsConsumer(local->account);
    if (!remote.ok()) return remote.error();
    out.consumer = EnabledAccount{*local, *remote};
  }
  return out;
}

}  // namespace datamesh
