#include "aws/model/service_model.h"

#include <map>
#include <memory>
#include <mutex>

namespace datamesh::aws {

extern const std::pair<std::string_view, std::string_view> kEmbeddedModels[];
extern const int kEmbeddedModelCount;

namespace {
const Json& EmptyStructure() {
  static const Json empty = {{"type", "structure"}, {"members", Json::object()}};
  return empty;
}
}  // namespace

const ServiceModel* ServiceModel::Get(std::string_view service) {
  static std::mutex mu;
  static std::map<std::string, std::unique_ptr<ServiceModel>, std::less<>> cache;
  std::lock_guard<std::mutex> lock(mu);
  auto it = cache.find(service);
  if (it != cache.end()) return it->second.get();
  for (int i = 0; i < kEmbeddedModelCount; ++i) {
    if (kEmbeddedModels[i].first == service) {
      auto model = std::unique_ptr<ServiceModel>(
          new ServiceModel(std::string(service), Json::parse(kEmbeddedModels[i].second)));
      return cache.emplace(std::string(service), std::move(model)).first->second.get();
    }
  }
  return nullptr;
}

std::vector<std::string> ServiceModel::Names() {
  std::vector<std::string> names;
  for (int i = 0; i < kEmbeddedModelCount; ++i) names.emplace_back(kEmbeddedModels[i].first);
  return names;
}

std::string ServiceModel::signing_name() const {
  return metadata().value("signingName", metadata().value("endpointPrefix", name_));
}

const Json* ServiceModel::FindOperation(std::string_view name) const {
  auto& ops = model_["operations"];
  auto it = ops.find(std::string(name));
  return it == ops.end() ? nullptr : &*it;
}

std::vector<std::string> ServiceModel::OperationNames() const {
  std::vector<std::string> names;
  for (auto& [k, v] : model_["operations"].items()) names.push_back(k);
  return names;
}

const Json& ServiceModel::InputShape(const Json& operation) const {
  return operation.contains("input") ? Shape(operation["input"]["shape"]) : EmptyStructure();
}

const Json& ServiceModel::OutputShape(const Json& operation) const {
  return operation.contains("output") ? Shape(operation["output"]["shape"]) : EmptyStructure();
}

std::string WireName(const std::string& member_name, const Json& member_ref) {
  return member_ref.value("locationName", member_name);
}

}  // namespace datamesh::aws
