#include "aws/iam/iam_policy_documents.h"

#include <functional>

#include "aws/core/encoding.h"

namespace datamesh::aws {
namespace {

constexpr char kPolicyDocumentShape[] = "policyDocumentType";

void Walk(const ServiceModel& model, const Json& shape, Json& value,
          const std::function<std::string(const std::string&)>& convert) {
  const std::string type = shape.value("type", "string");
  if (type == "structure" && value.is_object() && shape.contains("members")) {
    for (auto& [name, ref] : shape["members"].items()) {
      if (!value.contains(name)) continue;
      if (ref["shape"] == kPolicyDocumentShape && value[name].is_string()) {
        value[name] = convert(value[name].get<std::string>());
      } else {
        Walk(model, model.Shape(ref["shape"]), value[name], convert);
      }
    }
  } else if (type == "list" && value.is_array()) {
    const Json& member_ref = shape["member"];
    for (auto& item : value) {
      if (member_ref["shape"] == kPolicyDocumentShape && item.is_string()) {
        item = convert(item.get<std::string>());
      } else {
        Walk(model, model.Shape(member_ref["shape"]), item, convert);
      }
    }
  }
}

}  // namespace

void DecodeIamPolicyDocuments(const ServiceModel& model, const Json& shape, Json& value) {
  Walk(model, shape, value, [](const std::string& s) { return UriDecode(s); });
}

void EncodeIamPolicyDocuments(const ServiceModel& model, const Json& shape, Json& value) {
  Walk(model, shape, value, [](const std::string& s) { return UriEncode(s); });
}

}  // namespace datamesh::aws
