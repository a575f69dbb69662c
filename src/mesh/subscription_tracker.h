// The subscription tracker (DynamoDB AwsDataMeshSubscriptions): subscription items in the
// attribute names existing meshes use, and their life cycle.
//
// A subscription is two halves with separate writers (tracker_attributes.h says who writes what,
// and the mesh roles' policies make AWS enforce it): the consumer's request and the producer's
// decision. Each half carries a version; every write is one conditional UpdateItem on the
// versions it read, so concurrent writers never overwrite each other, and each write carries a
// token in its History entry, so a write whose answer was lost is recognised when retried or
// re-run instead of being applied twice.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "aws/core/clock.h"
#include "aws/dynamodb/dynamodb_client.h"
#include "datamesh/subscription.h"

namespace datamesh::mesh {

using aws::Json;

using datamesh::RamShare;
using datamesh::Subscription;
using datamesh::SubscriptionEvent;
using datamesh::SubscriptionStatus;
using datamesh::ToString;

// A tracker item (DynamoDB attribute values) as a Subscription, its status derived from both
// halves: a withdrawn request is Deleted; a decision on the current request version stands;
// anything else is Pending. Items without versions (the Python library's) keep their Status.
Outcome<Subscription> SubscriptionFromItem(const Json& item);

// A producer's decision: the new status and what the consumer is to hold (the desired state the
// grants are reconciled to).
struct SubscriptionChange {
  std::string action;  // "Approve", "Deny", "Modify", "Delete", "RevokeGrants"
  SubscriptionStatus to = SubscriptionStatus::kActive;
  std::string principal;  // who acts (an ARN)
  std::optional<std::vector<std::string>> permitted_grants;
  std::optional<std::vector<std::string>> grantable_grants;
  std::optional<std::vector<std::string>> granted_table_arns;
  std::string note;
  // When the access ends by itself (YYYY-MM-DD HH:MM:SS UTC); `clear_expiry` removes a date an
  // earlier decision set. Neither: the date stays as it is.
  std::optional<std::string> expires_at;
  bool clear_expiry = false;
};

class SubscriptionTracker {
 public:
  SubscriptionTracker(aws::DynamoDbClient ddb, std::shared_ptr<aws::Clock> clock)
      : ddb_(std::move(ddb)), clock_(std::move(clock)) {}

  // Longest note a decision or deletion may carry (the item must stay under DynamoDB's 400 KB).
  static constexpr size_t kMaxNoteLength = 4096;

  // --- The consumer's half.
  // Records a Pending request. An identical request (same owner, subscriber, database, tables
  // and permissions) that is still open is returned instead of a duplicate, even when two arrive
  // at once; a deleted one is requested again.
  Outcome<Subscription> Request(const std::string& owner, const std::string& subscriber, const std::string& database,
                                const std::vector<std::string>& tables, const std::vector<std::string>& permissions,
                                const std::string& principal,
                                const std::string& reason = "");
  // The consumer deletes (withdraws) `seen`; its producer's next workflow revokes the grants.
  Outcome<Subscription> Withdraw(const Subscription& seen, const std::string& principal, const std::string& reason);
  // The consumer imported `seen` (accepted its shares and linked its database).
  Outcome<Subscription> RecordImport(const Subscription& seen, const std::string& principal);

  // --- The producer's half.
  // Commits a decision on `seen`, refused with SubscriptionChanged if either half changed since.
  Outcome<Subscription> Decide(const Subscription& seen, const SubscriptionChange& change);
  // After the grants were reconciled to `seen`: records the shares (when given) and takes the
  // subscription out of its owner's inbox (unless it awaits a decision). false: it changed since.
  Outcome<bool> MarkReconciled(const Subscription& seen, const std::optional<std::map<std::string, RamShare>>& shares);
  // The grants generation of an owner and a consumer: decisions bump it, and a reconcile that
  // finds it moved while it worked reconciles again.
  Outcome<int64_t> Generation(const std::string& owner, const std::string& subscriber);
  Status BumpGeneration(const std::string& owner, const std::string& subscriber);

