// Amazon S3 bucket operations (restXml): one method per operation datamesh uses. Inputs and outputs are the JSON
// form of the official model's shapes (as boto3's parameters); inputs are validated against
// the model before anything is sent.
#pragma once

#include <memory>

#include "aws/client/aws_client.h"

namespace datamesh::aws {

class S3Client {
 public:
  explicit S3Client(std::shared_ptr<AwsClient> client) : client_(std::move(client)) {}

  Outcome<Json> CreateBucket(const Json& input = Json::object()) { return client_->Call("CreateBucket", input); }
  Outcome<Json> HeadBucket(const Json& input = Json::object()) { return client_->Call("HeadBucket", input); }
  Outcome<Json> GetBucketPolicy(const Json& input = Json::object()) { return client_->Call("GetBucketPolicy", input); }
  Outcome<Json> PutBucketPolicy(const Json& input = Json::object()) { return client_->Call("PutBucketPolicy", input); }
  Outcome<Json> DeleteBucketPolicy(const Json& input = Json::object()) { return client_->Call("DeleteBucketPolicy", input); }

  AwsClient& raw() { return *client_; }

 private:
  std::shared_ptr<AwsClient> client_;
};

}  // namespace datamesh::aws
