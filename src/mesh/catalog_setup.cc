#include "mesh/catalog_setup.h"

#include "datamesh/mesh_names.h"
#include "mesh/tracker_attributes.h"
#include "mesh/catalog_policy.h"

namespace datamesh::mesh {
namespace {
constexpr char kRamSharingSid[] = "AllowRamToShareCatalogResources";
}  // namespace

Status EnsureDataLakeSettings(aws::LakeFormationClient& lf, const std::vector<std::string>& admins,
                              bool lake_formation_only) {
  auto current = lf.GetDataLakeSettings(Json::object());
  if (!current.ok()) return current.error();
  Json settings = (*current)["DataLakeSettings"];
  Json before = settings;
  if (!settings.contains("DataLakeAdmins")) settings["DataLakeAdmins"] = Json::array();
  for (const auto& admin : admins) {
    bool listed = false;
    for (const auto& a : settings["DataLakeAdmins"]) listed |= a.value("DataLakePrincipalIdentifier", "") == admin;
    if (!listed) settings["DataLakeAdmins"].push_back({{"DataLakePrincipalIdentifier", admin}});
  }
  if (lake_formation_only) {
    settings["CreateDatabaseDefaultPermissions"] = Json::array();
    settings["CreateTableDefaultPermissions"] = Json::array();
  }
  if (settings == before) return OkStatus();
  auto put = lf.PutDataLakeSettings({{"DataLakeSettings", settings}});
  if (!put.ok()) return put.error();
  return OkStatus();
}

Status EnsureLakeFormationServiceLinkedRole(aws::IamClient& iam) {
  auto r = iam.CreateServiceLinkedRole({{"AWSServiceName", "lakeformation.amazonaws.com"}});
  if (r.ok()) return OkStatus();
  // "has been taken": it exists already, which is what we want.
  if (r.error().code() == "InvalidInput" && r.error().message().find("has been taken") != std::string::npos) {
    return OkStatus();
  }
  return r.error();
}

Status EnsureCatalogSharingPolicy(aws::GlueClient& glue, const std::string& region, const std::string& account) {
  const std::string prefix = "arn:aws:glue:" + region + ":" + account + ":";
  return EditCatalogPolicy(glue, [&](Json& statements) {
    for (const auto& s : statements) {
      if (s.value("Sid", "") == kRamSharingSid) return false;  // already there
    }
    statements.push_back({{"Sid", kRamSharingSid},
                          {"Effect", "Allow"},
                          {"Principal", {{"Service", "ram.amazonaws.com"}}},
                          {"Action", "glue:ShareResource"},
                          {"Resource", {prefix + "catalog", prefix + "database/*", prefix + "table/*/*"}}});
    return true;
  });
}

Outcome<TrackerTable> EnsureTrackerTable(aws::DynamoDbClient& ddb) {
  auto describe = [&]() -> Outcome<TrackerTable> {
    auto d = ddb.DescribeTable({{"TableName", names::kTrackerTable}});
    if (!d.ok()) return d.error();
    return TrackerTable{(*d)["Table"]["TableArn"], (*d)["Table"].value("LatestStreamArn", "")};
  };
  auto key = [](const char* name, const char* type) { return Json{{"AttributeName", name}, {"KeyType", type}}; };
  const Json inbox_index = {{"IndexName", names::kInboxIndex},
                            {"KeySchema", Json::array({key(tracker::kInboxOwner, "HASH")})},
                            {"Projection", {{"ProjectionType", "ALL"}}}};
  auto existing = describe();
  if (!existing.ok() && existing.error().code() != "ResourceNotFoundException") return existing;
  if (existing.ok()) {
    // A tracker made before the inbox existed (by the Python library, or an earlier datamesh)
    // gains the index; its items stay as they are.
    auto d = ddb.DescribeTable({{"TableName", names::kTrackerTable}});
    if (!d.ok()) return d.error();
    for (const auto& g : (*d)["Table"].value("GlobalSecondaryIndexes", Json::array())) {
      if (g.value("IndexName", "") == names::kInboxIndex) return existing;
    }
    auto added = ddb.UpdateTable({{"TableName", names::kTrackerTable},
                                  {"AttributeDefinitions", Json::array({{{"AttributeName", tracker::kInboxOwner},
                                                                         {"AttributeType", "S"}}})},
                                  {"GlobalSecondaryIndexUpdates", Json::array({{{"Create", inbox_index}}})}});
    if (!added.ok() && added.error().message().find("already exists") == std::string::npos) return added.error();
    return existing;
  }
  Json input = {
      {"TableName", names::kTrackerTable},
      {"BillingMode", "PAY_PER_REQUEST"},
      {"AttributeDefinitions", Json::array({{{"AttributeName", "SubscriptionId"}, {"AttributeType", "S"}},
                                            {{"AttributeName", "OwnerPrincipal"}, {"AttributeType", "S"}},
                                            {{"AttributeName", "Status"}, {"AttributeType", "S"}},
                                            {{"AttributeName", "SubscriberPrincipal"}, {"AttributeType", "S"}},
                                            {{"AttributeName", tracker::kInboxOwner}, {"AttributeType", "S"}}})},
      {"KeySchema", Json::array({key("SubscriptionId", "HASH")})},
      {"GlobalSecondaryIndexes",
       Json::array({{{"IndexName", names::kOwnerIndex},
                     {"KeySchema", Json::array({key("OwnerPrincipal", "HASH"), key("Status", "RANGE")})},
                     {"Projection", {{"ProjectionType", "ALL"}}}},
                    {{"IndexName", names::kSubscriberIndex},
                     {"KeySchema", Json::array({key("SubscriberPrincipal", "HASH")})},
                     {"Projection", {{"ProjectionType", "ALL"}}}},
                    inbox_index})},
      {"StreamSpecification", {{"StreamEnabled", true}, {"StreamViewType", "NEW_AND_OLD_IMAGES"}}},
      {"Tags", Json::array({{{"Key", names::kSolutionTagKey}, {"Value", names::kSolutionTagValue}}})}};
  auto created = ddb.CreateTable(input);
  if (!created.ok() && created.error().code() != "ResourceInUseException") return created.error();
  return describe();
}

Outcome<bool> CallerIsDataLakeAdmin(MeshSession& session) {
  auto id = session.Identity();
  if (!id.ok()) return id.error();
  std::string principal = id->arn;
  // An assumed-role session is administrator through its role.
  if (principal.find(":assumed-role/") != std::string::npos) {
    std::string rest = principal.substr(principal.find(":assumed-role/") + 14);
    std::string role = rest.substr(0, rest.find('/'));
    auto r = session.Iam().GetRole({{"RoleName", role}});
    if (!r.ok()) return r.error();
    principal = (*r)["Role"]["Arn"];
  }
  auto settings = session.LakeFormation().GetDataLakeSettings(Json::object());
  if (!settings.ok()) return settings.error();
  for (const auto& a : (*settings)["DataLakeSettings"].value("DataLakeAdmins", Json::array())) {
    if (a.value("DataLakePrincipalIdentifier", "") == principal) return true;
  }
  return false;
}

}  // namespace datamesh::mesh
