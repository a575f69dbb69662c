// The subscription tracker on the embedded local mesh's DynamoDB: the life cycle, refusals with
// clear errors, ownership, de-duplication, and concurrent writers that never lose a change.
#include "mesh/subscription_tracker.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "local/mesh_file.h"
#include "local/accounts/local_mesh_setup.h"
#include "mesh/catalog_setup.h"
#include "datamesh/local_mesh.h"
#include "datamesh/mesh_names.h"
#include "fake_transport.h"
#include "mesh/mesh_session.h"
#include "mesh/tracker_attributes.h"

namespace datamesh::mesh {
namespace {

// A DynamoDB that answers at most `per_call` items of a BatchGetItem and hands the other keys back
// in UnprocessedKeys, as DynamoDB does when a read is throttled or its answer passes 16 MB
// (BatchGetItem, API Reference). The request reaches the local mesh unchanged (it is signed).
class PartialBatchDynamoDb : public aws::HttpTransport {
 public:
  PartialBatchDynamoDb(std::shared_ptr<aws::HttpTransport> inner, size_t per_call)
      : inner_(std::move(inner)), per_call_(per_call) {}
  Outcome<aws::HttpResponse> Send(const aws::HttpRequest& request) override {
    auto out = inner_->Send(request);
    if (request.headers.Get("X-Amz-Target").value_or("") != "DynamoDB_20120810.BatchGetItem") return out;
    if (!out.ok() || out->status != 200) return out;
    ++calls;
    Json answer = Json::parse(out->body);
    Json& items = answer["Responses"][names::kTrackerTable];
    Json left = Json::array();
    while (items.size() > per_call_) {
      left.push_back({{"SubscriptionId", items.back()["SubscriptionId"]}});
      items.erase(items.size() - 1);
    }
    if (!left.empty()) answer["UnprocessedKeys"][names::kTrackerTable] = {{"Keys", left}, {"ConsistentRead", true}};
    out->body = answer.dump();
    return out;
  }
  int calls = 0;

