// awsQuery (IAM, STS): form-encoded POST requests with Action and Version, XML responses wrapped
// in <OpResponse><OpResult>, errors as <ErrorResponse><Error>.
#pragma once

#include <map>

#include "aws/protocol/protocol_codec.h"

namespace datamesh::aws {

class QueryCodec : public ProtocolCodec {
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

// Flattens a JSON value of `shape` into query parameters under `prefix` (Name.member.1, ...).
void FlattenQueryParams(const ServiceModel& model, const Json& shape, const Json& value,
                        const std::string& prefix, QueryParams& out);

// The inverse: reads the parameters under `prefix` back into the JSON form of `shape`.
// nullopt when none of them is present.
Outcome<std::optional<Json>> UnflattenQueryParams(const ServiceModel& model, const Json& shape,
                                                  const std::map<std::string, std::string>& params,
                                                  const std::string& prefix);

// The form fields and URL query parameters of a received awsQuery request, together.
std::map<std::string, std::string> ReceivedQueryParams(const HttpRequest& request);

}  // namespace datamesh::aws
