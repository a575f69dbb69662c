// The library's typed results serialise to exactly the JSON shapes the seeds document (key for
// key), and a tracker item written by another writer reads back as a Subscription.
#include <gtest/gtest.h>

#include <set>

#include "datamesh/admin.h"
#include "datamesh/data_product.h"
#include "datamesh/subscription.h"
#include "mesh/subscription_tracker.h"

namespace datamesh {
namespace {

using nlohmann::json;

std::set<std::string> KeysOf(const json& object) {
  std::set<std::string> keys;
  for (auto& [k, v] : object.items()) keys.insert(k);
  return keys;
}

Subscription Sample() {
  Subscription s;
  s.id = "abc";
  s.owner = "222222222222";
  s.subscriber = "333333333333";
  s.database = "sales-222222222222";
  s.tables = {"orders"};
  s.requested_grants = {"SELECT"};
  s.permitted_grants = {"SELECT"};
  s.grantable_grants = {};
  s.granted_table_arns = {"arn:aws:glue:us-east-1:111111111111:table/sales-222222222222/orders"};
  s.ram_shares = {{"LakeFormation-V3-X",
                   RamShare{"arn:aws:ram:us-east-1:111111111111:resource-share/x", "ACCEPTED"}}};
  s.status = SubscriptionStatus::kActive;
  s.notes = {"ok for Q3"};
  s.imported_to_consumer = true;
  s.creation_date = "2026-11-22 10:00:00";
  s.created_by = "arn:aws:sts::333333333333:assumed-role/DataMeshConsumer/c";
  s.updated_date = "2026-11-22 10:05:00";
  s.updated_by = "arn:aws:sts::222222222222:assumed-role/DataMeshProducer/p";
  s.history = {
      SubscriptionEvent{s.creation_date, s.created_by, "Request", SubscriptionStatus::kPending,
                        std::vector<std::string>{"SELECT"}, std::nullopt, std::nullopt},
      SubscriptionEvent{s.updated_date, s.updated_by, "Approve", SubscriptionStatus::kActive,
                        std::vector<std::string>{"SELECT"}, std::vector<std::string>{},
                        "ok for Q3"}};
  return s;
}

TEST(ResultShapesTest, SubscriptionHasEveryTrackerAttribute) {
  json j = Sample().ToJson();
  EXPECT_EQ(KeysOf(j),
            (std::set<std::string>{
                "SubscriptionId", "OwnerPrincipal", "SubscriberPrincipal", "DatabaseName",
                "TableName", "RequestedGrants", "PermittedGrants", "GrantableGrants",
                "GrantedTableARNs", "RamShares", "Status", "Notes", "ImportedToConsumer",
                "CreationDate", "CreatedBy", "UpdatedDate", "UpdatedBy", "History"}));
  EXPECT_EQ(j["Status"], "Active");
  EXPECT_EQ(j["TableName"], json::array({"orders"}));
  EXPECT_EQ(j["Notes"], json::array({"ok for Q3"}));
  EXPECT_EQ(j["ImportedToConsumer"], true);
  EXPECT_EQ(j["RamShares"]["LakeFormation-V3-X"]["status"], "ACCEPTED");
  ASSERT_EQ(j["History"].size(), 2u);
  EXPECT_EQ(KeysOf(j["History"][0]),
            (std::set<std::string>{"Time", "Principal", "Action", "Status", "Permissions"}));
  EXPECT_EQ(KeysOf(j["History"][1]),
            (std::set<std::string>{"Time", "Principal", "Action", "Status", "Permissions",
                                   "GrantablePermissions", "Note"}));
}

TEST(ResultShapesTest, ListsAndRequestsAsDocumented) {
  Subscription s = Sample();
  json pending = PendingRequestList{{PendingRequest::Of(s)}}.ToJson();
  ASSERT_EQ(KeysOf(pending), std::set<std::string>{"Subscriptions"});
  EXPECT_EQ(KeysOf(pending["Subscriptions"][0]),
            (std::set<std::string>{"SubscriptionId", "DatabaseName", "TableName", "RequestedGrants",
                                   "SubscriberPrincipal", "CreationDate", "CreatedBy"}));
  EXPECT_EQ(pending["Subscriptions"][0]["SubscriberPrincipal"], "333333333333");

  json mine = SubscriptionList{{s, s}}.ToJson();
  ASSERT_EQ(mine["Subscriptions"].size(), 2u);
  EXPECT_EQ(mine["Subscriptions"][1], s.ToJson());

  AccessRequest one{true, "sales-222222222222", {"orders"}, "abc", SubscriptionStatus::kPending};
  EXPECT_EQ(one.ToJson(), (json{{"Type", "Table"},
                                {"DatabaseName", "sales-222222222222"},
                                {"TableName", {"orders"}},
                                {"SubscriptionId", "abc"},
                                {"Status", "Pending"}}));
  AccessRequest many{false, "sales-222222222222", {"ord.*"}, "abd", SubscriptionStatus::kPending};
  EXPECT_EQ(many.ToJson()["Type"], "Tables");
}

TEST(ResultShapesTest, DataProductsAsDocumented) {
  DataProducts products{
      "sales-222222222222",
      {{"orders", "sales-222222222222", "orders", "sales-222222222222", "orders_link"}}};
  EXPECT_EQ(products.ToJson(), (json{{"DatabaseName", "sales-222222222222"},
                                     {"Tables",
                                      {{{"SourceTable", "orders"},
                                        {"TargetDatabase", "sales-222222222222"},
                                        {"TargetTable", "orders"},
                                        {"LinkDatabase", "sales-222222222222"},
                                        {"LinkTable", "orders_link"}}}}}));
  std::vector<DataProductTable> tables = {{"sales-222222222222", "orders", "s3://bucket/orders/"}};
  EXPECT_EQ(ToJson(tables), (json::array({{{"Database", "sales-222222222222"},
                                           {"TableName", "orders"},
                                           {"Location", "s3://bucket/orders/"}}})));
  EXPECT_EQ(ToJson(std::vector<DataProductTable>{}), json::array());
}

TEST(ResultShapesTest, AdminResultsAsDocumented) {
  AccountObjects local{"222222222222", "role", "policy", "user", "group"};
  EXPECT_EQ(local.ToJson(), (json{{"Account", "222222222222"},
                                  {"Role", "role"},
                                  {"User", "user"},
                                  {"Group", "group"},
                                  {"Policy", "policy"}}));
  MeshAccess mesh{"222222222222", "mesh-role", "mesh-policy", "trusted"};
  EXPECT_EQ(mesh.ToJson(), (json{{"Account", "222222222222"},
                                 {"MeshRole", "mesh-role"},
                                 {"Policy", "mesh-policy"},
                                 {"TrustedRole", "trusted"}}));
  BootstrappedAccount consumer_only;
  consumer_only.consumer = EnabledAccount{local, mesh};
  EXPECT_EQ(KeysOf(consumer_only.ToJson()), std::set<std::string>{"Consumer"});
  EXPECT_EQ(consumer_only.ToJson()["Consumer"],
            (json{{"Account", local.ToJson()}, {"Mesh", mesh.ToJson()}}));
  MeshAccountObjects objects;
  EXPECT_EQ(KeysOf(objects.ToJson()["SubscriptionTracker"]),
            (std::set<std::string>{"Table", "Stream"}));
}

TEST(ResultShapesTest, ItemOfTheExistingLibraryReadsBack) {
  // As the Python library writes it: grants as string sets, no History, no RamShares.
  json item = {{"SubscriptionId", {{"S", "abc"}}},
               {"OwnerPrincipal", {{"S", "222222222222"}}},
               {"SubscriberPrincipal", {{"S", "333333333333"}}},
               {"DatabaseName", {{"S", "sales"}}},
               {"TableName", {{"L", {{{"S", "orders"}}}}}},
               {"RequestedGrants", {{"SS", {"DESCRIBE", "SELECT"}}}},
               {"Status", {{"S", "Pending"}}},
               {"CreationDate", {{"S", "2026-01-01 00:00:00"}}},
               {"CreatedBy", {{"S", "someone"}}}};
  auto s = mesh::SubscriptionFromItem(item);
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  EXPECT_EQ(s->requested_grants, (std::vector<std::string>{"DESCRIBE", "SELECT"}));
  EXPECT_EQ(s->status, SubscriptionStatus::kPending);
  EXPECT_TRUE(s->history.empty());
  EXPECT_FALSE(s->imported_to_consumer);

  // History entries in a shape we do not know are skipped; known ones keep their fields.
  item["History"] = {{"L",
                      {{{"S", "not a map"}},
                       {{"M",
                         {{"Action", {{"S", "Request"}}},
                          {"Status", {{"S", "Pending"}}},
                          {"Time", {{"S", "t"}}},
                          {"Principal", {{"S", "p"}}},
                          {"Extra", {{"S", "ignored"}}}}}}}}};
  s = mesh::SubscriptionFromItem(item);
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(s->history.size(), 1u);
  EXPECT_EQ(s->history[0].action, "Request");
  EXPECT_EQ(
      s->history[0].ToJson(),
      (json{{"Time", "t"}, {"Principal", "p"}, {"Action", "Request"}, {"Status", "Pending"}}));

  item["Status"] = {{"S", "Approved"}};
  auto bad = mesh::SubscriptionFromItem(item);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code(), "InvalidSubscription");
}

TEST(ResultShapesTest, StatusNamesRoundTrip) {
  for (auto s : {SubscriptionStatus::kPending, SubscriptionStatus::kActive,
                 SubscriptionStatus::kDenied, SubscriptionStatus::kDeleted}) {
    EXPECT_EQ(ParseSubscriptionStatus(ToString(s)), s);
  }
  EXPECT_FALSE(ParseSubscriptionStatus("active").has_value());
}

}  // namespace
}  // namespace datamesh