 private:
  std::shared_ptr<aws::HttpTransport> inner_;
  const size_t per_call_;
};

class SubscriptionTrackerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("datamesh-tracker-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = (dir_ / "mesh.db").string();
    auto keys = local::InitializeLocalMesh(**local::OpenMeshFile(db_), plan_);
    ASSERT_TRUE(keys.ok());
    mesh_keys_ = (*keys)[0];
    auto session = Session();
    auto ddb = session->DynamoDb();
    ASSERT_TRUE(EnsureTrackerTable(ddb, *session->sleeper()).ok());
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::shared_ptr<MeshSession> Session(
      std::function<std::shared_ptr<aws::HttpTransport>(std::shared_ptr<aws::HttpTransport>)> wrap = nullptr,
      std::shared_ptr<aws::Sleeper> sleeper = nullptr) {
    MeshOptions o;
    o.data_mesh_account_id = plan_.mesh_account;
    EXPECT_TRUE(UseLocalMesh(o, db_).ok());
    o.wrap_transport = std::move(wrap);
    o.sleeper = std::move(sleeper);
    o.use_credentials = AwsCredentials{mesh_keys_.account, mesh_keys_.access_key_id, mesh_keys_.secret_access_key, ""};
    return *MeshSession::Create(o);
  }
  SubscriptionTracker Tracker() { return SubscriptionTracker(Session()->DynamoDb(), aws::Clock::System()); }
  // A tracker whose DynamoDB answers at most `per_call` items of a BatchGetItem (`*ddb` counts its
  // calls), waiting on `sleeper`.
  SubscriptionTracker TrackerAnswering(size_t per_call, std::shared_ptr<aws::Sleeper> sleeper,
                                       std::shared_ptr<PartialBatchDynamoDb>* ddb) {
    auto session = Session(
        [=](std::shared_ptr<aws::HttpTransport> inner) -> std::shared_ptr<aws::HttpTransport> {
          if (!*ddb) *ddb = std::make_shared<PartialBatchDynamoDb>(inner, per_call);
          return *ddb;
        },
        std::move(sleeper));
    return SubscriptionTracker(session->DynamoDb(), aws::Clock::System());
  }

  SubscriptionChange Approve(const std::string& note = "") {
    SubscriptionChange c;
    c.action = "Approve";
    c.to = SubscriptionStatus::kActive;
    c.principal = "arn:aws:iam::" + owner_ + ":role/AwsDataMesh/DataMeshProducer";
    c.permitted_grants = std::vector<std::string>{"SELECT"};
    c.granted_table_arns = std::vector<std::string>{"arn:aws:glue:us-east-1:111111111111:table/sales-" + owner_ + "/orders"};
    c.note = note;
    return c;
  }
  SubscriptionChange Deny() {
    SubscriptionChange c = Approve();
    c.action = "Deny";
    c.to = SubscriptionStatus::kDenied;
    c.permitted_grants.reset();
    c.granted_table_arns = std::vector<std::string>{};
    return c;
  }
  std::vector<std::string> Actions(const Subscription& s) {
    std::vector<std::string> out;
    for (const auto& e : s.history) out.push_back(e.action);
    return out;
  }

  std::filesystem::path dir_;
  std::string db_;
  local::LocalMeshPlan plan_;
  local::LocalAccountKeys mesh_keys_;
  const std::string owner_ = "222222222222", subscriber_ = "333333333333";
};

TEST_F(SubscriptionTrackerTest, IdenticalRequestsMeetOnOneSubscription) {
  auto tracker = Tracker();
  auto a = tracker.Request(owner_, subscriber_, "sales", {"orders", "items"}, {"SELECT", "DESCRIBE"}, "arn:c");
  ASSERT_TRUE(a.ok()) << a.error().ToString();
  EXPECT_EQ(a->status, SubscriptionStatus::kPending);
  auto b = tracker.Request(owner_, subscriber_, "sales", {"items", "orders"}, {"DESCRIBE", "SELECT"}, "arn:c");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(a->id, b->id);
  auto other = tracker.Request(owner_, subscriber_, "sales", {"orders"}, {"SELECT"}, "arn:c");
  EXPECT_NE(other->id, a->id);
  auto pending = tracker.Pending(owner_);
  ASSERT_TRUE(pending.ok());
  EXPECT_EQ(pending->size(), 2u);
  EXPECT_EQ(tracker.OfSubscriber(subscriber_)->size(), 2u);
}

TEST_F(SubscriptionTrackerTest, ConcurrentIdenticalRequestsMakeOneSubscription) {
  std::vector<std::thread> threads;
  std::vector<std::string> ids(8);
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      auto s = Tracker().Request(owner_, subscriber_, "sales", {"orders"}, {"SELECT"}, "arn:c");
      if (s.ok()) ids[i] = s->id;
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& id : ids) EXPECT_EQ(id, ids[0]);
  EXPECT_EQ(Tracker().Pending(owner_)->size(), 1u);
}

// Many subscriptions are read 100 keys to a BatchGetItem (the local mesh refuses more, as DynamoDB
// does), the keys handed back unprocessed are asked again after a backoff, every item comes back
// once, and ids that do not exist are simply absent.
TEST_F(SubscriptionTrackerTest, ManySubscriptionsAreReadInBatchesToTheLastUnprocessedKey) {
  auto tracker = Tracker();
  std::vector<std::string> ids;
  for (int i = 0; i < 230; ++i) {
    auto s = tracker.Request(owner_, subscriber_, "sales", {"t" + std::to_string(i)}, {"SELECT"}, "arn:c");
    ASSERT_TRUE(s.ok()) << s.error().ToString();
    ids.push_back(s->id);
  }
  ids.push_back(owner_ + "-" + subscriber_ + "-00000000000000000000000000000000");  // no such item
  auto sleeper = std::make_shared<aws::testing::RecordingSleeper>();
  std::shared_ptr<PartialBatchDynamoDb> ddb;
  SubscriptionTracker partial = TrackerAnswering(40, sleeper, &ddb);
  auto read = partial.GetManyAsOwner(ids, owner_);
  ASSERT_TRUE(read.ok()) << read.error().ToString();
  std::set<std::string> got;
  for (const auto& s : *read) got.insert(s.id);
  EXPECT_EQ(read->size(), 230u);
  EXPECT_EQ(got, std::set<std::string>(ids.begin(), ids.end() - 1));
  // 100 + 100 + 31 keys, 40 answered a call: 3 + 3 + 1 calls, each handing keys back waited on.
  EXPECT_EQ(ddb->calls, 7);
  EXPECT_EQ(sleeper->sleeps.size(), 4u);
  // What the grants follow, without the histories.
  auto grants = partial.GetManyAsOwner({ids[0]}, owner_, SubscriptionTracker::Part::kGrants);
  ASSERT_TRUE(grants.ok()) << grants.error().ToString();
  ASSERT_EQ(grants->size(), 1u);
  EXPECT_EQ((*grants)[0].status, SubscriptionStatus::kPending);
  EXPECT_EQ((*grants)[0].subscriber, subscriber_);
  EXPECT_TRUE((*grants)[0].history.empty());
  EXPECT_EQ(ddb->calls, 8);
  // The Python library's items (ids without accounts) come too, read one at a time; another
  // owner's such item is refused.
  const std::string legacy = "6f1d0c2e-9b7a-4d7e-8f00-123456789abc", others = "7a2e1d3f-0c8b-4e9f-9a11-23456789abcd";
  auto raw = Session()->DynamoDb();
  for (const auto& [id, owner] : {std::pair{legacy, owner_}, std::pair{others, std::string("444444444444")}}) {
    ASSERT_TRUE(raw.PutItem({{"TableName", names::kTrackerTable},
                             {"Item",
                              {{"SubscriptionId", {{"S", id}}},
                               {"OwnerPrincipal", {{"S", owner}}},
                               {"SubscriberPrincipal", {{"S", subscriber_}}},
                               {"Status", {{"S", "Active"}}}}}})
                    .ok());
  }
  auto mixed = partial.GetManyAsOwner({ids[1], legacy}, owner_, SubscriptionTracker::Part::kGrants);
  ASSERT_TRUE(mixed.ok()) << mixed.error().ToString();
  ASSERT_EQ(mixed->size(), 2u);
  EXPECT_TRUE(((*mixed)[0].id == legacy && (*mixed)[0].legacy) || ((*mixed)[1].id == legacy && (*mixed)[1].legacy));
  EXPECT_EQ(partial.GetManyAsOwner({others}, owner_).error().code(), "NotOwner");
  EXPECT_EQ(ddb->calls, 9);
  // Another owner's id is refused before anything is read.
  EXPECT_EQ(partial.GetManyAsOwner({ids[0], "444444444444-" + subscriber_ + "-ab"}, owner_).error().code(), "NotOwner");
  EXPECT_EQ(ddb->calls, 9);
}

// When a BatchGetItem reads nothing round after round, the read ends as throttled (transient).
TEST_F(SubscriptionTrackerTest, ABatchReadThatNeverProgressesEndsThrottled) {
  auto s = Tracker().Request(owner_, subscriber_, "sales", {"orders"}, {"SELECT"}, "arn:c");
  ASSERT_TRUE(s.ok());
  auto sleeper = std::make_shared<aws::testing::RecordingSleeper>();
  std::shared_ptr<PartialBatchDynamoDb> ddb;
  SubscriptionTracker stalled = TrackerAnswering(0, sleeper, &ddb);
  auto read = stalled.GetManyAsOwner({s->id}, owner_);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().code(), "ProvisionedThroughputExceededException");
  EXPECT_EQ(read.error().kind(), ErrorKind::kThrottling);
  EXPECT_EQ(ddb->calls, 8);
}

