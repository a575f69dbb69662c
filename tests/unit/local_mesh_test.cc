// The local mesh in process, through datamesh's own clients: signatures made and verified,
// trust policies, expiry, clock skew, IAM and S3 rules, and writers sharing one database file.
#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include "aws/client/aws_session.h"
#include "aws/iam/iam_client.h"
#include "aws/s3/s3_client.h"
#include "aws/sts/sts_client.h"
#include "fake_transport.h"
#include "local/mesh_file.h"
#include "local/accounts/local_mesh_setup.h"
#include "local/server/local_transport.h"

namespace datamesh::local {
namespace {

using aws::Json;
using aws::testing::FakeClock;

class LocalMeshTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("datamesh-local-" + std::to_string(::getpid()) + "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    store_ = *OpenMeshFile((dir_ / "mesh.db").string());
    server_clock_ = std::make_shared<FakeClock>(std::chrono::system_clock::now());
    handler_ = std::make_shared<MeshHandler>(store_, server_clock_);
    auto keys = InitializeLocalMesh(*store_, plan_);
    ASSERT_TRUE(keys.ok()) << keys.error().ToString();
    for (const auto& k : *keys) keys_[k.role] = k;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  aws::Credentials Admin(const std::string& role) {
    aws::Credentials c;
    c.access_key_id = keys_[role].access_key_id;
    c.secret_access_key = keys_[role].secret_access_key;
    return c;
  }

  std::shared_ptr<aws::AwsSession> Session(const aws::Credentials& creds,
                                           std::shared_ptr<aws::Clock> client_clock = nullptr,
                                           std::shared_ptr<MeshHandler> handler = nullptr) {
    aws::SessionOptions o;
    o.credentials = creds;
    o.region = "us-east-1";
    o.endpoint_url = kInProcessEndpoint;
    o.environment = aws::Environment();
    o.transport = std::make_shared<LocalTransport>(handler ? handler : handler_);
    o.clock = client_clock ? client_clock : server_clock_;
    o.sleeper = std::make_shared<aws::testing::RecordingSleeper>();
    o.max_attempts = 2;
    return *aws::AwsSession::Create(o);
  }
  aws::IamClient Iam(const aws::Credentials& c) { return aws::IamClient(*Session(c)->Client("iam")); }
  aws::StsClient Sts(const aws::Credentials& c) { return aws::StsClient(*Session(c)->Client("sts")); }
  aws::S3Client S3(const aws::Credentials& c) { return aws::S3Client(*Session(c)->Client("s3")); }

  std::string Trust(const std::string& principal) {
    return Json{{"Version", "2012-10-17"},
                {"Statement", Json::array({{{"Effect", "Allow"}, {"Principal", {{"AWS", principal}}},
                                            {"Action", "sts:AssumeRole"}}})}}.dump();
  }

  std::filesystem::path dir_;
  LocalMeshPlan plan_;
  std::shared_ptr<Store> store_;
  std::shared_ptr<FakeClock> server_clock_;
  std::shared_ptr<MeshHandler> handler_;
  std::map<std::string, LocalAccountKeys> keys_;
};

TEST_F(LocalMeshTest, WhoamiIsSignedAndVerifiedInProcess) {
  auto id = Sts(Admin("producer")).GetCallerIdentity();
  ASSERT_TRUE(id.ok()) << id.error().ToString();
  EXPECT_EQ(id->account, plan_.producer_accounts[0]);
  EXPECT_EQ(id->arn, "arn:aws:iam::" + plan_.producer_accounts[0] + ":user/Administrator");
}

TEST_F(LocalMeshTest, WrongSecretAndUnknownKeyAreRefused) {
  aws::Credentials wrong = Admin("mesh");
  wrong.secret_access_key[0] = wrong.secret_access_key[0] == 'A' ? 'B' : 'A';
  auto r = Sts(wrong).GetCallerIdentity();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), "SignatureDoesNotMatch");
  EXPECT_EQ(r.error().http_status(), 403);
  aws::Credentials unknown = Admin("mesh");
  unknown.access_key_id = "AKIAAAAAAAAAAAAAAAAA";
  EXPECT_EQ(Sts(unknown).GetCallerIdentity().error().code(), "InvalidClientTokenId");
  EXPECT_EQ(S3(unknown).HeadBucket({{"Bucket", "any-bucket"}}).error().code(), "403");
}

