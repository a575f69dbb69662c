// The IAM policies the mesh writes grant what its personas do and no more: every workflow runs
// on the embedded mesh while the local mesh reports each identity decision, and every action a
// mesh policy allows must either have been used by a workflow or be listed below with the reason
// it is granted (what the persona's people and query engines do beyond our workflows).
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>

#include "aws/core/encoding.h"
#include "datamesh/local_mesh.h"
#include "datamesh/admin.h"
#include "datamesh/consumer.h"
#include "datamesh/events.h"
#include "datamesh/mesh_names.h"
#include "datamesh/producer.h"
#include "local/mesh_file.h"
#include "local/accounts/local_mesh_setup.h"
#include "local/policy/authorizer.h"
#include "mesh/demo_data.h"
#include "mesh/mesh_session.h"

namespace datamesh {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// Granted on purpose although no workflow of ours calls it, by role name.
const std::map<std::string, std::map<std::string, std::string>> kGrantedForPeople = {
    {"DataMeshProducer",
     {{"glue:GetDatabases", "the producer's people browse their catalog"},
      {"glue:GetTags", "the producer's people read tags"},
      {"glue:DeleteDatabase", "the producer's people drop link databases they no longer need"},
      {"lakeformation:GetDataLakeSettings", "checking who administers the account"},
      {"lakeformation:ListPermissions", "reviewing grants in the account"},
      {"lakeformation:GrantPermissions", "sharing linked products with principals of the account"},
      {"lakeformation:RevokePermissions", "taking such shares back"},
      {"lakeformation:GetDataAccess", "querying the products (Athena, Glue jobs)"},
      {"s3:DeleteBucketPolicy", "removing the last statement of a bucket policy"},
      {"iam:PassRole",
       "initialize_producer_account(crawler_role_arn): the producer's own crawlers"}}},
    {"DataMeshConsumer",
     {{"glue:GetDatabase", "the consumer's people read linked databases"},
      {"glue:GetDatabases", "the consumer's people browse their catalog"},
      {"glue:GetTable", "the consumer's people read linked tables"},
      {"glue:GetTables", "the consumer's people list linked tables"},
      {"glue:GetPartitions", "query engines read partitions through the links"},
      {"glue:GetTags", "the consumer's people read tags of mesh tables"},
      {"glue:CreateTable", "linking single tables"},
      {"glue:DeleteTable", "dropping such links"},
      {"lakeformation:GetDataLakeSettings", "checking who administers the account"},
      {"lakeformation:ListPermissions", "reviewing grants in the account"},
      {"lakeformation:GrantPermissions",
       "re-granting what it received grantable to its own principals"},
      {"lakeformation:RevokePermissions", "taking such grants back"},
      {"lakeformation:GetDataAccess", "querying the subscribed data (Athena, Glue jobs)"}}},
    {"DataMeshAdminReadOnly",
     {{"glue:GetDatabases", "browsing the mesh catalog"},
      {"glue:GetPartitions", "reading partitions of public products"},
      {"glue:GetTags", "reading tags of public products"},
      {"lakeformation:ListPermissions", "seeing who may use a product"},
      {"lakeformation:GetResourceLFTags", "reading products' domain and name tags"},
      {"lakeformation:GetLFTag", "reading the tags' values"},
      {"lakeformation:GetDataAccess", "previewing public products' data"},
      {"dynamodb:GetItem", "reading one subscription"},
      {"dynamodb:Query", "listing subscriptions"}}},
};

std::string RoleNameOf(const std::string& role_arn) {
  return role_arn.substr(role_arn.rfind('/') + 1);
}

class LeastPrivilegeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("datamesh-least-privilege-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    db_ = (dir_ / "mesh.db").string();
    auto keys = local::InitializeLocalMesh(**local::OpenMeshFile(db_), plan_);
    ASSERT_TRUE(keys.ok());
    for (const auto& k : *keys) keys_[k.role] = k;
    local::SetAuthorizationObserver([this](const local::Principal& caller,
                                           const std::string& action, const std::string&,
                                           local::Decision decision) {
      if (caller.is_role_session() && decision == local::Decision::kAllow)
        used_[caller.role_arn].insert(action);
    });
  }
  void TearDown() override {
    local::SetAuthorizationObserver(nullptr);
    fs::remove_all(dir_);
  }

  MeshOptions Options(const std::string& role) {
    MeshOptions o;
    o.data_mesh_account_id = plan_.mesh_account;
    EXPECT_TRUE(UseLocalMesh(o, db_).ok());
    const auto& k = keys_[role];
    o.use_credentials = AwsCredentials{k.account, k.access_key_id, k.secret_access_key, ""};
    o.eventual_consistency_timeout_seconds = 0;
    return o;
  }

