#include "aws/protocol/query_codec.h"

#include "aws/core/encoding.h"
#include "aws/core/error_classification.h"
#include "aws/protocol/shape_values.h"
#include "aws/protocol/xml_shapes.h"

namespace datamesh::aws {
namespace {
std::string Join(const std::string& prefix, const std::string& name) {
  return prefix.empty() ? name : prefix + "." + name;
}
}  // namespace

void FlattenQueryParams(const ServiceModel& model, const Json& shape, const Json& value,
                        const std::string& prefix, QueryParams& out) {
  const std::string type = shape.value("type", "string");
  if (type == "structure") {
    if (!shape.contains("members")) return;
    for (auto& [name, ref] : shape["members"].items()) {
      if (!value.contains(name) || value[name].is_null()) continue;
      FlattenQueryParams(model, model.Shape(ref["shape"]), value[name],
                         Join(prefix, WireName(name, ref)), out);
    }
  } else if (type == "list") {
    if (value.empty()) {
      out.emplace_back(prefix, "");
      return;
    }
    std::string item_prefix =
        shape.value("flattened", false) ? prefix : Join(prefix, shape["member"].value("locationName", "member"));
    const Json& member = model.Shape(shape["member"]["shape"]);
    for (size_t i = 0; i < value.size(); ++i) {
      FlattenQueryParams(model, member, value[i], item_prefix + "." + std::to_string(i + 1), out);
    }
  } else if (type == "map") {
    std::string entry_prefix = shape.value("flattened", false) ? prefix : Join(prefix, "entry");
    std::string key_name = shape["key"].value("locationName", "key");
    std::string value_name = shape["value"].value("locationName", "value");
    const Json& val_shape = model.Shape(shape["value"]["shape"]);
    size_t i = 0;
    for (auto& [k, v] : value.items()) {
      std::string p = entry_prefix + "." + std::to_string(++i);
      out.emplace_back(p + "." + key_name, k);
      FlattenQueryParams(model, val_shape, v, p + "." + value_name, out);
    }
  } else {
    out.emplace_back(prefix, ScalarToText(shape, value, TimestampFormat::kIso8601));
  }
}

Outcome<HttpRequest> QueryCodec::SerializeRequest(const ServiceModel& model,
                                                  const std::string& operation_name,
                                                  const Json& input) const {
  const Json* op = model.FindOperation(operation_name);
  if (!op) return Error::Local("UnknownOperation", model.name() + " has no operation " + operation_name);
  QueryParams params = {{"Action", operation_name}, {"Version", model.api_version()}};
  FlattenQueryParams(model, model.InputShape(*op), input, "", params);
  HttpRequest req;
  req.method = "POST";
  req.path = "/";
  req.headers.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
  for (const auto& [k, v] : params) {
    if (!req.body.empty()) req.body += '&';
    req.body += UriEncode(k) + "=" + UriEncode(v);
  }
  return req;
}

Outcome<Json> QueryCodec::ParseResponse(const ServiceModel& model, const std::string& operation_name,
                                        const HttpResponse& response) const {
  const Json* op = model.FindOperation(operation_name);
  if (!op) return Error::Local("UnknownOperation", model.name() + " has no operation " + operation_name);
  if (!op->contains("output")) return Json::object();
  auto doc = ParseXml(response.body);
  if (!doc.ok()) return UnreadableResponseError(response, doc.error().message());
  pugi::xml_node node = (*doc)->document_element();
  const Json& output_ref = (*op)["output"];
  if (output_ref.contains("resultWrapper")) {
    node = node.child(output_ref["resultWrapper"].get<std::string>().c_str());
  }
  return ReadXmlShape(model, model.OutputShape(*op), node);
}

Error QueryCodec::ParseError(const HttpResponse& response) const {
  auto doc = ParseXml(response.body);
  if (!doc.ok()) return UnreadableResponseError(response, "unreadable error response: " + response.body);
  pugi::xml_node root = (*doc)->document_element();
  pugi::xml_node error = root.child("Error");
  if (!error) error = root.child("Errors").child("Error");  // the EC2-style variant
  if (!error && std::string(root.name()) == "Error") error = root;
  std::string code = ChildText(error, "Code");
  if (code.empty()) return UnreadableResponseError(response, "error response without a code: " + response.body);
  std::string request_id = ChildText(root, "RequestId");
  if (request_id.empty()) request_id = ChildText(root, "RequestID");
  if (request_id.empty()) request_id = RequestIdFromHeaders(response);
  return ServiceError(code, ChildText(error, "Message"), response.status, request_id);
}

}  // namespace datamesh::aws
