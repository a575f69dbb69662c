#include "local/accounts/local_mesh_setup.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>

#include "aws/core/time_format.h"
#include "local/accounts/organization.h"
#include "local/core/arn.h"
#include "local/core/ids.h"
#include "local/iam/iam_store.h"
#include "local/lakeformation/lf_state.h"

namespace datamesh::local {
namespace {

using aws::Json;

constexpr char kAdminPolicy[] = "arn:aws:iam::aws:policy/AdministratorAccess";

Outcome<LocalAccountKeys> EnsureAccount(Transaction& tx, const std::string& role, const std::string& account,
                                        const std::string& region) {
  const std::string now = aws::FormatIso8601(std::chrono::system_clock::now());
  if (auto existing = tx.Get(Scope::Global(), kinds::kAccount, account)) {
    if ((*existing)["Role"] != role) {
      return Error::Local("InvalidArgument", "account " + account + " is already the " +
                                                 (*existing)["Role"].get<std::string>() + " account of this local mesh");
    }
  } else {
    tx.Put(Scope::Global(), kinds::kAccount, account,
           {{"AccountId", account}, {"Role", role}, {"Region", region}, {"CreateDate", now}});
  }
  const Scope scope = IamScope(account);
  const std::string key = "administrator";
  auto user = tx.Get(scope, kinds::kUser, key);
  if (!user) {
    user = Json{{"Path", "/"},
                {"UserName", kAdminUserName},
                {"UserId", NewUniqueId("AIDA")},
                {"Arn", IamArn(account, "user", "/", kAdminUserName)},
                {"CreateDate", now},
                {"Tags", Json::array()},
                {"Groups", Json::array()},
                {"AttachedPolicies", Json::array({kAdminPolicy})},
                {"InlinePolicies", Json::object()},
                {"AccessKeys", Json::array()}};
  }
  LocalAccountKeys keys{role, account, (*user)["Arn"], "", ""};
  for (const auto& id : user->value("AccessKeys", Json::array())) {
    auto k = tx.Get(Scope::Global(), kinds::kAccessKey, id.get<std::string>());
    if (k && k->value("Status", "Active") == "Active") {
      keys.access_key_id = (*k)["AccessKeyId"];
      keys.secret_access_key = (*k)["SecretAccessKey"];
      break;
    }
  }
  if (keys.access_key_id.empty()) {
    Json k = {{"UserName", kAdminUserName}, {"AccessKeyId", NewAccessKeyId("AKIA")}, {"Status", "Active"},
              {"SecretAccessKey", NewSecretAccessKey()}, {"CreateDate", now}, {"Account", account}};
    tx.Put(Scope::Global(), kinds::kAccessKey, k["AccessKeyId"], k);
    (*user)["AccessKeys"].push_back(k["AccessKeyId"]);
    keys.access_key_id = k["AccessKeyId"];
    keys.secret_access_key = k["SecretAccessKey"];
  }
  tx.Put(scope, kinds::kUser, key, *user);
  // The administrator is also a Lake Formation data lake administrator of its account.
  const Scope lf_scope{account, region};
  Json settings = lf::LoadSettings(tx, lf_scope);
  bool listed = false;
  for (const auto& admin : settings["DataLakeAdmins"]) listed |= admin.value("DataLakePrincipalIdentifier", "") == keys.user_arn;
  if (!listed) {
    settings["DataLakeAdmins"].push_back({{"DataLakePrincipalIdentifier", keys.user_arn}});
    lf::SaveSettings(tx, lf_scope, settings);
  }
  return keys;
}

Json Entry(const LocalAccountKeys& k) {
  return {{"AccountId", k.account}, {"AccessKeyId", k.access_key_id}, {"SecretAccessKey", k.secret_access_key}};
}

}  // namespace

Outcome<std::vector<LocalAccountKeys>> InitializeLocalMesh(Store& store, const LocalMeshPlan& plan) {
  std::set<std::string> seen;
  std::vector<std::pair<std::string, std::string>> accounts = {{"mesh", plan.mesh_account}};
  for (const auto& a : plan.producer_accounts) accounts.emplace_back("producer", a);
  for (const auto& a : plan.consumer_accounts) accounts.emplace_back("consumer", a);
  for (const auto& [role, account] : accounts) {
    if (!IsAccountId(account)) return Error::Local("InvalidArgument", "'" + account + "' is not a 12-digit account id");
    if (!seen.insert(account).second) {
      return Error::Local("InvalidArgument", "account " + account + " is named twice; every account must be distinct");
    }
  }
  std::set<std::string> outside(plan.outside_organization.begin(), plan.outside_organization.end());
  for (const auto& a : outside) {
    if (!plan.organization) return Error::Local("InvalidArgument", "accounts outside the organization need an organization");
    if (a == plan.mesh_account) return Error::Local("InvalidArgument", "the mesh account manages the organization");
    if (!seen.count(a)) return Error::Local("InvalidArgument", "account " + a + " outside the organization is not a mesh account");
  }
  return store.Write<std::vector<LocalAccountKeys>>([&](Transaction& tx) -> Outcome<std::vector<LocalAccountKeys>> {
    std::vector<LocalAccountKeys> out;
    std::vector<std::string> members;
    for (const auto& [role, account] : accounts) {
      auto keys = EnsureAccount(tx, role, account, plan.region);
      if (!keys.ok()) return keys.error();
      out.push_back(*keys);
      if (!outside.count(account)) members.push_back(account);
    }
    if (plan.organization) CreateOrganization(tx, plan.mesh_account, members);
    return out;
  });
}

Json CredentialsFileJson(const LocalMeshPlan& plan, const std::vector<LocalAccountKeys>& keys) {
  Json out = {{"AWS_REGION", plan.region}};
  Json all = Json::array();
  for (const auto& k : keys) {
    Json entry = Entry(k);
    if (k.role == "mesh" && !out.contains("Mesh")) out["Mesh"] = entry;
    // The day-to-day entries hold the administrators' keys until the mesh roles exist.
    if (k.role == "producer" && !out.contains("Producer")) out["Producer"] = out["ProducerAdmin"] = entry;
    if (k.role == "consumer" && !out.contains("Consumer")) out["Consumer"] = out["ConsumerAdmin"] = entry;
    entry["Role"] = k.role;
    all.push_back(entry);
  }
  out["Accounts"] = all;
  return out;
}

Status WriteFileAtomically(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return Error::Local("WriteFailed", "cannot write " + tmp);
    out << text;
    out.flush();
    if (!out) return Error::Local("WriteFailed", "cannot write " + tmp);
  }
  ::chmod(tmp.c_str(), 0600);
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    return Error::Local("WriteFailed", "cannot write " + path + ": " + ec.message());
  }
  return OkStatus();
}

Status WriteAwsConfig(const std::string& dir, const LocalMeshPlan& plan, const std::vector<LocalAccountKeys>& keys) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Error::Local("WriteFailed", "cannot create " + dir + ": " + ec.message());
  std::string credentials, config;
  auto add = [&](const std::string& profile, const LocalAccountKeys& k) {
    credentials += "[" + profile + "]\naws_access_key_id = " + k.access_key_id +
                   "\naws_secret_access_key = " + k.secret_access_key + "\n\n";
    config += "[profile " + profile + "]\nregion = " + plan.region + "\n\n";
  };
  std::set<std::string> named;
  for (const auto& k : keys) {
    if (k.role == "mesh" && named.insert("mesh").second) add("mesh", k);
    for (const std::string role : {"producer", "consumer"}) {
      if (k.role == role && named.insert(role).second) {
        add(role, k);
        add(role + "-admin", k);
      }
    }
    add(k.role + "-" + k.account, k);
  }
  if (auto s = WriteFileAtomically(dir + "/credentials", credentials); !s.ok()) return s;
  return WriteFileAtomically(dir + "/config", config);
}

}  // namespace datamesh::local
