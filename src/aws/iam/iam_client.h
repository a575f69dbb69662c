// IAM (awsQuery, global): one method per operation datamesh uses. Inputs and outputs are the JSON
// form of the official model's shapes (as boto3's parameters); inputs are validated against
// the model before anything is sent.
#pragma once

#include <memory>

#include "aws/client/aws_client.h"

namespace datamesh::aws {

class IamClient {
 public:
  explicit IamClient(std::shared_ptr<AwsClient> client) : client_(std::move(client)) {}

  Outcome<Json> CreateRole(const Json& input = Json::object()) { return client_->Call("CreateRole", input); }
  Outcome<Json> GetRole(const Json& input = Json::object()) { return client_->Call("GetRole", input); }
  Outcome<Json> UpdateAssumeRolePolicy(const Json& input = Json::object()) { return client_->Call("UpdateAssumeRolePolicy", input); }
  Outcome<Json> AttachRolePolicy(const Json& input = Json::object()) { return client_->Call("AttachRolePolicy", input); }
  Outcome<Json> PutRolePolicy(const Json& input = Json::object()) { return client_->Call("PutRolePolicy", input); }
  Outcome<Json> GetRolePolicy(const Json& input = Json::object()) { return client_->Call("GetRolePolicy", input); }
  Outcome<Json> ListAttachedRolePolicies(const Json& input = Json::object()) { return client_->Call("ListAttachedRolePolicies", input); }
  Outcome<Json> CreatePolicy(const Json& input = Json::object()) { return client_->Call("CreatePolicy", input); }
  Outcome<Json> GetPolicy(const Json& input = Json::object()) { return client_->Call("GetPolicy", input); }
  Outcome<Json> GetPolicyVersion(const Json& input = Json::object()) { return client_->Call("GetPolicyVersion", input); }
  Outcome<Json> CreatePolicyVersion(const Json& input = Json::object()) { return client_->Call("CreatePolicyVersion", input); }
  Outcome<Json> ListPolicyVersions(const Json& input = Json::object()) { return client_->Call("ListPolicyVersions", input); }
  Outcome<Json> DeletePolicyVersion(const Json& input = Json::object()) { return client_->Call("DeletePolicyVersion", input); }
  Outcome<Json> CreateUser(const Json& input = Json::object()) { return client_->Call("CreateUser", input); }
  Outcome<Json> GetUser(const Json& input = Json::object()) { return client_->Call("GetUser", input); }
  Outcome<Json> CreateGroup(const Json& input = Json::object()) { return client_->Call("CreateGroup", input); }
  Outcome<Json> GetGroup(const Json& input = Json::object()) { return client_->Call("GetGroup", input); }
  Outcome<Json> AddUserToGroup(const Json& input = Json::object()) { return client_->Call("AddUserToGroup", input); }
  Outcome<Json> AttachGroupPolicy(const Json& input = Json::object()) { return client_->Call("AttachGroupPolicy", input); }
  Outcome<Json> CreateAccessKey(const Json& input = Json::object()) { return client_->Call("CreateAccessKey", input); }
  Outcome<Json> CreateServiceLinkedRole(const Json& input = Json::object()) { return client_->Call("CreateServiceLinkedRole", input); }

  // Every page, merged (see AwsClient::CallAllPages).
  Outcome<Json> ListAttachedRolePoliciesAllPages(const Json& input = Json::object()) {
    return client_->CallAllPages("ListAttachedRolePolicies", input);
  }
  Outcome<Json> ListPolicyVersionsAllPages(const Json& input = Json::object()) {
    return client_->CallAllPages("ListPolicyVersions", input);
  }
  Outcome<Json> GetGroupAllPages(const Json& input = Json::object()) {
    return client_->CallAllPages("GetGroup", input);
  }

  AwsClient& raw() { return *client_; }

 private:
  std::shared_ptr<AwsClient> client_;
};

}  // namespace datamesh::aws
