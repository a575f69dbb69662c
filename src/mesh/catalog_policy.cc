#include "mesh/catalog_policy.h"

namespace datamesh::mesh {
namespace {

constexpr int kOptimisticAttempts = 5;

std::string ConsumerSid(const std::string& consumer) { return "DataMeshConsumer" + consumer; }

}  // namespace

Status EditCatalogPolicy(aws::GlueClient& glue, const std::function<bool(Json& statements)>& edit) {
  for (int attempt = 0; attempt < kOptimisticAttempts; ++attempt) {
    auto current = glue.GetResourcePolicy(Json::object());
    if (!current.ok() && current.error().code() != "EntityNotFoundException")
      return current.error();
    Json doc = {{"Version", "2012-10-17"}, {"Statement", Json::array()}};
    if (current.ok()) {
      doc = Json::parse((*current)["PolicyInJson"].get<std::string>(), nullptr, false);
      if (!doc.is_object())
        return Error::Local("InvalidCatalogPolicy", "the Glue catalog policy is not valid JSON");
      if (!doc.contains("Statement")) doc["Statement"] = Json::array();
      if (!doc["Statement"].is_array()) doc["Statement"] = Json::array({doc["Statement"]});
    }
    if (!edit(doc["Statement"])) return OkStatus();
    if (doc["Statement"].empty()) {
      if (!current.ok()) return OkStatus();
      auto deleted = glue.DeleteResourcePolicy({{"PolicyHashCondition", (*current)["PolicyHash"]}});
      if (deleted.ok() || deleted.error().code() == "EntityNotFoundException") return OkStatus();
      if (deleted.error().code() != "ConditionCheckFailureException") return deleted.error();
      continue;
    }
    // The mesh shares catalog objects through RAM; AWS then saves a catalog policy only when told
    // that both ways of granting are in use.
    Json request = {{"PolicyInJson", doc.dump()}, {"EnableHybrid", "TRUE"}};
    if (current.ok()) {
      request["PolicyHashCondition"] = (*current)["PolicyHash"];
    } else {
      request["PolicyExistsCondition"] = "NOT_EXIST";
    }
    auto put = glue.PutResourcePolicy(request);
    if (put.ok()) return OkStatus();
    // Someone changed the policy between our read and our write: read again.
    if (put.error().code() != "ConditionCheckFailureException") return put.error();
  }
  return Error::Local("ConcurrentModification",
                      "the Glue catalog policy kept changing while it was being updated");
}

Json ConsumerCatalogStatement(const std::string& region, const std::string& mesh_account,
                              const std::string& consumer) {
  const std::string prefix = "arn:aws:glue:" + region + ":" + mesh_account + ":";
  return {
      {"Sid", ConsumerSid(consumer)},
      {"Effect", "Allow"},
      {"Principal", {{"AWS", "arn:aws:iam::" + consumer + ":root"}}},
      {"Action", "glue:*"},
      {"Resource", Json::array({prefix + "catalog", prefix + "database/*", prefix + "table/*/*"})},
      {"Condition", {{"Bool", {{"glue:EvaluatedByLakeFormationTags", "true"}}}}}};
}

Status AllowConsumerInCatalogPolicy(aws::GlueClient& glue, const std::string& region,
                                    const std::string& mesh_account, const std::string& consumer) {
  const Json wanted = ConsumerCatalogStatement(region, mesh_account, consumer);
  return EditCatalogPolicy(glue, [&](Json& statements) {
    for (auto& s : statements) {
      if (s.value("Sid", "") != wanted["Sid"]) continue;
      if (s == wanted) return false;
      s = wanted;  // someone changed it: put it back as it should be
      return true;
    }
    statements.push_back(wanted);
    return true;
  });
}

Outcome<bool> ConsumerInCatalogPolicy(aws::GlueClient& glue, const std::string& region,
                                      const std::string& mesh_account,
                                      const std::string& consumer) {
  auto current = glue.GetResourcePolicy(Json::object());
  if (!current.ok()) {
    if (current.error().code() == "EntityNotFoundException") return false;
    return current.error();
  }
  Json doc = Json::parse((*current)["PolicyInJson"].get<std::string>(), nullptr, false);
  if (!doc.is_object())
    return Error::Local("InvalidCatalogPolicy", "the Glue catalog policy is not valid JSON");
  const Json wanted = ConsumerCatalogStatement(region, mesh_account, consumer);
  Json statements = doc.value("Statement", Json::array());
  if (!statements.is_array()) statements = Json::array({statements});
  for (const auto& s : statements) {
    if (s == wanted) return true;
  }
  return false;
}

}  // namespace datamesh::mesh
