// The whole mesh flow on the embedded local mesh, through the library: install, enable, create a
// data product, request, approve, import, modify, delete; state checked through the AWS APIs
// after every step, and the refusals: consumer credentials cannot approve, a producer cannot
// approve another's subscription, a denied subscription cannot be imported, bad input changes nothing.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <mutex>

#include "datamesh/events.h"
#include "datamesh/local_mesh.h"
#include "datamesh/admin.h"
#include "datamesh/consumer.h"
#include "datamesh/mesh_names.h"
#include "datamesh/producer.h"
#include "local/accounts/local_mesh_setup.h"
#include "local/mesh_file.h"
#include "local/server/local_transport.h"
#include "mesh/mesh_policies.h"
#include "mesh/bucket_policy.h"
#include "mesh/demo_data.h"
#include "mesh/mesh_session.h"
#include "mesh/personas.h"
#include "mesh/event_records.h"
#include "mesh/grant_reconciler.h"
#include "mesh/subscription_tracker.h"

namespace datamesh {
namespace {

using nlohmann::json;

class MeshFlowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("datamesh-flow-" + std::to_string(::getpid()) + "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = (dir_ / "mesh.db").string();
    plan_.producer_accounts = {"222222222222", "444444444444"};
    auto keys = local::InitializeLocalMesh(**local::OpenMeshFile(db_), plan_);
    ASSERT_TRUE(keys.ok());
    for (const auto& k : *keys) keys_[k.account] = k;
    ASSERT_TRUE(Admin::Create(Options(plan_.mesh_account))->InitializeMeshAccount().ok());
    for (const auto& p : plan_.producer_accounts) {
      auto r = BootstrapAccount(AccountType::kProducer, Options(plan_.mesh_account), Options(p));
      ASSERT_TRUE(r.ok()) << r.error().ToString();
    }
    auto r = BootstrapAccount(AccountType::kConsumer, Options(plan_.mesh_account), Options(consumer_));
    ASSERT_TRUE(r.ok()) << r.error().ToString();
    MakeSourceData();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  MeshOptions Options(const std::string& account) {
    MeshOptions o;
    o.data_mesh_account_id = plan_.mesh_account;
    EXPECT_TRUE(UseLocalMesh(o, db_).ok());
    const auto& k = keys_[account];
    o.use_credentials = AwsCredentials{k.account, k.access_key_id, k.secret_access_key, ""};
    o.eventual_consistency_timeout_seconds = 2;
    return o;
  }
  std::shared_ptr<mesh::MeshSession> Session(const std::string& account) { return *mesh::MeshSession::Create(Options(account)); }

  void MakeSourceData() {
    auto s = Session(producer_);
    ASSERT_TRUE(s->S3().CreateBucket({{"Bucket", "producer-sales-data"}}).ok());
    auto glue = s->Glue();
    ASSERT_TRUE(glue.CreateDatabase({{"DatabaseInput", {{"Name", "sales"}}}}).ok());
    for (const char* t : {"orders", "customers", "scratch"}) {
      json input = {{"Name", t},
                    {"TableType", "EXTERNAL_TABLE"},
                    {"StorageDescriptor", {{"Columns", {{{"Name", "id"}, {"Type", "string"}}}},
                                           {"Location", std::string("s3://producer-sales-data/") + t + "/"}}},
                    {"PartitionKeys", {{{"Name", "year"}, {"Type", "string"}}}}};
      ASSERT_TRUE(glue.CreateTable({{"DatabaseName", "sales"}, {"TableInput", input}}).ok());
    }
    ASSERT_TRUE(glue.BatchCreatePartition({{"DatabaseName", "sales"}, {"TableName", "orders"},
                                           {"PartitionInputList", {{{"Values", {"2024"}}}, {{"Values", {"2025"}}}}}})
                    .ok());
  }

  CreateDataProductsOptions Products() {
    CreateDataProductsOptions o;
    o.source_database_name = "sales";
    o.table_name_regex = "orders|customers";
    o.domain = "Retail";
    o.data_product_name = "SalesData";
    return o;
  }

  // Approves each subscription as requested.
  // Two subscriptions of one consumer need SELECT on orders; deleting the wider one takes away
  // only what the narrower does not need.
  void DeleteOneOfTwoOnTheSameTable() {
    auto producer = Producer::Create(Options(producer_));
    ASSERT_TRUE(producer->CreateDataProducts(Products()).ok());
    auto consumer = Consumer::Create(Options(consumer_));
    const std::string mesh_db = "sales-" + producer_;
    const std::string narrow = consumer->RequestAccessToProduct(producer_, mesh_db, {"orders"}, {"SELECT"})->subscription_id;
    const std::string wide =
        consumer->RequestAccessToProduct(producer_, mesh_db, {"orders", "customers"}, {"SELECT", "DESCRIBE"})->subscription_id;
    ApproveAsRequested(*producer, {narrow, wide});
    ASSERT_TRUE(producer->DeleteSubscription(wide, "ended").ok());
    auto on = [&](const std::string& t) { return ConsumerGrantsOn(mesh_db, t); };
    ASSERT_EQ(on("orders").size(), 1u);
    EXPECT_EQ(on("orders")[0]["Permissions"], json::array({"SELECT"}));  // the narrow one's SELECT stays
    EXPECT_TRUE(on("customers").empty());
  }

  void ApproveAsRequested(Producer& producer, const std::vector<std::string>& ids) {
    for (const auto& id : ids) {
      ApproveOptions approve;
      approve.request_id = id;
      auto approved = producer.ApproveAccessRequest(approve);
      ASSERT_TRUE(approved.ok()) << approved.error().ToString();
    }
  }
  // The consumer account's Lake Formation permissions on a table of a mesh database.
  json ConsumerGrantsOn(const std::string& database, const std::string& table) {
    json resource = {{"Table", {{"DatabaseName", database}, {"Name", table}}}};
    auto out = Session(plan_.mesh_account)->LakeFormation().ListPermissions(
        {{"Principal", {{"DataLakePrincipalIdentifier", consumer_}}}, {"Resource", resource}});
    EXPECT_TRUE(out.ok());
    return out.ok() ? (*out)["PrincipalResourcePermissions"] : json::array();
  }

  std::filesystem::path dir_;
  std::string db_;
  local::LocalMeshPlan plan_;
  std::map<std::string, local::LocalAccountKeys> keys_;
  const std::string producer_ = "222222222222", other_producer_ = "444444444444", consumer_ = "333333333333";
};

TEST_F(MeshFlowTest, CreateRequestApproveImportModifyDelete) {
  auto producer = Producer::Create(Options(producer_));
  ASSERT_TRUE(producer.ok());
  auto products = producer->CreateDataProducts(Products());
  ASSERT_TRUE(products.ok()) << products.error().ToString();
  const std::string mesh_db = "sales-" + producer_;
  EXPECT_EQ(products->database_name, mesh_db);
  ASSERT_EQ(products->tables.size(), 2u);
  EXPECT_EQ(products->tables[0].link_table, products->tables[0].source_table + "_link");

  // In the mesh: the copied tables and partitions, the tags, the grants.
  auto mesh = Session(plan_.mesh_account);
  auto orders = mesh->Glue().GetTable({{"DatabaseName", mesh_db}, {"Name", "orders"}});
  ASSERT_TRUE(orders.ok()) << orders.error().ToString();
  EXPECT_EQ((*orders)["Table"]["StorageDescriptor"]["Location"], "s3://producer-sales-data/orders/");
  EXPECT_EQ((*mesh->Glue().GetPartitions({{"DatabaseName", mesh_db}, {"TableName", "orders"}}))["Partitions"].size(), 2u);
  auto tags = mesh->LakeFormation().GetResourceLFTags({{"Resource", {{"Table", {{"DatabaseName", mesh_db}, {"Name", "orders"}}}}}});
  ASSERT_TRUE(tags.ok());
  EXPECT_EQ((*tags)["LFTagsOnTable"].size(), 2u);
  auto perms = mesh->LakeFormation().ListPermissions({{"Resource", {{"Table", {{"DatabaseName", mesh_db}, {"Name", "orders"}}}}}});
  std::map<std::string, json> by_principal;
  for (const auto& p : (*perms)["PrincipalResourcePermissions"]) by_principal[p["Principal"]["DataLakePrincipalIdentifier"]] = p;
  ASSERT_TRUE(by_principal.count(producer_));
  EXPECT_TRUE(by_principal[producer_].contains("AdditionalDetails"));
  EXPECT_TRUE(by_principal.count("arn:aws:iam::" + plan_.mesh_account + ":role/AwsDataMesh/DataMeshManager"));
  EXPECT_TRUE(by_principal.count("arn:aws:iam::" + plan_.mesh_account + ":role/AwsDataMesh/DataMeshAdminReadOnly"));
  // In the producer account: the accepted share's link, and the bucket policy for the mesh.
  auto local = Session(producer_);
  auto link = local->Glue().GetTable({{"DatabaseName", mesh_db}, {"Name", "orders_link"}});
  ASSERT_TRUE(link.ok()) << link.error().ToString();
  EXPECT_EQ(link->at("Table")["TargetTable"]["CatalogId"], plan_.mesh_account);
  auto bucket_policy = local->S3().GetBucketPolicy({{"Bucket", "producer-sales-data"}});
  ASSERT_TRUE(bucket_policy.ok());
  EXPECT_NE((*bucket_policy)["Policy"].get<std::string>().find("AWSServiceRoleForLakeFormationDataAccess"), std::string::npos);
  // Running it again reports the same and duplicates nothing.
  auto again = producer->CreateDataProducts(Products());
  ASSERT_TRUE(again.ok()) << again.error().ToString();
  EXPECT_EQ(*again, *products);
  EXPECT_EQ(json::parse((*local->S3().GetBucketPolicy({{"Bucket", "producer-sales-data"}}))["Policy"].get<std::string>())["Statement"].size(), 1u);

  auto found = producer->GetDataProduct(mesh_db, "ord.*");
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ((*found)[0].location, "s3://producer-sales-data/orders/");

  // The consumer asks; asking again gives the same request.
  auto consumer = Consumer::Create(Options(consumer_));
  ASSERT_TRUE(consumer.ok());
  auto request = consumer->RequestAccessToProduct(producer_, mesh_db, {"orders"}, {"SELECT", "DESCRIBE"});
  ASSERT_TRUE(request.ok()) << request.error().ToString();
  const std::string id = request->subscription_id;
  EXPECT_EQ(consumer->RequestAccessToProduct(producer_, mesh_db, {"orders"}, {"DESCRIBE", "SELECT"})->subscription_id, id);
  auto pending = producer->ListPendingAccessRequests();
  ASSERT_TRUE(pending.ok());
  ASSERT_EQ(pending->subscriptions.size(), 1u);
  EXPECT_EQ(pending->subscriptions[0].subscriber, consumer_);
  EXPECT_EQ(consumer->FinalizeSubscription(id).error().code(), "NotActive");

  // Refusals: another producer, and consumer credentials acting as a producer.
  ApproveOptions approve;
  approve.request_id = id;
  approve.decision_notes = "welcome";
  EXPECT_EQ(Producer::Create(Options(other_producer_))->ApproveAccessRequest(approve).error().code(), "NotOwner");
  EXPECT_EQ(Producer::Create(Options(consumer_))->ApproveAccessRequest(approve).error().code(), "AccountNotSetUp");

  auto approved = producer->ApproveAccessRequest(approve);
  ASSERT_TRUE(approved.ok()) << approved.error().ToString();
  EXPECT_EQ(approved->status, SubscriptionStatus::kActive);
  // One share carries the grants between the two accounts (Lake Formation cross-account sharing
  // from version 2 on), the database's and the table's alike.
  EXPECT_EQ(approved->ram_shares.size(), 1u);
  EXPECT_EQ(approved->granted_table_arns[0], "arn:aws:glue:us-east-1:" + plan_.mesh_account + ":table/" + mesh_db + "/orders");

  // The consumer account is in the mesh catalog policy, for tag-based access to the product.
  auto catalog_policy = [&]() {
    auto p = Session(plan_.mesh_account)->Glue().GetResourcePolicy(json::object());
    return p.ok() ? json::parse((*p)["PolicyInJson"].get<std::string>())["Statement"] : json::array();
  };
  auto consumer_statement = [&]() {
    for (const auto& st : catalog_policy()) {
      if (st.value("Sid", "") == "DataMeshConsumer" + consumer_) return st;
    }
    return json();
  };
  const std::string glue_prefix = "arn:aws:glue:us-east-1:" + plan_.mesh_account + ":";
  EXPECT_EQ(consumer_statement()["Resource"],
            json::array({glue_prefix + "catalog", glue_prefix + "database/*", glue_prefix + "table/*/*"}));
  EXPECT_EQ(consumer_statement()["Condition"]["Bool"]["glue:EvaluatedByLakeFormationTags"], "true");
  EXPECT_EQ(consumer_statement()["Principal"]["AWS"], "arn:aws:iam::" + consumer_ + ":root");
  auto imported = consumer->FinalizeSubscription(id);
  ASSERT_TRUE(imported.ok()) << imported.error().ToString();
  EXPECT_TRUE(imported->imported_to_consumer);
  auto with_consumer = local->S3().GetBucketPolicy({{"Bucket", "producer-sales-data"}});
  EXPECT_NE((*with_consumer)["Policy"].get<std::string>().find("arn:aws:iam::" + consumer_ + ":root"), std::string::npos);
  auto info = consumer->GetTableInfo(mesh_db, "orders");
  ASSERT_TRUE(info.ok()) << info.error().ToString();
  EXPECT_EQ((*info)["Name"], "orders");
  auto consumer_link = Session(consumer_)->Glue().GetDatabase({{"Name", mesh_db}});
  ASSERT_TRUE(consumer_link.ok());
  EXPECT_EQ((*consumer_link)["Database"]["TargetDatabase"]["CatalogId"], plan_.mesh_account);
  EXPECT_EQ(consumer->ListProductAccess()->subscriptions.size(), 1u);

  // Modify: SELECT goes, DESCRIBE stays.
  auto modified = producer->UpdateSubscriptionPermissions(id, {"DESCRIBE"}, "read-only now");
  ASSERT_TRUE(modified.ok()) << modified.error().ToString();
  auto now = mesh->LakeFormation().ListPermissions({{"Principal", {{"DataLakePrincipalIdentifier", consumer_}}},
                                                    {"Resource", {{"Table", {{"DatabaseName", mesh_db}, {"Name", "orders"}}}}}});
  ASSERT_EQ((*now)["PrincipalResourcePermissions"].size(), 1u);
  EXPECT_EQ((*now)["PrincipalResourcePermissions"][0]["Permissions"], json::array({"DESCRIBE"}));

  // Delete: every grant goes, the record stays with its history.
  auto deleted = producer->DeleteSubscription(id, "project ended");
  ASSERT_TRUE(deleted.ok()) << deleted.error().ToString();
  EXPECT_EQ(deleted->status, SubscriptionStatus::kDeleted);
  EXPECT_TRUE(deleted->granted_table_arns.empty());  // nothing is granted any more
  EXPECT_FALSE(consumer_statement().is_null());  // the consumer account stays enabled in the mesh
  EXPECT_EQ(catalog_policy().size(), 2u);         // with the RAM statement
  auto without_consumer = local->S3().GetBucketPolicy({{"Bucket", "producer-sales-data"}});
  EXPECT_EQ((*without_consumer)["Policy"].get<std::string>().find("arn:aws:iam::" + consumer_ + ":root"), std::string::npos);
  // The consumer account no longer holds anything on the table.
  auto gone = Session(consumer_)->Glue().GetTable({{"CatalogId", plan_.mesh_account}, {"DatabaseName", mesh_db}, {"Name", "orders"}});
  EXPECT_EQ(gone.error().code(), "AccessDeniedException");
  auto record = producer->GetSubscription(id);
  ASSERT_TRUE(record.ok());
  std::vector<std::string> actions;
  for (const auto& h : record->history) actions.push_back(h.action);
  EXPECT_EQ(actions, (std::vector<std::string>{"Request", "Approve", "Import", "Modify", "Delete"}));
  // Deleting again only re-checks that no grant remains; the record stays Deleted.
  auto redo = producer->DeleteSubscription(id, "again");
  ASSERT_TRUE(redo.ok()) << redo.error().ToString();
  EXPECT_EQ(redo->status, SubscriptionStatus::kDeleted);
  // A denied or pending subscription cannot be deleted by the producer.
  const std::string other = consumer->RequestAccessToProduct(producer_, mesh_db, {"customers"}, {"SELECT"})->subscription_id;
  auto refused = producer->DeleteSubscription(other, "never approved");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code(), "InvalidTransition");
}

TEST_F(MeshFlowTest, ApprovalNeedsTheConsumerNamedInTheCatalogPolicy) {
  auto producer = Producer::Create(Options(producer_));
  ASSERT_TRUE(producer->CreateDataProducts(Products()).ok());
  const std::string mesh_db = "sales-" + producer_;
  const std::string id =
      Consumer::Create(Options(consumer_))->RequestAccessToProduct(producer_, mesh_db, {"orders"}, {"SELECT"})->subscription_id;
  // Someone took the consumer out of the catalog policy: nothing is granted, and the error says what to do.
  auto glue = Session(plan_.mesh_account)->Glue();
  auto current = glue.GetResourcePolicy(json::object());
  ASSERT_TRUE(current.ok());
  json doc = json::parse((*current)["PolicyInJson"].get<std::string>());
  json kept = json::array();
  for (const auto& st : doc["Statement"]) {
    if (st.value("Sid", "") != "DataMeshConsumer" + consumer_) kept.push_back(st);
  }
  doc["Statement"] = kept;
  ASSERT_TRUE(glue.PutResourcePolicy({{"PolicyInJson", doc.dump()}, {"EnableHybrid", "TRUE"}}).ok());
  ApproveOptions approve;
  approve.request_id = id;
  auto refused = producer->ApproveAccessRequest(approve);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code(), "ConsumerNotEnabled");
  EXPECT_NE(refused.error().message().find("enable-account"), std::string::npos);
  json who = {{"DataLakePrincipalIdentifier", consumer_}};
  json table = {{"Table", {{"DatabaseName", mesh_db}, {"Name", "orders"}}}};
  auto lf = Session(plan_.mesh_account)->LakeFormation();
  EXPECT_TRUE((*lf.ListPermissions({{"Principal", who}, {"Resource", table}}))["PrincipalResourcePermissions"].empty());
  EXPECT_EQ(producer->GetSubscription(id)->status, SubscriptionStatus::kPending);
  // Enabling the consumer again puts it back, and the approval goes through.
  ASSERT_TRUE(Admin::Create(Options(plan_.mesh_account))->EnableAccountAsConsumer(consumer_).ok());
  auto approved = producer->ApproveAccessRequest(approve);
  ASSERT_TRUE(approved.ok()) << approved.error().ToString();
  EXPECT_EQ(approved->status, SubscriptionStatus::kActive);
}