TEST_F(SubscriptionTrackerTest, IdsNameTheOwnerThenTheSubscriber) {
  auto s = Tracker().Request(owner_, subscriber_, "sales", {"orders"}, {"SELECT"}, "arn:c");
  ASSERT_TRUE(s.ok());
  auto accounts = tracker::AccountsOfId(s->id);
  ASSERT_TRUE(accounts.has_value());
  EXPECT_EQ(accounts->owner, owner_);
  EXPECT_EQ(accounts->subscriber, subscriber_);
  EXPECT_FALSE(tracker::AccountsOfId("6f1d0c2e-9b7a-4d7e-8f00-123456789abc").has_value());
  EXPECT_FALSE(tracker::AccountsOfId("22222222222x-333333333333-ab").has_value());
  EXPECT_FALSE(tracker::AccountsOfId("222222222222-333333333333-").has_value());
}

TEST_F(SubscriptionTrackerTest, TheLifeCycleFromBothHalves) {
  auto tracker = Tracker();
  auto s = tracker.Request(owner_, subscriber_, "sales", {"orders"}, {"SELECT"}, "arn:c");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->request_version, 1);
  auto active = tracker.Decide(*s, Approve("approved for Q3"));
  ASSERT_TRUE(active.ok()) << active.error().ToString();
  EXPECT_EQ(active->status, SubscriptionStatus::kActive);
  EXPECT_EQ(active->permitted_grants, std::vector<std::string>{"SELECT"});
  EXPECT_TRUE(active->notes.count("approved for Q3"));
  EXPECT_EQ(active->decision_version, 1);

  auto imported = tracker.RecordImport(*active, "arn:c");
  ASSERT_TRUE(imported.ok()) << imported.error().ToString();
  EXPECT_TRUE(imported->imported_to_consumer);
  EXPECT_EQ(imported->status, SubscriptionStatus::kActive);  // an import does not reopen the request

  auto deleted = tracker.Withdraw(*imported, "arn:c", "no longer needed");
  ASSERT_TRUE(deleted.ok()) << deleted.error().ToString();
  EXPECT_EQ(deleted->status, SubscriptionStatus::kDeleted);
  EXPECT_TRUE(deleted->withdrawn);

  // Requested again: a new version of the request, Pending until decided on.
  auto again = tracker.Request(owner_, subscriber_, "sales", {"orders"}, {"SELECT"}, "arn:c");
  ASSERT_TRUE(again.ok()) << again.error().ToString();
  EXPECT_EQ(again->id, s->id);
  EXPECT_EQ(again->status, SubscriptionStatus::kPending);
  EXPECT_EQ(again->request_version, 3);
  EXPECT_EQ(Actions(*again), (std::vector<std::string>{"Request", "Approve", "Import", "Delete", "Request"}));

  // A decision made on what was read before the consumer's change is refused.
  auto stale = tracker.Decide(*active, Approve());
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code(), "SubscriptionChanged");
  auto denied = tracker.Decide(*again, Deny());
  ASSERT_TRUE(denied.ok()) << denied.error().ToString();
  EXPECT_EQ(denied->status, SubscriptionStatus::kDenied);
  auto refused = tracker.Request(owner_, subscriber_, "sales", {"orders"}, {"SELECT"}, "arn:c");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code(), "InvalidTransition");
}

