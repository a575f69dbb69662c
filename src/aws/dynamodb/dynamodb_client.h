// Amazon DynamoDB (awsJson1_0): one method per operation datamesh uses. Inputs and outputs are the JSON
// form of the official model's shapes (as boto3's parameters); inputs are validated against
// the model before anything is sent.
#pragma once

#include <memory>

#include "aws/client/aws_client.h"

namespace datamesh::aws {

class DynamoDbClient {
 public:
  explicit DynamoDbClient(std::shared_ptr<AwsClient> client) : client_(std::move(client)) {}

  Outcome<Json> CreateTable(const Json& input = Json::object()) { return client_->Call("CreateTable", input); }
  Outcome<Json> DescribeTable(const Json& input = Json::object()) { return client_->Call("DescribeTable", input); }
  Outcome<Json> UpdateTable(const Json& input = Json::object()) { return client_->Call("UpdateTable", input); }
  Outcome<Json> DeleteTable(const Json& input = Json::object()) { return client_->Call("DeleteTable", input); }
  Outcome<Json> PutItem(const Json& input = Json::object()) { return client_->Call("PutItem", input); }
  Outcome<Json> GetItem(const Json& input = Json::object()) { return client_->Call("GetItem", input); }
  Outcome<Json> UpdateItem(const Json& input = Json::object()) { return client_->Call("UpdateItem", input); }
  Outcome<Json> DeleteItem(const Json& input = Json::object()) { return client_->Call("DeleteItem", input); }
  Outcome<Json> Query(const Json& input = Json::object()) { return client_->Call("Query", input); }
  Outcome<Json> BatchGetItem(const Json& input = Json::object()) { return client_->Call("BatchGetItem", input); }
  Outcome<Json> Scan(const Json& input = Json::object()) { return client_->Call("Scan", input); }

  // Every page, merged (see AwsClient::CallAllPages).
  Outcome<Json> QueryAllPages(const Json& input = Json::object()) {
    return client_->CallAllPages("Query", input);
  }
  Outcome<Json> ScanAllPages(const Json& input = Json::object()) {
    return client_->CallAllPages("Scan", input);
  }

  AwsClient& raw() { return *client_; }

 private:
  std::shared_ptr<AwsClient> client_;
};

}  // namespace datamesh::aws