TEST_F(MeshFlowTest, DeniedSubscriptionsCannotBeImported) {
  auto producer = Producer::Create(Options(producer_));
  ASSERT_TRUE(producer->CreateDataProducts(Products()).ok());
  auto consumer = Consumer::Create(Options(consumer_));
  auto request = consumer->RequestAccessToProduct(producer_, "sales-" + producer_, {"cust.*"}, {"SELECT"});
  ASSERT_TRUE(request.ok()) << request.error().ToString();
  const std::string id = request->subscription_id;
  auto denied = producer->DenyAccessRequest(id, "not for this team");
  ASSERT_TRUE(denied.ok()) << denied.error().ToString();
  EXPECT_EQ(denied->status, SubscriptionStatus::kDenied);
  EXPECT_EQ(consumer->FinalizeSubscription(id).error().code(), "NotActive");
  // Denying again reports the standing decision and changes nothing.
  auto again = producer->DenyAccessRequest(id);
  ASSERT_TRUE(again.ok()) << again.error().ToString();
  EXPECT_EQ(again->history.size(), 2u);
  // Only the subscriber may delete its subscription from the consumer side.
  EXPECT_EQ(Consumer::Create(Options(producer_))->DeleteSubscription(id, "x").error().code(), "AccountNotSetUp");
}

TEST_F(MeshFlowTest, GrantsOfAConsumerDeletedSubscriptionAreRevokedByTheProducer) {
  auto producer = Producer::Create(Options(producer_));
  ASSERT_TRUE(producer->CreateDataProducts(Products()).ok());
  auto consumer = Consumer::Create(Options(consumer_));
  const std::string mesh_db = "sales-" + producer_;
  const std::string id = consumer->RequestAccessToProduct(producer_, mesh_db, {"orders"}, {"SELECT"})->subscription_id;
  ApproveOptions approve;
  approve.request_id = id;
  ASSERT_TRUE(producer->ApproveAccessRequest(approve).ok());
  auto deleted = consumer->DeleteSubscription(id, "not needed");
  ASSERT_TRUE(deleted.ok()) << deleted.error().ToString();
  EXPECT_EQ(deleted->status, SubscriptionStatus::kDeleted);
  auto lf = Session(plan_.mesh_account)->LakeFormation();
  json table = {{"Table", {{"DatabaseName", mesh_db}, {"Name", "orders"}}}};
  json who = {{"DataLakePrincipalIdentifier", consumer_}};
  EXPECT_EQ((*lf.ListPermissions({{"Principal", who}, {"Resource", table}}))["PrincipalResourcePermissions"].size(), 1u);
  auto cleaned = producer->DeleteSubscription(id, "consumer left");
  ASSERT_TRUE(cleaned.ok()) << cleaned.error().ToString();
  EXPECT_EQ(cleaned->status, SubscriptionStatus::kDeleted);
  EXPECT_EQ(cleaned->history.back().action, "RevokeGrants");
  EXPECT_TRUE(cleaned->granted_table_arns.empty());
  EXPECT_TRUE((*lf.ListPermissions({{"Principal", who}, {"Resource", table}}))["PrincipalResourcePermissions"].empty());
  // Again: nothing left to revoke, nothing recorded.
  auto again = producer->DeleteSubscription(id, "consumer left");
  ASSERT_TRUE(again.ok()) << again.error().ToString();
  EXPECT_EQ(again->history.size(), cleaned->history.size());
}

TEST_F(MeshFlowTest, TheProducersInboxRevokesWhatItsConsumersDeleted) {
  auto producer = Producer::Create(Options(producer_));
  ASSERT_TRUE(producer->CreateDataProducts(Products()).ok());
  auto consumer = Consumer::Create(Options(consumer_));
  const std::string mesh_db = "sales-" + producer_;
  const std::string orders = consumer->RequestAccessToProduct(producer_, mesh_db, {"orders"}, {"SELECT"})->subscription_id;
  const std::string customers = consumer->RequestAccessToProduct(producer_, mesh_db, {"customers"}, {"SELECT"})->subscription_id;
  ApproveAsRequested(*producer, {orders, customers});
  ASSERT_TRUE(consumer->DeleteSubscription(orders, "not needed").ok());
  auto lf = Session(plan_.mesh_account)->LakeFormation();
  json who = {{"DataLakePrincipalIdentifier", consumer_}};
  auto grants_on = [&](const std::string& t) { return ConsumerGrantsOn(mesh_db, t).size(); };
  ASSERT_EQ(grants_on("orders"), 1u);
  // Listing pending requests revokes them; the other subscription keeps its grants and the
  // database's DESCRIBE.
  auto pending = producer->ListPendingAccessRequests();
  ASSERT_TRUE(pending.ok()) << pending.error().ToString();
  EXPECT_TRUE(pending->subscriptions.empty());
  EXPECT_EQ(grants_on("orders"), 0u);
  EXPECT_EQ(grants_on("customers"), 1u);
  json database = {{"Database", {{"Name", mesh_db}}}};
  EXPECT_EQ((*lf.ListPermissions({{"Principal", who}, {"Resource", database}}))["PrincipalResourcePermissions"].size(), 1u);
  auto record = producer->GetSubscription(orders);
  ASSERT_TRUE(record.ok());
  EXPECT_EQ(record->history.back().action, "RevokeGrants");
  EXPECT_TRUE(record->granted_table_arns.empty());
  // Nothing is left for an explicit sweep to do.
  auto swept = producer->RevokeGrantsOfDeletedSubscriptions();
  ASSERT_TRUE(swept.ok()) << swept.error().ToString();
  EXPECT_TRUE(swept->subscriptions.empty());
  // Another producer's sweep does not touch this producer's subscriptions.
  EXPECT_TRUE(Producer::Create(Options("444444444444"))->RevokeGrantsOfDeletedSubscriptions()->subscriptions.empty());
}

TEST_F(MeshFlowTest, ARequestReopenedAfterDeletionHoldsNoGrantsUntilApproved) {
  auto producer = Producer::Create(Options(producer_));
  ASSERT_TRUE(producer->CreateDataProducts(Products()).ok());
  auto consumer = Consumer::Create(Options(consumer_));
  const std::string mesh_db = "sales-" + producer_;
  const std::string id = consumer->RequestAccessToProduct(producer_, mesh_db, {"orders"}, {"SELECT"})->subscription_id;
  ApproveOptions approve;
  approve.request_id = id;
  ASSERT_TRUE(producer->ApproveAccessRequest(approve).ok());
  ASSERT_TRUE(consumer->DeleteSubscription(id, "pause").ok());
  auto again = consumer->RequestAccessToProduct(producer_, mesh_db, {"orders"}, {"SELECT"});
  ASSERT_TRUE(again.ok()) << again.error().ToString();
  EXPECT_EQ(again->subscription_id, id);  // the same subscription, Pending again
  auto lf = Session(plan_.mesh_account)->LakeFormation();
  json who = {{"DataLakePrincipalIdentifier", consumer_}};
  json table = {{"Table", {{"DatabaseName", mesh_db}, {"Name", "orders"}}}};
  auto grants = [&] { return (*lf.ListPermissions({{"Principal", who}, {"Resource", table}}))["PrincipalResourcePermissions"].size(); };
  ASSERT_EQ(grants(), 1u);  // only the grantor can revoke them
  auto pending = producer->ListPendingAccessRequests();
  ASSERT_TRUE(pending.ok());
  ASSERT_EQ(pending->subscriptions.size(), 1u);
  EXPECT_EQ(grants(), 0u);  // Pending holds nothing
  auto now = producer->GetSubscription(id);
  EXPECT_EQ(now->status, SubscriptionStatus::kPending);
  EXPECT_TRUE(now->granted_table_arns.empty());
  EXPECT_EQ(now->history.back().action, "RevokeGrants");
  // Listing again records nothing more.
  ASSERT_TRUE(producer->ListPendingAccessRequests().ok());
  EXPECT_EQ(producer->GetSubscription(id)->history.size(), now->history.size());
  ASSERT_TRUE(producer->ApproveAccessRequest(approve).ok());
  EXPECT_EQ(grants(), 1u);
}

