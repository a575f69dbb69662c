// AWS Lake Formation (restJson1): one method per operation datamesh uses. Inputs and outputs are the JSON
// form of the official model's shapes (as boto3's parameters); inputs are validated against
// the model before anything is sent.
#pragma once

#include <memory>

#include "aws/client/aws_client.h"

namespace datamesh::aws {

class LakeFormationClient {
 public:
  explicit LakeFormationClient(std::shared_ptr<AwsClient> client) : client_(std::move(client)) {}

  Outcome<Json> GetDataLakeSettings(const Json& input = Json::object()) { return client_->Call("GetDataLakeSettings", input); }
  Outcome<Json> PutDataLakeSettings(const Json& input = Json::object()) { return client_->Call("PutDataLakeSettings", input); }
  Outcome<Json> GrantPermissions(const Json& input = Json::object()) { return client_->Call("GrantPermissions", input); }
  Outcome<Json> RevokePermissions(const Json& input = Json::object()) { return client_->Call("RevokePermissions", input); }
  Outcome<Json> BatchGrantPermissions(const Json& input = Json::object()) { return client_->Call("BatchGrantPermissions", input); }
  Outcome<Json> BatchRevokePermissions(const Json& input = Json::object()) { return client_->Call("BatchRevokePermissions", input); }
  Outcome<Json> ListPermissions(const Json& input = Json::object()) { return client_->Call("ListPermissions", input); }
  Outcome<Json> RegisterResource(const Json& input = Json::object()) { return client_->Call("RegisterResource", input); }
  Outcome<Json> DeregisterResource(const Json& input = Json::object()) { return client_->Call("DeregisterResource", input); }
  Outcome<Json> DescribeResource(const Json& input = Json::object()) { return client_->Call("DescribeResource", input); }
  Outcome<Json> CreateLFTag(const Json& input = Json::object()) { return client_->Call("CreateLFTag", input); }
  Outcome<Json> GetLFTag(const Json& input = Json::object()) { return client_->Call("GetLFTag", input); }
  Outcome<Json> ListLFTags(const Json& input = Json::object()) { return client_->Call("ListLFTags", input); }
  Outcome<Json> UpdateLFTag(const Json& input = Json::object()) { return client_->Call("UpdateLFTag", input); }
  Outcome<Json> AddLFTagsToResource(const Json& input = Json::object()) { return client_->Call("AddLFTagsToResource", input); }
  Outcome<Json> GetResourceLFTags(const Json& input = Json::object()) { return client_->Call("GetResourceLFTags", input); }

  // Every page, merged (see AwsClient::CallAllPages).
  Outcome<Json> ListPermissionsAllPages(const Json& input = Json::object()) {
    return client_->CallAllPages("ListPermissions", input);
  }

  AwsClient& raw() { return *client_; }

 private:
  std::shared_ptr<AwsClient> client_;
};

}  // namespace datamesh::aws
