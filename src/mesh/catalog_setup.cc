#include "mesh/catalog_setup.h"

#include <spdlog/spdlog.h>

#include <chrono>

#include "datamesh/mesh_names.h"
#include "mesh/tracker_attributes.h"
#include "mesh/catalog_policy.h"

namespace datamesh::mesh {
namespace {
constexpr char kRamSharingSid[] = "AllowRamToShareCatalogResources";

Json KeyOf(const char* name, const char* type) { return Json{{"AttributeName", name}, {"KeyType", type}}; }
Json StringAttribute(const char* name) { return Json{{"AttributeName", name}, {"AttributeType", "S"}}; }

// The indexes datamesh reads besides the Python library's Owner and Subscriber.
struct OwnIndex {
  Json definition;
  Json attributes;  // the definitions of its key attributes
};
std::vector<OwnIndex> OwnIndexes() {
  return {
      // What awaits each producer: present only while something does.
      {{{"IndexName", names::kInboxIndex},
        {"KeySchema", Json::array({KeyOf(tracker::kInboxOwner, "HASH")})},
        {"Projection", {{"ProjectionType", "ALL"}}}},
       Json::array({StringAttribute(tracker::kInboxOwner)})},
      // One producer's subscriptions of one consumer: what the grants between them follow.
      {{{"IndexName", names::kPairIndex},
        {"KeySchema", Json::array({KeyOf("OwnerPrincipal", "HASH"), KeyOf("SubscriberPrincipal", "RANGE")})},
        {"Projection", {{"ProjectionType", "ALL"}}}},
       Json::array({StringAttribute("OwnerPrincipal"), StringAttribute("SubscriberPrincipal")})},
  };
}

Json TrackerTableDefinition() {
  Json indexes = Json::array({{{"IndexName", names::kOwnerIndex},
                               {"KeySchema", Json::array({KeyOf("OwnerPrincipal", "HASH"), KeyOf("Status", "RANGE")})},
                               {"Projection", {{"ProjectionType", "ALL"}}}},
                              {{"IndexName", names::kSubscriberIndex},
                               {"KeySchema", Json::array({KeyOf("SubscriberPrincipal", "HASH")})},
                               {"Projection", {{"ProjectionType", "ALL"}}}}});
  for (const auto& own : OwnIndexes()) indexes.push_back(own.definition);
  return {{"TableName", names::kTrackerTable},
          {"BillingMode", "PAY_PER_REQUEST"},
          {"AttributeDefinitions",
           Json::array({StringAttribute("SubscriptionId"), StringAttribute("OwnerPrincipal"), StringAttribute("Status"),
                        StringAttribute("SubscriberPrincipal"), StringAttribute(tracker::kInboxOwner)})},
          {"KeySchema", Json::array({KeyOf("SubscriptionId", "HASH")})},
          {"GlobalSecondaryIndexes", indexes},
          {"StreamSpecification", {{"StreamEnabled", true}, {"StreamViewType", "NEW_AND_OLD_IMAGES"}}},
          {"Tags", Json::array({{{"Key", names::kSolutionTagKey}, {"Value", names::kSolutionTagValue}}})}};
}

// The tracker table's description.
Outcome<Json> DescribeTracker(aws::DynamoDbClient& ddb) {
  auto d = ddb.DescribeTable({{"TableName", names::kTrackerTable}});
  if (!d.ok()) return d.error();
  return (*d)["Table"];
}

// What the table is building, if anything: an index not ACTIVE, or the table itself not ACTIVE
// (another update under way).
std::string BeingBuilt(const Json& table) {
  if (table.value("TableStatus", "ACTIVE") != "ACTIVE") return "the table (" + table.value("TableStatus", "") + ")";
  for (const auto& g : table.value("GlobalSecondaryIndexes", Json::array())) {
    if (g.value("IndexStatus", "ACTIVE") != "ACTIVE") return "index " + g.value("IndexName", "");
  }
  return "";
}

bool HasIndex(const Json& table, const std::string& name) {
  for (const auto& g : table.value("GlobalSecondaryIndexes", Json::array())) {
    if (g.value("IndexName", "") == name) return true;
  }
  return false;
}

// A tracker made before some of datamesh's indexes (by the Python library, or an earlier
// datamesh) gains them; its items stay as they are. DynamoDB builds one index at a time on a
// table (UpdateTable API reference: one global secondary index per UpdateTable; asking while
// another is being built is a LimitExceededException, while the table is being updated a
// ResourceInUseException), so nothing is asked while anything is being built, and each new index
// is waited on until ACTIVE (backfilled) before the next. Another installer running at once meets
// the same states and waits the same way. A LimitExceededException with nothing being built is
// the table's limit of indexes: reported, not waited on.
Status AddMissingIndexes(aws::DynamoDbClient& ddb, aws::Sleeper& sleeper) {
  for (const auto& own : OwnIndexes()) {
    const std::string name = own.definition["IndexName"];
    auto wait = [&](const std::string& what) {
      return Error::Local("IndexNotYetActive", "waiting for " + what + " of " + names::kTrackerTable + " to be built");
    };
    auto active = WaitFor(sleeper, std::chrono::minutes(60), {"IndexNotYetActive"}, [&]() -> Outcome<Json> {
      auto table = DescribeTracker(ddb);
      if (!table.ok()) return table.error();
      const std::string busy = BeingBuilt(*table);
      if (HasIndex(*table, name)) {
        if (busy.empty()) return table;
        return wait(busy);
      }
      if (!busy.empty()) return wait(busy);
      auto added = ddb.UpdateTable({{"TableName", names::kTrackerTable},
                                    {"AttributeDefinitions", own.attributes},
                                    {"GlobalSecondaryIndexUpdates", Json::array({{{"Create", own.definition}}})}});
      if (added.ok() || added.error().message().find("already exists") != std::string::npos) return wait("index " + name);
      const std::string code = added.error().code();
      if (code != "LimitExceededException" && code != "ResourceInUseException") return added.error();
      // Someone else's update began between the look and the ask: wait for it. Nothing being
      // built means the table holds all the indexes it may.
      auto again = DescribeTracker(ddb);
      if (!again.ok()) return again.error();
      if (const std::string other = BeingBuilt(*again); !other.empty()) return wait(other);
      if (code == "ResourceInUseException") return wait("the table");
      return added.error();
    }, [&] { spdlog::info("waiting for the tracker's indexes to be built before adding {}", name); });
    if (!active.ok()) return active.error();
  }
  return OkStatus();
}
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

Outcome<TrackerTable> EnsureTrackerTable(aws::DynamoDbClient& ddb, aws::Sleeper& sleeper) {
  auto existing = DescribeTracker(ddb);
  if (!existing.ok() && existing.error().code() != "ResourceNotFoundException") return existing.error();
  if (!existing.ok()) {
    Json input = TrackerTableDefinition();
    auto created = ddb.CreateTable(input);
    if (!created.ok() && created.error().code() != "ResourceInUseException") return created.error();
  } else if (auto added = AddMissingIndexes(ddb, sleeper); !added.ok()) {
    return added.error();
  }
  auto table = DescribeTracker(ddb);
  if (!table.ok()) return table.error();
  return TrackerTable{(*table)["TableArn"], table->value("LatestStreamArn", "")};
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