TEST_F(MeshFlowTest, ApprovingAgainWithLessTakesBackTheRest) {
  auto producer = Producer::Create(Options(producer_));
  ASSERT_TRUE(producer->CreateDataProducts(Products()).ok());
  const std::string mesh_db = "sales-" + producer_;
  const std::string id = Consumer::Create(Options(consumer_))
                             ->RequestAccessToProduct(producer_, mesh_db, {"orders"}, {"SELECT", "DESCRIBE"})
                             ->subscription_id;
  ApproveOptions approve;
  approve.request_id = id;
  ASSERT_TRUE(producer->ApproveAccessRequest(approve).ok());  // both, grantable
  approve.grant_permissions = std::vector<std::string>{"SELECT"};
  approve.grantable_permissions = std::vector<std::string>{};
  auto narrowed = producer->ApproveAccessRequest(approve);
  ASSERT_TRUE(narrowed.ok()) << narrowed.error().ToString();
  EXPECT_EQ(narrowed->permitted_grants, std::vector<std::string>{"SELECT"});
  auto lf = Session(plan_.mesh_account)->LakeFormation();
  json who = {{"DataLakePrincipalIdentifier", consumer_}};
  json table = {{"Table", {{"DatabaseName", mesh_db}, {"Name", "orders"}}}};
  auto held = (*lf.ListPermissions({{"Principal", who}, {"Resource", table}}))["PrincipalResourcePermissions"];
  ASSERT_EQ(held.size(), 1u);
  EXPECT_EQ(held[0]["Permissions"], json::array({"SELECT"}));
  EXPECT_TRUE(held[0].value("PermissionsWithGrantOption", json::array()).empty());
}

TEST_F(MeshFlowTest, DeletingOneSubscriptionKeepsWhatAnotherOnTheSameTableHolds) {
  DeleteOneOfTwoOnTheSameTable();
}

// A producer role from before the Pair index and BatchGetItem (its policy names only the Owner and
// Inbox indexes and reads one subscription a GetItem, until enable-account runs again) is refused
// both by IAM; its grants are still worked out over every subscription of the pair, from the Owner
// index, read one at a time.
TEST_F(MeshFlowTest, AProducerRoleFromBeforeThePairIndexStillKeepsWhatAnotherSubscriptionHolds) {
  auto iam = Session(plan_.mesh_account)->Iam();
  const std::string arn = "arn:aws:iam::" + plan_.mesh_account + ":policy" + names::kIamPath + names::ProducerPolicy(producer_);
  json older = json::parse(mesh::ProducerMeshPolicyDocument({"us-east-1", plan_.mesh_account}, producer_, std::nullopt));
  bool removed_index = false, removed_batch = false;
  for (auto& statement : older["Statement"]) {
    json actions = json::array();
    for (const auto& a : statement["Action"]) {
      if (a != "dynamodb:BatchGetItem") actions.push_back(a);
    }
    removed_batch |= actions.size() != statement["Action"].size();
    statement["Action"] = actions;
    if (!statement["Resource"].is_array()) continue;
    json kept = json::array();
    for (const auto& r : statement["Resource"]) {
      if (r.get<std::string>().find(names::kPairIndex) == std::string::npos) kept.push_back(r);
    }
    removed_index |= kept.size() != statement["Resource"].size();
    statement["Resource"] = kept;
  }
  ASSERT_TRUE(removed_index && removed_batch);
  ASSERT_TRUE(iam.CreatePolicyVersion({{"PolicyArn", arn}, {"PolicyDocument", older.dump()}, {"SetAsDefault", true}}).ok());
  // The older role is refused the Pair index and batch reads by IAM itself.
  auto as_producer = mesh::ProducerSessions(Session(producer_));
  ASSERT_TRUE(as_producer.ok()) << as_producer.error().ToString();
  auto ddb = as_producer->mesh->DynamoDb();
  auto refused = ddb.Query({{"TableName", names::kTrackerTable}, {"IndexName", names::kPairIndex},
                            {"KeyConditionExpression", "OwnerPrincipal = :o AND SubscriberPrincipal = :s"},
                            {"ExpressionAttributeValues", {{":o", {{"S", producer_}}}, {":s", {{"S", consumer_}}}}}});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code(), "AccessDeniedException");
  auto batch = ddb.BatchGetItem(
      {{"RequestItems",
        {{names::kTrackerTable, {{"Keys", {{{"SubscriptionId", {{"S", producer_ + "-" + consumer_ + "-ab"}}}}}}}}}}});
  ASSERT_FALSE(batch.ok());
  EXPECT_EQ(batch.error().code(), "AccessDeniedException");
  DeleteOneOfTwoOnTheSameTable();
}

// An Active subscription the Python library recorded (its id names no accounts) is among what the
// pair's grants follow: a decision on another subscription of the same consumer reads it (one
// GetItem; the batch read takes only ids that name their accounts) and keeps the access it gives.
TEST_F(MeshFlowTest, AnActiveSubscriptionOfThePythonLibraryKeepsItsGrantsThroughLaterDecisions) {
  auto producer = Producer::Create(Options(producer_));
  ASSERT_TRUE(producer->CreateDataProducts(Products()).ok());
  const std::string mesh_db = "sales-" + producer_;
  const std::string customers = "arn:aws:glue:us-east-1:" + plan_.mesh_account + ":table/" + mesh_db + "/customers";
  auto strings = [](std::initializer_list<const char*> values) {
    json list = json::array();
    for (const char* v : values) list.push_back({{"S", v}});
    return json{{"L", list}};
  };
  ASSERT_TRUE(Session(plan_.mesh_account)
                  ->DynamoDb()
                  .PutItem({{"TableName", names::kTrackerTable},
                            {"Item",
                             {{"SubscriptionId", {{"S", "6f1d0c2e-9b7a-4d7e-8f00-123456789abc"}}},
                              {"OwnerPrincipal", {{"S", producer_}}},
                              {"SubscriberPrincipal", {{"S", consumer_}}},
                              {"DatabaseName", {{"S", mesh_db}}},
                              {"TableName", strings({"customers"})},
                              {"RequestedGrants", strings({"SELECT"})},
                              {"PermittedGrants", strings({"SELECT"})},
                              {"GrantableGrants", strings({})},
                              {"GrantedTableARNs", json{{"L", json::array({{{"S", customers}}})}}},
                              {"Status", {{"S", "Active"}}}}}})
                  .ok());
  // What the Python library granted for it.
  ASSERT_TRUE(Session(plan_.mesh_account)
                  ->LakeFormation()
                  .GrantPermissions({{"Principal", {{"DataLakePrincipalIdentifier", consumer_}}},
                                     {"Resource", {{"Table", {{"DatabaseName", mesh_db}, {"Name", "customers"}}}}},
                                     {"Permissions", {"SELECT"}}})
                  .ok());
  auto consumer = Consumer::Create(Options(consumer_));
  const std::string orders = consumer->RequestAccessToProduct(producer_, mesh_db, {"orders"}, {"SELECT"})->subscription_id;
  ApproveAsRequested(*producer, {orders});
  EXPECT_EQ(ConsumerGrantsOn(mesh_db, "orders").size(), 1u);
  auto kept = ConsumerGrantsOn(mesh_db, "customers");
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(kept[0]["Permissions"], json::array({"SELECT"}));
}

TEST_F(MeshFlowTest, ANewTagValueOfAnotherProducersTagComesFromTheMeshAdministrator) {
  CreateDataProductsOptions retail = Products();
  retail.domain = "Retail";
  ASSERT_TRUE(Producer::Create(Options(producer_))->CreateDataProducts(retail).ok());
  const std::string other = plan_.producer_accounts[1];
  ASSERT_TRUE(mesh::CreateDemoSourceData(Options(other), "ledger").ok());
  CreateDataProductsOptions finance;
  finance.source_database_name = "ledger";
  finance.domain = "Finance";
  auto refused = Producer::Create(Options(other))->CreateDataProducts(finance);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code(), "TagValueMissing");
  EXPECT_NE(refused.error().message().find("update-lf-tag --tag-key Domain --tag-values-to-add Finance"), std::string::npos);
  auto glue = Session(plan_.mesh_account)->Glue();
  EXPECT_EQ(glue.GetDatabase({{"Name", "ledger-" + other}}).error().code(), "EntityNotFoundException");  // nothing changed
  // The mesh's administrator adds the value; the product follows.
  ASSERT_TRUE(Session(plan_.mesh_account)->LakeFormation().UpdateLFTag({{"TagKey", "Domain"}, {"TagValuesToAdd", {"Finance"}}}).ok());
  auto published = Producer::Create(Options(other))->CreateDataProducts(finance);
  ASSERT_TRUE(published.ok()) << published.error().ToString();
}

TEST_F(MeshFlowTest, ScheduledSyncCrawlersForTheMeshCopies) {
  CreateDataProductsOptions o = Products();
  o.sync_mesh_catalog_schedule = "cron(0 6 * * ? *)";
  // The crawlers run in the mesh account: a producer-account role is refused before anything changes.
  o.sync_mesh_crawler_role_arn = "arn:aws:iam::" + producer_ + ":role/service-role/MeshSyncCrawler";
  auto foreign = Producer::Create(Options(producer_))->CreateDataProducts(o);
  ASSERT_FALSE(foreign.ok());
  EXPECT_EQ(foreign.error().code(), "InvalidArgument");
  EXPECT_NE(foreign.error().message().find("mesh account"), std::string::npos);
  // Nor can the admin enable one.
  auto foreign_enable = BootstrapAccount(AccountType::kProducer, Options(plan_.mesh_account), Options(producer_),
                                         *o.sync_mesh_crawler_role_arn);
  ASSERT_FALSE(foreign_enable.ok());
  EXPECT_EQ(foreign_enable.error().code(), "InvalidArgument");
  EXPECT_EQ(Session(plan_.mesh_account)->Glue().GetDatabase({{"Name", "sales-" + producer_}}).error().code(),
            "EntityNotFoundException");
  // Without iam:PassRole on the mesh's crawler role, the producer cannot hand it to Glue.
  const std::string crawler_role = "arn:aws:iam::" + plan_.mesh_account + ":role/service-role/MeshSyncCrawler";
  o.sync_mesh_crawler_role_arn = crawler_role;
  auto refused = Producer::Create(Options(producer_))->CreateDataProducts(o);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code(), "AccessDeniedException");
  EXPECT_NE(refused.error().message().find("iam:PassRole"), std::string::npos);
  // Enabled with the crawler role, it may: one crawler per table, with Lake Formation credentials.
  auto enabled = BootstrapAccount(AccountType::kProducer, Options(plan_.mesh_account), Options(producer_), crawler_role);
  ASSERT_TRUE(enabled.ok()) << enabled.error().ToString();
  auto out = Producer::Create(Options(producer_))->CreateDataProducts(o);
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  const std::string mesh_db = "sales-" + producer_;
  auto glue = Session(plan_.mesh_account)->Glue();
  auto lf = Session(plan_.mesh_account)->LakeFormation();
  for (const auto& t : out->tables) {
    auto crawler = glue.GetCrawler({{"Name", mesh_db + "-" + t.target_table + "-sync"}});
    ASSERT_TRUE(crawler.ok()) << crawler.error().ToString();
    EXPECT_EQ((*crawler)["Crawler"]["Role"], crawler_role);
    EXPECT_EQ((*crawler)["Crawler"]["Schedule"]["ScheduleExpression"], "cron(0 6 * * ? *)");
    EXPECT_EQ((*crawler)["Crawler"]["Targets"]["CatalogTargets"][0]["Tables"], json::array({t.target_table}));
    EXPECT_EQ((*crawler)["Crawler"]["LakeFormationConfiguration"]["UseLakeFormationCredentials"], true);
    json table = {{"Table", {{"DatabaseName", mesh_db}, {"Name", t.target_table}}}};
    auto granted = lf.ListPermissions({{"Principal", {{"DataLakePrincipalIdentifier", crawler_role}}}, {"Resource", table}});
    ASSERT_TRUE(granted.ok());
    ASSERT_EQ((*granted)["PrincipalResourcePermissions"].size(), 1u);
    EXPECT_EQ((*granted)["PrincipalResourcePermissions"][0]["Permissions"], json::array({"ALTER", "DESCRIBE", "INSERT", "SELECT"}));
  }
  // A bad schedule is refused before anything is created.
  for (const char* bad : {"every day", "cron(0 0 * * * *)"}) {
    o.sync_mesh_catalog_schedule = bad;
    o.expose_data_mesh_db_name = "other-db";
    EXPECT_EQ(Producer::Create(Options(producer_))->CreateDataProducts(o).error().code(), "InvalidArgument") << bad;
  }
  EXPECT_EQ(glue.GetDatabase({{"Name", "other-db"}}).error().code(), "EntityNotFoundException");
}

TEST_F(MeshFlowTest, MigrationMakesTheMeshCopyTheOnlyMaster) {
  auto producer = Producer::Create(Options(producer_));
  CreateDataProductsOptions o;
  o.source_database_name = "sales";
  o.table_name_regex = "scratch";
  auto out = producer->MigrateTablesToMesh(o);
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  EXPECT_EQ(out->database_name, "sales");
  EXPECT_EQ(out->tables[0].link_table, "scratch");
  auto local = Session(producer_)->Glue().GetTable({{"DatabaseName", "sales"}, {"Name", "scratch"}});
  ASSERT_TRUE(local.ok());
  EXPECT_EQ((*local)["Table"]["TargetTable"]["CatalogId"], plan_.mesh_account);  // the original is now a link
  EXPECT_TRUE(Session(plan_.mesh_account)->Glue().GetTable({{"DatabaseName", "sales"}, {"Name", "scratch"}}).ok());
  auto again = producer->MigrateTablesToMesh(o);
  ASSERT_TRUE(again.ok()) << again.error().ToString();
  EXPECT_EQ(again->ToJson()["Tables"], out->ToJson()["Tables"]);
}

TEST_F(MeshFlowTest, BadInputIsRefusedAndChangesNothing) {
  auto producer = Producer::Create(Options(producer_));
  CreateDataProductsOptions bad = Products();
  bad.table_name_regex = "orders(";
  auto r = producer->CreateDataProducts(bad);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), "InvalidArgument");
  bad.table_name_regex = "nothing_like_this";
  EXPECT_EQ(producer->CreateDataProducts(bad).error().code(), "NoMatchingTables");
  EXPECT_EQ(Session(plan_.mesh_account)->Glue().GetDatabase({{"Name", "sales-" + producer_}}).error().code(),
            "EntityNotFoundException");
  auto consumer = Consumer::Create(Options(consumer_));
  EXPECT_EQ(consumer->RequestAccessToProduct("12", "db", {"t"}, {"SELECT"}).error().code(), "InvalidArgument");
  EXPECT_EQ(consumer->RequestAccessToProduct(producer_, "db", {"t"}, {"FLY"}).error().code(), "InvalidArgument");
  EXPECT_EQ(consumer->GetSubscription("no-such-id").error().code(), "NoSuchSubscription");
}

