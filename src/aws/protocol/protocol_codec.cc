#include "aws/protocol/protocol_codec.h"

#include "aws/core/error_classification.h"
#include "aws/protocol/json_codec.h"
#include "aws/protocol/query_codec.h"
#include "aws/protocol/rest_codec.h"

namespace datamesh::aws {

const ProtocolCodec* ProtocolCodec::For(const std::string& protocol) {
  static const QueryCodec query;
  static const JsonCodec json;
  static const RestJsonCodec rest_json;
  static const RestXmlCodec rest_xml;
  if (protocol == "query") return &query;
  if (protocol == "json") return &json;
  if (protocol == "rest-json") return &rest_json;
  if (protocol == "rest-xml") return &rest_xml;
  return nullptr;
}

std::string RequestIdFromHeaders(const HttpResponse& response) {
  for (const char* name : {"x-amzn-RequestId", "x-amz-request-id", "x-amzn-request-id"}) {
    if (auto v = response.headers.Get(name)) return *v;
  }
  return {};
}

Error UnreadableResponseError(const HttpResponse& response, const std::string& why) {
  std::string code = "HttpStatus" + std::to_string(response.status);
  return ServiceError(code, why, response.status, RequestIdFromHeaders(response));
}

}  // namespace datamesh::aws
