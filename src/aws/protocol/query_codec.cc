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

// --- server side ---------------------------------------------------------------------------

namespace datamesh::aws {
namespace {

bool HasParamUnder(const std::map<std::string, std::string>& params, const std::string& prefix) {
  auto it = params.lower_bound(prefix);
  return it != params.end() && it->first.compare(0, prefix.size(), prefix) == 0 &&
         (it->first.size() == prefix.size() || it->first[prefix.size()] == '.');
}

std::string JoinName(const std::string& prefix, const std::string& name) {
  return prefix.empty() ? name : prefix + "." + name;
}

}  // namespace

std::map<std::string, std::string> ReceivedQueryParams(const HttpRequest& request) {
  std::map<std::string, std::string> params;
  for (auto& [k, v] : request.query) params[k] = v;
  auto type = request.headers.Get("Content-Type").value_or("");
  if (request.method == "POST" && (type.empty() || type.find("x-www-form-urlencoded") != std::string::npos)) {
    size_t start = 0;
    const std::string& body = request.body;
    while (start <= body.size() && !body.empty()) {
      size_t end = body.find('&', start);
      if (end == std::string::npos) end = body.size();
      std::string pair = body.substr(start, end - start);
      if (!pair.empty()) {
        size_t eq = pair.find('=');
        params[UriDecode(pair.substr(0, eq), true)] =
            eq == std::string::npos ? "" : UriDecode(pair.substr(eq + 1), true);
      }
      start = end + 1;
    }
  }
  return params;
}

Outcome<std::optional<Json>> UnflattenQueryParams(const ServiceModel& model, const Json& shape,
                                                  const std::map<std::string, std::string>& params,
                                                  const std::string& prefix) {
  const std::string type = shape.value("type", "string");
  if (type == "structure") {
    Json out = Json::object();
    bool any = false;
    if (shape.contains("members")) {
      for (auto& [name, ref] : shape["members"].items()) {
        std::string key = JoinName(prefix, WireName(name, ref));
        if (!HasParamUnder(params, key)) continue;
        auto v = UnflattenQueryParams(model, model.Shape(ref["shape"]), params, key);
        if (!v.ok()) return v;
        if (*v) {
          out[name] = std::move(**v);
          any = true;
        }
      }
    }
    if (!any && !prefix.empty()) return std::optional<Json>();
    return std::optional<Json>(std::move(out));
  }
  if (type == "list") {
    auto it = params.find(prefix);
    if (it != params.end() && it->second.empty()) return std::optional<Json>(Json::array());
    std::string item_prefix =
        shape.value("flattened", false) ? prefix : prefix + "." + shape["member"].value("locationName", "member");
    const Json& member = model.Shape(shape["member"]["shape"]);
    Json out = Json::array();
    for (int i = 1;; ++i) {
      std::string key = item_prefix + "." + std::to_string(i);
      if (!HasParamUnder(params, key)) break;
      auto v = UnflattenQueryParams(model, member, params, key);
      if (!v.ok()) return v;
      out.push_back(*v ? std::move(**v) : Json());
    }
    if (out.empty()) return std::optional<Json>();
    return std::optional<Json>(std::move(out));
  }
  if (type == "map") {
    std::string entry_prefix = shape.value("flattened", false) ? prefix : prefix + ".entry";
    std::string key_name = shape["key"].value("locationName", "key");
    std::string value_name = shape["value"].value("locationName", "value");
    const Json& val_shape = model.Shape(shape["value"]["shape"]);
    Json out = Json::object();
    for (int i = 1;; ++i) {
      std::string p = entry_prefix + "." + std::to_string(i);
      auto k = params.find(p + "." + key_name);
      if (k == params.end()) break;
      auto v = UnflattenQueryParams(model, val_shape, params, p + "." + value_name);
      if (!v.ok()) return v;
      out[k->second] = *v ? std::move(**v) : Json();
    }
    if (out.empty()) return std::optional<Json>();
    return std::optional<Json>(std::move(out));
  }
  auto it = params.find(prefix);
  if (it == params.end()) return std::optional<Json>();
  auto v = ScalarFromText(shape, it->second);
  if (!v.ok()) {
    return Error("ValidationError", "Invalid value '" + it->second + "' for parameter " + prefix,
                 ErrorKind::kClient, 400);
  }
  return std::optional<Json>(std::move(*v));
}

std::optional<std::string> QueryCodec::MatchOperation(const ServiceModel& model,
                                                      const HttpRequest& request) const {
  auto params = ReceivedQueryParams(request);
  auto it = params.find("Action");
  if (it == params.end() || !model.FindOperation(it->second)) return std::nullopt;
  return it->second;
}

Outcome<Json> QueryCodec::ParseRequest(const ServiceModel& model, const std::string& operation_name,
                                       const HttpRequest& request) const {
  const Json* op = model.FindOperation(operation_name);
  if (!op) return Error("InvalidAction", "Could not find operation " + operation_name, ErrorKind::kClient, 400);
  auto v = UnflattenQueryParams(model, model.InputShape(*op), ReceivedQueryParams(request), "");
  if (!v.ok()) return v.error();
  return *v ? std::move(**v) : Json::object();
}

HttpResponse QueryCodec::SerializeResponse(const ServiceModel& model, const std::string& operation_name,
                                           const Json& output, const std::string& request_id) const {
  const Json* op = model.FindOperation(operation_name);
  pugi::xml_document doc;
  pugi::xml_node root = doc.append_child((operation_name + "Response").c_str());
  root.append_attribute("xmlns").set_value(model.xml_namespace().c_str());
  if (op && op->contains("output")) {
    std::string wrapper = (*op)["output"].value("resultWrapper", operation_name + "Result");
    WriteXmlShape(model, model.OutputShape(*op), output, root.append_child(wrapper.c_str()));
  }
  root.append_child("ResponseMetadata").append_child("RequestId").text().set(request_id.c_str());
  HttpResponse r;
  r.status = 200;
  r.headers.Set("Content-Type", "text/xml");
  r.headers.Set("x-amzn-RequestId", request_id);
  r.body = XmlToString(doc);
  return r;
}

HttpResponse QueryCodec::SerializeError(const ServiceModel& model, const Error& error,
                                        const std::string& request_id) const {
  pugi::xml_document doc;
  pugi::xml_node root = doc.append_child("ErrorResponse");
  root.append_attribute("xmlns").set_value(model.xml_namespace().c_str());
  pugi::xml_node e = root.append_child("Error");
  int status = error.http_status() ? error.http_status() : 400;
  e.append_child("Type").text().set(status >= 500 ? "Receiver" : "Sender");
  e.append_child("Code").text().set(error.code().c_str());
  e.append_child("Message").text().set(error.message().c_str());
  root.append_child("RequestId").text().set(request_id.c_str());
  HttpResponse r;
  r.status = status;
  r.headers.Set("Content-Type", "text/xml");
  r.headers.Set("x-amzn-RequestId", request_id);
  r.body = XmlToString(doc);
  return r;
}

}  // namespace datamesh::aws