  // The actions the managed policies attached to `role_names` (roles of the account whose
  // administrator is `admin`) allow, by role ARN.
  std::map<std::string, std::set<std::string>> GrantedActions(
      const std::string& admin, const std::vector<std::string>& role_names) {
    auto iam = (*mesh::MeshSession::Create(Options(admin)))->Iam();
    std::map<std::string, std::set<std::string>> out;
    for (const auto& name : role_names) {
      auto role = iam.GetRole(json{{"RoleName", name}});
      EXPECT_TRUE(role.ok()) << name;
      if (!role.ok()) continue;
      const std::string arn = (*role)["Role"]["Arn"];
      auto attached = iam.ListAttachedRolePolicies(json{{"RoleName", name}});
      EXPECT_TRUE(attached.ok());
      for (const auto& p : (*attached)["AttachedPolicies"]) {
        const std::string policy_arn = p["PolicyArn"];
        auto policy = iam.GetPolicy(json{{"PolicyArn", policy_arn}});
        const std::string version_id = (*policy)["Policy"]["DefaultVersionId"];
        auto version =
            iam.GetPolicyVersion(json{{"PolicyArn", policy_arn}, {"VersionId", version_id}});
        EXPECT_TRUE(version.ok());
        std::string text = (*version)["PolicyVersion"]["Document"];
        if (text.find('%') != std::string::npos) text = aws::UriDecode(text);
        const json document = json::parse(text);
        for (const auto& st : document["Statement"]) {
          if (st.value("Effect", "") != "Allow") continue;
          json actions = st["Action"].is_array() ? st["Action"] : json::array({st["Action"]});
          for (const auto& a : actions) out[arn].insert(a.get<std::string>());
        }
      }
    }
    return out;
  }

  fs::path dir_;
  std::string db_;
  local::LocalMeshPlan plan_;
  std::map<std::string, local::LocalAccountKeys> keys_;
  std::map<std::string, std::set<std::string>> used_;  // by role ARN
};