TEST_F(MeshFlowTest, BucketAccessStaysWhileAnotherSubscriptionReadsTheBucket) {
  auto producer = Producer::Create(Options(producer_));
  ASSERT_TRUE(producer->CreateDataProducts(Products()).ok());
  auto consumer = Consumer::Create(Options(consumer_));
  const std::string mesh_db = "sales-" + producer_;
  std::vector<std::string> ids;
  for (const char* table : {"orders", "customers"}) {
    ids.push_back(consumer->RequestAccessToProduct(producer_, mesh_db, {table}, {"SELECT"})->subscription_id);
    ApproveAsRequested(*producer, {ids.back()});
  }
  auto local = Session(producer_);
  auto consumer_may_read = [&] {
    auto policy = local->S3().GetBucketPolicy({{"Bucket", "producer-sales-data"}});
    return policy.ok() && (*policy)["Policy"].get<std::string>().find(":" + consumer_ + ":root") != std::string::npos;
  };
  ASSERT_TRUE(consumer_may_read());
  ASSERT_TRUE(producer->DeleteSubscription(ids[0], "orders no longer needed").ok());
  EXPECT_TRUE(consumer_may_read());  // customers lives in the same bucket
  ASSERT_TRUE(producer->DeleteSubscription(ids[1], "project ended").ok());
  EXPECT_FALSE(consumer_may_read());
  // The mesh's own Lake Formation statement is untouched.
  auto policy = local->S3().GetBucketPolicy({{"Bucket", "producer-sales-data"}});
  ASSERT_TRUE(policy.ok());
  EXPECT_NE((*policy)["Policy"].get<std::string>().find("DataMeshLakeFormationRead"), std::string::npos);
}

TEST_F(MeshFlowTest, BucketPolicyStatementsAreAddedOnceAndRemovedBySid) {
  auto s3 = Session(producer_)->S3();
  ASSERT_TRUE(s3.CreateBucket({{"Bucket", "scratch-bucket"}}).ok());
  EXPECT_EQ(mesh::BucketOf("s3://scratch-bucket/some/prefix/"), "scratch-bucket");
  EXPECT_EQ(mesh::BucketOf("hdfs://elsewhere/x"), "");
  auto statements = [&] {
    auto p = s3.GetBucketPolicy({{"Bucket", "scratch-bucket"}});
    return p.ok() ? json::parse((*p)["Policy"].get<std::string>())["Statement"] : json();
  };
  const std::string reader = "arn:aws:iam::" + consumer_ + ":root";
  ASSERT_TRUE(mesh::AllowBucketRead(s3, "scratch-bucket", "Reader", reader).ok());
  ASSERT_TRUE(mesh::AllowBucketRead(s3, "scratch-bucket", "Reader", reader).ok());
  ASSERT_EQ(statements().size(), 1u);
  ASSERT_TRUE(mesh::AllowBucketRead(s3, "scratch-bucket", "Other", "arn:aws:iam::" + other_producer_ + ":root").ok());
  ASSERT_TRUE(mesh::RemoveBucketStatement(s3, "scratch-bucket", "Reader").ok());
  ASSERT_EQ(statements().size(), 1u);
  EXPECT_EQ(statements()[0]["Sid"], "Other");
  ASSERT_TRUE(mesh::RemoveBucketStatement(s3, "scratch-bucket", "Reader").ok());  // already gone: nothing to do
  ASSERT_TRUE(mesh::RemoveBucketStatement(s3, "scratch-bucket", "Other").ok());
  EXPECT_EQ(s3.GetBucketPolicy({{"Bucket", "scratch-bucket"}}).error().code(), "NoSuchBucketPolicy");
}

// Runs `before` once, just before the first request whose path contains `marker` is sent.
class BeforeRequest : public aws::HttpTransport {
 public:
  BeforeRequest(std::shared_ptr<aws::HttpTransport> inner, std::string marker, std::function<void()> before)
      : inner_(std::move(inner)), marker_(std::move(marker)), before_(std::move(before)) {}
  Outcome<aws::HttpResponse> Send(const aws::HttpRequest& request) override {
    std::function<void()> run;
    {
      std::lock_guard<std::mutex> lock(mu_);  // requests come from the workflow's threads
      const std::string target = request.headers.Get("X-Amz-Target").value_or("");  // JSON protocols name it here
      if (before_ && (request.path.find(marker_) != std::string::npos || target == marker_)) {
        run = std::exchange(before_, nullptr);
      }
    }
    if (run) run();
    return inner_->Send(request);
  }

 private:
  std::shared_ptr<aws::HttpTransport> inner_;
  std::string marker_;
  std::mutex mu_;
  std::function<void()> before_;
};

// A reconcile works from the records it read; a decision on another subscription of the same
// consumer, committed and settled while it applies its changes, moves the pair's generation, so
// the reconcile measures again instead of leaving its stale changes in place.
TEST_F(MeshFlowTest, AReconcileThatRacedADecisionRunsAgain) {
  ASSERT_TRUE(Producer::Create(Options(producer_))->CreateDataProducts(Products()).ok());
  auto consumer = Consumer::Create(Options(consumer_));
  const std::string mesh_db = "sales-" + producer_;
  const std::string s1 = consumer->RequestAccessToProduct(producer_, mesh_db, {"orders"}, {"SELECT"})->subscription_id;
  const std::string s2 = consumer->RequestAccessToProduct(producer_, mesh_db, {"orders"}, {"DESCRIBE"})->subscription_id;
  // S2 is approved but its grants were never applied (its approver stopped after committing).
  mesh::SubscriptionTracker tracker(Session(plan_.mesh_account)->DynamoDb(), aws::Clock::System());
  mesh::SubscriptionChange approve_s2;
  approve_s2.action = "Approve";
  approve_s2.to = SubscriptionStatus::kActive;
  approve_s2.principal = "arn:aws:iam::" + producer_ + ":role/test";
  approve_s2.permitted_grants = std::vector<std::string>{"DESCRIBE"};
  approve_s2.grantable_grants = std::vector<std::string>{};
  approve_s2.granted_table_arns =
      std::vector<std::string>{"arn:aws:glue:us-east-1:" + plan_.mesh_account + ":table/" + mesh_db + "/orders"};
  ASSERT_TRUE(tracker.Decide(*tracker.Get(s2), approve_s2).ok());
  // Approving S1 measures (S2 Active: DESCRIBE is to be granted too); just before its grants go
  // out, S2 is deleted and settled by another producer session.
  MeshOptions hooked = Options(producer_);
  hooked.wrap_transport = [&](std::shared_ptr<aws::HttpTransport> inner) -> std::shared_ptr<aws::HttpTransport> {
    return std::make_shared<BeforeRequest>(std::move(inner), "BatchGrantPermissions", [&] {
      auto deleted = Producer::Create(Options(producer_))->DeleteSubscription(s2, "gone");
      ASSERT_TRUE(deleted.ok()) << deleted.error().ToString();
    });
  };
  ApproveOptions approve;
  approve.request_id = s1;
  auto approved = Producer::Create(hooked)->ApproveAccessRequest(approve);
  ASSERT_TRUE(approved.ok()) << approved.error().ToString();
  EXPECT_EQ(Producer::Create(Options(producer_))->GetSubscription(s2)->status, SubscriptionStatus::kDeleted);
  auto grants = ConsumerGrantsOn(mesh_db, "orders");
  ASSERT_EQ(grants.size(), 1u);
  EXPECT_EQ(grants[0]["Permissions"], json::array({"SELECT"}));
}

// verify-subscriptions finds what differs between the records and AWS (a grant revoked behind
// the mesh's back, one added, a bucket statement removed) and --repair brings AWS back in line.
TEST_F(MeshFlowTest, VerifyFindsDriftAndRepairMendsIt) {
  auto producer = Producer::Create(Options(producer_));
  ASSERT_TRUE(producer->CreateDataProducts(Products()).ok());
  auto consumer = Consumer::Create(Options(consumer_));
  const std::string mesh_db = "sales-" + producer_;
  const std::string id = consumer->RequestAccessToProduct(producer_, mesh_db, {"orders"}, {"SELECT"})->subscription_id;
  ApproveAsRequested(*producer, {id});
  auto clean = producer->VerifySubscriptions();
  ASSERT_TRUE(clean.ok()) << clean.error().ToString();
  EXPECT_TRUE(clean->InSync()) << clean->ToJson().dump();
  ASSERT_EQ(clean->consumers.size(), 1u);

  auto lf = Session(plan_.mesh_account)->LakeFormation();
  auto principal = json{{"DataLakePrincipalIdentifier", consumer_}};
  auto table = [&](const char* name) { return json{{"Table", {{"DatabaseName", mesh_db}, {"Name", name}}}}; };
  ASSERT_TRUE(lf.RevokePermissions({{"Principal", principal}, {"Resource", table("orders")}, {"Permissions", {"SELECT"}}}).ok());
  ASSERT_TRUE(lf.GrantPermissions({{"Principal", principal}, {"Resource", table("customers")}, {"Permissions", {"ALTER"}}}).ok());
  auto s3 = Session(producer_)->S3();
  ASSERT_TRUE(mesh::RemoveBucketStatement(s3, "producer-sales-data", "DataMeshConsumer" + consumer_).ok());

  auto found = producer->VerifySubscriptions(id);
  ASSERT_TRUE(found.ok()) << found.error().ToString();
  EXPECT_FALSE(found->InSync());
  ASSERT_EQ(found->consumers.size(), 1u);
  const auto& v = found->consumers[0];
  ASSERT_EQ(v.tables.size(), 2u);
  EXPECT_EQ(v.tables[0].table, "customers");
  EXPECT_EQ(v.tables[0].held.permissions, std::set<std::string>{"ALTER"});
  EXPECT_TRUE(v.tables[0].recorded.permissions.empty());
  EXPECT_EQ(v.tables[1].table, "orders");
  EXPECT_EQ(v.tables[1].recorded.permissions, std::set<std::string>{"SELECT"});
  EXPECT_TRUE(v.tables[1].held.permissions.empty());
  EXPECT_EQ(v.buckets_missing, std::vector<std::string>{"producer-sales-data"});
  // Verifying alone changes nothing.
  EXPECT_FALSE(producer->VerifySubscriptions()->InSync());
  // The mesh administrator sees the same Lake Formation drift (not the producer's buckets).
  auto admin_view = Admin::Create(Options(plan_.mesh_account))->VerifySubscriptions();
  ASSERT_TRUE(admin_view.ok()) << admin_view.error().ToString();
  ASSERT_EQ(admin_view->consumers.size(), 1u);
  EXPECT_EQ(admin_view->consumers[0].owner, producer_);
  EXPECT_EQ(admin_view->consumers[0].tables, v.tables);
  EXPECT_FALSE(admin_view->consumers[0].buckets_checked);
  EXPECT_TRUE(admin_view->consumers[0].buckets_missing.empty());

  auto repaired = producer->VerifySubscriptions(std::nullopt, true);
  ASSERT_TRUE(repaired.ok()) << repaired.error().ToString();
  EXPECT_FALSE(repaired->InSync());  // what it found
  EXPECT_TRUE(repaired->in_sync_after_repair);
  EXPECT_TRUE(producer->VerifySubscriptions()->InSync());
  EXPECT_TRUE(Admin::Create(Options(plan_.mesh_account))->VerifySubscriptions()->InSync());
  EXPECT_EQ(ConsumerGrantsOn(mesh_db, "orders")[0]["Permissions"], json::array({"SELECT"}));
  EXPECT_TRUE(ConsumerGrantsOn(mesh_db, "customers").empty());
  EXPECT_EQ(producer->VerifySubscriptions()->ToJson()["Consumers"][0]["SubscriberPrincipal"], consumer_);
}

// Fails every request whose X-Amz-Target contains `target` as DynamoDB refuses an item grown past
// 400 KB, without applying it.
class RefuseWrites : public aws::HttpTransport {
 public:
  RefuseWrites(std::shared_ptr<aws::HttpTransport> inner, std::string target)
      : inner_(std::move(inner)), target_(std::move(target)) {}
  Outcome<aws::HttpResponse> Send(const aws::HttpRequest& request) override {
    if (request.headers.Get("X-Amz-Target").value_or("").find(target_) == std::string::npos) return inner_->Send(request);
    aws::HttpResponse refused;
    refused.status = 400;
    refused.body = R"({"__type":"com.amazon.coral.validate#ValidationException","message":"Item size has exceeded the maximum allowed size"})";
    return refused;
  }

 private:
  std::shared_ptr<aws::HttpTransport> inner_;
  std::string target_;
};

