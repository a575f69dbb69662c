// The Admin workflows end to end on the embedded local mesh, with the resulting state checked
// through the AWS APIs: roles, trust and permission policies, users and groups, Lake Formation
// settings and grants, the catalog policy, the tracker table; reruns and refusals.
#include <gtest/gtest.h>

#include <set>

#include <filesystem>

#include "datamesh/local_mesh.h"
#include "datamesh/admin.h"
#include "datamesh/mesh_names.h"
#include "local/mesh_file.h"
#include "local/accounts/local_mesh_setup.h"
#include "mesh/mesh_session.h"
#include "fake_transport.h"

namespace datamesh {
namespace {

using nlohmann::json;

class MeshAdminTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("datamesh-admin-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = (dir_ / "mesh.db").string();
    auto store = local::OpenMeshFile(db_);
    ASSERT_TRUE(store.ok());
    auto keys = local::InitializeLocalMesh(**store, plan_);
    ASSERT_TRUE(keys.ok());
    for (const auto& k : *keys) keys_[k.role] = k;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  MeshOptions Options(const std::string& role) {
    MeshOptions o;
    o.data_mesh_account_id = plan_.mesh_account;
    EXPECT_TRUE(UseLocalMesh(o, db_).ok());
    o.use_credentials = AwsCredentials{keys_[role].account, keys_[role].access_key_id, keys_[role].secret_access_key, ""};
    return o;
  }
  std::shared_ptr<mesh::MeshSession> Session(const std::string& role) { return *mesh::MeshSession::Create(Options(role)); }
  Admin AdminOf(const std::string& role) { return *Admin::Create(Options(role)); }

  std::filesystem::path dir_;
  std::string db_;
  local::LocalMeshPlan plan_;
  std::map<std::string, local::LocalAccountKeys> keys_;
};

TEST_F(MeshAdminTest, InitializeMeshAccountCreatesEveryObjectOnceAndCanRunAgain) {
  auto first = AdminOf("mesh").InitializeMeshAccount();
  ASSERT_TRUE(first.ok()) << first.error().ToString();
  const std::string mesh = plan_.mesh_account;
  EXPECT_EQ(first->manager_role_arn, "arn:aws:iam::" + mesh + ":role/AwsDataMesh/DataMeshManager");
  EXPECT_EQ(first->read_only_role_arn, "arn:aws:iam::" + mesh + ":role/AwsDataMesh/DataMeshAdminReadOnly");
  EXPECT_EQ(first->tracker_table_arn, "arn:aws:dynamodb:us-east-1:" + mesh + ":table/AwsDataMeshSubscriptions");
  EXPECT_FALSE(first->tracker_stream_arn.empty());
  json out = first->ToJson();
  EXPECT_EQ(out["SubscriptionTracker"]["Table"], first->tracker_table_arn);

  auto s = Session("mesh");
  auto iam = s->Iam();
  auto attached = iam.ListAttachedRolePolicies({{"RoleName", "DataMeshManager"}});
  ASSERT_TRUE(attached.ok());
  EXPECT_EQ((*attached)["AttachedPolicies"][0]["PolicyName"], "DataMeshManagerPolicy");
  auto group = iam.GetGroup({{"GroupName", "DataMeshManagerGroup"}});
  ASSERT_TRUE(group.ok());
  EXPECT_EQ((*group)["Users"][0]["UserName"], "DataMeshManager");
  auto tags = iam.GetRole({{"RoleName", "DataMeshManager"}});
  EXPECT_EQ((*tags)["Role"]["Tags"][0]["Value"], "DataMeshUtils");

  auto settings = s->LakeFormation().GetDataLakeSettings(json::object());
  ASSERT_TRUE(settings.ok());
  std::set<std::string> admins;
  for (const auto& a : (*settings)["DataLakeSettings"]["DataLakeAdmins"]) admins.insert(a["DataLakePrincipalIdentifier"]);
  EXPECT_TRUE(admins.count(first->manager_role_arn));
  EXPECT_TRUE(admins.count(keys_["mesh"].user_arn));
  EXPECT_TRUE((*settings)["DataLakeSettings"]["CreateDatabaseDefaultPermissions"].empty());

  auto policy = s->Glue().GetResourcePolicy(json::object());
  ASSERT_TRUE(policy.ok()) << policy.error().ToString();
  json doc = json::parse((*policy)["PolicyInJson"].get<std::string>());
  ASSERT_EQ(doc["Statement"].size(), 1u);
  EXPECT_EQ(doc["Statement"][0]["Action"], "glue:ShareResource");

  auto table = s->DynamoDb().DescribeTable({{"TableName", "AwsDataMeshSubscriptions"}});
  ASSERT_TRUE(table.ok());
  EXPECT_EQ((*table)["Table"]["GlobalSecondaryIndexes"].size(), 4u);
  EXPECT_EQ((*table)["Table"]["StreamSpecification"]["StreamViewType"], "NEW_AND_OLD_IMAGES");

  // Again: the same objects, nothing duplicated, no needless policy versions.
  auto second = AdminOf("mesh").InitializeMeshAccount();
  ASSERT_TRUE(second.ok()) << second.error().ToString();
  EXPECT_EQ(second->ToJson(), first->ToJson());
  auto again = s->Glue().GetResourcePolicy(json::object());
  EXPECT_EQ(json::parse((*again)["PolicyInJson"].get<std::string>())["Statement"].size(), 1u);
  auto versions = iam.ListPolicyVersions({{"PolicyArn", "arn:aws:iam::" + mesh + ":policy/AwsDataMesh/DataMeshManagerPolicy"}});
  EXPECT_EQ((*versions)["Versions"].size(), 1u);
}

TEST_F(MeshAdminTest, ProducerSidesTrustEachOtherAndTheRoleChainWorks) {
  ASSERT_TRUE(AdminOf("mesh").InitializeMeshAccount().ok());
  const std::string producer = plan_.producer_accounts[0];
  auto before = AdminOf("mesh").EnableAccountAsProducer(producer);
  ASSERT_FALSE(before.ok());
  EXPECT_EQ(before.error().code(), "AccountNotInitialized");

  auto local = AdminOf("producer").InitializeProducerAccount();
  ASSERT_TRUE(local.ok()) << local.error().ToString();
  EXPECT_EQ(local->role_arn, "arn:aws:iam::" + producer + ":role/AwsDataMesh/DataMeshProducer");
  auto remote = AdminOf("mesh").EnableAccountAsProducer(producer);
  ASSERT_TRUE(remote.ok()) << remote.error().ToString();
  EXPECT_EQ(remote->mesh_role_arn, "arn:aws:iam::" + plan_.mesh_account + ":role/AwsDataMesh/DataMeshAdminProducer-" + producer);

  // The read-only role now trusts the producer's role, and still the mesh account.
  auto ro = Session("mesh")->Iam().GetRole({{"RoleName", "DataMeshAdminReadOnly"}});
  std::string trust = (*ro)["Role"]["AssumeRolePolicyDocument"];
  EXPECT_NE(trust.find(local->role_arn), std::string::npos);
  EXPECT_NE(trust.find("arn:aws:iam::" + plan_.mesh_account + ":root"), std::string::npos);

  // Producer admin -> DataMeshProducer -> DataMeshAdminProducer-<id> in the mesh.
  auto as_local = Session("producer")->AssumeRole(local->role_arn, "producer-local", std::chrono::seconds(1));
  ASSERT_TRUE(as_local.ok()) << as_local.error().ToString();
  auto as_mesh = (*as_local)->AssumeRole(remote->mesh_role_arn, "producer-mesh", std::chrono::seconds(1));
  ASSERT_TRUE(as_mesh.ok()) << as_mesh.error().ToString();
  auto who = (*as_mesh)->Identity();
  ASSERT_TRUE(who.ok());
  EXPECT_EQ(who->account, plan_.mesh_account);
  // The producer's mesh role may create databases, but is not a data lake administrator.
  auto created = (*as_mesh)->Glue().CreateDatabase({{"DatabaseInput", {{"Name", "product-db"}}}});
  EXPECT_TRUE(created.ok()) << created.error().ToString();
  // (Its own policy does not even let it read the settings.)
  EXPECT_EQ((*as_mesh)->LakeFormation().GetDataLakeSettings(json::object()).error().code(), "AccessDeniedException");
  auto settings = Session("mesh")->LakeFormation().GetDataLakeSettings(json::object());
  ASSERT_TRUE(settings.ok());
  for (const auto& a : (*settings)["DataLakeSettings"]["DataLakeAdmins"]) {
    EXPECT_NE(a["DataLakePrincipalIdentifier"], remote->mesh_role_arn);
  }
  // And running both halves again changes nothing and reports the same objects.
  auto local_again = AdminOf("producer").InitializeProducerAccount();
  ASSERT_TRUE(local_again.ok()) << local_again.error().ToString();
  EXPECT_EQ(*local_again, *local);
  auto remote_again = AdminOf("mesh").EnableAccountAsProducer(producer);
  ASSERT_TRUE(remote_again.ok()) << remote_again.error().ToString();
  EXPECT_EQ(*remote_again, *remote);
}

TEST_F(MeshAdminTest, BootstrapBothSetsUpBothSides) {
  ASSERT_TRUE(AdminOf("mesh").InitializeMeshAccount().ok());
  auto type = ParseAccountType("both");
  ASSERT_TRUE(type.ok());
  auto out = BootstrapAccount(*type, Options("mesh"), Options("consumer"));
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  ASSERT_TRUE(out->producer && out->consumer);
  EXPECT_EQ(out->producer->account.account, out->consumer->account.account);
  auto iam = Session("mesh")->Iam();
  const std::string account = plan_.consumer_accounts[0];
  EXPECT_TRUE(iam.GetRole({{"RoleName", "DataMeshAdminProducer-" + account}}).ok());
  EXPECT_TRUE(iam.GetRole({{"RoleName", "DataMeshAdminConsumer-" + account}}).ok());
  auto local_iam = Session("consumer")->Iam();
  EXPECT_TRUE(local_iam.GetRole({{"RoleName", "DataMeshProducer"}}).ok());
  EXPECT_TRUE(local_iam.GetRole({{"RoleName", "DataMeshConsumer"}}).ok());
  EXPECT_FALSE(ParseAccountType("observer").ok());
}

TEST_F(MeshAdminTest, AccountsWaitForTheMeshToBeInstalled) {
  auto out = BootstrapAccount(AccountType::kProducer, Options("mesh"), Options("producer"));
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code(), "MeshNotInstalled");
  // Nothing was created on either side.
  EXPECT_EQ(Session("producer")->Iam().GetRole({{"RoleName", "DataMeshProducer"}}).error().code(), "NoSuchEntity");
  EXPECT_EQ(Session("mesh")->Iam().GetRole({{"RoleName", "DataMeshAdminReadOnly"}}).error().code(), "NoSuchEntity");
}

TEST_F(MeshAdminTest, RefusesTheWrongAccountAndNonAdministrators) {
  auto in_mesh = AdminOf("mesh").InitializeProducerAccount();
  ASSERT_FALSE(in_mesh.ok());
  EXPECT_EQ(in_mesh.error().code(), "WrongAccount");
  auto from_producer = AdminOf("producer").InitializeMeshAccount();
  ASSERT_FALSE(from_producer.ok());
  EXPECT_EQ(from_producer.error().code(), "WrongAccount");
  auto bad_id = AdminOf("mesh").EnableAccountAsConsumer("12345");
  ASSERT_FALSE(bad_id.ok());
  EXPECT_EQ(bad_id.error().code(), "InvalidArgument");
  MeshOptions bad = Options("mesh");
  bad.data_mesh_account_id = "mesh";
  EXPECT_FALSE(Admin::Create(bad).ok());
  // A producer administrator who is not a data lake administrator is refused.
  auto lf = Session("producer")->LakeFormation();
  ASSERT_TRUE(lf.PutDataLakeSettings({{"DataLakeSettings", {{"DataLakeAdmins", json::array()}}}}).ok());
  auto refused = AdminOf("producer").InitializeProducerAccount();
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code(), "NotDataLakeAdmin");
}

