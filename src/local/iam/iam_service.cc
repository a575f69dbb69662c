#include "local/iam/iam_service.h"

#include "local/policy/authorizer.h"

namespace datamesh::local {

IamService::IamService() {
  handlers_ = {
      {"CreateRole", iam::CreateRole},
      {"GetRole", iam::GetRole},
      {"UpdateAssumeRolePolicy", iam::UpdateAssumeRolePolicy},
      {"AttachRolePolicy", iam::AttachRolePolicy},
      {"PutRolePolicy", iam::PutRolePolicy},
      {"GetRolePolicy", iam::GetRolePolicy},
      {"ListAttachedRolePolicies", iam::ListAttachedRolePolicies},
      {"ListRolePolicies", iam::ListRolePolicies},
      {"ListRoles", iam::ListRoles},
      {"ListUsers", iam::ListUsers},
      {"ListGroups", iam::ListGroups},
      {"ListPolicies", iam::ListPolicies},
      {"CreatePolicy", iam::CreatePolicy},
      {"GetPolicy", iam::GetPolicy},
      {"GetPolicyVersion", iam::GetPolicyVersion},
      {"CreatePolicyVersion", iam::CreatePolicyVersion},
      {"ListPolicyVersions", iam::ListPolicyVersions},
      {"DeletePolicyVersion", iam::DeletePolicyVersion},
      {"CreateUser", iam::CreateUser},
      {"GetUser", iam::GetUser},
      {"CreateGroup", iam::CreateGroup},
      {"GetGroup", iam::GetGroup},
      {"AddUserToGroup", iam::AddUserToGroup},
      {"AttachGroupPolicy", iam::AttachGroupPolicy},
      {"CreateAccessKey", iam::CreateAccessKey},
      {"CreateServiceLinkedRole", iam::CreateServiceLinkedRole},
  };
}

Outcome<Json> IamService::Invoke(const std::string& operation, const Json& input, RequestContext& ctx) {
  auto it = handlers_.find(operation);
  if (it == handlers_.end()) {
    return ServiceFault("InvalidAction", "The action " + operation + " is not valid for this web service.", 400);
  }
  return it->second(input, ctx);
}

}  // namespace datamesh::local
