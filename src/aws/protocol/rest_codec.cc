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

Outcome<std::string> RestCodec::WritePayload(const ServiceModel& model, const Json& ref, const Json& value,
                                             bool* structured) const {
  const Json& payload_shape = model.Shape(ref["shape"]);
  const std::string type = payload_shape.value("type", "string");
  *structured = false;
  if (type == "blob") {
    auto bytes = Base64Decode(value.get<std::string>());
    if (!bytes) return Error::Local("ParamValidation", "the payload is not valid base64");
    return *bytes;
  }
  if (type == "string") return value.get<std::string>();
  *structured = true;
  return EncodeBody(model, payload_shape, value, &ref);
}

Outcome<std::optional<Json>> RestCodec::ReadPayload(const ServiceModel& model, const Json& ref,
                                                    const std::string& body) const {
  const Json& payload_shape = model.Shape(ref["shape"]);
  const std::string type = payload_shape.value("type", "string");
  if (type == "blob") return std::optional<Json>(Base64Encode(body));
  if (type == "string") return std::optional<Json>(body);
  if (body.empty()) return std::optional<Json>();
  auto v = DecodeBody(model, payload_shape, body);
  if (!v.ok()) return v.error();
  return std::optional<Json>(std::move(*v));
}

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
      bool structured = false;
      auto body = WritePayload(model, shape["members"][payload], body_members[payload], &structured);
      if (!body.ok()) return body.error();
      req.body = *body;
      if (structured) req.headers.Set("Content-Type", ContentType());
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
    auto v = ReadPayload(model, shape["members"][payload], response.body);
    if (!v.ok()) return UnreadableResponseError(response, v.error().message());
    if (*v) out[payload] = std::move(**v);
  } else if (!response.body.empty() && HasBodyMembers(shape)) {
    auto v = DecodeBody(model, shape, response.body);
    if (!v.ok()) return UnreadableResponseError(response, v.error().message());
    // Members the model does not know (a newer service adds fields) pass through as read; the
    // const operator[] on a missing key is undefined (found by fuzz/protocol_rest_json_fuzz).
    const Json& members = shape["members"];
    for (auto& [k, val] : v->items()) {
      auto member = members.find(k);
      if (member == members.end() || !member->contains("location")) out[k] = val;
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

// --- server side ---------------------------------------------------------------------------

namespace datamesh::aws {
namespace {

std::vector<std::string> SplitPath(const std::string& path) {
  std::vector<std::string> out;
  size_t start = 1;
  if (path.empty() || path == "/") return out;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    out.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// Matches `path` (wire form) against a URI template; fills decoded label values. Returns a
// specificity score (higher is more specific) or -1.
int MatchTemplate(const std::string& uri_template, const std::string& path,
                  std::map<std::string, std::string>* labels) {
  std::vector<std::string> want = SplitPath(uri_template);
  std::vector<std::string> got = SplitPath(path);
  int score = 0;
  size_t i = 0;
  for (; i < want.size(); ++i) {
    const std::string& w = want[i];
    if (w.size() > 2 && w.front() == '{' && w.back() == '}') {
      std::string label = w.substr(1, w.size() - 2);
      if (!label.empty() && label.back() == '+') {  // greedy: the rest of the path
        if (i >= got.size()) return -1;
        std::string rest;
        for (size_t j = i; j < got.size(); ++j) rest += (j > i ? "/" : "") + got[j];
        (*labels)[label.substr(0, label.size() - 1)] = UriDecode(rest);
        return score;
      }
      if (i >= got.size() || got[i].empty()) return -1;
      (*labels)[label] = UriDecode(got[i]);
      continue;
    }
    if (i >= got.size() || got[i] != w) return -1;
    score += 10;
  }
  if (i != got.size()) return -1;
  return score;
}

}  // namespace

std::optional<std::string> RestCodec::MatchOperation(const ServiceModel& model,
                                                     const HttpRequest& request) const {
  std::optional<std::string> best;
  int best_score = -1;
  std::string method = request.method == "HEAD" ? "HEAD" : request.method;
  for (const auto& name : model.OperationNames()) {
    const Json& op = *model.FindOperation(name);
    if (op["http"]["method"] != method) continue;
    std::string uri = op["http"]["requestUri"];
    size_t q = uri.find('?');
    std::map<std::string, std::string> labels;
    int score = MatchTemplate(uri.substr(0, q), request.path, &labels);
    if (score < 0) continue;
    if (q != std::string::npos) {
      bool all = true;
      for (auto& [k, v] : ParseQueryString(uri.substr(q + 1))) {
        bool found = false;
        for (auto& [rk, rv] : request.query) found |= rk == k && (v.empty() || rv == v);
        all &= found;
      }
      if (!all) continue;
      score += 5;
    }
    if (score > best_score) {
      best_score = score;
      best = name;
    }
  }
  return best;
}

Outcome<Json> RestCodec::ParseRequest(const ServiceModel& model, const std::string& operation_name,
                                      const HttpRequest& request) const {
  const Json* op = model.FindOperation(operation_name);
  auto bad = [](const std::string& why) {
    return Error("SerializationException", why, ErrorKind::kClient, 400);
  };
  if (!op) return bad("unknown operation " + operation_name);
  const Json& shape = model.InputShape(*op);
  std::string uri = (*op)["http"]["requestUri"];
  std::map<std::string, std::string> labels;
  MatchTemplate(uri.substr(0, uri.find('?')), request.path, &labels);
  Json input = Json::object();
  if (!shape.contains("members")) return input;

  // The body members first, so that bound members below take precedence.
  const std::string payload = shape.value("payload", "");
  if (!payload.empty()) {
    auto v = ReadPayload(model, shape["members"][payload], request.body);
    if (!v.ok()) return bad(v.error().message());
    if (*v) input[payload] = std::move(**v);
  } else if (!request.body.empty() && HasBodyMembers(shape)) {
    auto v = DecodeBody(model, shape, request.body);
    if (!v.ok()) return bad(v.error().message());
    for (auto& [k, val] : v->items()) input[k] = val;
  }

  for (auto& [name, ref] : shape["members"].items()) {
    const std::string location = ref.value("location", "");
    const Json& member_shape = model.Shape(ref["shape"]);
    const std::string wire = WireName(name, ref);
    const std::string type = member_shape.value("type", "string");
    if (location == "uri") {
      auto it = labels.find(wire);
      if (it == labels.end()) continue;
      auto v = ScalarFromText(member_shape, it->second);
      if (!v.ok()) return bad(v.error().message());
      input[name] = std::move(*v);
    } else if (location == "querystring") {
      if (type == "list") {
        Json items = Json::array();
        const Json& item_shape = model.Shape(member_shape["member"]["shape"]);
        for (auto& [k, v] : request.query) {
          if (k != wire) continue;
          auto item = ScalarFromText(item_shape, v);
          if (!item.ok()) return bad(item.error().message());
          items.push_back(std::move(*item));
        }
        if (!items.empty()) input[name] = items;
      } else if (type != "map") {
        for (auto& [k, v] : request.query) {
          if (k != wire) continue;
          auto value = ScalarFromText(member_shape, v);
          if (!value.ok()) return bad(value.error().message());
          input[name] = std::move(*value);
          break;
        }
      }
    } else if (location == "header") {
      auto text = request.headers.Get(wire);
      if (!text) continue;
      auto v = ScalarFromText(member_shape, *text);
      if (!v.ok()) return bad(v.error().message());
      input[name] = std::move(*v);
    } else if (location == "headers") {
      Json map = Json::object();
      for (const auto& [k, v] : request.headers) {
        if (k.size() > wire.size() && EqualsIgnoreCase(k.substr(0, wire.size()), wire)) map[k.substr(wire.size())] = v;
      }
      if (!map.empty()) input[name] = map;
    }
  }
  return input;
}

HttpResponse RestCodec::SerializeResponse(const ServiceModel& model, const std::string& operation_name,
                                          const Json& output, const std::string& request_id) const {
  const Json* op = model.FindOperation(operation_name);
  HttpResponse r;
  r.status = op ? (*op)["http"].value("responseCode", 200) : 200;
  r.headers.Set("x-amzn-RequestId", request_id);
  r.headers.Set("x-amz-request-id", request_id);
  if (!op) return r;
  const Json& shape = model.OutputShape(*op);
  if (!shape.contains("members")) return r;
  Json body_members = Json::object();
  for (auto& [name, ref] : shape["members"].items()) {
    if (!output.contains(name) || output[name].is_null()) continue;
    const std::string location = ref.value("location", "");
    const Json& member_shape = model.Shape(ref["shape"]);
    if (location == "header") {
      r.headers.Set(WireName(name, ref), HeaderText(member_shape, ref, output[name]));
    } else if (location == "headers") {
      for (auto& [k, v] : output[name].items()) r.headers.Set(WireName(name, ref) + k, v.get<std::string>());
    } else if (location == "statusCode") {
      r.status = output[name].get<int>();
    } else {
      body_members[name] = output[name];
    }
  }
  if (shape.contains("payload")) {
    const std::string payload = shape["payload"];
    if (body_members.contains(payload)) {
      bool structured = false;
      r.body = WritePayload(model, shape["members"][payload], body_members[payload], &structured).value_or("");
      if (structured) r.headers.Set("Content-Type", ContentType());
    }
  } else if (HasBodyMembers(shape)) {
    r.body = EncodeBody(model, shape, body_members, nullptr).value();
    r.headers.Set("Content-Type", ContentType());
  }
  return r;
}

HttpResponse RestJsonCodec::SerializeError(const ServiceModel& model, const Error& error,
                                           const std::string& request_id) const {
  HttpResponse r;
  r.status = error.http_status() ? error.http_status() : 400;
  r.headers.Set("Content-Type", "application/json");
  r.headers.Set("x-amzn-RequestId", request_id);
  r.headers.Set("x-amzn-ErrorType", error.code());
  r.body = Json{{"Message", error.message()}, {"message", error.message()}}.dump();
  return r;
}

HttpResponse RestXmlCodec::SerializeError(const ServiceModel& model, const Error& error,
                                          const std::string& request_id) const {
  HttpResponse r;
  r.status = error.http_status() ? error.http_status() : 400;
  r.headers.Set("x-amz-request-id", request_id);
  pugi::xml_document doc;
  auto decl = doc.append_child(pugi::node_declaration);
  decl.append_attribute("version").set_value("1.0");
  decl.append_attribute("encoding").set_value("UTF-8");
  pugi::xml_node e = doc.append_child("Error");
  e.append_child("Code").text().set(error.code().c_str());
  e.append_child("Message").text().set(error.message().c_str());
  e.append_child("RequestId").text().set(request_id.c_str());
  r.headers.Set("Content-Type", "application/xml");
  r.body = XmlToString(doc);
  return r;
}

}  // namespace datamesh::aws