// A decision commits before anything is granted: an approval whose tracker write fails grants
// nothing, and the record stays as it was.
TEST_F(MeshFlowTest, AnApprovalWhoseRecordCannotBeWrittenGrantsNothing) {
  ASSERT_TRUE(Producer::Create(Options(producer_))->CreateDataProducts(Products()).ok());
  auto consumer = Consumer::Create(Options(consumer_));
  const std::string mesh_db = "sales-" + producer_;
  const std::string id = consumer->RequestAccessToProduct(producer_, mesh_db, {"orders"}, {"SELECT"})->subscription_id;
  MeshOptions refusing = Options(producer_);
  refusing.wrap_transport = [](std::shared_ptr<aws::HttpTransport> inner) -> std::shared_ptr<aws::HttpTransport> {
    return std::make_shared<RefuseWrites>(std::move(inner), "UpdateItem");
  };
  ApproveOptions approve;
  approve.request_id = id;
  auto approved = Producer::Create(refusing)->ApproveAccessRequest(approve);
  ASSERT_FALSE(approved.ok());
  EXPECT_EQ(approved.error().code(), "ValidationException");
  EXPECT_TRUE(ConsumerGrantsOn(mesh_db, "orders").empty());
  auto now = Producer::Create(Options(producer_))->GetSubscription(id);
  EXPECT_EQ(now->status, SubscriptionStatus::kPending);
  EXPECT_EQ(now->history.size(), 1u);
  // An over-long note is refused before anything is sent.
  approve.decision_notes = std::string(5000, 'n');
  EXPECT_EQ(Producer::Create(Options(producer_))->ApproveAccessRequest(approve).error().code(), "InvalidArgument");
  EXPECT_TRUE(ConsumerGrantsOn(mesh_db, "orders").empty());
}

// Counts the entries of every Lake Formation batch sent.
class BatchSizes : public aws::HttpTransport {
 public:
  explicit BatchSizes(std::shared_ptr<aws::HttpTransport> inner) : inner_(std::move(inner)) {}
  Outcome<aws::HttpResponse> Send(const aws::HttpRequest& request) override {
    if (request.path.find("PermissionsBatch") != std::string::npos || request.path.find("BatchGrant") != std::string::npos ||
        request.path.find("BatchRevoke") != std::string::npos) {
      json body = json::parse(request.body, nullptr, false);
      if (body.is_object() && body.contains("Entries")) {
        std::lock_guard<std::mutex> lock(mu_);  // batches go out concurrently
        ++batches;
        largest = std::max(largest, body["Entries"].size());
      }
    }
    return inner_->Send(request);
  }
  size_t batches = 0, largest = 0;

 private:
  std::shared_ptr<aws::HttpTransport> inner_;
  std::mutex mu_;
};

// A 50-table product approved, modified and deleted: no Lake Formation batch goes over the 20
// entries BatchGrantPermissions and BatchRevokePermissions take (their API references), and the
// local mesh refuses a 21st as the service does.
TEST_F(MeshFlowTest, LakeFormationBatchesStayWithinTheirLimit) {
  auto glue = Session(producer_)->Glue();
  ASSERT_TRUE(glue.CreateDatabase({{"DatabaseInput", {{"Name", "wide"}}}}).ok());
  for (int i = 0; i < 50; ++i) {
    json input = {{"Name", "t" + std::to_string(i)},
                  {"TableType", "EXTERNAL_TABLE"},
                  {"StorageDescriptor", {{"Columns", {{{"Name", "id"}, {"Type", "string"}}}},
                                         {"Location", "s3://producer-sales-data/wide/t" + std::to_string(i) + "/"}}}};
    ASSERT_TRUE(glue.CreateTable({{"DatabaseName", "wide"}, {"TableInput", input}}).ok());
  }
  auto sizes = std::make_shared<BatchSizes>(nullptr);
  auto counted = [&](const std::string& account) {
    MeshOptions o = Options(account);
    o.wrap_transport = [&](std::shared_ptr<aws::HttpTransport> inner) -> std::shared_ptr<aws::HttpTransport> {
      auto wrapped = std::make_shared<BatchSizes>(std::move(inner));
      sizes = wrapped;
      return wrapped;
    };
    return o;
  };
  CreateDataProductsOptions products;
  products.source_database_name = "wide";
  ASSERT_TRUE(Producer::Create(Options(producer_))->CreateDataProducts(products).ok());
  const std::string mesh_db = "wide-" + producer_;
  auto consumer = Consumer::Create(Options(consumer_));
  auto request = consumer->RequestAccessToProduct(producer_, mesh_db, {"t.*"}, {"SELECT", "DESCRIBE"});
  ASSERT_TRUE(request.ok()) << request.error().ToString();
  ApproveOptions approve;
  approve.request_id = request->subscription_id;
  auto producer = Producer::Create(counted(producer_));
  ASSERT_TRUE(producer.ok());
  auto approved = producer->ApproveAccessRequest(approve);
  ASSERT_TRUE(approved.ok()) << approved.error().ToString();
  EXPECT_EQ(approved->granted_table_arns.size(), 50u);
  EXPECT_GE(sizes->batches, 3u);
  EXPECT_LE(sizes->largest, mesh::kMaxBatchEntries);
  EXPECT_EQ(ConsumerGrantsOn(mesh_db, "t49")[0]["Permissions"].size(), 2u);
  ASSERT_TRUE(producer->UpdateSubscriptionPermissions(approve.request_id, {"SELECT", "ALTER"}, "more", std::nullopt).ok());
  EXPECT_LE(sizes->largest, mesh::kMaxBatchEntries);
  ASSERT_TRUE(producer->DeleteSubscription(approve.request_id, "done").ok());
  EXPECT_LE(sizes->largest, mesh::kMaxBatchEntries);
  EXPECT_TRUE(ConsumerGrantsOn(mesh_db, "t0").empty());

  // The service refuses a 21st entry.
  json entries = json::array();
  for (int i = 0; i < 21; ++i) {
    entries.push_back({{"Id", "e" + std::to_string(i)},
                       {"Principal", {{"DataLakePrincipalIdentifier", consumer_}}},
                       {"Resource", {{"Table", {{"DatabaseName", mesh_db}, {"Name", "t" + std::to_string(i)}}}}},
                       {"Permissions", {"SELECT"}}});
  }
  auto refused = Session(plan_.mesh_account)->LakeFormation().BatchGrantPermissions({{"Entries", entries}});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code(), "InvalidInputException");
  EXPECT_TRUE(ConsumerGrantsOn(mesh_db, "t0").empty());
}

// A product is the producer's by the grants publishing gave its mesh role, not by its name: a
// migrated product keeps its source's name, and another may be named at will. Approvals and
// revocations work on both; a request naming another producer's product is refused.
TEST_F(MeshFlowTest, ProductsAreKnownByTheirGrantsNotTheirNames) {
  auto producer = Producer::Create(Options(producer_));
  CreateDataProductsOptions migrate;
  migrate.source_database_name = "sales";
  migrate.table_name_regex = "orders";
  ASSERT_TRUE(producer->MigrateTablesToMesh(migrate).ok());
  auto consumer = Consumer::Create(Options(consumer_));
  auto request = consumer->RequestAccessToProduct(producer_, "sales", {"orders"}, {"SELECT"});
  ASSERT_TRUE(request.ok()) << request.error().ToString();
  ApproveOptions approve;
  approve.request_id = request->subscription_id;
  auto approved = producer->ApproveAccessRequest(approve);
  ASSERT_TRUE(approved.ok()) << approved.error().ToString();
  EXPECT_EQ(ConsumerGrantsOn("sales", "orders")[0]["Permissions"], json::array({"SELECT"}));
  EXPECT_TRUE(producer->VerifySubscriptions()->InSync());
  ASSERT_TRUE(producer->DeleteSubscription(approve.request_id, "done").ok());
  EXPECT_TRUE(ConsumerGrantsOn("sales", "orders").empty());

  // A request naming another producer is refused by the library, which reads the owner from the
  // product; one filed anyway (straight into the tracker, with the consumer's own mesh role) is
  // refused where it counts, when the other producer tries to approve it.
  auto misaddressed = consumer->RequestAccessToProduct(other_producer_, "sales", {"orders"}, {"SELECT"});
  ASSERT_FALSE(misaddressed.ok());
  EXPECT_EQ(misaddressed.error().code(), "InvalidArgument");
  EXPECT_NE(misaddressed.error().message().find("published by account " + producer_), std::string::npos);
  auto consumer_sessions = mesh::ConsumerSessions(Session(consumer_));
  ASSERT_TRUE(consumer_sessions.ok());
  auto forged = mesh::TrackerOf(*consumer_sessions)
                    .Request(other_producer_, consumer_, "sales", {"orders"}, {"SELECT"}, consumer_sessions->caller_arn);
  ASSERT_TRUE(forged.ok()) << forged.error().ToString();
  approve.request_id = forged->id;
  auto refused = Producer::Create(Options(other_producer_))->ApproveAccessRequest(approve);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code(), "NotOwnProduct");
  EXPECT_TRUE(ConsumerGrantsOn("sales", "orders").empty());
}

// The library flow inside an AWS Organization that shares through RAM (every account inside, or
// the consumer outside): shares reach accounts inside at once with no invitation (RAM User Guide),
// and publishing and importing never wait for one.
class OrganizationFlowTest : public ::testing::TestWithParam<bool> {};

TEST_P(OrganizationFlowTest, PublishApproveImport) {
  const bool consumer_outside = GetParam();
  auto dir = std::filesystem::temp_directory_path() / ("datamesh-org-" + std::to_string(::getpid()) + (consumer_outside ? "-mixed" : "-all"));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string db = (dir / "mesh.db").string();
  local::LocalMeshPlan plan;
  plan.organization = true;
  if (consumer_outside) plan.outside_organization = {"333333333333"};
  auto keys = local::InitializeLocalMesh(**local::OpenMeshFile(db), plan);
  ASSERT_TRUE(keys.ok()) << keys.error().ToString();
  std::map<std::string, local::LocalAccountKeys> by_account;
  for (const auto& k : *keys) by_account[k.account] = k;
  auto options = [&](const std::string& account) {
    MeshOptions o;
    o.data_mesh_account_id = plan.mesh_account;
    EXPECT_TRUE(UseLocalMesh(o, db).ok());
    const auto& k = by_account[account];
    o.use_credentials = AwsCredentials{k.account, k.access_key_id, k.secret_access_key, ""};
    o.eventual_consistency_timeout_seconds = 2;  // an invitation that cannot come must not be waited for
    return o;
  };
  const std::string mesh = plan.mesh_account, producer = "222222222222", consumer = "333333333333";
  ASSERT_TRUE((*mesh::MeshSession::Create(options(mesh)))->Ram().EnableSharingWithAwsOrganization().ok());
  ASSERT_TRUE(Admin::Create(options(mesh))->InitializeMeshAccount().ok());
  ASSERT_TRUE(BootstrapAccount(AccountType::kProducer, options(mesh), options(producer)).ok());
  ASSERT_TRUE(BootstrapAccount(AccountType::kConsumer, options(mesh), options(consumer)).ok());
  ASSERT_TRUE(mesh::CreateDemoSourceData(options(producer), "sales").ok());
  CreateDataProductsOptions products;
  products.source_database_name = "sales";
  auto published = Producer::Create(options(producer))->CreateDataProducts(products);
  ASSERT_TRUE(published.ok()) << published.error().ToString();
  const std::string mesh_db = "sales-" + producer;
  auto request = Consumer::Create(options(consumer))->RequestAccessToProduct(producer, mesh_db, {"orders"}, {"SELECT"});
  ASSERT_TRUE(request.ok()) << request.error().ToString();
  ApproveOptions approve;
  approve.request_id = request->subscription_id;
  auto approved = Producer::Create(options(producer))->ApproveAccessRequest(approve);
  ASSERT_TRUE(approved.ok()) << approved.error().ToString();
  auto imported = Consumer::Create(options(consumer))->FinalizeSubscription(request->subscription_id);
  ASSERT_TRUE(imported.ok()) << imported.error().ToString();
  auto invitations = (*mesh::MeshSession::Create(options(consumer)))->Ram().GetResourceShareInvitations();
  ASSERT_TRUE(invitations.ok());
  EXPECT_EQ((*invitations)["resourceShareInvitations"].empty(), !consumer_outside);
  auto producer_invitations = (*mesh::MeshSession::Create(options(producer)))->Ram().GetResourceShareInvitations();
  EXPECT_TRUE((*producer_invitations)["resourceShareInvitations"].empty());
  auto table = (*mesh::MeshSession::Create(options(consumer)))->Glue().GetTable(
      {{"CatalogId", mesh}, {"DatabaseName", mesh_db}, {"Name", "orders"}});
  EXPECT_TRUE(table.ok()) << table.error().ToString();
  std::filesystem::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Modes, OrganizationFlowTest, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? std::string("ConsumerOutside") : std::string("AllInside"); });

// The state kept in service tables, row by row (DynamoDB items, Lake Formation grants, RAM shares
// and invitations), for comparing a mesh file before and after a migration.
std::multiset<std::string> ServiceTableRows(const std::string& db) {
  std::multiset<std::string> rows;
  auto store = *local::OpenMeshFile(db);
  auto read = store->Read<bool>([&](local::Transaction& tx) -> Outcome<bool> {
    for (const char* sql : {"SELECT account || region || tbl || hex(pk) || hex(sk), doc FROM ddb_items",
                            "SELECT account || region || principal || resource_key, doc FROM lf_grants",
                            "SELECT arn, doc FROM ram_shares", "SELECT arn, doc FROM ram_invitations",
                            "SELECT principal, share_arn FROM ram_share_principals",
                            "SELECT tbl || idx || hex(ipk) || hex(isk), hex(pk) || hex(sk) FROM ddb_index_entries"}) {
      for (local::Sql s = tx.Query(sql); s.Next();) rows.insert(s.Text(0) + " " + s.Text(1));
    }
    return true;
  });
  EXPECT_TRUE(read.ok());
  return rows;
}

