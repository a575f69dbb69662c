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

// --- server side ---------------------------------------------------------------------------

namespace datamesh::aws {

std::optional<std::string> JsonCodec::MatchOperation(const ServiceModel& model,
                                                     const HttpRequest& request) const {
  auto target = request.headers.Get("X-Amz-Target");
  if (!target) return std::nullopt;
  const std::string prefix = model.target_prefix() + ".";
  if (target->rfind(prefix, 0) != 0) return std::nullopt;
  std::string op = target->substr(prefix.size());
  if (!model.FindOperation(op)) return std::nullopt;
  return op;
}

Outcome<Json> JsonCodec::ParseRequest(const ServiceModel& model, const std::string& operation_name,
                                      const HttpRequest& request) const {
  const Json* op = model.FindOperation(operation_name);
  if (!op) return Error("UnknownOperationException", "Unknown operation " + operation_name, ErrorKind::kClient, 400);
  Json body = request.body.empty() ? Json::object() : Json::parse(request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    return Error("SerializationException", "The request body is not a valid JSON object", ErrorKind::kClient, 400);
  }
  auto v = FromWireJson(model, model.InputShape(*op), body);
  if (!v.ok()) return Error("SerializationException", v.error().message(), ErrorKind::kClient, 400);
  return v;
}

HttpResponse JsonCodec::SerializeResponse(const ServiceModel& model, const std::string& operation_name,
                                          const Json& output, const std::string& request_id) const {
  const Json* op = model.FindOperation(operation_name);
  HttpResponse r;
  r.status = 200;
  r.headers.Set("Content-Type", "application/x-amz-json-" + model.json_version());
  r.headers.Set("x-amzn-RequestId", request_id);
  r.body = op ? ToWireJson(model, model.OutputShape(*op), output).dump() : "{}";
  return r;
}

HttpResponse JsonCodec::SerializeError(const ServiceModel& model, const Error& error,
                                       const std::string& request_id) const {
  HttpResponse r;
  r.status = error.http_status() ? error.http_status() : 400;
  r.headers.Set("Content-Type", "application/x-amz-json-" + model.json_version());
  r.headers.Set("x-amzn-RequestId", request_id);
  // DynamoDB qualifies the code with its namespace; Glue sends it bare. Both are read alike.
  std::string type = error.code();
  if (model.name() == "dynamodb") type = "com.amazonaws.dynamodb.v20120810#" + type;
  const char* message_key = model.name() == "dynamodb" ? "message" : "Message";
  r.body = Json{{"__type", type}, {message_key, error.message()}}.dump();
  return r;
}

}  // namespace datamesh::aws
