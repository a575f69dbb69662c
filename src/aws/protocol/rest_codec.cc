#include "aws/protocol/rest_codec.h"

#include "aws/core/crypto.h"
#include "aws/core/encoding.h"
#include "aws/core/error_classification.h"
#include "aws/protocol/json_codec.h"
#include "aws/protocol/json_values.h"
#include "aws/protocol/shape_values.h"
#include "aws/protocol/xml_shapes.h"

namespace datamesh::aws {
namespace {

bool ReplaceLabel(std::string& path, const std::string& label, const std::string& text) {
  std::string greedy = "{" + label + "+}";
  size_t pos = path.find(greedy);
  if (pos != std::string::npos) {
    path.replace(pos, greedy.size(), UriEncode(text, "/"));
    return true;
  }
  std::string plain = "{" + label + "}";
  pos = path.find(plain);
  if (pos == std::string::npos) return false;
  path.replace(pos, plain.size(), UriEncode(text));
  return true;
}

std::string HeaderText(const Json& shape, const Json& ref, const Json& value) {
  if (shape.value("type", "") == "list") {
    std::string out;
    for (const auto& v : value) {
      if (!out.empty()) out += ",";
      out += ScalarToText(Json{{"type", "string"}}, v, TimestampFormat::kHttpDate);
    }
    return out;
  }
  if (shape.value("jsonvalue", false) || ref.value("jsonvalue", false)) {
    return Base64Encode(value.is_string() ? value.get<std::string>() : value.dump());
  }
  return ScalarToText(shape, value, TimestampFormatOf(shape, &ref, TimestampFormat::kHttpDate));
}

bool HasBodyMembers(const Json& shape) {
  if (!shape.contains("members")) return false;
  for (auto& [name, ref] : shape["members"].items()) {
    if (!ref.contains("location")) return true;
  }
  return false;
}

bool ChecksumRequired(const Json& op) {
  return op.value("httpChecksumRequired", false) ||
         (op.contains("httpChecksum") && op["httpChecksum"].value("requestChecksumRequired", false));
}

}  // namespace

Outcome<HttpRequest> RestCodec::SerializeRequest(const ServiceModel& model,
                                                 const std::string& operation_name,
                                                 const Json& input) const {
  const Json* op = model.FindOperation(operation_name);
  if (!op) return Error::Local("UnknownOperation", model.name() + " has no operation " + operation_name);
  HttpRequest req;
  req.method = (*op)["http"]["method"];
  std::string uri = (*op)["http"]["requestUri"];
  size_t q = uri.find('?');
  req.path = uri.substr(0, q);
  if (q != std::string::npos) req.query = ParseQueryString(uri.substr(q + 1));

  const Json& shape = model.InputShape(*op);
  Json body_members = Json::object();
  if (shape.contains("members")) {
    for (auto& [name, ref] : shape["members"].items()) {
      if (!input.contains(name) || input[name].is_null()) continue;
      const Json& value = input[name];
      const Json& member_shape = model.Shape(ref["shape"]);
      const std::string location = ref.value("location", "");
      const std::string wire = WireName(name, ref);
      if (location == "uri") {
        std::string text = ScalarToText(member_shape, value, TimestampFormat::kIso8601);
        if (!ReplaceLabel(req.path, wire, text)) {
          return Error::Local("ModelError", "no URI label {" + wire + "} in " + uri);
        }
      } else if (location == "querystring") {
        if (member_shape.value("type", "") == "list") {
          const Json& item = model.Shape(member_shape["member"]["shape"]);
          for (const auto& v : value) req.query.emplace_back(wire, ScalarToText(item, v, TimestampFormat::kIso8601));
        } else if (member_shape.value("type", "") == "map") {
          for (auto& [k, v] : value.items()) {
            if (v.is_array()) {
              for (const auto& each : v) req.query.emplace_back(k, each.get<std::string>());
            } else {
              req.query.emplace_back(k, v.get<std::string>());
            }
          }
        } else {
          req.query.emplace_back(wire, ScalarToText(member_shape, value, TimestampFormat::kIso8601));
        }
      } else if (location == "header") {
        req.headers.Set(wire, HeaderText(member_shape, ref, value));
      } else if (location == "headers") {
        for (auto& [k, v] : value.items()) req.headers.Set(wire + k, v.get<std::string>());
      } else {
        body_members[name] = value;
      }
    }
  }
  // Unfilled labels mean a required member was missing; validation normally catches this first.
  if (req.path.find('{') != std::string::npos) {
    return Error::Local("ParamValidation", "missing URI parameter for " + req.path);
  }

  if (shape.contains("payload")) {
    const std::string payload = shape["payload"];
    if (body_members.contains(payload)) {
      const Json& ref = shape["members"][payload];
      const Json& payload_shape = model.Shape(ref["shape"]);
      const std::string type = payload_shape.value("type", "string");
      if (type == "blob") {
        auto bytes = Base64Decode(body_members[payload].get<std::string>());
        if (!bytes) return Error::Local("ParamValidation", payload + " is not valid base64");
        req.body = *bytes;
      } else if (type == "string") {
        req.body = body_members[payload].get<std::string>();
      } else {
        auto body = EncodeBody(model, payload_shape, body_members[payload], &ref);
        if (!body.ok()) return body.error();
        req.body = *body;
        req.headers.Set("Content-Type", ContentType());
      }
    }
  } else if (HasBodyMembers(shape)) {
    auto body = EncodeBody(model, shape, body_members, nullptr);
    if (!body.ok()) return body.error();
    req.body = *body;
    req.headers.Set("Content-Type", ContentType());
  }
  if (ChecksumRequired(*op) && !req.headers.Has("Content-MD5")) {
    req.headers.Set("Content-MD5", Base64Encode(Md5(req.body)));
  }
  return req;
}

Outcome<Json> RestCodec::ParseResponse(const ServiceModel& model, const std::string& operation_name,
                                       const HttpResponse& response) const {
  const Json* op = model.FindOperation(operation_name);
  if (!op) return Error::Local("UnknownOperation", model.name() + " has no operation " + operation_name);
  const Json& shape = model.OutputShape(*op);
  Json out = Json::object();
  if (!shape.contains("members")) return out;
  for (auto& [name, ref] : shape["members"].items()) {
    const std::string location = ref.value("location", "");
    const Json& member_shape = model.Shape(ref["shape"]);
    const std::string wire = WireName(name, ref);
    if (location == "header") {
      auto text = response.headers.Get(wire);
      if (!text) continue;
      auto v = ScalarFromText(member_shape, *text);
      if (v.ok()) out[name] = std::move(*v);
    } else if (location == "headers") {
      Json map = Json::object();
      for (const auto& [k, v] : response.headers) {
        if (k.size() > wire.size() && EqualsIgnoreCase(k.substr(0, wire.size()), wire)) {
          map[k.substr(wire.size())] = v;
        }
      }
      if (!map.empty()) out[name] = map;
    } else if (location == "statusCode") {
      out[name] = response.status;
    }
  }
  if (shape.contains("payload")) {
    const std::string payload = shape["payload"];
    const Json& payload_shape = model.Shape(shape["members"][payload]["shape"]);
    const std::string type = payload_shape.value("type", "string");
    if (type == "blob") {
      out[payload] = Base64Encode(response.body);
    } else if (type == "string") {
      out[payload] = response.body;
    } else if (!response.body.empty()) {
      auto v = DecodeBody(model, payload_shape, response.body);
      if (!v.ok()) return UnreadableResponseError(response, v.error().message());
      out[payload] = std::move(*v);
    }
  } else if (!response.body.empty() && HasBodyMembers(shape)) {
    auto v = DecodeBody(model, shape, response.body);
    if (!v.ok()) return UnreadableResponseError(response, v.error().message());
    for (auto& [k, val] : v->items()) {
      if (!shape["members"][k].contains("location")) out[k] = val;
    }
  }
  return out;
}

Outcome<std::string> RestJsonCodec::EncodeBody(const ServiceModel& model, const Json& shape,
                                               const Json& value, const Json*) const {
  return ToWireJson(model, shape, value).dump();
}

Outcome<Json> RestJsonCodec::DecodeBody(const ServiceModel& model, const Json& shape,
                                        const std::string& body) const {
  Json parsed = Json::parse(body, nullptr, false);
  if (parsed.is_discarded()) return Error::Local("SerializationException", "response is not JSON");
  return FromWireJson(model, shape, parsed);
}

Error RestJsonCodec::ParseError(const HttpResponse& response) const {
  return ParseJsonError(response);
}

Outcome<std::string> RestXmlCodec::EncodeBody(const ServiceModel& model, const Json& shape,
                                              const Json& value, const Json* payload_ref) const {
  pugi::xml_document doc;
  std::string root_name = payload_ref ? payload_ref->value("locationName", "") : "";
  if (root_name.empty()) root_name = shape.value("locationName", "Request");
  pugi::xml_node root = doc.append_child(root_name.c_str());
  const Json* ns = nullptr;
  if (payload_ref && payload_ref->contains("xmlNamespace")) ns = &(*payload_ref)["xmlNamespace"];
  else if (shape.contains("xmlNamespace")) ns = &shape["xmlNamespace"];
  if (ns) root.append_attribute("xmlns").set_value(ns->value("uri", "").c_str());
  WriteXmlShape(model, shape, value, root);
  return XmlToString(doc);
}

Outcome<Json> RestXmlCodec::DecodeBody(const ServiceModel& model, const Json& shape,
                                       const std::string& body) const {
  auto doc = ParseXml(body);
  if (!doc.ok()) return doc.error();
  return ReadXmlShape(model, shape, (*doc)->document_element());
}

Error RestXmlCodec::ParseError(const HttpResponse& response) const {
  std::string request_id = RequestIdFromHeaders(response);
  if (response.body.empty()) {
    // HEAD responses and some others carry no body: the status is all there is, as in botocore.
    static const std::pair<int, const char*> kReasons[] = {
        {400, "Bad Request"}, {403, "Forbidden"}, {404, "Not Found"}, {405, "Method Not Allowed"},
        {409, "Conflict"},   {412, "Precondition Failed"}, {500, "Internal Server Error"},
        {503, "Service Unavailable"}};
    std::string reason;
    for (auto& [status, text] : kReasons) {
      if (status == response.status) reason = text;
    }
    return ServiceError(std::to_string(response.status), reason, response.status, request_id);
  }
  auto doc = ParseXml(response.body);
  if (!doc.ok()) return UnreadableResponseError(response, "unreadable error response: " + response.body);
  pugi::xml_node root = (*doc)->document_element();
  pugi::xml_node error = std::string(root.name()) == "Error" ? root : root.child("Error");
  std::string code = ChildText(error, "Code");
  if (code.empty()) return UnreadableResponseError(response, "error response without a code: " + response.body);
  std::string body_id = ChildText(error, "RequestId");
  if (body_id.empty()) body_id = ChildText(root, "RequestId");
  return ServiceError(code, ChildText(error, "Message"), response.status,
                      body_id.empty() ? request_id : body_id);
}

}  // namespace datamesh::aws
