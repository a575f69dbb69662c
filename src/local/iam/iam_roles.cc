// IAM roles: create, read, trust policy, managed and inline policies.
#include "aws/core/time_format.h"
#include "local/core/arn.h"
#include "local/core/ids.h"
#include "local/iam/iam_entities.h"
#include "local/iam/iam_service.h"
#include "local/policy/authorizer.h"

namespace datamesh::local::iam {
namespace {

constexpr size_t kMaxManagedPoliciesPerRole = 10;
constexpr size_t kMaxInlinePolicySizePerRole = 10240;

bool IsServiceLinked(const Json& role) { return role.value("Path", "").rfind("/aws-service-role/", 0) == 0; }

// The role `name` once the caller may `action` it: authorization first, so that a refusal does
// not reveal whether the role exists.
Outcome<Json> AuthorizedRole(RequestContext& ctx, const std::string& action, const std::string& name) {
  auto role = LoadEntity(ctx, kinds::kRole, name);
  std::string arn = role ? (*role)["Arn"].get<std::string>() : IamArn(ctx.caller.account, "role", "/", name);
  if (auto s = Authorize(ctx, action, arn); !s.ok()) return s.error();
  if (!role) return NoSuchEntity("The role with name " + name + " cannot be found.");
  return *role;
}

}  // namespace

Status AttachManagedPolicy(RequestContext& ctx, Json& entity, const std::string& policy_arn,
                           const std::string& quota_name) {
  if (!ManagedPolicyDocument(ctx.tx, policy_arn)) {
    return NoSuchEntity("Policy " + policy_arn + " does not exist or is not attachable.");
  }
  auto parsed = Arn::Parse(policy_arn);
  if (parsed && parsed->account != "aws" && parsed->account != ctx.caller.account) {
    return NoSuchEntity("Policy " + policy_arn + " does not exist or is not attachable.");
  }
  Json& attached = entity["AttachedPolicies"];
  if (!attached.is_array()) attached = Json::array();
  for (const auto& a : attached) {
    if (a == policy_arn) return OkStatus();  // attaching twice changes nothing
  }
  if (attached.size() >= kMaxManagedPoliciesPerRole) {
    return LimitExceeded("Cannot exceed quota for " + quota_name + ": " + std::to_string(kMaxManagedPoliciesPerRole));
  }
  attached.push_back(policy_arn);
  if (parsed && parsed->account == ctx.caller.account) {
    std::string name = parsed->resource.substr(parsed->resource.rfind('/') + 1);
    if (auto policy = LoadEntity(ctx, kinds::kPolicy, name)) {
      (*policy)["AttachmentCount"] = policy->value("AttachmentCount", 0) + 1;
      SaveEntity(ctx, kinds::kPolicy, *policy, "PolicyName");
    }
  }
  return OkStatus();
}

Outcome<Json> CreateRole(const Json& in, RequestContext& ctx) {
  const std::string name = in["RoleName"];
  const std::string path = in.value("Path", "/");
  const std::string arn = IamArn(ctx.caller.account, "role", path, name);
  if (auto s = Authorize(ctx, "iam:CreateRole", arn); !s.ok()) return s.error();
  if (LoadEntity(ctx, kinds::kRole, name)) return EntityAlreadyExists("Role with name " + name + " already exists.");
  const std::string trust = in["AssumeRolePolicyDocument"];
  if (auto s = CheckTrustPolicy(ctx, trust); !s.ok()) return s.error();
  int max_session = in.value("MaxSessionDuration", 3600);
  if (max_session < 3600 || max_session > 43200) {
    return IamValidationError("1 validation error detected: Value '" + std::to_string(max_session) +
                              "' at 'maxSessionDuration' failed to satisfy constraint: Member must have value "
                              "between 3600 and 43200");
  }
  auto tags = CheckTags(in);
  if (!tags.ok()) return tags.error();
  Json role = {{"Path", path},
               {"RoleName", name},
               {"RoleId", NewUniqueId("AROA")},
               {"Arn", arn},
               {"CreateDate", aws::FormatIso8601(ctx.now)},
               {"AssumeRolePolicyDocument", trust},
               {"MaxSessionDuration", max_session},
               {"Tags", *tags},
               {"AttachedPolicies", Json::array()},
               {"InlinePolicies", Json::object()}};
  if (in.contains("Description")) role["Description"] = in["Description"];
  if (in.contains("PermissionsBoundary")) {
    if (!ManagedPolicyDocument(ctx.tx, in["PermissionsBoundary"])) {
      return InvalidInput("Scope ARN: " + in["PermissionsBoundary"].get<std::string>() + " does not exist or is not attachable.");
    }
    role["PermissionsBoundary"] = {{"PermissionsBoundaryType", "PermissionsBoundaryPolicy"},
                                   {"PermissionsBoundaryArn", in["PermissionsBoundary"]}};
  }
  SaveEntity(ctx, kinds::kRole, role, "RoleName");
  return Json{{"Role", RoleOutput(role)}};
}

Outcome<Json> GetRole(const Json& in, RequestContext& ctx) {
  const std::string name = in["RoleName"];
  auto role = AuthorizedRole(ctx, "iam:GetRole", name);
  if (!role.ok()) return role.error();
  return Json{{"Role", RoleOutput(*role)}};
}

Outcome<Json> UpdateAssumeRolePolicy(const Json& in, RequestContext& ctx) {
  const std::string name = in["RoleName"];
  auto role = AuthorizedRole(ctx, "iam:UpdateAssumeRolePolicy", name);
  if (!role.ok()) return role.error();
  if (IsServiceLinked(*role)) {
    return ServiceFault("UnmodifiableEntity", "Cannot perform the operation on the protected role '" + name +
                                                  "' - this role is only modifiable by AWS", 400);
  }
  if (auto s = CheckTrustPolicy(ctx, in["PolicyDocument"]); !s.ok()) return s.error();
  (*role)["AssumeRolePolicyDocument"] = in["PolicyDocument"];
  SaveEntity(ctx, kinds::kRole, *role, "RoleName");
  return Json::object();
}

Outcome<Json> AttachRolePolicy(const Json& in, RequestContext& ctx) {
  const std::string name = in["RoleName"];
  auto role = AuthorizedRole(ctx, "iam:AttachRolePolicy", name);
  if (!role.ok()) return role.error();
  if (IsServiceLinked(*role)) {
    return ServiceFault("UnmodifiableEntity", "Cannot perform the operation on the protected role '" + name +
                                                  "' - this role is only modifiable by AWS", 400);
  }
  if (auto s = AttachManagedPolicy(ctx, *role, in["PolicyArn"], "PoliciesPerRole"); !s.ok()) return s.error();
  SaveEntity(ctx, kinds::kRole, *role, "RoleName");
  return Json::object();
}

Outcome<Json> PutRolePolicy(const Json& in, RequestContext& ctx) {
  const std::string name = in["RoleName"];
  auto role = AuthorizedRole(ctx, "iam:PutRolePolicy", name);
  if (!role.ok()) return role.error();
  const std::string document = in["PolicyDocument"];
  if (auto s = CheckIdentityPolicy(document, kMaxInlinePolicySizePerRole,
                                   "Maximum policy size of 10240 bytes exceeded for role " + name);
      !s.ok()) {
    return s.error();
  }
  Json& inline_policies = (*role)["InlinePolicies"];
  inline_policies[in["PolicyName"].get<std::string>()] = document;
  size_t total = 0;
  for (auto& [k, v] : inline_policies.items()) total += PolicySizeWithoutWhitespace(v.get<std::string>());
  if (total > kMaxInlinePolicySizePerRole) {
    return LimitExceeded("Maximum policy size of 10240 bytes exceeded for role " + name);
  }
  SaveEntity(ctx, kinds::kRole, *role, "RoleName");
  return Json::object();
}

Outcome<Json> GetRolePolicy(const Json& in, RequestContext& ctx) {
  const std::string name = in["RoleName"];
  auto role = AuthorizedRole(ctx, "iam:GetRolePolicy", name);
  if (!role.ok()) return role.error();
  const std::string policy = in["PolicyName"];
  const Json& inline_policies = (*role)["InlinePolicies"];
  if (!inline_policies.contains(policy)) {
    return NoSuchEntity("The role policy with name " + policy + " cannot be found.");
  }
  return Json{{"RoleName", (*role)["RoleName"]}, {"PolicyName", policy}, {"PolicyDocument", inline_policies[policy]}};
}

Outcome<Json> ListRolePolicies(const Json& in, RequestContext& ctx) {
  auto role = AuthorizedRole(ctx, "iam:ListRolePolicies", in["RoleName"]);
  if (!role.ok()) return role.error();
  Json names = Json::array();
  const Json inline_policies = role->value("InlinePolicies", Json::object());
  for (auto& [name, document] : inline_policies.items()) names.push_back(name);
  Json out = Json::object();
  auto page = Page(names, in, out);
  if (!page.ok()) return page.error();
  out["PolicyNames"] = *page;
  return out;
}

Outcome<Json> ListAttachedRolePolicies(const Json& in, RequestContext& ctx) {
  const std::string name = in["RoleName"];
  auto role = AuthorizedRole(ctx, "iam:ListAttachedRolePolicies", name);
  if (!role.ok()) return role.error();
  const std::string prefix = in.value("PathPrefix", "/");
  Json items = Json::array();
  for (const auto& arn_json : (*role)["AttachedPolicies"]) {
    const std::string arn = arn_json;
    auto parsed = Arn::Parse(arn);
    std::string resource = parsed ? parsed->resource.substr(std::string("policy").size()) : "/";
    std::string path = resource.substr(0, resource.rfind('/') + 1);
    if (path.rfind(prefix, 0) != 0) continue;
    items.push_back({{"PolicyName", resource.substr(resource.rfind('/') + 1)}, {"PolicyArn", arn}});
  }
  Json out = Json::object();
  auto page = Page(items, in, out);
  if (!page.ok()) return page.error();
  out["AttachedPolicies"] = *page;
  return out;
}

}  // namespace datamesh::local::iam
