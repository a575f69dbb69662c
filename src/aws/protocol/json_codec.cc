#include "aws/protocol/json_codec.h"

#include "aws/core/error_classification.h"
#include "aws/protocol/json_values.h"

namespace datamesh::aws {

std::string SanitizeErrorCode(std::string code) {
  size_t colon = code.find(':');
  if (colon != std::string::npos) code = code.substr(0, colon);
  size_t hash = code.rfind('#');
  if (hash != std::string::npos) code = code.substr(hash + 1);
  return code;
}

Error ParseJsonError(const HttpResponse& response) {
  Json body = Json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (!body.is_object()) body = Json::object();
  std::string code;
  if (auto header = response.headers.Get("x-amzn-ErrorType")) code = *header;
  for (const char* key : {"__type", "code", "Code"}) {
    if (code.empty() && body.contains(key) && body[key].is_string()) code = body[key];
  }
  code = SanitizeErrorCode(code);
  if (code.empty()) {
    return UnreadableResponseError(response, "error response without a code: " + response.body);
  }
  std::string message;
  for (const char* key : {"message", "Message", "errorMessage"}) {
    if (message.empty() && body.contains(key) && body[key].is_string()) message = body[key];
  }
  return ServiceError(code, message, response.status, RequestIdFromHeaders(response));
}

Outcome<HttpRequest> JsonCodec::SerializeRequest(const ServiceModel& model,
                                                 const std::string& operation_name,
                                                 const Json& input) const {
  const Json* op = model.FindOperation(operation_name);
  if (!op) return Error::Local("UnknownOperation", model.name() + " has no operation " + operation_name);
  HttpRequest req;
  req.method = "POST";
  req.path = "/";
  req.headers.Set("X-Amz-Target", model.target_prefix() + "." + operation_name);
  req.headers.Set("Content-Type", "application/x-amz-json-" + model.json_version());
  req.body = ToWireJson(model, model.InputShape(*op), input).dump();
  return req;
}

Outcome<Json> JsonCodec::ParseResponse(const ServiceModel& model, const std::string& operation_name,
                                       const HttpResponse& response) const {
  const Json* op = model.FindOperation(operation_name);
  if (!op) return Error::Local("UnknownOperation", model.name() + " has no operation " + operation_name);
  if (response.body.empty()) return Json::object();
  Json body = Json::parse(response.body, nullptr, false);
  if (body.is_discarded()) return UnreadableResponseError(response, "response is not JSON: " + response.body);
  return FromWireJson(model, model.OutputShape(*op), body);
}

Error JsonCodec::ParseError(const HttpResponse& response) const { return ParseJsonError(response); }

}  // namespace datamesh::aws
