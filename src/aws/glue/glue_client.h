// AWS Glue Data Catalog (awsJson1_1): one method per operation datamesh uses. Inputs and outputs are the JSON
// form of the official model's shapes (as boto3's parameters); inputs are validated against
// the model before anything is sent.
#pragma once

#include <memory>

#include "aws/client/aws_client.h"

namespace datamesh::aws {

class GlueClient {
 public:
  explicit GlueClient(std::shared_ptr<AwsClient> client) : client_(std::move(client)) {}

  Outcome<Json> CreateDatabase(const Json& input = Json::object()) { return client_->Call("CreateDatabase", input); }
  Outcome<Json> GetDatabase(const Json& input = Json::object()) { return client_->Call("GetDatabase", input); }
  Outcome<Json> GetDatabases(const Json& input = Json::object()) { return client_->Call("GetDatabases", input); }
  Outcome<Json> UpdateDatabase(const Json& input = Json::object()) { return client_->Call("UpdateDatabase", input); }
  Outcome<Json> DeleteDatabase(const Json& input = Json::object()) { return client_->Call("DeleteDatabase", input); }
  Outcome<Json> CreateTable(const Json& input = Json::object()) { return client_->Call("CreateTable", input); }
  Outcome<Json> GetTable(const Json& input = Json::object()) { return client_->Call("GetTable", input); }
  Outcome<Json> GetTables(const Json& input = Json::object()) { return client_->Call("GetTables", input); }
  Outcome<Json> UpdateTable(const Json& input = Json::object()) { return client_->Call("UpdateTable", input); }
  Outcome<Json> DeleteTable(const Json& input = Json::object()) { return client_->Call("DeleteTable", input); }
  Outcome<Json> CreatePartition(const Json& input = Json::object()) { return client_->Call("CreatePartition", input); }
  Outcome<Json> BatchCreatePartition(const Json& input = Json::object()) { return client_->Call("BatchCreatePartition", input); }
  Outcome<Json> GetPartitions(const Json& input = Json::object()) { return client_->Call("GetPartitions", input); }
  Outcome<Json> TagResource(const Json& input = Json::object()) { return client_->Call("TagResource", input); }
  Outcome<Json> GetTags(const Json& input = Json::object()) { return client_->Call("GetTags", input); }
  Outcome<Json> GetResourcePolicy(const Json& input = Json::object()) { return client_->Call("GetResourcePolicy", input); }
  Outcome<Json> PutResourcePolicy(const Json& input = Json::object()) { return client_->Call("PutResourcePolicy", input); }
  Outcome<Json> DeleteResourcePolicy(const Json& input = Json::object()) { return client_->Call("DeleteResourcePolicy", input); }
  Outcome<Json> CreateCrawler(const Json& input = Json::object()) { return client_->Call("CreateCrawler", input); }
  Outcome<Json> GetCrawler(const Json& input = Json::object()) { return client_->Call("GetCrawler", input); }

  // Every page, merged (see AwsClient::CallAllPages).
  Outcome<Json> GetDatabasesAllPages(const Json& input = Json::object()) {
    return client_->CallAllPages("GetDatabases", input);
  }
  Outcome<Json> GetTablesAllPages(const Json& input = Json::object()) {
    return client_->CallAllPages("GetTables", input);
  }
  Outcome<Json> GetPartitionsAllPages(const Json& input = Json::object()) {
    return client_->CallAllPages("GetPartitions", input);
  }

  AwsClient& raw() { return *client_; }

 private:
  std::shared_ptr<AwsClient> client_;
};

}  // namespace datamesh::aws