// The tracker as the Python library makes it: the Owner and Subscriber indexes only.
void MakePythonLibraryTracker(aws::DynamoDbClient& ddb) {
  auto key = [](const char* name, const char* type) { return json{{"AttributeName", name}, {"KeyType", type}}; };
  auto created = ddb.CreateTable(
      {{"TableName", "AwsDataMeshSubscriptions"},
       {"BillingMode", "PAY_PER_REQUEST"},
       {"AttributeDefinitions", json::array({{{"AttributeName", "SubscriptionId"}, {"AttributeType", "S"}},
                                             {{"AttributeName", "OwnerPrincipal"}, {"AttributeType", "S"}},
                                             {{"AttributeName", "Status"}, {"AttributeType", "S"}},
                                             {{"AttributeName", "SubscriberPrincipal"}, {"AttributeType", "S"}}})},
       {"KeySchema", json::array({key("SubscriptionId", "HASH")})},
       {"GlobalSecondaryIndexes",
        json::array({{{"IndexName", "AwsDataMeshSubscriptions-Owner"},
                      {"KeySchema", json::array({key("OwnerPrincipal", "HASH"), key("Status", "RANGE")})},
                      {"Projection", {{"ProjectionType", "ALL"}}}},
                     {{"IndexName", "AwsDataMeshSubscriptions-Subscriber"},
                      {"KeySchema", json::array({key("SubscriberPrincipal", "HASH")})},
                      {"Projection", {{"ProjectionType", "ALL"}}}}})}});
  ASSERT_TRUE(created.ok()) << created.error().ToString();
}