TEST_F(LocalMeshTest, AssumeRoleAcrossAccountsExactlyWhereTrustAllows) {
  const std::string mesh = plan_.mesh_account;
  auto role = Iam(Admin("producer")).CreateRole({{"RoleName", "DataMeshProducer"}, {"Path", "/AwsDataMesh/"},
                                                 {"AssumeRolePolicyDocument", Trust(mesh)}});
  ASSERT_TRUE(role.ok()) << role.error().ToString();
  const std::string arn = (*role)["Role"]["Arn"];
  auto assumed = Sts(Admin("mesh")).AssumeRole(aws::AssumeRoleRequest{.role_arn = arn, .session_name = "mesh-session"});
  ASSERT_TRUE(assumed.ok()) << assumed.error().ToString();
  EXPECT_EQ(assumed->assumed_role_arn,
            "arn:aws:sts::" + plan_.producer_accounts[0] + ":assumed-role/DataMeshProducer/mesh-session");
  EXPECT_EQ(assumed->credentials.account_id, plan_.producer_accounts[0]);
  auto as_role = Sts(assumed->credentials).GetCallerIdentity();
  ASSERT_TRUE(as_role.ok());
  EXPECT_EQ(as_role->account, plan_.producer_accounts[0]);

  auto refused = Sts(Admin("consumer")).AssumeRole(aws::AssumeRoleRequest{.role_arn = arn, .session_name = "consumer-session"});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code(), "AccessDenied");
}

TEST_F(LocalMeshTest, ExpiredSessionsAreRefused) {
  auto role = Iam(Admin("producer")).CreateRole({{"RoleName", "Short"}, {"AssumeRolePolicyDocument", Trust(plan_.mesh_account)}});
  ASSERT_TRUE(role.ok());
  aws::AssumeRoleRequest req{.role_arn = (*role)["Role"]["Arn"], .session_name = "short-session"};
  req.duration_seconds = 900;
  auto assumed = Sts(Admin("mesh")).AssumeRole(req);
  ASSERT_TRUE(assumed.ok());
  ASSERT_TRUE(Sts(assumed->credentials).GetCallerIdentity().ok());
  server_clock_->Advance(std::chrono::seconds(901));
  auto expired = Sts(assumed->credentials).GetCallerIdentity();
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.error().code(), "ExpiredToken");
}

TEST_F(LocalMeshTest, ClientCorrectsItsClockFromTheServersDate) {
  auto slow_client_clock = std::make_shared<FakeClock>(server_clock_->Now() - std::chrono::hours(1));
  auto session = Session(Admin("mesh"), slow_client_clock);
  aws::StsClient sts(*session->Client("sts"));
  auto id = sts.GetCallerIdentity();
  ASSERT_TRUE(id.ok()) << id.error().ToString();
  EXPECT_EQ(id->account, plan_.mesh_account);
}

TEST_F(LocalMeshTest, IamPolicyDocumentsRoundTripAndVersionsAreBounded) {
  auto iam = Iam(Admin("mesh"));
  const std::string trust = Trust(plan_.producer_accounts[0]);
  ASSERT_TRUE(iam.CreateRole({{"RoleName", "R"}, {"AssumeRolePolicyDocument", trust}}).ok());
  auto got = iam.GetRole({{"RoleName", "R"}});
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(Json::parse((*got)["Role"]["AssumeRolePolicyDocument"].get<std::string>()), Json::parse(trust));

  const std::string doc = R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"glue:GetTable","Resource":"*"}]})";
  auto policy = iam.CreatePolicy({{"PolicyName", "P"}, {"PolicyDocument", doc}});
  ASSERT_TRUE(policy.ok()) << policy.error().ToString();
  const std::string arn = (*policy)["Policy"]["Arn"];
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(iam.CreatePolicyVersion({{"PolicyArn", arn}, {"PolicyDocument", doc}}).ok());
  EXPECT_EQ(iam.CreatePolicyVersion({{"PolicyArn", arn}, {"PolicyDocument", doc}}).error().code(), "LimitExceeded");
  EXPECT_EQ(iam.DeletePolicyVersion({{"PolicyArn", arn}, {"VersionId", "v1"}}).error().code(), "DeleteConflict");
  auto versions = iam.ListPolicyVersionsAllPages({{"PolicyArn", arn}, {"MaxItems", 2}});
  ASSERT_TRUE(versions.ok());
  EXPECT_EQ((*versions)["Versions"].size(), 5u);
  auto v1 = iam.GetPolicyVersion({{"PolicyArn", arn}, {"VersionId", "v1"}});
  EXPECT_EQ(Json::parse((*v1)["PolicyVersion"]["Document"].get<std::string>()), Json::parse(doc));
  auto bad = iam.PutRolePolicy({{"RoleName", "R"}, {"PolicyName", "X"}, {"PolicyDocument", "{\"Statement\": []}"}});
  EXPECT_EQ(bad.error().code(), "MalformedPolicyDocument");
}

