// The subscription tracker on the embedded local mesh's DynamoDB: the life cycle, refusals with
// clear errors, ownership, de-duplication, and concurrent writers that never lose a change.
#include "mesh/subscription_tracker.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "local/accounts/local_mesh_setup.h"
#include "mesh/catalog_setup.h"
#include "mesh/mesh_session.h"

namespace datamesh::mesh {
namespace {

class SubscriptionTrackerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("datamesh-tracker-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = (dir_ / "mesh.db").string();
    auto keys = local::InitializeLocalMesh(**local::Store::Open(db_), plan_);
    ASSERT_TRUE(keys.ok());
    mesh_keys_ = (*keys)[0];
    auto ddb = Session()->DynamoDb();
    ASSERT_TRUE(EnsureTrackerTable(ddb).ok());
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::shared_ptr<MeshSession> Session() {
    MeshOptions o;
    o.data_mesh_account_id = plan_.mesh_account;
    o.local_mesh = db_;
    o.use_credentials = AwsCredentials{mesh_keys_.account, mesh_keys_.access_key_id, mesh_keys_.secret_access_key, ""};
    return *MeshSession::Create(o);
  }
  SubscriptionTracker Tracker() { return SubscriptionTracker(Session()->DynamoDb(), aws::Clock::System()); }

  SubscriptionChange Approve(const std::string& owner, const std::string& note = "") {
    SubscriptionChange c;
    c.action = "Approve";
    c.to = SubscriptionStatus::kActive;
    c.principal = "arn:aws:iam::" + owner + ":role/AwsDataMesh/DataMeshProducer";
    c.required_owner = owner;
    c.permitted_grants = std::vector<std::string>{"SELECT"};
    c.note = note;
    return c;
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

TEST_F(SubscriptionTrackerTest, TheLifeCycleAndItsRefusals) {
  auto tracker = Tracker();
  auto s = tracker.Request(owner_, subscriber_, "sales", {"orders"}, {"SELECT"}, "arn:c");
  auto active = tracker.Change(s->id, Approve(owner_, "approved for Q3"));
  ASSERT_TRUE(active.ok()) << active.error().ToString();
  EXPECT_EQ(active->status, SubscriptionStatus::kActive);
  EXPECT_EQ(active->permitted_grants, std::vector<std::string>{"SELECT"});
  EXPECT_TRUE(active->notes.count("approved for Q3"));

  SubscriptionChange deny = Approve(owner_);
  deny.action = "Deny";
  deny.to = SubscriptionStatus::kDenied;
  auto refused = tracker.Change(s->id, deny);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code(), "InvalidTransition");
  EXPECT_NE(refused.error().message().find("is Active"), std::string::npos);

  auto other = tracker.Change(s->id, Approve("444444444444"));
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().code(), "NotOwner");

  SubscriptionChange del = Approve(owner_, "no longer needed");
  del.action = "Delete";
  del.to = SubscriptionStatus::kDeleted;
  ASSERT_TRUE(tracker.Change(s->id, del).ok());
  // A new identical request reopens it.
  auto reopened = tracker.Request(owner_, subscriber_, "sales", {"orders"}, {"SELECT"}, "arn:c");
  ASSERT_TRUE(reopened.ok()) << reopened.error().ToString();
  EXPECT_EQ(reopened->id, s->id);
  EXPECT_EQ(reopened->status, SubscriptionStatus::kPending);
  // Notes accumulate and every change is in the history, in order.
  auto now = tracker.Get(s->id);
  EXPECT_EQ(now->notes, (std::set<std::string>{"approved for Q3", "no longer needed"}));
  ASSERT_EQ(now->history.size(), 4u);
  EXPECT_EQ(now->history[0].action, "Request");
  EXPECT_EQ(now->history[1].action, "Approve");
  EXPECT_EQ(now->history[2].action, "Delete");
  EXPECT_EQ(now->history[3].status, SubscriptionStatus::kPending);
  EXPECT_EQ(tracker.Get("nope").error().code(), "NoSuchSubscription");
  EXPECT_EQ(tracker.Change("nope", Approve(owner_)).error().code(), "NoSuchSubscription");
}

TEST_F(SubscriptionTrackerTest, DeniedRequestsAreNotReopenedByTheSubscriber) {
  auto tracker = Tracker();
  auto s = tracker.Request(owner_, subscriber_, "sales", {"orders"}, {"SELECT"}, "arn:c");
  SubscriptionChange deny = Approve(owner_);
  deny.action = "Deny";
  deny.to = SubscriptionStatus::kDenied;
  ASSERT_TRUE(tracker.Change(s->id, deny).ok());
  auto again = tracker.Request(owner_, subscriber_, "sales", {"orders"}, {"SELECT"}, "arn:c");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code(), "InvalidTransition");
  // The producer may still approve it (Denied -> Active).
  EXPECT_TRUE(tracker.Change(s->id, Approve(owner_)).ok());
}

TEST_F(SubscriptionTrackerTest, NothingBecomesActiveWhileARevocationIsUnderWay) {
  auto tracker = Tracker();
  auto s = tracker.Request(owner_, subscriber_, "sales", {"orders"}, {"SELECT"}, "arn:c");
  SubscriptionChange approve = Approve(owner_);
  approve.granted_table_arns = std::vector<std::string>{"arn:aws:glue:us-east-1:111111111111:table/sales/orders"};
  ASSERT_TRUE(tracker.Change(s->id, approve).ok());
  // Active: nothing to claim.
  auto none = tracker.ClaimRevocation(s->id, owner_);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  SubscriptionChange del = Approve(owner_);
  del.action = "Delete";
  del.to = SubscriptionStatus::kDeleted;
  del.required_owner.reset();
  del.required_subscriber = subscriber_;
  ASSERT_TRUE(tracker.Change(s->id, del).ok());  // the consumer ends it; the grants remain recorded
  EXPECT_FALSE(tracker.ClaimRevocation(s->id, "444444444444")->has_value());  // not that producer's
  auto claimed = tracker.ClaimRevocation(s->id, owner_);
  ASSERT_TRUE(claimed.ok() && claimed->has_value());
  EXPECT_TRUE((*claimed)->revoke_claim.has_value());
  // An approval now is refused, and says why.
  auto refused = tracker.Change(s->id, Approve(owner_));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code(), "RevocationInProgress");
  // Recording the revocation clears the grants and the claim, once.
  auto recorded = tracker.RecordGrantsRevoked(s->id, "arn:p", owner_, "revoked");
  ASSERT_TRUE(recorded.ok()) << recorded.error().ToString();
  EXPECT_TRUE(recorded->granted_table_arns.empty());
  EXPECT_FALSE(recorded->revoke_claim.has_value());
  auto again = tracker.RecordGrantsRevoked(s->id, "arn:p", owner_, "revoked");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->history.size(), recorded->history.size());
  EXPECT_TRUE(tracker.Change(s->id, Approve(owner_)).ok());
}

TEST_F(SubscriptionTrackerTest, ConcurrentDecisionsLoseNothing) {
  auto s = Tracker().Request(owner_, subscriber_, "sales", {"orders"}, {"SELECT"}, "arn:c");
  std::atomic<int> successes{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 12; ++i) {
    threads.emplace_back([&, i] {
      SubscriptionChange c = Approve(owner_, "decision " + std::to_string(i));
      if (i % 3 == 0) {
        c.action = "Deny";
        c.to = SubscriptionStatus::kDenied;
      }
      if (Tracker().Change(s->id, c).ok()) ++successes;
    });
  }
  for (auto& t : threads) t.join();
  auto final_state = Tracker().Get(s->id);
  ASSERT_TRUE(final_state.ok());
  // Every change that succeeded is in the history (after the request), with its note.
  EXPECT_EQ(final_state->history.size(), static_cast<size_t>(successes.load()) + 1);
  EXPECT_EQ(final_state->notes.size(), static_cast<size_t>(successes.load()));
  // A denial only ever follows the request directly.
  for (size_t i = 2; i < final_state->history.size(); ++i) EXPECT_NE(final_state->history[i].action, "Deny");
}

}  // namespace
}  // namespace datamesh::mesh