// DynamoDB as it builds an index (UpdateTable API reference): the new index is CREATING (backfilling)
// for a while, and asking for another index on the table meanwhile is a LimitExceededException, as
// it is when the table holds all the indexes it may. Wraps the local mesh, which builds an index at
// once: after a Create, the next `busy_describes` DescribeTable answers show it CREATING.
class IndexBuildingDynamoDb : public aws::HttpTransport {
 public:
  struct Setting {
    int busy_describes = 3;
    bool another_index_building = false;  // the Owner index is being built at first
    bool at_index_limit = false;          // every Create is refused
  };
  IndexBuildingDynamoDb(std::shared_ptr<aws::HttpTransport> inner, Setting setting)
      : inner_(std::move(inner)), setting_(setting) {
    if (setting.another_index_building) Build("AwsDataMeshSubscriptions-Owner");
  }

  Outcome<aws::HttpResponse> Send(const aws::HttpRequest& request) override {
    const std::string target = request.headers.Get("X-Amz-Target").value_or("");
    if (target == "DynamoDB_20120810.UpdateTable") {
      if (setting_.at_index_limit || describes_left_ > 0) {
        if (describes_left_ > 0) ++updates_while_building;
        return LimitExceeded();
      }
      auto out = inner_->Send(request);
      if (out.ok() && out->status == 200) {
        Build(json::parse(request.body)["GlobalSecondaryIndexUpdates"][0]["Create"]["IndexName"]);
        created.push_back(building_);
      }
      return out;
    }
    auto out = inner_->Send(request);
    if (target == "DynamoDB_20120810.DescribeTable" && out.ok() && out->status == 200 && describes_left_ > 0) {
      --describes_left_;
      json table = json::parse(out->body);
      for (auto& g : table["Table"]["GlobalSecondaryIndexes"]) {
        if (g["IndexName"] == building_) g["IndexStatus"] = "CREATING";
      }
      out->body = table.dump();
    }
    return out;
  }

