// awsQuery (IAM, STS): form-encoded POST requests with Action and Version, XML responses wrapped
// in <OpResponse><OpResult>, errors as <ErrorResponse><Error>.
#pragma once

#include "aws/protocol/protocol_codec.h"

namespace datamesh::aws {

class QueryCodec : public ProtocolCodec {
 public:
  Outcome<HttpRequest> SerializeRequest(const ServiceModel& model, const std::string& operation_name,
                                        const Json& input) const override;
  Outcome<Json> ParseResponse(const ServiceModel& model, const std::string& operation_name,
                              const HttpResponse& response) const override;
  Error ParseError(const HttpResponse& response) const override;
};

// Flattens a JSON value of `shape` into query parameters under `prefix` (Name.member.1, ...).
void FlattenQueryParams(const ServiceModel& model, const Json& shape, const Json& value,
                        const std::string& prefix, QueryParams& out);

}  // namespace datamesh::aws