TEST_F(LocalMeshTest, UsersWithoutPoliciesAreDenied) {
  auto iam = Iam(Admin("consumer"));
  ASSERT_TRUE(iam.CreateUser({{"UserName", "analyst"}}).ok());
  auto key = iam.CreateAccessKey({{"UserName", "analyst"}});
  ASSERT_TRUE(key.ok());
  aws::Credentials c;
  c.access_key_id = (*key)["AccessKey"]["AccessKeyId"];
  c.secret_access_key = (*key)["AccessKey"]["SecretAccessKey"];
  auto denied = Iam(c).CreateRole({{"RoleName", "X"}, {"AssumeRolePolicyDocument", Trust(plan_.mesh_account)}});
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.error().code(), "AccessDenied");
  EXPECT_EQ(denied.error().http_status(), 403);
  // Who-am-I needs no permission at all.
  EXPECT_TRUE(Sts(c).GetCallerIdentity().ok());
}

TEST_F(LocalMeshTest, BucketPoliciesThroughOurS3Client) {
  auto s3 = S3(Admin("producer"));
  ASSERT_TRUE(s3.CreateBucket({{"Bucket", "producer-data"}}).ok());
  EXPECT_EQ(s3.GetBucketPolicy({{"Bucket", "producer-data"}}).error().code(), "NoSuchBucketPolicy");
  const std::string policy = Json{{"Version", "2012-10-17"},
                                  {"Statement", Json::array({{{"Effect", "Allow"},
                                                              {"Principal", {{"AWS", plan_.mesh_account}}},
                                                              {"Action", "s3:GetObject"},
                                                              {"Resource", "arn:aws:s3:::producer-data/*"}}})}}.dump();
  auto put = s3.PutBucketPolicy({{"Bucket", "producer-data"}, {"Policy", policy}});
  ASSERT_TRUE(put.ok()) << put.error().ToString();
  EXPECT_EQ((*s3.GetBucketPolicy({{"Bucket", "producer-data"}}))["Policy"], policy);
  EXPECT_EQ(s3.HeadBucket({{"Bucket", "no-such-bucket"}}).error().code(), "404");
  EXPECT_EQ(S3(Admin("consumer")).CreateBucket({{"Bucket", "producer-data"}}).error().code(), "BucketAlreadyExists");
  EXPECT_EQ(s3.PutBucketPolicy({{"Bucket", "producer-data"}, {"Policy", "[]"}}).error().code(), "MalformedPolicy");
}

TEST_F(LocalMeshTest, WritersThroughTwoStoresOnOneFileLoseNothing) {
  // A second Store on the same file stands for a second process (a server beside a CLI run).
  auto other = std::make_shared<MeshHandler>(*OpenMeshFile((dir_ / "mesh.db").string()), server_clock_);
  constexpr int kThreads = 6, kUsersEach = 15;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto iam = aws::IamClient(*Session(Admin("mesh"), nullptr, t % 2 ? handler_ : other)->Client("iam"));
      for (int i = 0; i < kUsersEach; ++i) {
        if (!iam.CreateUser({{"UserName", "u" + std::to_string(t) + "-" + std::to_string(i)}}).ok()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  auto iam = Iam(Admin("mesh"));
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kUsersEach; ++i) {
      EXPECT_TRUE(iam.GetUser({{"UserName", "u" + std::to_string(t) + "-" + std::to_string(i)}}).ok());
    }
  }
}

TEST_F(LocalMeshTest, InitializingAgainKeepsKeysAndState) {
  ASSERT_TRUE(Iam(Admin("mesh")).CreateRole({{"RoleName", "Keep"}, {"AssumeRolePolicyDocument", Trust(plan_.mesh_account)}}).ok());
  auto again = InitializeLocalMesh(*store_, plan_);
  ASSERT_TRUE(again.ok());
  for (const auto& k : *again) EXPECT_EQ(k.access_key_id, keys_[k.role].access_key_id);
  EXPECT_TRUE(Iam(Admin("mesh")).GetRole({{"RoleName", "Keep"}}).ok());
}

