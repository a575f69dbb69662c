// DynamoDB Streams in the local mesh: ListStreams, DescribeStream, GetShardIterator and GetRecords
// over the records the local DynamoDB writes for every change of a table with a stream (one open
// shard a stream), with the API's limits, iterator expiry and errors.
#pragma once

#include "local/core/local_service.h"

namespace datamesh::local {

class DynamoDbStreamsService : public LocalService {
 public:
  std::string name() const override { return "dynamodbstreams"; }
  std::string validation_error_code() const override { return "ValidationException"; }
  Outcome<Json> Invoke(const std::string& operation, const Json& input, RequestContext& ctx) override;
};

}  // namespace datamesh::local