// Rewrites a mesh file into the first layout, where every resource was a document in one table.
void RewriteAsVersionOne(const std::string& db) {
  auto store = *local::OpenMeshFile(db);
  auto done = store->Write<bool>([](local::Transaction& tx) -> Outcome<bool> {
    std::vector<std::tuple<std::string, std::string, std::string, std::string>> items;  // account, region, table, doc
    for (local::Sql s = tx.Query("SELECT account, region, tbl, doc FROM ddb_items"); s.Next();) {
      items.emplace_back(s.Text(0), s.Text(1), s.Text(2), s.Text(3));
    }
    for (auto& [account, region, table, doc] : items) {
      auto description = *tx.Get({account, region}, "ddb_table", table);
      json item = json::parse(doc), key = json::object();
      for (const auto& k : description["KeySchema"]) key[k["AttributeName"].get<std::string>()] = item[k["AttributeName"].get<std::string>()];
      tx.Put({account, region}, "ddb_item/" + table, key.dump(), item);
    }
    for (const char* sql :
         {"INSERT INTO resources SELECT account, region, 'lf_grant', principal || '|' || resource_key, doc FROM lf_grants",
          "INSERT INTO resources SELECT '', '', 'ram_share', arn, doc FROM ram_shares",
          "INSERT INTO resources SELECT '', '', 'ram_invitation', arn, doc FROM ram_invitations"}) {
      tx.Change(sql).Run();
    }
    for (const char* table : {"ddb_items", "ddb_index_entries", "lf_grants", "ram_shares", "ram_share_principals",
                              "ram_invitations"}) {
      tx.Change(std::string("DROP TABLE ") + table).Run();
    }
    tx.Change("UPDATE meta SET value = '1' WHERE key = 'schema_version'").Run();
    return true;
  });
  ASSERT_TRUE(done.ok()) << done.error().ToString();
}

// A mesh in use, written in the first file layout, opens into the same state in the current one
// and goes on working: the subscription is imported, then deleted with all its grants.
TEST_F(MeshFlowTest, AMeshFileOfTheFirstLayoutIsMigratedWithEverythingInIt) {
  auto producer = Producer::Create(Options(producer_));
  ASSERT_TRUE(producer->CreateDataProducts(Products()).ok());
  const std::string mesh_db = "sales-" + producer_;
  auto consumer = Consumer::Create(Options(consumer_));
  auto request = consumer->RequestAccessToProduct(producer_, mesh_db, {"orders"}, {"SELECT", "DESCRIBE"});
  ASSERT_TRUE(request.ok());
  ApproveAsRequested(*producer, {request->subscription_id});
  const auto before = ServiceTableRows(db_);
  ASSERT_GT(before.size(), 40u);

  RewriteAsVersionOne(db_);
  const auto after = ServiceTableRows(db_);  // opening migrates
  EXPECT_EQ(after, before);

  auto imported = Consumer::Create(Options(consumer_))->FinalizeSubscription(request->subscription_id);
  ASSERT_TRUE(imported.ok()) << imported.error().ToString();
  ASSERT_TRUE(Producer::Create(Options(producer_))->DeleteSubscription(request->subscription_id, "migrated").ok());
  EXPECT_TRUE(ConsumerGrantsOn(mesh_db, "orders").empty());
}

}  // namespace
}  // namespace datamesh

namespace datamesh {
namespace {

// Counts the requests whose path or X-Amz-Target names `operation`.
class CountOperation : public aws::HttpTransport {
 public:
  CountOperation(std::shared_ptr<aws::HttpTransport> inner, std::string operation, std::shared_ptr<std::atomic<int>> count)
      : inner_(std::move(inner)), operation_(std::move(operation)), count_(std::move(count)) {}
  Outcome<aws::HttpResponse> Send(const aws::HttpRequest& request) override {
    if (request.path.find(operation_) != std::string::npos ||
        request.headers.Get("X-Amz-Target").value_or("").find(operation_) != std::string::npos) {
      ++*count_;
    }
    return inner_->Send(request);
  }

 private:
  std::shared_ptr<aws::HttpTransport> inner_;
  std::string operation_;
  std::shared_ptr<std::atomic<int>> count_;
};

// The source's LF-tags travel to the mesh copies; reading them table by table is skipped only
// where the producer can see no tag at all, since a caller sees a tag on a resource only where it
// may see the tag (Lake Formation Developer Guide, viewing LF-Tags assigned to a resource, and
// listing LF-Tags).
TEST_F(MeshFlowTest, SourceLfTagsAreCarriedAndReadOnlyWhereTheProducerCanSeeATag) {
  auto reads = std::make_shared<std::atomic<int>>(0);
  MeshOptions counted = Options(producer_);
  counted.wrap_transport = [reads](std::shared_ptr<aws::HttpTransport> inner) -> std::shared_ptr<aws::HttpTransport> {
    return std::make_shared<CountOperation>(std::move(inner), "GetResourceLFTags", reads);
  };
  ASSERT_TRUE(Producer::Create(counted)->CreateDataProducts(Products()).ok());
  EXPECT_EQ(reads->load(), 0);  // no tag in the producer's catalog: nothing to read

  // The producer's administrator tags the orders table and lets the DataMeshProducer role see the tag.
  auto lf = Session(producer_)->LakeFormation();
  ASSERT_TRUE(lf.CreateLFTag({{"TagKey", "sensitivity"}, {"TagValues", {"high", "low"}}}).ok());
  ASSERT_TRUE(lf.AddLFTagsToResource({{"Resource", {{"Table", {{"DatabaseName", "sales"}, {"Name", "orders"}}}}},
                                      {"LFTags", {{{"TagKey", "sensitivity"}, {"TagValues", {"high"}}}}}})
                  .ok());
  const std::string role = "arn:aws:iam::" + producer_ + ":role" + names::kIamPath + names::kProducerRole;
  // Not yet visible to the role: GetResourceLFTags shows it no tag.
  auto role_session = Session(producer_)->AssumeRole(role, "check");
  ASSERT_TRUE(role_session.ok()) << role_session.error().ToString();
  auto seen = (*role_session)->LakeFormation().GetResourceLFTags(
      {{"Resource", {{"Table", {{"DatabaseName", "sales"}, {"Name", "orders"}}}}}});
  ASSERT_TRUE(seen.ok()) << seen.error().ToString();
  EXPECT_TRUE(seen->value("LFTagsOnTable", json::array()).empty());
  ASSERT_TRUE(lf.GrantPermissions({{"Principal", {{"DataLakePrincipalIdentifier", role}}},
                                   {"Resource", {{"LFTag", {{"TagKey", "sensitivity"}, {"TagValues", {"high", "low"}}}}}},
                                   {"Permissions", {"DESCRIBE"}}})
                  .ok());
  ASSERT_TRUE(Producer::Create(counted)->CreateDataProducts(Products()).ok());
  EXPECT_EQ(reads->load(), 2);  // now each table's tags are read
  auto mesh_tags = Session(plan_.mesh_account)->LakeFormation().GetResourceLFTags(
      {{"Resource", {{"Table", {{"DatabaseName", "sales-" + producer_}, {"Name", "orders"}}}}}});
  ASSERT_TRUE(mesh_tags.ok()) << mesh_tags.error().ToString();
  std::map<std::string, std::string> carried;
  for (const auto& t : (*mesh_tags)["LFTagsOnTable"]) carried[t["TagKey"]] = t["TagValues"][0];
  EXPECT_EQ(carried["sensitivity"], "high");
  EXPECT_EQ(carried[names::kDomainTag], "Retail");
}

}  // namespace
}  // namespace datamesh

namespace datamesh {
namespace {

// A clock the test moves: expiry without waiting. With a step, every reading also moves it on, as
// time passes while a slow decision goes about its work.
class ManualClock : public aws::Clock {
 public:
  explicit ManualClock(aws::SystemTime start) : now_(start) {}
  aws::SystemTime Now() const override {
    std::lock_guard<std::mutex> lock(mu_);
    aws::SystemTime t = now_;
    now_ += step_;
    return t;
  }
  void Advance(std::chrono::seconds by) {
    std::lock_guard<std::mutex> lock(mu_);
    now_ += by;
  }
  void StepOnEveryRead(std::chrono::milliseconds step) {
    std::lock_guard<std::mutex> lock(mu_);
    step_ = step;
  }

 private:
  mutable std::mutex mu_;
  mutable aws::SystemTime now_;
  std::chrono::milliseconds step_{0};
};

// A producer and a consumer on a clock the test moves, the producer's products published and the
// consumer's request for its orders made.
class ClockedMeshFlowTest : public MeshFlowTest {
 protected:
  void SetUp() override {
    MeshFlowTest::SetUp();
    if (HasFatalFailure()) return;
    auto p = Producer::Create(WithClock(producer_));
    ASSERT_TRUE(p.ok()) << p.error().ToString();
    producer.emplace(std::move(*p));
    ASSERT_TRUE(producer->CreateDataProducts(Products()).ok());
    auto c = Consumer::Create(WithClock(consumer_));
    ASSERT_TRUE(c.ok()) << c.error().ToString();
    consumer.emplace(std::move(*c));
    auto r = consumer->RequestAccessToProduct("", mesh_db, {"orders"}, {"SELECT"});
    ASSERT_TRUE(r.ok()) << r.error().ToString();
    request_id = r->subscription_id;
  }
  MeshOptions WithClock(const std::string& account) {
    MeshOptions o = Options(account);
    o.clock = clock;
    return o;
  }

  std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>(std::chrono::system_clock::now());
  std::optional<Producer> producer;
  std::optional<Consumer> consumer;
  const std::string mesh_db = "sales-" + producer_;
  std::string request_id;
};

// Access given until a date ends then: expire-subscriptions (and the producer's sweep) revoke the
// grants and record the subscription Deleted as expired, which its event says; a date already past
// is refused, and a later approval without a date clears the earlier one.
TEST_F(ClockedMeshFlowTest, ExpiredAccessIsRevokedOnTime) {
  ApproveOptions approve;
  approve.request_id = request_id;
  approve.expires_at = mesh::TrackerDate(clock->Now() - std::chrono::seconds(1));
  auto past = producer->ApproveAccessRequest(approve);
  ASSERT_FALSE(past.ok());
  EXPECT_EQ(past.error().code(), "InvalidArgument");
  approve.expires_at = mesh::TrackerDate(clock->Now() + std::chrono::hours(1));
  auto approved = producer->ApproveAccessRequest(approve);
  ASSERT_TRUE(approved.ok()) << approved.error().ToString();
  EXPECT_EQ(approved->expires_at, approve.expires_at);
  EXPECT_FALSE(ConsumerGrantsOn(mesh_db, "orders").empty());

  // Not yet due: nothing ends.
  clock->Advance(std::chrono::minutes(59));
  EXPECT_TRUE(producer->ExpireSubscriptions()->subscriptions.empty());
  EXPECT_FALSE(ConsumerGrantsOn(mesh_db, "orders").empty());
  // Due, not yet swept: a decision on the same consumer grants only what has not expired.
  clock->Advance(std::chrono::minutes(2));
  auto other = consumer->RequestAccessToProduct("", mesh_db, {"customers"}, {"SELECT"});
  ASSERT_TRUE(other.ok()) << other.error().ToString();
  ApproveOptions customers;
  customers.request_id = other->subscription_id;
  ASSERT_TRUE(producer->ApproveAccessRequest(customers).ok());
  EXPECT_TRUE(ConsumerGrantsOn(mesh_db, "orders").empty());
  EXPECT_FALSE(ConsumerGrantsOn(mesh_db, "customers").empty());
  EXPECT_EQ(producer->GetSubscription(request_id)->status, SubscriptionStatus::kActive);
  // The full sweep records the end.
  auto swept = producer->RevokeGrantsOfDeletedSubscriptions();
  ASSERT_TRUE(swept.ok()) << swept.error().ToString();
  ASSERT_EQ(swept->subscriptions.size(), 1u);
  EXPECT_TRUE(ConsumerGrantsOn(mesh_db, "orders").empty());
  auto ended = producer->GetSubscription(request_id);
  EXPECT_EQ(ended->status, SubscriptionStatus::kDeleted);
  EXPECT_EQ(mesh::EventTypeOf(ended->history.back().action, ended->history.back().note), "expired");
  EXPECT_TRUE(producer->ExpireSubscriptions()->subscriptions.empty());  // once

  // Approved again without a date: the old date is gone and nothing expires.
  auto again = consumer->RequestAccessToProduct("", mesh_db, {"orders"}, {"SELECT"});
  ASSERT_TRUE(again.ok()) << again.error().ToString();
  ApproveOptions open;
  open.request_id = again->subscription_id;
  auto reapproved = producer->ApproveAccessRequest(open);
  ASSERT_TRUE(reapproved.ok()) << reapproved.error().ToString();  // msg
  EXPECT_FALSE(reapproved->expires_at.has_value());
  clock->Advance(std::chrono::hours(24 * 365));
  EXPECT_TRUE(producer->ExpireSubscriptions()->subscriptions.empty());
  EXPECT_FALSE(ConsumerGrantsOn(mesh_db, "orders").empty());
}

// A consumer's change that lands between the sweep's read of an expired subscription and its write
// (conditional on the versions it read) ends that subscription's sweep as transient, so that a
// follower carries on; the next sweep finds the record as the consumer left it and ends the access.
TEST_F(ClockedMeshFlowTest, ARecordItsConsumerChangesDuringTheSweepIsLeftForTheNextSweep) {
  ApproveOptions approve;
  approve.request_id = request_id;
  approve.expires_in = std::chrono::hours(1);
  ASSERT_TRUE(producer->ApproveAccessRequest(approve).ok());
  ASSERT_FALSE(ConsumerGrantsOn(mesh_db, "orders").empty());
  clock->Advance(std::chrono::hours(2));

  // The sweep's first write is the expired subscription's end; just before it, the consumer
  // deletes the subscription itself.
  MeshOptions hooked = WithClock(producer_);
  hooked.wrap_transport = [&](std::shared_ptr<aws::HttpTransport> inner) -> std::shared_ptr<aws::HttpTransport> {
    return std::make_shared<BeforeRequest>(std::move(inner), "DynamoDB_20120810.UpdateItem", [&] {
      auto deleted = consumer->DeleteSubscription(request_id, "done with it");
      ASSERT_TRUE(deleted.ok()) << deleted.error().ToString();
    });
  };
  auto raced = Producer::Create(hooked)->ExpireSubscriptions();
  ASSERT_FALSE(raced.ok());
  EXPECT_EQ(raced.error().code(), "RevocationFailed");
  EXPECT_EQ(raced.error().kind(), ErrorKind::kTransient) << raced.error().ToString();
  EXPECT_NE(raced.error().message().find("SubscriptionChanged"), std::string::npos) << raced.error().ToString();

  auto next = producer->RevokeGrantsOfDeletedSubscriptions();
  ASSERT_TRUE(next.ok()) << next.error().ToString();
  EXPECT_TRUE(ConsumerGrantsOn(mesh_db, "orders").empty());
  auto ended = producer->GetSubscription(request_id);
  EXPECT_EQ(ended->status, SubscriptionStatus::kDeleted);
  EXPECT_TRUE(producer->RevokeGrantsOfDeletedSubscriptions()->subscriptions.empty());  // once
}

// An expiry given as a span counts from the decision's record, however long the decision takes to
// get there: with a clock that moves 1.5 s at every reading, a date one second ahead has passed
// before the decision is made (refused), and a one-second span never has. The date recorded is at
// least the span after the last moment before the call. (CI once refused `--expires-in 1s` on a
// busy machine: the CLI turned the span into a date, and the library's check came a second later.)
TEST_F(ClockedMeshFlowTest, AnExpirySpanCountsFromTheDecisionNotFromTheCall) {
  clock->StepOnEveryRead(std::chrono::milliseconds(1500));

  ApproveOptions dated;
  dated.request_id = request_id;
  dated.expires_at = mesh::TrackerDate(clock->Now() + std::chrono::seconds(1));
  auto refused = producer->ApproveAccessRequest(dated);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message().find("has already passed"), std::string::npos) << refused.error().ToString();