// A file written before DynamoDB items had their own tables (version 1: items were documents
// of kind "ddb_item/<table>") is migrated when opened: its items answer queries through their
// indexes, and nothing is left in the old place.
TEST_F(LocalMeshTest, VersionOneFilesAreMigratedOnOpen) {
  auto ddb = *Session(Admin("mesh"))->Client("dynamodb");
  Json create = Json::parse(R"({
    "TableName": "things", "BillingMode": "PAY_PER_REQUEST",
    "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}, {"AttributeName": "owner", "AttributeType": "S"}],
    "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
    "GlobalSecondaryIndexes": [{"IndexName": "by-owner", "KeySchema": [{"AttributeName": "owner", "KeyType": "HASH"}],
                                "Projection": {"ProjectionType": "ALL"}}]})");
  auto created = ddb->Call("CreateTable", create);
  ASSERT_TRUE(created.ok()) << created.error().ToString();
  for (int i = 0; i < 5; ++i) {
    Json item = {{"id", {{"S", "i" + std::to_string(i)}}}, {"owner", {{"S", i % 2 ? "odd" : "even"}}}};
    ASSERT_TRUE(ddb->Call("PutItem", {{"TableName", "things"}, {"Item", item}}).ok());
  }
  // Rewrite the file into the version 1 layout.
  auto v1 = store_->Write<bool>([](Transaction& tx) -> Outcome<bool> {
    std::vector<std::tuple<std::string, std::string, std::string>> rows;
    for (Sql s = tx.Query("SELECT account, region, doc FROM ddb_items WHERE tbl = 'things'"); s.Next();) {
      rows.emplace_back(s.Text(0), s.Text(1), s.Text(2));
    }
    for (auto& [account, region, doc] : rows) {
      Json item = Json::parse(doc);
      tx.Put({account, region}, "ddb_item/things", Json{{"id", item["id"]}}.dump(), item);
    }
    tx.Change("DELETE FROM ddb_items").Run();
    tx.Change("DELETE FROM ddb_index_entries").Run();
    tx.Change("UPDATE meta SET value = '1' WHERE key = 'schema_version'").Run();
    return true;
  });
  ASSERT_TRUE(v1.ok()) << v1.error().ToString();

  auto reopened = OpenMeshFile(store_->path());
  ASSERT_TRUE(reopened.ok()) << reopened.error().ToString();
  auto migrated = std::make_shared<MeshHandler>(*reopened, server_clock_);
  auto after = *Session(Admin("mesh"), nullptr, migrated)->Client("dynamodb");
  auto odd = after->Call("Query", {{"TableName", "things"},
                                   {"IndexName", "by-owner"},
                                   {"KeyConditionExpression", "#o = :o"},
                                   {"ExpressionAttributeNames", {{"#o", "owner"}}},
                                   {"ExpressionAttributeValues", {{":o", {{"S", "odd"}}}}}});
  ASSERT_TRUE(odd.ok()) << odd.error().ToString();
  EXPECT_EQ((*odd)["Count"], 2);
  auto one = after->Call("GetItem", {{"TableName", "things"}, {"Key", {{"id", {{"S", "i4"}}}}}});
  ASSERT_TRUE(one.ok());
  EXPECT_EQ((*one)["Item"]["owner"]["S"], "even");
  auto left = (*reopened)->Read<int>([&](Transaction& tx) -> Outcome<int> {
    Sql s = tx.Query("SELECT count(*) FROM resources WHERE kind LIKE 'ddb_item/%'");
    s.Next();
    EXPECT_EQ((*reopened)->SchemaVersion(tx), kMeshFileVersion);
    return static_cast<int>(s.Int(0));
  });
  EXPECT_EQ(*left, 0);
}

TEST_F(LocalMeshTest, FilesFromANewerDatameshAreRefusedUnchanged) {
  ASSERT_TRUE(store_->Write<bool>([](Transaction& tx) -> Outcome<bool> {
    tx.Change("UPDATE meta SET value = '99' WHERE key = 'schema_version'").Run();
    return true;
  }).ok());
  auto reopened = OpenMeshFile(store_->path());
  ASSERT_FALSE(reopened.ok());
  EXPECT_NE(reopened.error().message().find("newer datamesh"), std::string::npos) << reopened.error().message();
  auto version = store_->Read<int>([&](Transaction& tx) -> Outcome<int> { return store_->SchemaVersion(tx); });
  EXPECT_EQ(*version, 99);
}

}  // namespace
}  // namespace datamesh::local
