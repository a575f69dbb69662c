// The reconciler's grant arithmetic on its own: the desired access from the records, where it
// differs from what is held, and the Lake Formation entries that close the difference.
#include "mesh/grant_plan.h"

#include <gtest/gtest.h>

namespace datamesh::mesh {
namespace {

const std::string kMesh = "111111111111";
const std::string kConsumer = "333333333333";

std::string TableArn(const std::string& db, const std::string& table) {
  return "arn:aws:glue:us-east-1:" + kMesh + ":table/" + db + "/" + table;
}

Subscription Active(std::vector<std::string> tables, std::vector<std::string> permitted, std::vector<std::string> grantable = {}) {
  Subscription s;
  s.subscriber = kConsumer;
  s.status = SubscriptionStatus::kActive;
  s.granted_table_arns = std::move(tables);
  s.permitted_grants = std::move(permitted);
  s.grantable_grants = std::move(grantable);
  return s;
}

AccessDrift Drift(ConsumerAccess desired, ConsumerAccess held) {
  AccessDrift d;
  d.consumer = kConsumer;
  d.desired = std::move(desired);
  d.held = std::move(held);
  CompareAccess(d);
  return d;
}

std::set<std::string> Strings(const Json& a) { return a.get<std::set<std::string>>(); }

TEST(GrantPlanTest, TwoSubscriptionsToOneTableAreOneGrantOfTheirUnion) {
  auto desired = DesiredAccessOf({Active({TableArn("sales", "orders")}, {"SELECT"}),
                                  Active({TableArn("sales", "orders"), TableArn("sales", "customers")}, {"DESCRIBE"}, {"DESCRIBE"})},
                                 {"sales"});
  ASSERT_EQ(desired.tables.size(), 2u);
  EXPECT_EQ(desired.tables["sales/orders"].permissions, (std::set<std::string>{"DESCRIBE", "SELECT"}));
  EXPECT_EQ(desired.tables["sales/orders"].grantable, (std::set<std::string>{"DESCRIBE"}));
  EXPECT_EQ(desired.databases, (std::set<std::string>{"sales"}));
}

TEST(GrantPlanTest, TablesOutsideTheProducersProductsAndMalformedArnsAreNotItsToGrant) {
  auto desired = DesiredAccessOf({Active({TableArn("other", "t"), "not-an-arn", TableArn("sales", "t")}, {"SELECT"})}, {"sales"});
  EXPECT_EQ(desired.tables.size(), 1u);
  EXPECT_TRUE(desired.tables.count("sales/t"));
}

TEST(GrantPlanTest, EndingOneSubscriptionKeepsWhatAnotherStillNeeds) {
  // The consumer held SELECT and DESCRIBE on orders from two subscriptions; the SELECT one ended.
  ConsumerAccess held;
  held.tables["sales/orders"] = {{"DESCRIBE", "SELECT"}, {}};
  held.databases = {"sales"};
  auto d = Drift(DesiredAccessOf({Active({TableArn("sales", "orders")}, {"DESCRIBE"})}, {"sales"}), held);
  auto changes = PlanGrantChanges(d, kMesh);
  EXPECT_TRUE(changes.grants.empty());
  ASSERT_EQ(changes.revokes.size(), 1u);
  EXPECT_EQ(Strings(changes.revokes[0]["Permissions"]), (std::set<std::string>{"SELECT"}));
  EXPECT_EQ(changes.revokes[0]["Resource"]["Table"]["Name"], "orders");
  EXPECT_EQ(changes.revokes[0]["Principal"]["DataLakePrincipalIdentifier"], kConsumer);
}

TEST(GrantPlanTest, AGrantOptionTravelsWithItsPermissionAndOptionsAloneAreRevokedApart) {
  ConsumerAccess held;
  held.tables["sales/orders"] = {{"SELECT", "DESCRIBE"}, {"SELECT", "DESCRIBE"}};
  held.databases = {"sales"};
  // Desired: SELECT kept without its option, DESCRIBE gone, INSERT new and grantable.
  ConsumerAccess desired;
  desired.tables["sales/orders"] = {{"SELECT", "INSERT"}, {"INSERT"}};
  desired.databases = {"sales"};
  auto changes = PlanGrantChanges(Drift(desired, held), kMesh);
  ASSERT_EQ(changes.grants.size(), 1u);
  EXPECT_EQ(Strings(changes.grants[0]["Permissions"]), (std::set<std::string>{"INSERT"}));
  EXPECT_EQ(Strings(changes.grants[0]["PermissionsWithGrantOption"]), (std::set<std::string>{"INSERT"}));
  ASSERT_EQ(changes.revokes.size(), 2u);
  EXPECT_EQ(changes.revokes[0]["Id"], "revoke:sales/orders");  // DESCRIBE with its option
  EXPECT_EQ(Strings(changes.revokes[0]["Permissions"]), (std::set<std::string>{"DESCRIBE"}));
  EXPECT_EQ(Strings(changes.revokes[0]["PermissionsWithGrantOption"]), (std::set<std::string>{"DESCRIBE"}));
  EXPECT_EQ(changes.revokes[1]["Id"], "options:sales/orders");  // SELECT's option alone
  EXPECT_TRUE(changes.revokes[1]["Permissions"].empty());
  EXPECT_EQ(Strings(changes.revokes[1]["PermissionsWithGrantOption"]), (std::set<std::string>{"SELECT"}));
}

TEST(GrantPlanTest, DatabasesAreDescribedWhileATableOfThemIsGrantedAndNoLonger) {
  ConsumerAccess held;
  held.databases = {"old"};
  held.tables["old/t"] = {{"SELECT"}, {}};
  auto d = Drift(DesiredAccessOf({Active({TableArn("sales", "orders")}, {"SELECT"})}, {"sales", "old"}), held);
  EXPECT_EQ(d.databases, (std::vector<std::string>{"old", "sales"}));
  EXPECT_EQ(d.tables, (std::vector<std::string>{"old/t", "sales/orders"}));
  auto changes = PlanGrantChanges(d, kMesh);
  std::set<std::string> granted, revoked;
  for (const auto& e : changes.grants) granted.insert(e["Id"]);
  for (const auto& e : changes.revokes) revoked.insert(e["Id"]);
  EXPECT_EQ(granted, (std::set<std::string>{"grant:sales/orders", "database:sales"}));
  EXPECT_EQ(revoked, (std::set<std::string>{"revoke:old/t", "database:old"}));
  for (const auto& e : changes.grants) {
    if (e["Id"] == "database:sales") {
      EXPECT_EQ(e["Resource"]["Database"]["Name"], "sales");
    }
  }
}

TEST(GrantPlanTest, InSyncAccessNeedsNoChange) {
  auto desired = DesiredAccessOf({Active({TableArn("sales", "orders")}, {"SELECT"}, {"SELECT"})}, {"sales"});
  auto d = Drift(desired, desired);
  EXPECT_TRUE(d.tables.empty() && d.databases.empty());
  auto changes = PlanGrantChanges(d, kMesh);
  EXPECT_TRUE(changes.grants.empty() && changes.revokes.empty());
}

TEST(GrantPlanTest, TableKeysOfArns) {
  EXPECT_EQ(TableKeyOfArn(TableArn("db", "t")), "db/t");
  EXPECT_EQ(TableKeyOfArn("arn:aws:glue:us-east-1:1:database/db"), "");
  EXPECT_EQ(TableKeyOfArn("arn:aws:glue:us-east-1:1:table/db/"), "");
  EXPECT_EQ(TableKeyOfArn("table/db/t"), "");
  EXPECT_EQ(DatabaseOfKey("db/t"), "db");
  EXPECT_EQ(TableOfKey("db/t"), "t");
}

}  // namespace
}  // namespace datamesh::mesh