  std::vector<std::string> created;  // the indexes created, in order
  int updates_while_building = 0;    // Creates asked for while an index was CREATING

 private:
  void Build(const std::string& index) {
    building_ = index;
    describes_left_ = setting_.busy_describes;
  }
  static aws::HttpResponse LimitExceeded() {
    aws::HttpResponse r;
    r.status = 400;
    r.body = json{{"__type", "com.amazonaws.dynamodb.v20120810#LimitExceededException"},
                  {"message", "Subscriber limit exceeded: Only 1 online index can be created or deleted "
                              "simultaneously per table"}}.dump();
    return r;
  }

  std::shared_ptr<aws::HttpTransport> inner_;
  const Setting setting_;
  int describes_left_ = 0;
  std::string building_;
};

// A tracker made before datamesh's own indexes (by the Python library: two indexes) gains the
// Inbox and Pair indexes with UpdateTable, one at a time (as DynamoDB builds them), its items kept
// and found through the new indexes.
TEST_F(MeshAdminTest, AnOlderTrackerGainsDatameshsIndexes) {
  auto ddb = Session("mesh")->DynamoDb();
  MakePythonLibraryTracker(ddb);
  ASSERT_TRUE(ddb.PutItem({{"TableName", "AwsDataMeshSubscriptions"},
                           {"Item",
                            {{"SubscriptionId", {{"S", "legacy-1"}}},
                             {"Status", {{"S", "Active"}}},
                             {"OwnerPrincipal", {{"S", "222222222222"}}},
                             {"SubscriberPrincipal", {{"S", "333333333333"}}}}}})
                  .ok());
  ASSERT_TRUE(AdminOf("mesh").InitializeMeshAccount().ok());
  auto table = ddb.DescribeTable({{"TableName", "AwsDataMeshSubscriptions"}});
  ASSERT_TRUE(table.ok());
  std::set<std::string> indexes;
  for (const auto& g : (*table)["Table"]["GlobalSecondaryIndexes"]) indexes.insert(g["IndexName"]);
  EXPECT_EQ(indexes, (std::set<std::string>{"AwsDataMeshSubscriptions-Owner", "AwsDataMeshSubscriptions-Subscriber",
                                            "AwsDataMeshSubscriptions-Inbox", "AwsDataMeshSubscriptions-Pair"}));
  EXPECT_TRUE(ddb.GetItem({{"TableName", "AwsDataMeshSubscriptions"}, {"Key", {{"SubscriptionId", {{"S", "legacy-1"}}}}}})
                  ->contains("Item"));
  // The new index answers queries; a second UpdateTable for it is refused as AWS refuses it.
  auto inbox = ddb.Query({{"TableName", "AwsDataMeshSubscriptions"}, {"IndexName", "AwsDataMeshSubscriptions-Inbox"},
                          {"KeyConditionExpression", "InboxOwner = :o"},
                          {"ExpressionAttributeValues", {{":o", {{"S", "222222222222"}}}}}});
  ASSERT_TRUE(inbox.ok()) << inbox.error().ToString();
  auto pair = ddb.Query({{"TableName", "AwsDataMeshSubscriptions"}, {"IndexName", "AwsDataMeshSubscriptions-Pair"},
                         {"KeyConditionExpression", "OwnerPrincipal = :o AND SubscriberPrincipal = :s"},
                         {"ExpressionAttributeValues", {{":o", {{"S", "222222222222"}}}, {":s", {{"S", "333333333333"}}}}}});
  ASSERT_TRUE(pair.ok()) << pair.error().ToString();
  ASSERT_EQ((*pair)["Items"].size(), 1u);
  EXPECT_EQ((*pair)["Items"][0]["SubscriptionId"]["S"], "legacy-1");
  ASSERT_TRUE(AdminOf("mesh").InitializeMeshAccount().ok());
}

