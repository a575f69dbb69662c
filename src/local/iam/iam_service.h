// The local IAM: roles, users, groups, managed and inline policies, policy versions, access keys
// and the Lake Formation service-linked role, with IAM's names, ARNs, limits and errors.
#pragma once

#include <functional>
#include <map>

#include "local/core/local_service.h"

namespace datamesh::local {

class IamService : public LocalService {
 public:
  IamService();
  std::string name() const override { return "iam"; }
  std::string validation_error_code() const override { return "ValidationError"; }
  Outcome<Json> Invoke(const std::string& operation, const Json& input, RequestContext& ctx) override;

 private:
  using Handler = std::function<Outcome<Json>(const Json&, RequestContext&)>;
  std::map<std::string, Handler> handlers_;
};

namespace iam {
// One function per operation, grouped by resource in iam_roles.cc, iam_policies.cc,
// iam_users.cc and iam_service_linked_roles.cc.
Outcome<Json> CreateRole(const Json& in, RequestContext& ctx);
Outcome<Json> GetRole(const Json& in, RequestContext& ctx);
Outcome<Json> UpdateAssumeRolePolicy(const Json& in, RequestContext& ctx);
Outcome<Json> AttachRolePolicy(const Json& in, RequestContext& ctx);
Outcome<Json> PutRolePolicy(const Json& in, RequestContext& ctx);
Outcome<Json> GetRolePolicy(const Json& in, RequestContext& ctx);
Outcome<Json> ListAttachedRolePolicies(const Json& in, RequestContext& ctx);
Outcome<Json> ListRolePolicies(const Json& in, RequestContext& ctx);
Outcome<Json> ListRoles(const Json& in, RequestContext& ctx);
Outcome<Json> ListUsers(const Json& in, RequestContext& ctx);
Outcome<Json> ListGroups(const Json& in, RequestContext& ctx);
Outcome<Json> ListPolicies(const Json& in, RequestContext& ctx);
Outcome<Json> CreatePolicy(const Json& in, RequestContext& ctx);
Outcome<Json> GetPolicy(const Json& in, RequestContext& ctx);
Outcome<Json> GetPolicyVersion(const Json& in, RequestContext& ctx);
Outcome<Json> CreatePolicyVersion(const Json& in, RequestContext& ctx);
Outcome<Json> ListPolicyVersions(const Json& in, RequestContext& ctx);
Outcome<Json> DeletePolicyVersion(const Json& in, RequestContext& ctx);
Outcome<Json> CreateUser(const Json& in, RequestContext& ctx);
Outcome<Json> GetUser(const Json& in, RequestContext& ctx);
Outcome<Json> CreateGroup(const Json& in, RequestContext& ctx);
Outcome<Json> GetGroup(const Json& in, RequestContext& ctx);
Outcome<Json> AddUserToGroup(const Json& in, RequestContext& ctx);
Outcome<Json> AttachGroupPolicy(const Json& in, RequestContext& ctx);
Outcome<Json> CreateAccessKey(const Json& in, RequestContext& ctx);
Outcome<Json> CreateServiceLinkedRole(const Json& in, RequestContext& ctx);
// The service-linked role of `service` in the caller's account, created when missing, as a service
// does on first use (Lake Formation's, when a location is registered with UseServiceLinkedRole).
// Answers its ARN.
Outcome<std::string> EnsureServiceLinkedRole(RequestContext& ctx, const std::string& service);

// Attaches a managed policy to a stored role or group document (shared by both operations).
Status AttachManagedPolicy(RequestContext& ctx, Json& entity, const std::string& policy_arn,
                           const std::string& quota_name);
}  // namespace iam

}  // namespace datamesh::local