TEST_F(SubscriptionTrackerTest, AnOverLongNoteIsRefusedBeforeAnythingChanges) {
  auto tracker = Tracker();
  auto s = tracker.Request(owner_, subscriber_, "sales", {"orders"}, {"SELECT"}, "arn:c");
  auto long_note = tracker.Decide(*s, Approve(std::string(SubscriptionTracker::kMaxNoteLength + 1, 'x')));
  ASSERT_FALSE(long_note.ok());
  EXPECT_EQ(long_note.error().code(), "InvalidArgument");
  EXPECT_EQ(tracker.Get(s->id)->status, SubscriptionStatus::kPending);
}

// A transport that applies the first matching request and then loses its answer (a 500), as a
// server failing after its write would; the client's retry then meets its own effect.
class LoseFirstAnswer : public aws::HttpTransport {
 public:
  LoseFirstAnswer(std::shared_ptr<aws::HttpTransport> inner, std::string target)
      : inner_(std::move(inner)), target_(std::move(target)) {}
  Outcome<aws::HttpResponse> Send(const aws::HttpRequest& request) override {
    auto response = inner_->Send(request);
    if (request.headers.Get("X-Amz-Target").value_or("").find(target_) != std::string::npos && !lost_.exchange(true)) {
      aws::HttpResponse failed;
      failed.status = 500;
      failed.body = R"({"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"lost"})";
      return failed;
    }
    return response;
  }
  std::atomic<bool> lost_ = false;

 private:
  std::shared_ptr<aws::HttpTransport> inner_;
  std::string target_;
};

TEST_F(SubscriptionTrackerTest, AWriteWhoseAnswerWasLostIsAppliedOnce) {
  auto s = Tracker().Request(owner_, subscriber_, "sales", {"orders"}, {"SELECT"}, "arn:c");
  MeshOptions o;
  o.data_mesh_account_id = plan_.mesh_account;
  EXPECT_TRUE(UseLocalMesh(o, db_).ok());
  o.use_credentials = AwsCredentials{mesh_keys_.account, mesh_keys_.access_key_id, mesh_keys_.secret_access_key, ""};
  std::shared_ptr<LoseFirstAnswer> lossy;
  o.wrap_transport = [&](std::shared_ptr<aws::HttpTransport> inner) -> std::shared_ptr<aws::HttpTransport> {
    lossy = std::make_shared<LoseFirstAnswer>(std::move(inner), "UpdateItem");
    return lossy;
  };
  SubscriptionTracker tracker((*MeshSession::Create(o))->DynamoDb(), aws::Clock::System());
  auto active = tracker.Decide(*s, Approve());
  ASSERT_TRUE(active.ok()) << active.error().ToString();
  ASSERT_TRUE(lossy && lossy->lost_);
  EXPECT_EQ(Actions(*Tracker().Get(s->id)), (std::vector<std::string>{"Request", "Approve"}));
  auto withdrawn = tracker.Withdraw(*active, "arn:c", "");
  ASSERT_TRUE(withdrawn.ok());
  EXPECT_EQ(Actions(*Tracker().Get(s->id)), (std::vector<std::string>{"Request", "Approve", "Delete"}));
}

