#include "mesh/iam_objects.h"

#include <algorithm>
#include <functional>

#include "datamesh/mesh_names.h"

namespace datamesh::mesh {
namespace {

Json Tags() { return Json::array({{{"Key", names::kSolutionTagKey}, {"Value", names::kSolutionTagValue}}}); }

}  // namespace

bool SamePolicy(const std::string& a, const std::string& b) {
  Json x = Json::parse(a, nullptr, false), y = Json::parse(b, nullptr, false);
  return !x.is_discarded() && x == y;
}

std::string TrustPolicy(const std::vector<std::string>& principals) {
  Json aws = principals.size() == 1 ? Json(principals[0]) : Json(principals);
  return Json{{"Version", "2012-10-17"},
              {"Statement", Json::array({{{"Effect", "Allow"}, {"Principal", {{"AWS", aws}}}, {"Action", "sts:AssumeRole"}}})}}
      .dump();
}

std::vector<std::string> TrustedPrincipals(const std::string& trust_policy) {
  std::vector<std::string> out;
  Json doc = Json::parse(trust_policy, nullptr, false);
  if (!doc.is_object()) return out;
  Json statements = doc["Statement"].is_array() ? doc["Statement"] : Json::array({doc["Statement"]});
  for (const auto& s : statements) {
    if (!s.contains("Principal") || !s["Principal"].is_object() || !s["Principal"].contains("AWS")) continue;
    const Json& aws = s["Principal"]["AWS"];
    if (aws.is_string()) out.push_back(aws);
    for (const auto& p : aws.is_array() ? aws : Json::array()) out.push_back(p);
  }
  return out;
}

namespace {

// A Create* answered EntityAlreadyExists found its entity made already: by its own earlier
// attempt whose answer was lost (the client retried it), or by a concurrent run. Either way the
// entity is there; it is read back and treated as found.
bool AlreadyExists(const Error& e) { return e.code() == "EntityAlreadyExists"; }

// The ARN (under `kind`, "User" or "Group") of an entity read with `get`, made with `create`
// when missing.
Outcome<std::string> ArnOfEnsured(const std::function<Outcome<Json>()>& get, const std::function<Outcome<Json>()>& create,
                                  const char* kind) {
  auto found = get();
  if (!found.ok() && found.error().code() != "NoSuchEntity") return found.error();
  if (!found.ok()) {
    auto created = create();
    if (created.ok()) return (*created)[kind]["Arn"].get<std::string>();
    if (!AlreadyExists(created.error())) return created.error();
    found = get();
    if (!found.ok()) return found.error();
  }
  return (*found)[kind]["Arn"].get<std::string>();
}

Outcome<std::string> EnsureRoleOnce(aws::IamClient& iam, const std::string& name, const std::string& trust_policy,
                                    const std::string& description, bool created_meanwhile) {
  auto existing = iam.GetRole({{"RoleName", name}});
  if (existing.ok()) {
    const Json& role = (*existing)["Role"];
    if (!SamePolicy(role.value("AssumeRolePolicyDocument", ""), trust_policy)) {
      auto u = iam.UpdateAssumeRolePolicy({{"RoleName", name}, {"PolicyDocument", trust_policy}});
      if (!u.ok()) return u.error();
    }
    return role["Arn"].get<std::string>();
  }
  if (existing.error().code() != "NoSuchEntity") return existing.error();
  auto created = iam.CreateRole({{"RoleName", name}, {"Path", names::kIamPath}, {"AssumeRolePolicyDocument", trust_policy},
                                 {"Description", description}, {"Tags", Tags()}});
  if (!created.ok() && AlreadyExists(created.error()) && !created_meanwhile) {
    return EnsureRoleOnce(iam, name, trust_policy, description, true);
  }
  if (!created.ok()) return created.error();
  return (*created)["Role"]["Arn"].get<std::string>();
}

Outcome<std::string> EnsureManagedPolicyOnce(aws::IamClient& iam, const std::string& account, const std::string& name,
                                             const std::string& document, const std::string& description,
                                             bool created_meanwhile) {
  const std::string arn = "arn:aws:iam::" + account + ":policy" + names::kIamPath + name;
  auto current = iam.GetPolicy({{"PolicyArn", arn}});
  if (!current.ok()) {
    if (current.error().code() != "NoSuchEntity") return current.error();
    auto created = iam.CreatePolicy({{"PolicyName", name}, {"Path", names::kIamPath}, {"PolicyDocument", document},
                                     {"Description", description}, {"Tags", Tags()}});
    if (!created.ok() && AlreadyExists(created.error()) && !created_meanwhile) {
      return EnsureManagedPolicyOnce(iam, account, name, document, description, true);
    }
    if (!created.ok()) return created.error();
    return (*created)["Policy"]["Arn"].get<std::string>();
  }
  const std::string default_version = (*current)["Policy"]["DefaultVersionId"];
  auto version = iam.GetPolicyVersion({{"PolicyArn", arn}, {"VersionId", default_version}});
  if (!version.ok()) return version.error();
  if (SamePolicy((*version)["PolicyVersion"]["Document"], document)) return arn;
  auto versions = iam.ListPolicyVersionsAllPages({{"PolicyArn", arn}});
  if (!versions.ok()) return versions.error();
  if ((*versions)["Versions"].size() >= 5) {
    // Make room: the oldest version that is not the default goes.
    std::string oldest;
    for (const auto& v : (*versions)["Versions"]) {
      if (v["IsDefaultVersion"] == true) continue;
      if (oldest.empty() || v["CreateDate"].get<std::string>() < oldest) oldest = v["VersionId"];
    }
    auto d = iam.DeletePolicyVersion({{"PolicyArn", arn}, {"VersionId", oldest}});
    if (!d.ok()) return d.error();
  }
  auto v = iam.CreatePolicyVersion({{"PolicyArn", arn}, {"PolicyDocument", document}, {"SetAsDefault", true}});
  if (!v.ok()) return v.error();
  return arn;
}

}  // namespace

Outcome<std::string> EnsureRole(aws::IamClient& iam, const std::string& name, const std::string& trust_policy,
                                const std::string& description) {
  return EnsureRoleOnce(iam, name, trust_policy, description, false);
}

Outcome<std::string> EnsureManagedPolicy(aws::IamClient& iam, const std::string& account, const std::string& name,
                                         const std::string& document, const std::string& description) {
  return EnsureManagedPolicyOnce(iam, account, name, document, description, false);
}

Status EnsureRolePolicyAttached(aws::IamClient& iam, const std::string& role, const std::string& policy_arn) {
  auto attached = iam.AttachRolePolicy({{"RoleName", role}, {"PolicyArn", policy_arn}});
  if (!attached.ok()) return attached.error();
  return OkStatus();
}

Outcome<UserAndGroup> EnsureUserAndGroup(aws::IamClient& iam, const std::string& account, const std::string& role,
                                         const std::string& role_arn) {
  UserAndGroup out;
  auto user = ArnOfEnsured([&] { return iam.GetUser({{"UserName", role}}); },
                           [&] { return iam.CreateUser({{"UserName", role}, {"Path", names::kIamPath}, {"Tags", Tags()}}); },
                           "User");
  if (!user.ok()) return user.error();
  out.user_arn = *user;
  const std::string group = names::GroupOf(role);
  auto group_arn = ArnOfEnsured([&] { return iam.GetGroup({{"GroupName", group}}); },
                                [&] { return iam.CreateGroup({{"GroupName", group}, {"Path", names::kIamPath}}); },
                                "Group");
  if (!group_arn.ok()) return group_arn.error();
  out.group_arn = *group_arn;
  const std::string assume = Json{{"Version", "2012-10-17"},
                                  {"Statement", Json::array({{{"Effect", "Allow"}, {"Action", "sts:AssumeRole"},
                                                              {"Resource", role_arn}}})}}.dump();
  auto policy = EnsureManagedPolicy(iam, account, names::AssumePolicyOf(role), assume, "Lets the group assume " + role);
  if (!policy.ok()) return policy.error();
  if (auto a = iam.AttachGroupPolicy({{"GroupName", group}, {"PolicyArn", *policy}}); !a.ok()) return a.error();
  if (auto a = iam.AddUserToGroup({{"GroupName", group}, {"UserName", role}}); !a.ok()) return a.error();
  return out;
}

}  // namespace datamesh::mesh