  // --- Reads.
  Outcome<Subscription> Get(const std::string& id);
  // As Get, refused with NotOwner unless the subscription is to a product of `owner`.
  Outcome<Subscription> GetAsOwner(const std::string& id, const std::string& owner);
  // How much of a subscription a read of many brings.
  enum class Part {
    kWhole,
    kGrants,  // what derives its status and expiry, and the permissions and tables decided on
  };
  // Those of `ids` that exist, read consistently as Get reads one, 100 to a BatchGetItem (its
  // limit); the keys DynamoDB hands back unprocessed are asked again after a backoff. The Python
  // library's items (ids that name no accounts) are read one at a time. Refused with NotOwner when
  // an id or item is not to a product of `owner`.
  Outcome<std::vector<Subscription>> GetManyAsOwner(const std::vector<std::string>& ids, const std::string& owner,
                                                    Part part = Part::kWhole);
  // As Get, refused with NotSubscriber unless `subscriber` requested it.
  Outcome<Subscription> GetAsSubscriber(const std::string& id, const std::string& subscriber);
  // An owner's subscriptions whose (derived) status is `status`: legacy items by their Status,
  // others among those the owner decided (Owner index) or that await it (inbox).
  Outcome<std::vector<Subscription>> OfOwner(const std::string& owner, SubscriptionStatus status);
  // Pending requests for an owner's products.
  Outcome<std::vector<Subscription>> Pending(const std::string& owner) { return OfOwner(owner, SubscriptionStatus::kPending); }
  // What awaits the owner: requests to decide, deletions and decisions to reconcile.
  Outcome<std::vector<Subscription>> Inbox(const std::string& owner);
  // What derives a subscription's status and expiry, and whose it is, read without its lists and
  // histories: for the reads that go over many of an owner's subscriptions to find the few to act on.
  struct SubscriptionState {
    std::string id;
    std::string subscriber;
    SubscriptionStatus status = SubscriptionStatus::kActive;  // derived from both halves
    bool legacy = false;
    std::optional<std::string> expires_at;
  };
  // Subscriptions the owner last approved (the Owner index files them under Active): those still
  // Active, and those whose consumer changed the request since (no longer Active, while the grants
  // may still stand). One query serves the producer's sweep both ways.
  Outcome<std::vector<SubscriptionState>> LastApproved(const std::string& owner);
  // Every subscription of one owner and one subscriber, in any status (Pair index): what the
  // grants between the two follow.
  Outcome<std::vector<SubscriptionState>> OfPair(const std::string& owner, const std::string& subscriber);
  // A subscriber's subscriptions (Subscriber index).
  Outcome<std::vector<Subscription>> OfSubscriber(const std::string& subscriber);

  // Statuses a producer may approve from.
  static bool MayApprove(const Subscription& s);
  // Whether access that ends at `expires_at` (YYYY-MM-DD HH:MM:SS UTC) has ended by the tracker's
  // clock. Such a subscription's grants go even before a sweep records it as expired.
  bool Expired(const std::optional<std::string>& expires_at) const { return expires_at && *expires_at <= Now(); }

 private:
  std::string Now() const;
  // One UpdateItem of `id` under `condition` (which the write itself must make false, so that a
  // retry cannot apply it again), with `entry` (a History entry, with a fresh token)
  // appended to `history_attribute`. When the condition fails, the item is read again: if it
  // holds the token, this write was applied (its answer was lost) and the item is returned;
  // otherwise nullopt. `update` is a SET clause; `tail` may add an ADD clause after it.
  Outcome<std::optional<Subscription>> WriteOnce(const std::string& id, std::string update, const std::string& condition,
                                                 Json values, Json names, Json entry, const std::string& history_attribute,
                                                 const std::string& tail = "");
  // A query of what `index` files under `account` (its hash key `key_attribute`), narrowed to
  // `range_value` of its range key `range_attribute` when one is given.
  struct IndexQuery {
    IndexQuery(std::string in, std::string key, std::string value, std::string range = "", std::string range_is = "")
        : index(std::move(in)), key_attribute(std::move(key)), account(std::move(value)),
          range_attribute(std::move(range)), range_value(std::move(range_is)) {}
    std::string index, key_attribute, account, range_attribute, range_value;
    bool states_only = false;  // only what SubscriptionState holds is read of each item
  };
  static IndexQuery OwnerQuery(const std::string& owner, const std::string& status);
  // Hands each subscription `q` finds to `visit`, a page at a time.
  Status VisitIndex(const IndexQuery& q, const std::function<void(Subscription)>& visit);
  Outcome<std::vector<Subscription>> QueryIndex(const IndexQuery& q);
  // The states of `owner`'s subscriptions `q` finds, each read with only what SubscriptionState holds.
  Outcome<std::vector<SubscriptionState>> StatesOf(IndexQuery q, const std::string& owner);

  aws::DynamoDbClient ddb_;
  std::shared_ptr<aws::Clock> clock_;
};

// "YYYY-MM-DD HH:MM:SS", the date format of the tracker.
std::string TrackerDate(aws::SystemTime t);

}  // namespace datamesh::mesh
