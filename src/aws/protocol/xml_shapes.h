// Model-driven reading and writing of XML elements as modelled shapes, with the XML rules shared
// by the awsQuery and restXml protocols: locationName, flattened lists and maps, `member` and
// `entry` wrappers, attributes.
#pragma once

#include <pugixml.hpp>

#include "aws/model/service_model.h"

namespace datamesh::aws {

// Reads the element `node` as a value of `shape` in the JSON form.
Outcome<Json> ReadXmlShape(const ServiceModel& model, const Json& shape, const pugi::xml_node& node);

// Writes `value` (JSON form of `shape`) as the content of `node`.
void WriteXmlShape(const ServiceModel& model, const Json& shape, const Json& value, pugi::xml_node node);

// The text content of a child element, or "" when absent.
std::string ChildText(const pugi::xml_node& node, const char* name);

// Parses an XML document; an error names what was wrong with it.
Outcome<std::shared_ptr<pugi::xml_document>> ParseXml(const std::string& text);

std::string XmlToString(const pugi::xml_document& doc);

}  // namespace datamesh::aws