TEST_F(LeastPrivilegeTest, EveryGrantedActionIsUsedOrJustified) {
  const std::string producer_account = keys_["producer"].account,
                    consumer_account = keys_["consumer"].account;
  const std::string crawler_role = "arn:aws:iam::" + plan_.mesh_account + ":role/MeshSyncCrawler";
  ASSERT_TRUE(Admin::Create(Options("mesh"))->InitializeMeshAccount().ok());
  ASSERT_TRUE(
      BootstrapAccount(AccountType::kProducer, Options("mesh"), Options("producer"), crawler_role)
          .ok());
  ASSERT_TRUE(BootstrapAccount(AccountType::kConsumer, Options("mesh"), Options("consumer")).ok());
  ASSERT_TRUE(mesh::CreateDemoSourceData(Options("producer"), "sales").ok());
  ASSERT_TRUE(mesh::CreateDemoSourceData(Options("producer"), "hr").ok());
  {  // A source table carries an LF-tag the DataMeshProducer role may see: its tags are read.
    auto lf = (*mesh::MeshSession::Create(Options("producer")))->LakeFormation();
    ASSERT_TRUE(lf.CreateLFTag(json{{"TagKey", "sensitivity"}, {"TagValues", {"high"}}}).ok());
    ASSERT_TRUE(lf.AddLFTagsToResource(json{{"Resource", {{"Table", {{"DatabaseName", "sales"}, {"Name", "orders"}}}}},
                                            {"LFTags", {{{"TagKey", "sensitivity"}, {"TagValues", {"high"}}}}}})
                    .ok());
    const std::string role = "arn:aws:iam::" + producer_account + ":role" + names::kIamPath + names::kProducerRole;
    ASSERT_TRUE(lf.GrantPermissions(json{{"Principal", {{"DataLakePrincipalIdentifier", role}}},
                                         {"Resource", {{"LFTag", {{"TagKey", "sensitivity"}, {"TagValues", {"high"}}}}}},
                                         {"Permissions", {"DESCRIBE"}}})
                    .ok());
  }

  // Every producer and consumer workflow, with the roles they assume.
  auto producer = Producer::Create(Options("producer"));
  auto consumer = Consumer::Create(Options("consumer"));
  CreateDataProductsOptions publish;
  publish.source_database_name = "sales";
  publish.domain = "Retail";
  publish.data_product_name = "Sales";
  publish.sync_mesh_crawler_role_arn = crawler_role;
  auto products = producer->CreateDataProducts(publish);
  ASSERT_TRUE(products.ok()) << products.error().ToString();
  CreateDataProductsOptions migrate;
  migrate.source_database_name = "hr";
  migrate.domain = "People";  // a second value of the Domain tag
  auto migrated = producer->MigrateTablesToMesh(migrate);
  ASSERT_TRUE(migrated.ok()) << migrated.error().ToString();
  const std::string mesh_db = products->database_name;
  {  // The source changes: publishing again refreshes the mesh copy.
    auto glue = (*mesh::MeshSession::Create(Options("producer")))->Glue();
    auto orders = glue.GetTable(json{{"DatabaseName", "sales"}, {"Name", "orders"}});
    ASSERT_TRUE(orders.ok());
    json input = {{"Name", "orders"},
                  {"StorageDescriptor", (*orders)["Table"]["StorageDescriptor"]},
                  {"PartitionKeys", (*orders)["Table"]["PartitionKeys"]},
                  {"Description", "orders, now described"}};
    ASSERT_TRUE(glue.UpdateTable(json{{"DatabaseName", "sales"}, {"TableInput", input}}).ok());
    ASSERT_TRUE(producer->CreateDataProducts(publish).ok());
  }
  ASSERT_TRUE(producer->GetDataProduct(mesh_db, ".*").ok());
  auto orders = consumer->RequestAccessToProduct(producer_account, mesh_db, {"orders"},
                                                 {"SELECT", "DESCRIBE"});
  auto customers =
      consumer->RequestAccessToProduct(producer_account, mesh_db, {"cust.*"}, {"SELECT"});
  auto refused =
      consumer->RequestAccessToProduct(producer_account, mesh_db, {"orders"}, {"SELECT"});
  ASSERT_TRUE(orders.ok() && customers.ok() && refused.ok());
  ASSERT_TRUE(producer->ListPendingAccessRequests().ok());
  ApproveOptions approve;
  approve.request_id = orders->subscription_id;
  ASSERT_TRUE(producer->ApproveAccessRequest(approve).ok());
  approve.request_id = customers->subscription_id;
  ASSERT_TRUE(producer->ApproveAccessRequest(approve).ok());
  ASSERT_TRUE(producer->DenyAccessRequest(refused->subscription_id, "no").ok());
  ASSERT_TRUE(consumer->FinalizeSubscription(orders->subscription_id).ok());
  ASSERT_TRUE(consumer->ListProductAccess().ok());
  ASSERT_TRUE(consumer->GetSubscription(orders->subscription_id).ok());
  ASSERT_TRUE(consumer->GetTableInfo(mesh_db, "orders").ok());
  ASSERT_TRUE(producer->GetSubscription(orders->subscription_id).ok());
  ASSERT_TRUE(
      producer->UpdateSubscriptionPermissions(orders->subscription_id, {"SELECT"}, "less").ok());
  ASSERT_TRUE(producer->DeleteSubscription(orders->subscription_id, "done").ok());
  ASSERT_TRUE(consumer->DeleteSubscription(customers->subscription_id, "done").ok());
  ASSERT_TRUE(producer->RevokeGrantsOfDeletedSubscriptions().ok());
  // Rules that look at the tables' tags, and the events of all the above.
  ASSERT_TRUE(consumer->RequestAccessToProduct(producer_account, mesh_db, {"orders"}, {"DESCRIBE"}).ok());
  DecisionRules rules;
  DecisionRule tagged;
  tagged.name = "tagged";
  tagged.decision = DecisionRule::Decision::kDeny;
  tagged.table_tags = {{names::kDomainTag, "Retail"}};
  rules.rules = {tagged};
  auto ruled = producer->ProcessRequests(rules);
  ASSERT_TRUE(ruled.ok()) << ruled.error().ToString();
  auto feed = EventFeed::Create(Options("producer"), EventAudience::kProducer);
  ASSERT_TRUE(feed.ok()) << feed.error().ToString();
  auto events = feed->Read({}, {});
  ASSERT_TRUE(events.ok()) << events.error().ToString();
  EXPECT_FALSE(events->events.empty());

  std::vector<std::string> unjustified;
  // (DataMeshManager is the mesh administrators' role, not a workflow's.)
  const std::map<std::string, std::vector<std::string>> roles = {
      {"mesh",
       {"DataMeshAdminReadOnly", "DataMeshAdminProducer-" + producer_account,
        "DataMeshAdminConsumer-" + consumer_account}},
      {"producer", {"DataMeshProducer"}},
      {"consumer", {"DataMeshConsumer"}}};
  for (const auto& [admin, names] : roles) {
    const auto granted_by_role = GrantedActions(admin, names);
    EXPECT_EQ(granted_by_role.size(), names.size()) << "roles of " << admin;
    for (const auto& [role_arn, granted] : granted_by_role) {
      const std::string name = RoleNameOf(role_arn);
      EXPECT_FALSE(granted.empty()) << name;
      const auto justified = kGrantedForPeople.count(name) ? kGrantedForPeople.at(name)
                                                           : std::map<std::string, std::string>{};
      for (const auto& action : granted) {
        if (used_[role_arn].count(action) || justified.count(action)) continue;
        unjustified.push_back(name + ": " + action);
      }
      // A justification for what a workflow uses, or the role no longer has, is stale.
      for (const auto& [action, why] : justified) {
        EXPECT_TRUE(granted.count(action))
            << name << " is no longer granted " << action << " (" << why << ")";
        EXPECT_FALSE(used_[role_arn].count(action))
            << name << " uses " << action << ": its justification can go";
      }
    }
  }
  EXPECT_TRUE(unjustified.empty())
      << "granted, never used by a workflow, and not justified:\n  " << [&] {
           std::string all;
           for (const auto& u : unjustified) all += u + "\n  ";
           return all;
         }();
  // And the workflows did run as those roles.
  EXPECT_FALSE(used_["arn:aws:iam::" + plan_.mesh_account +
                     ":role/AwsDataMesh/DataMeshAdminProducer-" + producer_account]
                   .empty());
  EXPECT_FALSE(
      used_["arn:aws:iam::" + consumer_account + ":role/AwsDataMesh/DataMeshConsumer"].empty());
}

}  // namespace
}  // namespace datamesh
