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
};

// Error parsing shared by the JSON-bodied protocols: the code comes from x-amzn-ErrorType, else
// the body's __type / code / Code, trimmed of any "namespace#" prefix and ":detail" suffix.
Error ParseJsonError(const HttpResponse& response);

// "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException" -> "ResourceNotFoundException".
std::string SanitizeErrorCode(std::string code);

}  // namespace datamesh::aws
