#include "aws/protocol/xml_shapes.h"

#include <sstream>

#include "aws/protocol/shape_values.h"

namespace datamesh::aws {
namespace {

bool IsFlattened(const Json& shape, const Json* ref) {
  return shape.value("flattened", false) || (ref && ref->value("flattened", false));
}

// The element name a member takes: for a flattened list, its member's locationName if it has one.
std::string MemberElementName(const ServiceModel& model, const std::string& name, const Json& ref) {
  const Json& shape = model.Shape(ref["shape"]);
  if (shape.value("type", "") == "list" && IsFlattened(shape, &ref) && !ref.contains("locationName")) {
    return shape["member"].value("locationName", name);
  }
  return WireName(name, ref);
}

Outcome<Json> ReadList(const ServiceModel& model, const Json& shape,
                       const std::vector<pugi::xml_node>& items) {
  Json out = Json::array();
  const Json& member = model.Shape(shape["member"]["shape"]);
  for (const auto& item : items) {
    auto v = ReadXmlShape(model, member, item);
    if (!v.ok()) return v;
    out.push_back(std::move(*v));
  }
  return out;
}

Outcome<Json> ReadMap(const ServiceModel& model, const Json& shape,
                      const std::vector<pugi::xml_node>& entries) {
  Json out = Json::object();
  std::string key_name = shape["key"].value("locationName", "key");
  std::string value_name = shape["value"].value("locationName", "value");
  const Json& value_shape = model.Shape(shape["value"]["shape"]);
  for (const auto& entry : entries) {
    auto v = ReadXmlShape(model, value_shape, entry.child(value_name.c_str()));
    if (!v.ok()) return v;
    out[ChildText(entry, key_name.c_str())] = std::move(*v);
  }
  return out;
}

std::vector<pugi::xml_node> Children(const pugi::xml_node& node, const std::string& name) {
  std::vector<pugi::xml_node> out;
  for (auto child : node.children(name.c_str())) out.push_back(child);
  return out;
}

}  // namespace

std::string ChildText(const pugi::xml_node& node, const char* name) {
  return node.child(name).text().as_string();
}

Outcome<Json> ReadXmlShape(const ServiceModel& model, const Json& shape, const pugi::xml_node& node) {
  const std::string type = shape.value("type", "string");
  if (type == "structure") {
    Json out = Json::object();
    if (!shape.contains("members")) return out;
    for (auto& [name, ref] : shape["members"].items()) {
      const Json& member_shape = model.Shape(ref["shape"]);
      std::string element = MemberElementName(model, name, ref);
      if (ref.value("xmlAttribute", false)) {
        auto attr = node.attribute(element.c_str());
        if (!attr) continue;
        auto v = ScalarFromText(member_shape, attr.value());
        if (!v.ok()) return v;
        out[name] = std::move(*v);
        continue;
      }
      const std::string member_type = member_shape.value("type", "string");
      if ((member_type == "list" || member_type == "map") && IsFlattened(member_shape, &ref)) {
        auto items = Children(node, element);
        if (items.empty()) continue;
        auto v = member_type == "list" ? ReadList(model, member_shape, items)
                                       : ReadMap(model, member_shape, items);
        if (!v.ok()) return v;
        out[name] = std::move(*v);
        continue;
      }
      pugi::xml_node child = node.child(element.c_str());
      if (!child) continue;
      auto v = ReadXmlShape(model, member_shape, child);
      if (!v.ok()) return v;
      out[name] = std::move(*v);
    }
    return out;
  }
  if (type == "list") {
    std::string item = shape["member"].value("locationName", "member");
    return ReadList(model, shape, Children(node, item));
  }
  if (type == "map") return ReadMap(model, shape, Children(node, "entry"));
  return ScalarFromText(shape, node.text().as_string());
}

void WriteXmlShape(const ServiceModel& model, const Json& shape, const Json& value,
                   pugi::xml_node node) {
  const std::string type = shape.value("type", "string");
  if (type == "structure") {
    if (!shape.contains("members")) return;
    for (auto& [name, ref] : shape["members"].items()) {
      if (!value.contains(name) || value[name].is_null()) continue;
      const Json& member_shape = model.Shape(ref["shape"]);
      std::string element = MemberElementName(model, name, ref);
      if (ref.value("xmlAttribute", false)) {
        node.append_attribute(element.c_str())
            .set_value(ScalarToText(member_shape, value[name], TimestampFormat::kIso8601).c_str());
        continue;
      }
      const std::string member_type = member_shape.value("type", "string");
      if (member_type == "list" && IsFlattened(member_shape, &ref)) {
        const Json& item_shape = model.Shape(member_shape["member"]["shape"]);
        for (const auto& item : value[name]) {
          WriteXmlShape(model, item_shape, item, node.append_child(element.c_str()));
        }
        continue;
      }
      pugi::xml_node child = node.append_child(element.c_str());
      if (ref.contains("xmlNamespace")) {
        std::string attr = "xmlns";
        if (ref["xmlNamespace"].contains("prefix")) attr += ":" + ref["xmlNamespace"]["prefix"].get<std::string>();
        child.append_attribute(attr.c_str()).set_value(ref["xmlNamespace"].value("uri", "").c_str());
      }
      WriteXmlShape(model, member_shape, value[name], child);
    }
    return;
  }
  if (type == "list") {
    std::string item = shape["member"].value("locationName", "member");
    const Json& item_shape = model.Shape(shape["member"]["shape"]);
    for (const auto& v : value) WriteXmlShape(model, item_shape, v, node.append_child(item.c_str()));
    return;
  }
  if (type == "map") {
    std::string key_name = shape["key"].value("locationName", "key");
    std::string value_name = shape["value"].value("locationName", "value");
    const Json& value_shape = model.Shape(shape["value"]["shape"]);
    for (auto& [k, v] : value.items()) {
      pugi::xml_node entry = node.append_child("entry");
      entry.append_child(key_name.c_str()).text().set(k.c_str());
      WriteXmlShape(model, value_shape, v, entry.append_child(value_name.c_str()));
    }
    return;
  }
  node.text().set(ScalarToText(shape, value, TimestampFormat::kIso8601).c_str());
}

Outcome<std::shared_ptr<pugi::xml_document>> ParseXml(const std::string& text) {
  auto doc = std::make_shared<pugi::xml_document>();
  pugi::xml_parse_result r = doc->load_buffer(text.data(), text.size());
  if (!r) {
    return Error::Local("SerializationException",
                        std::string("malformed XML: ") + r.description() + " at offset " +
                            std::to_string(r.offset));
  }
  return doc;
}

std::string XmlToString(const pugi::xml_document& doc) {
  std::ostringstream out;
  doc.save(out, "", pugi::format_raw);
  return out.str();
}

}  // namespace datamesh::aws