// On AWS an index takes a while to build and a table builds one at a time: installation asks for
// nothing while an index is being built (someone else's too), and waits for each new index to be
// ACTIVE before asking for the next.
class IndexBuildingTest : public MeshAdminTest {
 protected:
  Status Install(IndexBuildingDynamoDb::Setting setting) {
    auto ddb = Session("mesh")->DynamoDb();
    MakePythonLibraryTracker(ddb);
    MeshOptions o = Options("mesh");
    o.sleeper = sleeper;
    o.wrap_transport = [this, setting](std::shared_ptr<aws::HttpTransport> inner) -> std::shared_ptr<aws::HttpTransport> {
      if (!dynamodb) dynamodb = std::make_shared<IndexBuildingDynamoDb>(inner, setting);  // one DynamoDB
      return dynamodb;
    };
    auto installed = Admin::Create(o)->InitializeMeshAccount();
    if (!installed.ok()) return installed.error();
    return OkStatus();
  }
  std::shared_ptr<IndexBuildingDynamoDb> dynamodb;
  std::shared_ptr<aws::testing::RecordingSleeper> sleeper = std::make_shared<aws::testing::RecordingSleeper>();
};

TEST_F(IndexBuildingTest, TrackerIndexesAreAddedOneAtATimeAsDynamoDbBuildsThem) {
  IndexBuildingDynamoDb::Setting setting;
  setting.another_index_building = true;
  auto installed = Install(setting);
  ASSERT_TRUE(installed.ok()) << installed.error().ToString();
  ASSERT_TRUE(dynamodb);
  EXPECT_EQ(dynamodb->created, (std::vector<std::string>{"AwsDataMeshSubscriptions-Inbox", "AwsDataMeshSubscriptions-Pair"}));
  EXPECT_EQ(dynamodb->updates_while_building, 0);
  // Two looks at the Owner index being built (installation's first look found the table); then for
  // each new index its Create and three looks at it CREATING: 2 + 4 + 4 waits.
  EXPECT_EQ(sleeper->sleeps.size(), 10u);
  auto table = Session("mesh")->DynamoDb().DescribeTable({{"TableName", "AwsDataMeshSubscriptions"}});
  ASSERT_TRUE(table.ok());
  EXPECT_EQ((*table)["Table"]["GlobalSecondaryIndexes"].size(), 4u);
}

