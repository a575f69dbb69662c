// Service-linked roles: the roles AWS services create for themselves. The mesh needs Lake
// Formation's.
#include "aws/core/time_format.h"
#include "local/core/arn.h"
#include "local/core/ids.h"
#include "local/iam/iam_entities.h"
#include "local/iam/iam_service.h"
#include "local/policy/authorizer.h"

namespace datamesh::local::iam {
namespace {

struct LinkedRole {
  const char* service;
  const char* role_name;
  const char* policy_arn;
};

constexpr LinkedRole kLinkedRoles[] = {
    {"lakeformation.amazonaws.com", "AWSServiceRoleForLakeFormationDataAccess",
     "arn:aws:iam::aws:policy/aws-service-role/AWSLakeFormationDataAccessServiceRolePolicy"},
};

// The service's role in the caller's account, with the service's trust and managed policy.
Json SaveLinkedRole(RequestContext& ctx, const LinkedRole& linked, const std::string& description) {
  const std::string path = std::string("/aws-service-role/") + linked.service + "/";
  Json trust = {{"Version", "2012-10-17"},
                {"Statement", Json::array({{{"Effect", "Allow"},
                                            {"Principal", {{"Service", linked.service}}},
                                            {"Action", "sts:AssumeRole"}}})}};
  Json role = {{"Path", path},
               {"RoleName", linked.role_name},
               {"RoleId", NewUniqueId("AROA")},
               {"Arn", IamArn(ctx.caller.account, "role", path, linked.role_name)},
               {"CreateDate", aws::FormatIso8601(ctx.now)},
               {"AssumeRolePolicyDocument", trust.dump()},
               {"MaxSessionDuration", 3600},
               {"Tags", Json::array()},
               {"AttachedPolicies", Json::array({linked.policy_arn})},
               {"InlinePolicies", Json::object()}};
  if (!description.empty()) role["Description"] = description;
  SaveEntity(ctx, kinds::kRole, role, "RoleName");
  return role;
}

}  // namespace

Outcome<Json> CreateServiceLinkedRole(const Json& in, RequestContext& ctx) {
  const std::string service = in["AWSServiceName"];
  const LinkedRole* linked = nullptr;
  for (const auto& r : kLinkedRoles) {
    if (service == r.service) linked = &r;
  }
  if (!linked) return InvalidInput("Unknown or unsupported service principal: " + service);
  if (in.contains("CustomSuffix")) {
    return InvalidInput("Custom suffix is not allowed for " + service);
  }
  const std::string path = "/aws-service-role/" + service + "/";
  const std::string arn = IamArn(ctx.caller.account, "role", path, linked->role_name);
  if (auto s = Authorize(ctx, "iam:CreateServiceLinkedRole", arn, {}, {{"iam:AWSServiceName", {service}}}); !s.ok()) {
    return s.error();
  }
  if (LoadEntity(ctx, kinds::kRole, linked->role_name)) {
    return InvalidInput(std::string("Service role name ") + linked->role_name +
                        " has been taken in this account, please try a different suffix.");
  }
  return Json{{"Role", RoleOutput(SaveLinkedRole(ctx, *linked, in.value("Description", "")))}};
}

Outcome<std::string> EnsureServiceLinkedRole(RequestContext& ctx, const std::string& service) {
  for (const auto& r : kLinkedRoles) {
    if (service != r.service) continue;
    if (auto existing = LoadEntity(ctx, kinds::kRole, r.role_name)) return (*existing)["Arn"].get<std::string>();
    return SaveLinkedRole(ctx, r, "").at("Arn").get<std::string>();
  }
  return InvalidInput("Unknown or unsupported service principal: " + service);
}

}  // namespace datamesh::local::iam
