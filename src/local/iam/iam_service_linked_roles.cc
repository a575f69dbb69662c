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
  Json trust = {{"Version", "2012-10-17"},
                {"Statement", Json::array({{{"Effect", "Allow"},
                                            {"Principal", {{"Service", service}}},
                                            {"Action", "sts:AssumeRole"}}})}};
  Json role = {{"Path", path},
               {"RoleName", linked->role_name},
               {"RoleId", NewUniqueId("AROA")},
               {"Arn", arn},
               {"CreateDate", aws::FormatIso8601(ctx.now)},
               {"AssumeRolePolicyDocument", trust.dump()},
               {"MaxSessionDuration", 3600},
               {"Tags", Json::array()},
               {"AttachedPolicies", Json::array({linked->policy_arn})},
               {"InlinePolicies", Json::object()}};
  if (in.contains("Description")) role["Description"] = in["Description"];
  SaveEntity(ctx, kinds::kRole, role, "RoleName");
  return Json{{"Role", RoleOutput(role)}};
}

}  // namespace datamesh::local::iam