// LimitExceededException with nothing being built is the table's limit of indexes: reported at
// once, not waited on for an hour.
TEST_F(IndexBuildingTest, ATableAtItsIndexLimitIsReportedNotWaitedOn) {
  IndexBuildingDynamoDb::Setting setting;
  setting.at_index_limit = true;
  auto installed = Install(setting);
  ASSERT_FALSE(installed.ok());
  EXPECT_EQ(installed.error().code(), "LimitExceededException");
  // The client's own retries of what AWS SDKs count as throttling, not an hour's wait.
  std::chrono::milliseconds waited(0);
  for (auto d : sleeper->sleeps) waited += d;
  EXPECT_LT(waited, std::chrono::seconds(30));
}

// PutDataLakeSettings replaces the whole settings object (API reference), and our 2022 service
// model lacks members AWS added since (ReadOnlyAdmins, AllowFullTableExternalDataAccess, ...):
// install-mesh-objects edits the settings it read and must send those back unchanged.
TEST_F(MeshAdminTest, SettingsOurModelDoesNotKnowSurviveInstallation) {
  auto lf = Session("mesh")->LakeFormation();
  const json newer = {{"ReadOnlyAdmins", json::array({{{"DataLakePrincipalIdentifier", "arn:aws:iam::" + plan_.mesh_account + ":role/Auditor"}}})},
                      {"AllowFullTableExternalDataAccess", true},
                      {"Parameters", {{"CROSS_ACCOUNT_VERSION", "4"}}}};
  auto put = lf.PutDataLakeSettings({{"DataLakeSettings", {{"DataLakeAdmins", json::array()}, {"__unmodeled", newer}}}});
  ASSERT_TRUE(put.ok()) << put.error().ToString();
  ASSERT_TRUE(AdminOf("mesh").InitializeMeshAccount().ok());
  auto settings = lf.GetDataLakeSettings(json::object());
  ASSERT_TRUE(settings.ok());
  const json& got = (*settings)["DataLakeSettings"];
  ASSERT_TRUE(got.contains("__unmodeled")) << got.dump();
  EXPECT_EQ(got["__unmodeled"]["ReadOnlyAdmins"], newer["ReadOnlyAdmins"]);
  EXPECT_EQ(got["__unmodeled"]["AllowFullTableExternalDataAccess"], true);
  EXPECT_FALSE(got["DataLakeAdmins"].empty());  // the installation's own edit went through
}

}  // namespace
}  // namespace datamesh