TEST_F(SubscriptionTrackerTest, ItemsThePythonLibraryWroteStayReadable) {
  auto ddb = Session()->DynamoDb();
  auto put = ddb.PutItem({{"TableName", names::kTrackerTable},
                          {"Item",
                           {{"SubscriptionId", {{"S", "6f1d0c2e-9b7a-4d7e-8f00-123456789abc"}}},
                            {"OwnerPrincipal", {{"S", owner_}}},
                            {"SubscriberPrincipal", {{"S", subscriber_}}},
                            {"DatabaseName", {{"S", "sales-" + owner_}}},
                            {"TableName", {{"SS", {"orders"}}}},
                            {"RequestedGrants", {{"SS", {"SELECT"}}}},
                            {"Status", {{"S", "Active"}}}}}});
  ASSERT_TRUE(put.ok()) << put.error().ToString();
  auto tracker = Tracker();
  auto s = tracker.Get("6f1d0c2e-9b7a-4d7e-8f00-123456789abc");
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  EXPECT_TRUE(s->legacy);
  EXPECT_EQ(s->status, SubscriptionStatus::kActive);
  EXPECT_EQ(tracker.OfOwner(owner_, SubscriptionStatus::kActive)->size(), 1u);
  auto decided = tracker.Decide(*s, Deny());
  ASSERT_FALSE(decided.ok());
  EXPECT_EQ(decided.error().code(), "LegacySubscription");
}

TEST_F(SubscriptionTrackerTest, ItemsWhoseAttributesContradictTheirIdAreNeverActedOn) {
  // A request filed by consumer 333... naming a producer its id does not name.
  auto ddb = Session()->DynamoDb();
  const std::string id = "444444444444-" + subscriber_ + "-0123456789abcdef0123456789abcdef";
  auto put = ddb.UpdateItem({{"TableName", names::kTrackerTable},
                             {"Key", {{"SubscriptionId", {{"S", id}}}}},
                             {"UpdateExpression",
                              "SET OwnerPrincipal = :o, SubscriberPrincipal = :s, RequestStatus = :r, RequestVersion = :one, "
                              "InboxOwner = :o, DatabaseName = :d"},
                             {"ExpressionAttributeValues",
                              {{":o", {{"S", owner_}}}, {":s", {{"S", subscriber_}}}, {":r", {{"S", "Requested"}}},
                               {":one", {{"N", "1"}}}, {":d", {{"S", "sales-" + owner_}}}}}});
  ASSERT_TRUE(put.ok()) << put.error().ToString();
  auto tracker = Tracker();
  EXPECT_TRUE(tracker.Inbox(owner_)->empty());
  EXPECT_TRUE(tracker.Pending(owner_)->empty());
  EXPECT_EQ(tracker.Get(id).error().code(), "InvalidSubscription");
}

TEST_F(SubscriptionTrackerTest, ConcurrentDecisionsOnOneReadingCommitOnce) {
  auto s = Tracker().Request(owner_, subscriber_, "sales", {"orders"}, {"SELECT"}, "arn:c");
  std::atomic<int> successes{0}, changed{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 12; ++i) {
    threads.emplace_back([&, i] {
      SubscriptionChange c = i % 3 == 0 ? Deny() : Approve("decision " + std::to_string(i));
      auto r = Tracker().Decide(*s, c);
      if (r.ok()) ++successes;
      if (!r.ok() && r.error().code() == "SubscriptionChanged") ++changed;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(successes.load(), 1);
  EXPECT_EQ(changed.load(), 11);
  auto final_state = Tracker().Get(s->id);
  ASSERT_TRUE(final_state.ok());
  EXPECT_EQ(final_state->history.size(), 2u);
  EXPECT_EQ(final_state->decision_version, 1);
}

}  // namespace
}  // namespace datamesh::mesh
