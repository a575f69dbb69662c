// AWS Resource Access Manager (restJson1): one method per operation datamesh uses. Inputs and outputs are the JSON
// form of the official model's shapes (as boto3's parameters); inputs are validated against
// the model before anything is sent.
#pragma once

#include <memory>

#include "aws/client/aws_client.h"

namespace datamesh::aws {

class RamClient {
 public:
  explicit RamClient(std::shared_ptr<AwsClient> client) : client_(std::move(client)) {}

  Outcome<Json> GetResourceShareInvitations(const Json& input = Json::object()) { return client_->Call("GetResourceShareInvitations", input); }
  Outcome<Json> AcceptResourceShareInvitation(const Json& input = Json::object()) { return client_->Call("AcceptResourceShareInvitation", input); }
  Outcome<Json> RejectResourceShareInvitation(const Json& input = Json::object()) { return client_->Call("RejectResourceShareInvitation", input); }
  Outcome<Json> GetResourceShares(const Json& input = Json::object()) { return client_->Call("GetResourceShares", input); }
  Outcome<Json> GetResourceShareAssociations(const Json& input = Json::object()) { return client_->Call("GetResourceShareAssociations", input); }
  Outcome<Json> EnableSharingWithAwsOrganization(const Json& input = Json::object()) {
    return client_->Call("EnableSharingWithAwsOrganization", input);
  }
  Outcome<Json> DisassociateResourceShare(const Json& input = Json::object()) { return client_->Call("DisassociateResourceShare", input); }

  // Every page, merged (see AwsClient::CallAllPages).
  Outcome<Json> GetResourceShareInvitationsAllPages(const Json& input = Json::object()) {
    return client_->CallAllPages("GetResourceShareInvitations", input);
  }
  Outcome<Json> GetResourceSharesAllPages(const Json& input = Json::object()) {
    return client_->CallAllPages("GetResourceShares", input);
  }
  Outcome<Json> GetResourceShareAssociationsAllPages(const Json& input = Json::object()) {
    return client_->CallAllPages("GetResourceShareAssociations", input);
  }

  AwsClient& raw() { return *client_; }

 private:
  std::shared_ptr<AwsClient> client_;
};

}  // namespace datamesh::aws
