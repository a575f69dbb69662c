// awsJson1_0 / awsJson1_1 (DynamoDB, Glue): POST / with X-Amz-Target, JSON bodies both ways,
// errors named by __type or the x-amzn-ErrorType header.
#pragma once

#include "aws/protocol/protocol_codec.h"

namespace datamesh::aws {

class JsonCodec : public ProtocolCodec {
 public:
  Outcome<HttpRequest> SerializeRequest(const ServiceModel& model, const std::string& operation_name,
                                        const Json& input) const override;
  Outcome<Json> ParseResponse(const ServiceModel& model, const std::string& operation_name,
                              const HttpResponse& response) const override;
  Error ParseError(const HttpResponse& response) const override;

  std::optional<std::string> MatchOperation(const ServiceModel& model,
                                            const HttpRequest& request) const override;
  Outcome<Json> ParseRequest(const ServiceModel& model, const std::string& operation_name,
                             const HttpRequest& request) const override;
  HttpResponse SerializeResponse(const ServiceModel& model, const std::string& operation_name,
                                 const Json& output, const std::string& request_id) const override;
  HttpResponse SerializeError(const ServiceModel& model, const Error& error,
                              const std::string& request_id) const override;
};

// Error parsing shared by the JSON-bodied protocols: the code comes from x-amzn-ErrorType, else
// the body's __type / code / Code, trimmed of any "namespace#" prefix and ":detail" suffix.
Error ParseJsonError(const HttpResponse& response);

// "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException" -> "ResourceNotFoundException".
std::string SanitizeErrorCode(std::string code);

}  // namespace datamesh::aws
