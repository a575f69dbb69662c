// The subscription tracker (DynamoDB AwsDataMeshSubscriptions): subscription items in the
// attribute names existing meshes use, and their life cycle. Every change is one conditional
// UpdateItem, so concurrent approvals, denials and changes never overwrite each other, an
// invalid transition is refused with a clear error, and only the product's owner (or the
// subscriber, where it may act) changes a subscription. Each change appends to History.
#pragma once

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

// A tracker item (DynamoDB attribute values) as a Subscription.
Outcome<Subscription> SubscriptionFromItem(const Json& item);

// What a change records besides the new status.
struct SubscriptionChange {
  std::string action;  // "Approve", "Deny", "Modify", "Delete", "Request", "Import"
  SubscriptionStatus to = SubscriptionStatus::kActive;
  std::string principal;                      // who acts (an ARN)
  std::optional<std::string> required_owner;  // refused unless the item's OwnerPrincipal matches
  std::optional<std::string> required_subscriber;
  std::optional<std::vector<std::string>> permitted_grants;
  std::optional<std::vector<std::string>> grantable_grants;
  std::optional<std::vector<std::string>> granted_table_arns;
  std::optional<std::map<std::string, RamShare>> ram_shares;
  std::optional<bool> imported;
  std::string note;
};

class SubscriptionTracker {
 public:
  SubscriptionTracker(aws::DynamoDbClient ddb, std::shared_ptr<aws::Clock> clock)
      : ddb_(std::move(ddb)), clock_(std::move(clock)) {}

  // Records a Pending request. An identical request (same owner, subscriber, database, tables
  // and permissions) that is still open is returned instead of a duplicate, even when two arrive
  // at once; a deleted one is reopened.
  Outcome<Subscription> Request(const std::string& owner, const std::string& subscriber, const std::string& database,
                                const std::vector<std::string>& tables, const std::vector<std::string>& permissions,
                                const std::string& principal);

  Outcome<Subscription> Get(const std::string& id);
  // As Get, refused with NotOwner unless the subscription is to a product of `owner`.
  Outcome<Subscription> GetAsOwner(const std::string& id, const std::string& owner);
  // As Get, refused with NotSubscriber unless `subscriber` requested it.
  Outcome<Subscription> GetAsSubscriber(const std::string& id, const std::string& subscriber);
  // An owner's subscriptions in `status` (Owner index).
  Outcome<std::vector<Subscription>> OfOwner(const std::string& owner, SubscriptionStatus status);
  // Pending requests for an owner's products.
  Outcome<std::vector<Subscription>> Pending(const std::string& owner) { return OfOwner(owner, SubscriptionStatus::kPending); }
  // A subscriber's subscriptions (Subscriber index).
  Outcome<std::vector<Subscription>> OfSubscriber(const std::string& subscriber);

  // Applies a change if the transition is allowed from the item's current status; refuses with
  // NoSuchSubscription, NotOwner / NotSubscriber, or InvalidTransition otherwise.
  Outcome<Subscription> Change(const std::string& id, const SubscriptionChange& change);

  // Marks a revocation under way (RevokeClaim) on a subscription of `owner` that is not Active
  // but still records granted tables; while it is set nothing makes the subscription Active.
  // nullopt: there is nothing to revoke (the subscription is Active or holds no grants).
  Outcome<std::optional<Subscription>> ClaimRevocation(const std::string& id, const std::string& owner);
  // For a subscription of `owner`, no longer Active, whose grants its producer has now revoked:
  // clears GrantedTableARNs and records "RevokeGrants" in History, the status unchanged. Once:
  // when the ARNs are empty already, the subscription is returned as it is. Removes the claim.
  Outcome<Subscription> RecordGrantsRevoked(const std::string& id, const std::string& principal, const std::string& owner,
                                            const std::string& note);

  // The statuses a subscription may move to `to` from.
  static std::vector<SubscriptionStatus> AllowedFrom(SubscriptionStatus to);

 private:
  std::string Now() const;
  // SET/ADD `update` plus the common bookkeeping (UpdatedDate, UpdatedBy, the History entry, the
  // note) under `condition`. nullopt result: the condition failed.
  Outcome<std::optional<Subscription>> UpdateWithHistory(const std::string& id, Json history, const std::string& principal,
                                                         const std::string& note, std::string set_clause,
                                                         const std::string& condition, Json values,
                                                         const std::string& remove_clause = "");
  // One UpdateItem of `id` under `condition` (#s is Status). nullopt: the condition failed.
  Outcome<std::optional<Subscription>> ConditionalUpdate(const std::string& id, const std::string& update,
                                                         const std::string& condition, const Json& values);
  Outcome<std::vector<Subscription>> QueryIndex(const std::string& index, const Json& key_condition_values,
                                                const std::string& key_condition, const Json& names);

  aws::DynamoDbClient ddb_;
  std::shared_ptr<aws::Clock> clock_;
};

// "YYYY-MM-DD HH:MM:SS", the date format of the tracker.
std::string TrackerDate(aws::SystemTime t);

}  // namespace datamesh::mesh
