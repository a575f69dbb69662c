// Who may write what in the subscription tracker. AWS enforces it, not our client: the mesh roles'
// policies restrict each persona's tracker writes by the item's key (dynamodb:LeadingKeys) and,
// for consumers, by the attributes the write names (dynamodb:Attributes). IAM cannot look at
// attribute values, so ownership is by key and by attribute:
//  - Subscription ids are "<owner account>-<subscriber account>-<32 hex>": a producer's mesh role
//    writes only items whose id starts with its account; a consumer's only items whose id names its
//    account second.
//  - A consumer writes only the request's attributes (kSubscriberAttributes): what it asks for, its
//    own request state and history, and its import. The decision (Status, permissions, granted
//    tables, shares, History) is the producer's alone, and grants follow only the decision.
//  - A subscription's status is derived from both halves (see SubscriptionFromItem).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace datamesh::mesh::tracker {

// The request, written by the consumer.
inline constexpr char kRequestStatus[] = "RequestStatus";  // "Requested" or "Withdrawn"
inline constexpr char kRequestVersion[] =
    "RequestVersion";                                // N: +1 with each request or withdrawal
inline constexpr char kInboxOwner[] = "InboxOwner";  // set while the owner has something to act on
inline constexpr char kSubscriberHistory[] = "SubscriberHistory";
// The decision, written by the producer.
inline constexpr char kDecisionVersion[] = "DecisionVersion";  // N: +1 with each decision
inline constexpr char kDecidedRequestVersion[] =
    "DecidedRequestVersion";                         // the RequestVersion decided on
inline constexpr char kGeneration[] = "Generation";  // N, on an owner/consumer grants item

inline constexpr char kRequested[] = "Requested";
inline constexpr char kWithdrawn[] = "Withdrawn";

// Every attribute a consumer's mesh role may name in a tracker write.
inline const std::vector<std::string>& SubscriberAttributes() {
  static const std::vector<std::string> names = {
      "SubscriptionId", "OwnerPrincipal",  "SubscriberPrincipal", "DatabaseName",
      "TableName",      "RequestedGrants", "CreationDate",        "CreatedBy",
      "UpdatedDate",    "UpdatedBy",       "ImportedToConsumer",  kRequestStatus,
      kRequestVersion,  kInboxOwner,       kSubscriberHistory};
  return names;
}

// "<owner>-<subscriber>-<32 hex>".
std::string SubscriptionIdOf(const std::string& owner, const std::string& subscriber,
                             const std::string& digest);

struct IdAccounts {
  std::string owner, subscriber;
};
// The accounts a subscription id names; nullopt for ids of another form (the Python library's).
std::optional<IdAccounts> AccountsOfId(const std::string& id);

// The item holding the grants generation of an owner and a consumer: "<owner>-<subscriber>-grants".
std::string GrantsItemId(const std::string& owner, const std::string& subscriber);

// IAM patterns for dynamodb:LeadingKeys: the ids a producer / a consumer may write.
std::string OwnerKeyPattern(const std::string& owner);
std::string SubscriberKeyPattern(const std::string& subscriber);
// Every id of the form above (any owner, any subscriber).
std::string AnySubscriptionKeyPattern();

}  // namespace datamesh::mesh::tracker
