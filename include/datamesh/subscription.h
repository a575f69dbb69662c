// A subscription of a consumer account to a producer's data product, as the subscription tracker
// (DynamoDB AwsDataMeshSubscriptions) keeps it, and the results built from it. Each type's ToJson
// gives the JSON shape the seeds document, with the tracker's attribute names.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace datamesh {

enum class SubscriptionStatus { kPending, kActive, kDenied, kDeleted };
// "Pending", "Active", "Denied", "Deleted": the tracker's Status values.
std::string ToString(SubscriptionStatus status);
std::optional<SubscriptionStatus> ParseSubscriptionStatus(const std::string& text);

// A RAM resource share that carries the subscription's grants to the consumer account.
struct RamShare {
  std::string arn;
  std::string status;  // the invitation's status as last seen: PENDING, ACCEPTED, ...

  bool operator==(const RamShare&) const = default;
};

// One entry of a subscription's History: a change, or an action recorded without one.
struct SubscriptionEvent {
  std::string time;       // YYYY-MM-DD HH:MM:SS, UTC
  std::string principal;  // who acted (an ARN)
  std::string action;     // Request, Approve, Deny, Modify, Delete, Import, RevokeGrants
  SubscriptionStatus status = SubscriptionStatus::kPending;  // the status after it
  std::optional<std::vector<std::string>> permissions;
  std::optional<std::vector<std::string>> grantable_permissions;
  std::optional<std::string> note;
  // Written in the consumer's half of the record (SubscriberHistory), not the producer's.
  bool by_subscriber = false;

  // {"Time", "Principal", "Action", "Status", "Permissions"?, "GrantablePermissions"?, "Note"?}
  nlohmann::json ToJson() const;
  bool operator==(const SubscriptionEvent&) const = default;
  // Fields it does not know are ignored; a missing or unknown Status is refused.
  static std::optional<SubscriptionEvent> FromJson(const nlohmann::json& entry);
};

struct Subscription {
  std::string id;                   // SubscriptionId
  std::string owner;                // OwnerPrincipal: the producer account
  std::string subscriber;           // SubscriberPrincipal: the consumer account
  std::string database;             // DatabaseName, in the mesh
  std::vector<std::string> tables;  // TableName: names or regular expressions
  std::vector<std::string> requested_grants;
  std::vector<std::string> permitted_grants;
  std::vector<std::string> grantable_grants;
  std::vector<std::string> granted_table_arns;
  std::map<std::string, RamShare> ram_shares;  // by share name
  SubscriptionStatus status = SubscriptionStatus::kPending;
  std::set<std::string> notes;
  bool imported_to_consumer = false;
  std::string creation_date, created_by, updated_date, updated_by;
  std::optional<std::string> expires_at;  // ExpiresAt: when its access ends by itself (UTC), if ever
  // Why the consumer asks: the note of its latest request ("" when it gave none). Not an attribute
  // of its own; read from History.
  std::string request_reason;
  std::vector<SubscriptionEvent> history;  // oldest first
  // The tracker's bookkeeping, not part of the documented JSON. A subscription has two halves: the
  // consumer's request (request_version, withdrawn) and the producer's decision
  // (decision_version, the request version it decided on); `status` is derived from both.
  // Items the Python library wrote have neither (legacy) and keep their Status as it is.
  int64_t request_version = 0;
  int64_t decision_version = 0;
  int64_t decided_request_version = 0;
  bool withdrawn = false;  // its consumer deleted it
  bool legacy = false;

  // Every tracker attribute: {"SubscriptionId", "OwnerPrincipal", "SubscriberPrincipal",
  // "DatabaseName", "TableName", "RequestedGrants", "PermittedGrants", "GrantableGrants",
  // "GrantedTableARNs", "RamShares", "Status", "Notes", "ImportedToConsumer", "CreationDate",
  // "CreatedBy", "UpdatedDate", "UpdatedBy", "History", "ExpiresAt"?}
  nlohmann::json ToJson() const;
  bool operator==(const Subscription&) const = default;
};

// Which subscriptions a listing shows; unset fields match everything.
struct SubscriptionFilter {
  std::optional<SubscriptionStatus> status;
  std::optional<std::string> database;    // the mesh database, exactly
  std::optional<std::string> owner;       // the producer account
  std::optional<std::string> subscriber;  // the consumer account

  bool Matches(const Subscription& s) const;
};

// A consumer's subscriptions: {"Subscriptions": [subscription...]}.
struct SubscriptionList {
  std::vector<Subscription> subscriptions;
  nlohmann::json ToJson() const;
  bool operator==(const SubscriptionList&) const = default;
};

// A request awaiting its producer's decision, as list_pending_access_requests shows it.
struct PendingRequest {
  std::string subscription_id;
  std::string database_name;
  std::vector<std::string> tables;
  std::vector<std::string> requested_grants;
  std::string subscriber;
  std::string creation_date, created_by;
  std::string reason;  // why the consumer asks ("" when it did not say)

  static PendingRequest Of(const Subscription& s);
  // {"SubscriptionId", "DatabaseName", "TableName", "RequestedGrants", "SubscriberPrincipal",
  //  "CreationDate", "CreatedBy", "Reason"?}
  nlohmann::json ToJson() const;
  bool operator==(const PendingRequest&) const = default;
};

// {"Subscriptions": [pending request...]}
struct PendingRequestList {
  std::vector<PendingRequest> subscriptions;
  nlohmann::json ToJson() const;
  bool operator==(const PendingRequestList&) const = default;
};

// What request_access_to_product answers.
struct AccessRequest {
  bool single_table = false;  // one table named outright, not a list or a pattern
  std::string database_name;
  std::vector<std::string> tables;
  std::string subscription_id;
  SubscriptionStatus status = SubscriptionStatus::kPending;

  // {"Type": "Table"|"Tables", "DatabaseName", "TableName", "SubscriptionId", "Status"}
  nlohmann::json ToJson() const;
  bool operator==(const AccessRequest&) const = default;
};

}  // namespace datamesh