  ApproveOptions both = dated;
  both.expires_in = std::chrono::seconds(60);
  EXPECT_EQ(producer->ApproveAccessRequest(both).error().code(), "InvalidArgument");
  ApproveOptions none;
  none.request_id = request_id;
  none.expires_in = std::chrono::seconds(0);
  EXPECT_EQ(producer->ApproveAccessRequest(none).error().code(), "InvalidArgument");
  // Past the longest span (whose date would pass the clock's arithmetic): refused, not wrapped round.
  ApproveOptions forever = none;
  forever.expires_in = std::chrono::duration_cast<std::chrono::seconds>(kLongestExpirySpan + std::chrono::hours(1));
  EXPECT_EQ(producer->ApproveAccessRequest(forever).error().code(), "InvalidArgument");
  forever.expires_in = std::chrono::seconds(999'999'999LL * 86'400);
  EXPECT_EQ(producer->ApproveAccessRequest(forever).error().code(), "InvalidArgument");
  EXPECT_EQ(producer->GetSubscription(request_id)->status, SubscriptionStatus::kPending);

  ApproveOptions span;
  span.request_id = request_id;
  span.expires_in = std::chrono::seconds(1);
  const std::string before = mesh::TrackerDate(clock->Now() + std::chrono::seconds(1));
  auto approved = producer->ApproveAccessRequest(span);
  ASSERT_TRUE(approved.ok()) << approved.error().ToString();
  ASSERT_TRUE(approved->expires_at.has_value());
  EXPECT_GT(*approved->expires_at, before);  // counted from later than the call, by the moving clock
  EXPECT_EQ(approved->status, SubscriptionStatus::kActive);

  // A change with a span sets the new end the same way.
  auto modified = producer->UpdateSubscriptionPermissions(request_id, {"SELECT"}, "one more hour", std::nullopt,
                                                          std::nullopt, std::chrono::hours(1));
  ASSERT_TRUE(modified.ok()) << modified.error().ToString();
  ASSERT_TRUE(modified->expires_at.has_value());
  EXPECT_GT(*modified->expires_at, mesh::TrackerDate(clock->Now() + std::chrono::minutes(59)));
  EXPECT_FALSE(ConsumerGrantsOn(mesh_db, "orders").empty());
}

// Counts every request by operation: the X-Amz-Target's operation, the query protocol's Action,
// or the REST path's last segment.
class CountOperations : public aws::HttpTransport {
 public:
  using Counts = std::map<std::string, int>;
  CountOperations(std::shared_ptr<aws::HttpTransport> inner, std::shared_ptr<Counts> counts, std::shared_ptr<std::mutex> mu)
      : inner_(std::move(inner)), counts_(std::move(counts)), mu_(std::move(mu)) {}
  Outcome<aws::HttpResponse> Send(const aws::HttpRequest& request) override {
    std::string op = request.headers.Get("X-Amz-Target").value_or("");
    if (auto dot = op.rfind('.'); dot != std::string::npos) op = op.substr(dot + 1);
    if (op.empty()) {
      if (auto at = request.body.find("Action="); at != std::string::npos) {
        op = request.body.substr(at + 7, request.body.find('&', at) - at - 7);
      } else {
        op = request.path.substr(request.path.rfind('/') + 1);
      }
    }
    {
      std::lock_guard<std::mutex> lock(*mu_);
      ++(*counts_)[op];
    }
    return inner_->Send(request);
  }

 private:
  std::shared_ptr<aws::HttpTransport> inner_;
  std::shared_ptr<Counts> counts_;
  std::shared_ptr<std::mutex> mu_;
};

// The producer's rules over its pending requests: regular-expression requests are resolved
// before table conditions are looked at; an approving rule needs every table to qualify, a denying
// rule any; a request that cannot be decided is reported and the others are still decided; and
// the whole run works from one role chain, reading each database's tables and each table's tags
// once however many requests there are.
TEST_F(MeshFlowTest, RulesDecideFromOneDeskWithTablesResolved) {
  auto producer = Producer::Create(Options(producer_));
  ASSERT_TRUE(producer->CreateDataProducts(Products()).ok());  // orders, customers: Retail
  CreateDataProductsOptions lab = Products();
  lab.table_name_regex = "scratch";
  lab.domain = "Lab";
  ASSERT_TRUE(producer->CreateDataProducts(lab).ok());
  const std::string mesh_db = "sales-" + producer_;
  auto consumer = Consumer::Create(Options(consumer_));
  auto request = [&](std::vector<std::string> tables, std::vector<std::string> permissions) {
    auto r = consumer->RequestAccessToProduct("", mesh_db, tables, permissions, "for the test");
    EXPECT_TRUE(r.ok()) << r.error().ToString();
    return r->subscription_id;
  };
  const std::string by_regex = request({"cust.*"}, {"DESCRIBE"});
  const std::string mixed = request({"orders", "scratch"}, {"DESCRIBE"});
  const std::string mixed_select = request({"orders|scratch"}, {"SELECT"});
  const std::string plain = request({"orders"}, {"SELECT"});

  DecisionRules rules;
  DecisionRule retail_describe;  // approves only what is all Retail
  retail_describe.name = "retail-describe";
  retail_describe.permissions_within = std::set<std::string>{"DESCRIBE"};
  retail_describe.table_tags = {{names::kDomainTag, "Retail"}};
  DecisionRule lab_denied;  // denies whatever reaches a Lab table
  lab_denied.name = "lab";
  lab_denied.decision = DecisionRule::Decision::kDeny;
  lab_denied.table_tags = {{names::kDomainTag, "Lab"}};
  DecisionRule orders_select;
  orders_select.name = "orders-select";
  orders_select.tables = std::set<std::string>{"orders"};
  rules.rules = {retail_describe, lab_denied, orders_select};

  auto counts = std::make_shared<CountOperations::Counts>();
  auto mu = std::make_shared<std::mutex>();
  MeshOptions counted = Options(producer_);
  counted.wrap_transport = [counts, mu](std::shared_ptr<aws::HttpTransport> inner) -> std::shared_ptr<aws::HttpTransport> {
    return std::make_shared<CountOperations>(std::move(inner), counts, mu);
  };
  auto deciding = Producer::Create(counted);
  // Rules that look at every table of every request and decide none: one role chain (the
  // DataMeshProducer role, then the mesh role), one read of the database's tables, each table's
  // LF-tags once, however many requests name it.
  DecisionRules looking;
  DecisionRule nowhere;
  nowhere.name = "nowhere";
  nowhere.table_tags = {{names::kDomainTag, "Nowhere"}};
  looking.rules = {nowhere};
  auto undecided = deciding->ProcessRequests(looking);
  ASSERT_TRUE(undecided.ok()) << undecided.error().ToString();
  ASSERT_EQ(undecided->decisions.size(), 4u);
  for (const auto& d : undecided->decisions) EXPECT_EQ(d.decision, "pending");
  EXPECT_EQ((*counts)["AssumeRole"], 2);
  EXPECT_EQ((*counts)["GetTables"], 1);
  // customers and orders: an approving rule stops at the first table it does not cover.
  EXPECT_EQ((*counts)["GetResourceLFTags"], 2);

  counts->clear();
  auto decided = deciding->ProcessRequests(rules);
  ASSERT_TRUE(decided.ok()) << decided.error().ToString();
  std::map<std::string, RuledDecision> by_id;
  for (const auto& d : decided->decisions) by_id[d.subscription_id] = d;
  ASSERT_EQ(by_id.size(), 4u);
  EXPECT_EQ(by_id[by_regex].decision, "approved");  // cust.* is customers, a Retail table
  EXPECT_EQ(by_id[by_regex].rule, "retail-describe");
  EXPECT_EQ(by_id[mixed].decision, "denied");  // not all Retail; scratch is Lab
  EXPECT_EQ(by_id[mixed].rule, "lab");
  EXPECT_EQ(by_id[mixed_select].decision, "denied");  // the regex reaches scratch
  EXPECT_EQ(by_id[plain].decision, "approved");
  EXPECT_EQ(by_id[plain].rule, "orders-select");
  EXPECT_EQ(decided->failed(), 0u);
  EXPECT_FALSE(ConsumerGrantsOn(mesh_db, "customers").empty());
  EXPECT_EQ((*counts)["AssumeRole"], 0);  // the role chain is kept while it lasts

  // A request whose table has gone cannot be decided; it is reported, stays pending, and does
  // not keep the next one from being decided. Nor does the grant the consumer still holds on the
  // gone table (customers, by the approval above) keep its next approval from being granted.
  const std::string gone = request({"customers"}, {"SELECT"});
  const std::string next = request({"orders"}, {"INSERT"});
  // (By the mesh's administrator, a data lake administrator.)
  auto manager = Session(plan_.mesh_account)->AssumeRole(
      "arn:aws:iam::" + plan_.mesh_account + ":role" + names::kIamPath + names::kManagerRole, "test");
  ASSERT_TRUE(manager.ok()) << manager.error().ToString();
  auto deleted = (*manager)->Glue().DeleteTable({{"DatabaseName", mesh_db}, {"Name", "customers"}});
  ASSERT_TRUE(deleted.ok()) << deleted.error().ToString();
  DecisionRule anything;
  anything.name = "anything";
  rules.rules = {anything};
  auto again = deciding->ProcessRequests(rules);
  ASSERT_TRUE(again.ok()) << again.error().ToString();
  ASSERT_EQ(again->decisions.size(), 2u);
  EXPECT_EQ(again->failed(), 1u);
  for (const auto& d : again->decisions) {
    if (d.subscription_id == gone) {
      EXPECT_EQ(d.decision, "failed");
      EXPECT_NE(d.error.find("NoMatchingTables"), std::string::npos) << d.error;
    } else {
      EXPECT_EQ(d.subscription_id, next);
      EXPECT_EQ(d.decision, "approved") << d.error;
    }
  }
  EXPECT_EQ(producer->GetSubscription(gone)->status, SubscriptionStatus::kPending);
  EXPECT_EQ(producer->GetSubscription(next)->status, SubscriptionStatus::kActive);
  EXPECT_EQ((*counts)["AssumeRole"], 0);
}

// With require_decision_notes, the library refuses a decision by hand without notes, before
// anything is read or written; ProcessRequests without rules given is refused.
TEST_F(MeshFlowTest, RulesRequireNotesOnDecisionsByHand) {
  auto producer = Producer::Create(Options(producer_));
  ASSERT_TRUE(producer->CreateDataProducts(Products()).ok());
  auto consumer = Consumer::Create(Options(consumer_));
  auto r = consumer->RequestAccessToProduct("", "sales-" + producer_, {"orders"}, {"SELECT"});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  auto none = producer->ProcessRequests();
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code(), "InvalidArgument");
  DecisionRules rules;
  rules.require_decision_notes = true;
  producer->UseRules(rules);
  ApproveOptions approve;
  approve.request_id = r->subscription_id;
  for (const auto& refused : {producer->ApproveAccessRequest(approve), producer->DenyAccessRequest(r->subscription_id),
                              producer->DenyAccessRequest(r->subscription_id, std::string())}) {
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code(), "InvalidArgument");
  }
  EXPECT_EQ(producer->GetSubscription(r->subscription_id)->status, SubscriptionStatus::kPending);
  approve.decision_notes = "quarterly reports";
  auto approved = producer->ApproveAccessRequest(approve);
  ASSERT_TRUE(approved.ok()) << approved.error().ToString();
  auto modified = producer->UpdateSubscriptionPermissions(r->subscription_id, {"DESCRIBE"}, "");
  ASSERT_FALSE(modified.ok());
  EXPECT_EQ(modified.error().code(), "InvalidArgument");
  // Nothing pending: ProcessRequests with the rules given decides nothing.
  auto ruled = producer->ProcessRequests();
  ASSERT_TRUE(ruled.ok()) << ruled.error().ToString();
  EXPECT_TRUE(ruled->decisions.empty());
}

