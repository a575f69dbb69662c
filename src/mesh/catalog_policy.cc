#include "mesh/catalog_policy.h"

#include <algorithm>

namespace datamesh::mesh {
namespace {

constexpr int kOptimisticAttempts = 5;

std::string ConsumerSid(const std::string& consumer) { return "DataMeshConsumer" + consumer; }

std::string GlueArn(const ConsumerCatalogAccess& a, const std::string& what) {
  return "arn:aws:glue:" + a.region + ":" + a.mesh_account + ":" + what;
}

std::vector<std::string> DatabaseArns(const ConsumerCatalogAccess& a) {
  return {GlueArn(a, "database/" + a.database), GlueArn(a, "table/" + a.database + "/*")};
}

Json* FindStatement(Json& statements, const std::string& sid) {
  for (auto& s : statements) {
    if (s.value("Sid", "") == sid) return &s;
  }
  return nullptr;
}

std::vector<std::string> ResourcesOf(const Json& statement) {
  std::vector<std::string> out;
  const Json r = statement.value("Resource", Json::array());
  if (r.is_string()) out.push_back(r);
  for (const auto& v : r.is_array() ? r : Json::array()) {
    if (v.is_string()) out.push_back(v);
  }
  return out;
}

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
    Json request;
    if (doc["Statement"].empty()) {
      if (!current.ok()) return OkStatus();
      auto deleted = glue.DeleteResourcePolicy({{"PolicyHashCondition", (*current)["PolicyHash"]}});
      if (deleted.ok()) return OkStatus();
      if (deleted.error().code() != "ConditionCheckFailureException") return deleted.error();
      continue;
    }
    // The mesh shares catalog objects through RAM; AWS then saves a catalog policy only when told
    // that both ways of granting are in use.
    request = {{"PolicyInJson", doc.dump()}, {"EnableHybrid", "TRUE"}};
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

Status AllowConsumerCatalogAccess(aws::GlueClient& glue, const ConsumerCatalogAccess& a) {
  return EditCatalogPolicy(glue, [&](Json& statements) {
    Json* statement = FindStatement(statements, ConsumerSid(a.consumer));
    if (!statement) {
      statements.push_back(
          {{"Sid", ConsumerSid(a.consumer)},
           {"Effect", "Allow"},
           {"Principal", {{"AWS", "arn:aws:iam::" + a.consumer + ":root"}}},
           {"Action", "glue:*"},
           {"Resource", Json::array({GlueArn(a, "catalog")})},
           {"Condition", {{"Bool", {{"glue:EvaluatedByLakeFormationTags", "true"}}}}}});
      statement = &statements.back();
    }
    std::vector<std::string> resources = ResourcesOf(*statement);
    bool changed = false;
    for (const auto& arn : DatabaseArns(a)) {
      if (std::find(resources.begin(), resources.end(), arn) != resources.end()) continue;
      resources.push_back(arn);
      changed = true;
    }
    if (changed) (*statement)["Resource"] = resources;
    return changed;
  });
}

Status RemoveConsumerCatalogAccess(aws::GlueClient& glue, const ConsumerCatalogAccess& a) {
  return EditCatalogPolicy(glue, [&](Json& statements) {
    Json* statement = FindStatement(statements, ConsumerSid(a.consumer));
    if (!statement) return false;
    std::vector<std::string> resources = ResourcesOf(*statement);
    const auto gone = DatabaseArns(a);
    auto kept_end = std::remove_if(resources.begin(), resources.end(), [&](const std::string& r) {
      return std::find(gone.begin(), gone.end(), r) != gone.end();
    });
    if (kept_end == resources.end()) return false;
    resources.erase(kept_end, resources.end());
    if (resources.size() <= 1) {  // only the catalog itself: the consumer reads nothing through it
      Json kept = Json::array();
      for (auto& s : statements) {
        if (s.value("Sid", "") != ConsumerSid(a.consumer)) kept.push_back(s);
      }
      statements = kept;
    } else {
      (*statement)["Resource"] = resources;
    }
    return true;
  });
}

}  // namespace datamesh::mesh
