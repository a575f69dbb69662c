// Glue, Lake Formation, RAM and DynamoDB of the local mesh in process, through datamesh's own
// clients: the cross-account sharing path and the tracker-table operations.
#include <gtest/gtest.h>

#include <filesystem>

#include "aws/client/aws_session.h"
#include "aws/dynamodb/dynamodb_client.h"
#include "aws/glue/glue_client.h"
#include "aws/lakeformation/lakeformation_client.h"
#include "aws/ram/ram_client.h"
#include "fake_transport.h"
#include "local/mesh_file.h"
#include "local/accounts/local_mesh_setup.h"
#include "local/server/local_transport.h"

namespace datamesh::local {
namespace {

using aws::Json;

class LocalCatalogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("datamesh-catalog-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    store_ = *OpenMeshFile((dir_ / "mesh.db").string());
    handler_ = std::make_shared<MeshHandler>(store_, aws::Clock::System());
    auto keys = InitializeLocalMesh(*store_, plan_);
    ASSERT_TRUE(keys.ok());
    for (const auto& k : *keys) keys_[k.role] = k;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::shared_ptr<aws::AwsClient> Client(const std::string& role, const std::string& service) {
    aws::SessionOptions o;
    aws::Credentials c;
    c.access_key_id = keys_[role].access_key_id;
    c.secret_access_key = keys_[role].secret_access_key;
    o.credentials = c;
    o.region = "us-east-1";
    o.endpoint_url = kInProcessEndpoint;
    o.environment = aws::Environment();
    o.transport = std::make_shared<LocalTransport>(handler_);
    return *(*aws::AwsSession::Create(o))->Client(service);
  }

  std::filesystem::path dir_;
  LocalMeshPlan plan_;
  std::shared_ptr<Store> store_;
  std::shared_ptr<MeshHandler> handler_;
  std::map<std::string, LocalAccountKeys> keys_;
};

TEST_F(LocalCatalogTest, SharedTableBecomesVisibleOnlyAfterTheInvitationIsAccepted) {
  const std::string mesh = plan_.mesh_account, consumer = plan_.consumer_accounts[0];
  aws::GlueClient glue(Client("mesh", "glue"));
  ASSERT_TRUE(glue.CreateDatabase({{"DatabaseInput", {{"Name", "Sales"}}}}).ok());
  ASSERT_TRUE(glue.CreateTable({{"DatabaseName", "sales"},
                                {"TableInput", {{"Name", "orders"}, {"StorageDescriptor", {{"Location", "s3://b/o/"}}}}}})
                  .ok());
  aws::LakeFormationClient lf(Client("mesh", "lakeformation"));
  Json table = {{"Table", {{"CatalogId", mesh}, {"DatabaseName", "sales"}, {"Name", "orders"}}}};
  auto grant = lf.GrantPermissions({{"Principal", {{"DataLakePrincipalIdentifier", consumer}}},
                                    {"Resource", table},
                                    {"Permissions", {"SELECT", "DESCRIBE"}}});
  ASSERT_TRUE(grant.ok()) << grant.error().ToString();

  aws::GlueClient consumer_glue(Client("consumer", "glue"));
  auto hidden = consumer_glue.GetTable({{"CatalogId", mesh}, {"DatabaseName", "sales"}, {"Name", "orders"}});
  ASSERT_FALSE(hidden.ok());
  EXPECT_EQ(hidden.error().code(), "AccessDeniedException");

  aws::RamClient ram(Client("consumer", "ram"));
  auto invitations = ram.GetResourceShareInvitationsAllPages();
  ASSERT_TRUE(invitations.ok()) << invitations.error().ToString();
  ASSERT_EQ((*invitations)["resourceShareInvitations"].size(), 1u);
  const Json& inv = (*invitations)["resourceShareInvitations"][0];
  EXPECT_EQ(inv["status"], "PENDING");
  ASSERT_TRUE(ram.AcceptResourceShareInvitation({{"resourceShareInvitationArn", inv["resourceShareInvitationArn"]}}).ok());

  auto visible = consumer_glue.GetTable({{"CatalogId", mesh}, {"DatabaseName", "sales"}, {"Name", "orders"}});
  ASSERT_TRUE(visible.ok()) << visible.error().ToString();
  EXPECT_EQ((*visible)["Table"]["StorageDescriptor"]["Location"], "s3://b/o/");

  auto listed = lf.ListPermissionsAllPages({{"Resource", table}});
  ASSERT_TRUE(listed.ok());
  bool shared = false;
  for (const auto& p : (*listed)["PrincipalResourcePermissions"]) {
    shared |= p["Principal"]["DataLakePrincipalIdentifier"] == consumer && p.contains("AdditionalDetails");
  }
  EXPECT_TRUE(shared);

  ASSERT_TRUE(lf.RevokePermissions({{"Principal", {{"DataLakePrincipalIdentifier", consumer}}},
                                    {"Resource", table},
                                    {"Permissions", {"SELECT", "DESCRIBE"}}})
                  .ok());
  EXPECT_EQ(consumer_glue.GetTable({{"CatalogId", mesh}, {"DatabaseName", "sales"}, {"Name", "orders"}}).error().code(),
            "AccessDeniedException");
  auto again = lf.RevokePermissions({{"Principal", {{"DataLakePrincipalIdentifier", consumer}}},
                                     {"Resource", table},
                                     {"Permissions", {"SELECT"}}});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code(), "InvalidInputException");
}

TEST_F(LocalCatalogTest, BatchGrantReportsEachFailure) {
  aws::GlueClient glue(Client("producer", "glue"));
  ASSERT_TRUE(glue.CreateDatabase({{"DatabaseInput", {{"Name", "db"}}}}).ok());
  aws::LakeFormationClient lf(Client("producer", "lakeformation"));
  auto out = lf.BatchGrantPermissions(
      {{"Entries",
        {{{"Id", "ok"}, {"Principal", {{"DataLakePrincipalIdentifier", plan_.consumer_accounts[0]}}},
          {"Resource", {{"Database", {{"Name", "db"}}}}}, {"Permissions", {"DESCRIBE"}}},
         {{"Id", "bad"}, {"Principal", {{"DataLakePrincipalIdentifier", plan_.consumer_accounts[0]}}},
          {"Resource", {{"Database", {{"Name", "missing"}}}}}, {"Permissions", {"DESCRIBE"}}}}}});
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  ASSERT_EQ((*out)["Failures"].size(), 1u);
  EXPECT_EQ((*out)["Failures"][0]["RequestEntry"]["Id"], "bad");
  EXPECT_EQ((*out)["Failures"][0]["Error"]["ErrorCode"], "EntityNotFoundException");
}

TEST_F(LocalCatalogTest, TrackerTableConditionalTransitions) {
  aws::DynamoDbClient ddb(Client("mesh", "dynamodb"));
  auto created = ddb.CreateTable({{"TableName", "AwsDataMeshSubscriptions"},
                                  {"BillingMode", "PAY_PER_REQUEST"},
                                  {"AttributeDefinitions", {{{"AttributeName", "SubscriptionId"}, {"AttributeType", "S"}}}},
                                  {"KeySchema", {{{"AttributeName", "SubscriptionId"}, {"KeyType", "HASH"}}}},
                                  {"StreamSpecification", {{"StreamEnabled", true}, {"StreamViewType", "NEW_AND_OLD_IMAGES"}}}});
  ASSERT_TRUE(created.ok()) << created.error().ToString();
  EXPECT_TRUE((*created)["TableDescription"].contains("LatestStreamArn"));
  ASSERT_TRUE(ddb.PutItem({{"TableName", "AwsDataMeshSubscriptions"},
                           {"Item", {{"SubscriptionId", {{"S", "s1"}}}, {"Status", {{"S", "Pending"}}}}}})
                  .ok());
  Json approve = {{"TableName", "AwsDataMeshSubscriptions"},
                  {"Key", {{"SubscriptionId", {{"S", "s1"}}}}},
                  {"UpdateExpression", "SET #s = :active"},
                  {"ConditionExpression", "#s IN (:pending, :denied)"},
                  {"ExpressionAttributeNames", {{"#s", "Status"}}},
                  {"ExpressionAttributeValues", {{":active", {{"S", "Active"}}}, {":pending", {{"S", "Pending"}}}, {":denied", {{"S", "Denied"}}}}},
                  {"ReturnValues", "ALL_NEW"}};
  auto first = ddb.UpdateItem(approve);
  ASSERT_TRUE(first.ok()) << first.error().ToString();
  EXPECT_EQ((*first)["Attributes"]["Status"]["S"], "Active");
  auto second = ddb.UpdateItem(approve);  // Active -> Active through this condition is refused
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code(), "ConditionalCheckFailedException");
}

}  // namespace
}  // namespace datamesh::local
