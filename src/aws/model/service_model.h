// Read access to the embedded official AWS service models (botocore's service-2.json, trimmed to
// the operations datamesh uses). The protocol codecs walk these shapes to read and write the wire
// formats, on the client and in the local mesh alike.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "datamesh/outcome.h"

namespace datamesh::aws {

using Json = nlohmann::json;

class ServiceModel {
 public:
  // The model of `service` ("iam", "sts", "glue", "lakeformation", "ram", "dynamodb", "s3"),
  // parsed on first use. nullptr for an unknown service.
  static const ServiceModel* Get(std::string_view service);
  // Every embedded service name.
  static std::vector<std::string> Names();

  const std::string& name() const { return name_; }
  // "query", "json", "rest-json" or "rest-xml".
  std::string protocol() const { return metadata().value("protocol", ""); }
  std::string api_version() const { return metadata().value("apiVersion", ""); }
  std::string signing_name() const;
  std::string target_prefix() const { return metadata().value("targetPrefix", ""); }
  std::string json_version() const { return metadata().value("jsonVersion", "1.0"); }
  std::string xml_namespace() const { return metadata().value("xmlNamespace", ""); }
  const Json& metadata() const { return model_["metadata"]; }

  // nullptr when the model has no such operation.
  const Json* FindOperation(std::string_view name) const;
  std::vector<std::string> OperationNames() const;
  // REQUIRES: the shape exists (the trimmer keeps every reachable shape).
  const Json& Shape(const std::string& name) const { return model_["shapes"].at(name); }
  bool HasShape(const std::string& name) const { return model_["shapes"].contains(name); }

  // The input / output structure shape of an operation; an empty structure when it has none.
  const Json& InputShape(const Json& operation) const;
  const Json& OutputShape(const Json& operation) const;

 private:
  ServiceModel(std::string name, Json model) : name_(std::move(name)), model_(std::move(model)) {}
  std::string name_;
  Json model_;
};

// The name under which a structure member appears on the wire (locationName, else its name).
std::string WireName(const std::string& member_name, const Json& member_ref);

}  // namespace datamesh::aws