// A shard whose first `empty` pages from its trim horizon are empty, as DynamoDB Streams may
// serve them: the iterators of the head carry how far into it they are ("head<n>|<iterator>"), and
// only the last leads on to the real records. Counts GetRecords calls.
class EmptyShardHead : public aws::HttpTransport {
 public:
  EmptyShardHead(std::shared_ptr<aws::HttpTransport> inner, int empty, std::shared_ptr<std::atomic<int>> reads)
      : inner_(std::move(inner)), empty_(empty), reads_(std::move(reads)) {}
  Outcome<aws::HttpResponse> Send(const aws::HttpRequest& request) override {
    const std::string target = request.headers.Get("X-Amz-Target").value_or("");
    if (target.find("GetShardIterator") != std::string::npos &&
        json::parse(request.body).value("ShardIteratorType", "") == "TRIM_HORIZON") {
      auto out = inner_->Send(request);
      if (!out.ok()) return out;
      json answer = json::parse(out->body);
      answer["ShardIterator"] = "head0|" + answer.value("ShardIterator", "");
      out->body = answer.dump();
      out->headers.Remove("x-amz-crc32");
      return out;
    }
    if (target.find("GetRecords") != std::string::npos) {
      ++*reads_;
      const std::string iterator = json::parse(request.body).value("ShardIterator", "");
      if (iterator.rfind("head", 0) == 0) {
        // An empty page; the last of the head leads on to the real iterator.
        const size_t bar = iterator.find('|');
        const int n = std::stoi(iterator.substr(4, bar - 4));
        const std::string real = iterator.substr(bar + 1);
        aws::HttpResponse page;
        page.status = 200;
        page.headers.Set("Content-Type", "application/x-amz-json-1.0");
        const std::string next = n + 1 < empty_ ? "head" + std::to_string(n + 1) + "|" + real : real;
        page.body = json{{"Records", json::array()}, {"NextShardIterator", next}}.dump();
        return page;
      }
    }
    return inner_->Send(request);
  }

 private:
  std::shared_ptr<aws::HttpTransport> inner_;
  int empty_;
  std::shared_ptr<std::atomic<int>> reads_;
};

// "If there are no stream records available in the portion of the shard that the iterator points
// to, GetRecords returns an empty list. Note that it might take multiple calls to get to a portion
// of the shard that contains stream records." (DynamoDB Streams API Reference, GetRecords.) The
// feed keeps each open shard's iterator from one read to the next, so it walks past any number of
// empty pages (one per read when nothing is new) and misses nothing; started again from the trim
// horizon each time, it would never get past them.
TEST_F(MeshFlowTest, EventsAreReadPastEmptyStreamPages) {
  auto producer = Producer::Create(Options(producer_));
  ASSERT_TRUE(producer->CreateDataProducts(Products()).ok());
  auto consumer = Consumer::Create(Options(consumer_));
  ASSERT_TRUE(consumer->RequestAccessToProduct("", "sales-" + producer_, {"orders"}, {"SELECT"}).ok());
  auto reads = std::make_shared<std::atomic<int>>(0);
  MeshOptions o = Options(producer_);
  o.wrap_transport = [reads](std::shared_ptr<aws::HttpTransport> inner) -> std::shared_ptr<aws::HttpTransport> {
    return std::make_shared<EmptyShardHead>(std::move(inner), 6, reads);
  };
  auto feed = EventFeed::Create(o, EventAudience::kProducer);
  ASSERT_TRUE(feed.ok()) << feed.error().ToString();
  EventCheckpoint at;
  std::vector<MeshEvent> seen;
  int polls = 0;
  for (; polls < 20 && seen.empty(); ++polls) {
    const int before = reads->load();
    auto batch = feed->Read(at, {});
    ASSERT_TRUE(batch.ok()) << batch.error().ToString();
    if (batch->events.empty()) {
      EXPECT_EQ(reads->load() - before, 1) << "one GetRecords per read while nothing is new";
    }
    seen = batch->events;
    at = batch->reached;
  }
  ASSERT_EQ(seen.size(), 1u) << "after " << polls << " reads";
  EXPECT_EQ(seen[0].type, "requested");
  EXPECT_EQ(polls, 7);  // six empty pages, then the records
  // Caught up: a further read finds nothing, with one call.
  const int before = reads->load();
  auto idle = feed->Read(at, {});
  ASSERT_TRUE(idle.ok()) << idle.error().ToString();
  EXPECT_TRUE(idle->events.empty());
  EXPECT_EQ(reads->load() - before, 1);
}

// Assumed roles last an hour (STS AssumeRole, DurationSeconds default 3600); a follower runs for
// days. The feed and the producer go back to their role chains when the credentials they hold near
// their end: two hours on, by the mesh's clock (the local mesh refuses an expired session with
// ExpiredToken), both still work, and while their sessions have more than 45 minutes left they
// assume nothing again.
TEST_F(MeshFlowTest, AFollowerOutlivesItsRoleCredentials) {
  ASSERT_TRUE(Producer::Create(Options(producer_))->CreateDataProducts(Products()).ok());
  auto consumer = Consumer::Create(Options(consumer_));
  ASSERT_TRUE(consumer->RequestAccessToProduct("", "sales-" + producer_, {"orders"}, {"SELECT"}).ok());
  auto clock = std::make_shared<ManualClock>(std::chrono::system_clock::now());
  auto store = local::OpenMeshFile(db_);
  ASSERT_TRUE(store.ok()) << store.error().ToString();
  MeshOptions o = Options(producer_);
  o.transport = std::make_shared<local::LocalTransport>(std::make_shared<local::MeshHandler>(*store, clock));
  o.clock = clock;
  auto counts = std::make_shared<CountOperations::Counts>();
  auto mu = std::make_shared<std::mutex>();
  o.wrap_transport = [counts, mu](std::shared_ptr<aws::HttpTransport> inner) -> std::shared_ptr<aws::HttpTransport> {
    return std::make_shared<CountOperations>(std::move(inner), counts, mu);
  };
  auto feed = EventFeed::Create(o, EventAudience::kProducer);
  ASSERT_TRUE(feed.ok()) << feed.error().ToString();
  auto producer = Producer::Create(o);
  DecisionRules rules;
  rules.rules = {DecisionRule{}};
  rules.rules[0].name = "all";
  auto first = feed->Read({}, {});
  ASSERT_TRUE(first.ok()) << first.error().ToString();
  ASSERT_EQ(first->events.size(), 1u);
  ASSERT_TRUE(producer->ProcessRequests(rules).ok());
  const int assumed = (*counts)["AssumeRole"];
  clock->Advance(std::chrono::minutes(10));
  ASSERT_TRUE(feed->Read(first->reached, {}).ok());
  EXPECT_EQ((*counts)["AssumeRole"], assumed);  // kept while more than 45 minutes remain

  clock->Advance(std::chrono::hours(2));
  ASSERT_TRUE(consumer->RequestAccessToProduct("", "sales-" + producer_, {"customers"}, {"SELECT"}).ok());
  auto later = feed->Read(first->reached, {});
  ASSERT_TRUE(later.ok()) << later.error().ToString();
  std::vector<std::string> types;
  for (const auto& e : later->events) types.push_back(e.type);
  EXPECT_EQ(types, (std::vector<std::string>{"approved", "requested"}));
  auto decided = producer->ProcessRequests(rules);
  ASSERT_TRUE(decided.ok()) << decided.error().ToString();
  ASSERT_EQ(decided->decisions.size(), 1u);
  EXPECT_EQ(decided->decisions[0].decision, "approved") << decided->decisions[0].error;
  EXPECT_GT((*counts)["AssumeRole"], assumed);  // assumed again once they ran out
}

// Runs `before` once, before the `nth` request whose X-Amz-Target names `operation`.
class BeforeNthCall : public aws::HttpTransport {
 public:
  BeforeNthCall(std::shared_ptr<aws::HttpTransport> inner, std::string operation, int nth, std::function<void()> before)
      : inner_(std::move(inner)), operation_(std::move(operation)), left_(nth), before_(std::move(before)) {}
  Outcome<aws::HttpResponse> Send(const aws::HttpRequest& request) override {
    if (request.headers.Get("X-Amz-Target").value_or("").find(operation_) != std::string::npos && --left_ == 0) before_();
    return inner_->Send(request);
  }

 private:
  std::shared_ptr<aws::HttpTransport> inner_;
  std::string operation_;
  int left_;
  std::function<void()> before_;
};

// A rule decides on the tables it looked at: a table that appears between the rule's look and the
// approval's own resolution (matching the request's regular expression, and not carrying the tag
// the rule needs) is not granted on the rule's word. The request stays pending, reported as a
// failure worth trying again, and the next run decides it on the tables as they are.
TEST_F(MeshFlowTest, RulesApproveOnlyTheTablesTheyLookedAt) {
  auto producer = Producer::Create(Options(producer_));
  ASSERT_TRUE(producer->CreateDataProducts(Products()).ok());  // orders, customers: Retail
  const std::string mesh_db = "sales-" + producer_;
  auto consumer = Consumer::Create(Options(consumer_));
  auto request = consumer->RequestAccessToProduct("", mesh_db, {"cust.*"}, {"DESCRIBE"});
  ASSERT_TRUE(request.ok()) << request.error().ToString();
  DecisionRules rules;
  DecisionRule retail;
  retail.name = "retail";
  retail.table_tags = {{names::kDomainTag, "Retail"}};
  rules.rules = {retail};

  // (Made by the producer's mesh role, as the producer's own publishing would.)
  auto as_producer = mesh::ProducerSessions(Session(producer_));
  ASSERT_TRUE(as_producer.ok()) << as_producer.error().ToString();
  MeshOptions o = Options(producer_);
  o.wrap_transport = [&](std::shared_ptr<aws::HttpTransport> inner) -> std::shared_ptr<aws::HttpTransport> {
    // The rules read the tables first (one GetTables); before the approval reads them again, a
    // table appears that the request's expression reaches.
    return std::make_shared<BeforeNthCall>(std::move(inner), "GetTables", 2, [&] {
      json input = {{"Name", "customers_archive"},
                    {"StorageDescriptor", {{"Columns", {{{"Name", "id"}, {"Type", "string"}}}},
                                           {"Location", "s3://producer-sales-data/customers_archive/"}}}};
      auto made = as_producer->mesh->Glue().CreateTable({{"DatabaseName", mesh_db}, {"TableInput", input}});
      ASSERT_TRUE(made.ok()) << made.error().ToString();
    });
  };
  auto decided = Producer::Create(o)->ProcessRequests(rules);
  ASSERT_TRUE(decided.ok()) << decided.error().ToString();
  ASSERT_EQ(decided->decisions.size(), 1u);
  EXPECT_EQ(decided->decisions[0].decision, "failed");
  EXPECT_TRUE(decided->decisions[0].retryable);
  EXPECT_NE(decided->decisions[0].error.find("TablesChanged"), std::string::npos) << decided->decisions[0].error;
  EXPECT_EQ(producer->GetSubscription(request->subscription_id)->status, SubscriptionStatus::kPending);
  EXPECT_TRUE(ConsumerGrantsOn(mesh_db, "customers_archive").empty());
  // Decided again on the tables as they are: customers_archive carries no Retail tag, so the rule
  // no longer covers the request, which waits for a person.
  auto again = producer->ProcessRequests(rules);
  ASSERT_TRUE(again.ok()) << again.error().ToString();
  ASSERT_EQ(again->decisions.size(), 1u);
  EXPECT_EQ(again->decisions[0].decision, "pending");
}

// Refuses Lake Formation's BatchGrantPermissions (a REST path) as AccessDenied, applying nothing.
class RefuseGrants : public aws::HttpTransport {
 public:
  explicit RefuseGrants(std::shared_ptr<aws::HttpTransport> inner) : inner_(std::move(inner)) {}
  Outcome<aws::HttpResponse> Send(const aws::HttpRequest& request) override {
    if (request.path.find("BatchGrantPermissions") == std::string::npos) return inner_->Send(request);
    aws::HttpResponse refused;
    refused.status = 400;
    refused.headers.Set("x-amzn-ErrorType", "AccessDeniedException");
    refused.body = R"({"Message":"refused by the test"})";
    return refused;
  }

 private:
  std::shared_ptr<aws::HttpTransport> inner_;
};

// A rule's decision the tracker recorded stands even when its grants then fail: it is reported as
// made, with the error, not as a request still pending; the next producer workflow finishes the
// grants.
TEST_F(MeshFlowTest, ARuledDecisionWhoseGrantsFailIsReportedAsMade) {
  ASSERT_TRUE(Producer::Create(Options(producer_))->CreateDataProducts(Products()).ok());
  const std::string mesh_db = "sales-" + producer_;
  auto request = Consumer::Create(Options(consumer_))->RequestAccessToProduct("", mesh_db, {"orders"}, {"SELECT"});
  ASSERT_TRUE(request.ok()) << request.error().ToString();
  MeshOptions refusing = Options(producer_);
  refusing.wrap_transport = [](std::shared_ptr<aws::HttpTransport> inner) -> std::shared_ptr<aws::HttpTransport> {
    return std::make_shared<RefuseGrants>(std::move(inner));
  };
  DecisionRules rules;
  rules.rules = {DecisionRule{}};
  rules.rules[0].name = "all";
  auto decided = Producer::Create(refusing)->ProcessRequests(rules);
  ASSERT_TRUE(decided.ok()) << decided.error().ToString();
  ASSERT_EQ(decided->decisions.size(), 1u);
  EXPECT_EQ(decided->decisions[0].decision, "approved");
  EXPECT_NE(decided->decisions[0].error.find("did not finish"), std::string::npos) << decided->decisions[0].error;
  EXPECT_EQ(decided->failed(), 0u);
  EXPECT_TRUE(ConsumerGrantsOn(mesh_db, "orders").empty());
  auto producer = Producer::Create(Options(producer_));
  EXPECT_EQ(producer->GetSubscription(request->subscription_id)->status, SubscriptionStatus::kActive);
  ASSERT_TRUE(producer->RevokeGrantsOfDeletedSubscriptions().ok());
  EXPECT_FALSE(ConsumerGrantsOn(mesh_db, "orders").empty());
}

}  // namespace
}  // namespace datamesh
