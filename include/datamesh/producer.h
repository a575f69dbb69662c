// A data producer: publishes Glue tables of its account as data products in the mesh, and
// decides on the subscriptions consumers request to them.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "datamesh/data_product.h"
#include "datamesh/mesh_options.h"
#include "datamesh/rules.h"
#include "datamesh/subscription.h"
#include "datamesh/verification.h"

namespace datamesh {

namespace mesh {
class MeshSession;
}

struct CreateDataProductsOptions {
  std::string source_database_name;
  bool create_public_metadata = true;
  std::optional<std::string> table_name_regex;  // RE2 syntax, matched against the whole name
  std::optional<std::string> domain;
  std::optional<std::string> data_product_name;
  std::optional<std::string> sync_mesh_catalog_schedule;  // cron(...)
  std::optional<std::string> sync_mesh_crawler_role_arn;
  std::optional<std::string> expose_data_mesh_db_name;    // default <db>-<producer account>
  std::string expose_table_references_with_suffix = "_link";
  bool use_original_table_name = false;                   // links keep the table's own name
};

struct ApproveOptions {
  std::string request_id;
  std::optional<std::vector<std::string>> grant_permissions;      // default: as requested
  std::optional<std::vector<std::string>> grantable_permissions;  // default: all granted ones
  std::optional<std::string> decision_notes;
  // When the access ends by itself (YYYY-MM-DD HH:MM:SS UTC); unset: it does not.
  std::optional<std::string> expires_at;
  // Or how long it lasts, counted from the moment the decision is recorded (so a span, unlike a
  // date, can never have passed by the time the decision is made). At most one of the two.
  std::optional<std::chrono::seconds> expires_in;
};

class Producer {
 public:
  // The credentials are for the producer account (its DataMeshProducer role, or a principal
  // that may assume it).
  static Outcome<Producer> Create(MeshOptions options);

  // Publishes the source database's tables (those matching table_name_regex) in the mesh.
  // Running it again completes what is missing and reports every published table.
  Outcome<DataProducts> CreateDataProducts(const CreateDataProductsOptions& options);
  // As CreateDataProducts, keeping the original database and table names; the producer's
  // original tables are then replaced by resource links to the mesh copies, which become the
  // only masters. `options.source_database_name` and `table_name_regex` choose the tables.
  Outcome<DataProducts> MigrateTablesToMesh(CreateDataProductsOptions options);
  // The mesh tables of `database_name` whose whole name matches `table_name_regex` (RE2).
  Outcome<std::vector<DataProductTable>> GetDataProduct(const std::string& database_name, const std::string& table_name_regex);
  // The requests awaiting a decision, to the producer's own products. Like every decision, it
  // works through the producer's inbox first: the grants of subscriptions their consumers deleted
  // go, and decisions whose grants did not finish are finished.
  Outcome<PendingRequestList> ListPendingAccessRequests();
  // Each decision answers the subscription as it stands after it.
  Outcome<Subscription> ApproveAccessRequest(const ApproveOptions& options);
  // Denying a denied request again changes nothing.
  Outcome<Subscription> DenyAccessRequest(const std::string& request_id, const std::optional<std::string>& notes = {});
  // `expires_at` (YYYY-MM-DD HH:MM:SS UTC) or `expires_in` (counted from the change) sets a new end
  // of the access; neither keeps the one it has.
  Outcome<Subscription> UpdateSubscriptionPermissions(const std::string& subscription_id,
                                                     const std::vector<std::string>& grant_permissions,
                                                     const std::string& notes,
                                                     const std::optional<std::vector<std::string>>& grantable = {},
                                                     const std::optional<std::string>& expires_at = {},
                                                     const std::optional<std::chrono::seconds>& expires_in = {});
  // Ends the producer's Active subscriptions whose ExpiresAt has passed (by the session's clock):
  // every grant revoked, Deleted with the note "expired", as DeleteSubscription does. The full
  // sweep (RevokeGrantsOfDeletedSubscriptions) runs it too; decisions do not (they read only the
  // inbox, so that their cost does not grow with the producer's Active subscriptions).
  Outcome<SubscriptionList> ExpireSubscriptions();
  // Decides the pending requests to the producer's products that `rules` cover (see rules.h);
  // the rest stay pending. Running it again decides only what arrived since.
  Outcome<RuledDecisions> ProcessRequests(const DecisionRules& rules);
  // As above, with the rules UseRules gave (InvalidArgument without them).
  Outcome<RuledDecisions> ProcessRequests();
  // The producer's rules hold for its decisions by hand too: with require_decision_notes,
  // ApproveAccessRequest, DenyAccessRequest and UpdateSubscriptionPermissions refuse a decision
  // without notes (InvalidArgument), before anything is read or written.
  void UseRules(DecisionRules rules) { rules_ = std::make_shared<const DecisionRules>(std::move(rules)); }
  // Revokes every grant of an Active subscription and marks it Deleted; for a subscription its
  // consumer already deleted, revokes the grants that remain (the record stays Deleted). Once the
  // grants are gone, GrantedTableARNs is empty and running it again changes nothing.
  Outcome<Subscription> DeleteSubscription(const std::string& subscription_id, const std::string& reason);
  // A consumer may delete its subscription, but only the grantor can revoke Lake Formation grants:
  // this revokes the grants of every such subscription to the producer's products and answers
  // those it cleaned up (History action "RevokeGrants"). It is the full sweep: besides the inbox it
  // reads every subscription the producer last approved, so it also catches what consumers changed
  // without filing it in the inbox (a raw write of their half of the record), and ends expired access.
  Outcome<SubscriptionList> RevokeGrantsOfDeletedSubscriptions();
  // For each consumer of the producer's products (or only the consumer of `subscription_id`):
  // what the subscription records say it is to hold against what Lake Formation, the bucket
  // policies, RAM and the mesh catalog policy hold. With `repair`, the grants are then brought in
  // line with the records (and the producer's inbox worked through first).
  Outcome<VerificationReport> VerifySubscriptions(const std::optional<std::string>& subscription_id = std::nullopt,
                                                  bool repair = false);
  Outcome<Subscription> GetSubscription(const std::string& request_id);
  // The subscriptions to the producer's products that pass `filter` (its owner is this account).
  Outcome<SubscriptionList> ListSubscriptions(const SubscriptionFilter& filter = {});
  // What the mesh offers (through the mesh's read-only role), every producer's products included.
  Outcome<std::vector<ProductListing>> ListDataProducts(const ProductFilter& filter = {});

 private:
  explicit Producer(std::shared_ptr<mesh::MeshSession> session) : session_(std::move(session)) {}
  Outcome<DataProducts> Publish(const CreateDataProductsOptions& options, bool replace_originals);
  Status CheckDecisionNotes(const std::optional<std::string>& notes) const;
  std::shared_ptr<mesh::MeshSession> session_;
  std::shared_ptr<const DecisionRules> rules_;
};

}  // namespace datamesh
