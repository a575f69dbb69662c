// A data consumer: requests subscriptions to data products and, once approved, imports them into
// its account.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "datamesh/data_product.h"
#include "datamesh/mesh_options.h"
#include "datamesh/subscription.h"

namespace datamesh {

namespace mesh {
class MeshSession;
}

class Consumer {
 public:
  // The credentials are for the consumer account (its DataMeshConsumer role, or a principal that
  // may assume it).
  static Outcome<Consumer> Create(MeshOptions options);

  // Checks the tables are visible, then records a Pending request (an identical open request is
  // returned instead). `tables` entries are names or regular expressions (RE2, whole name). The
  // request goes to the product's producer, read from the product: `owner_account_id` may be ""
  // and, when given, must name that producer (a request filed under another account would reach
  // no one).
  // `reason` says why (kept in the subscription's History; a producer's rules may require one).
  Outcome<AccessRequest> RequestAccessToProduct(const std::string& owner_account_id, const std::string& database_name,
                                                const std::vector<std::string>& tables,
                                                const std::vector<std::string>& request_permissions,
                                                const std::string& reason = "");
  // For an Active subscription: accepts its own RAM shares, links the mesh database into the
  // account, and marks it ImportedToConsumer.
  Outcome<Subscription> FinalizeSubscription(const std::string& subscription_id);
  // The consumer account's subscriptions, whatever their status.
  Outcome<SubscriptionList> ListProductAccess();
  // Those of them that pass `filter` (its subscriber is this account).
  Outcome<SubscriptionList> ListProductAccess(const SubscriptionFilter& filter);
  // What the mesh offers (through the mesh's read-only role).
  Outcome<std::vector<ProductListing>> ListDataProducts(const ProductFilter& filter = {});
  Outcome<Subscription> GetSubscription(const std::string& request_id);
  // The mesh table's Glue definition, exactly as Glue's GetTable answers it ("Table").
  Outcome<nlohmann::json> GetTableInfo(const std::string& database_name, const std::string& table_name);
  // Only the subscriber may; the record is kept, marked Deleted. The producer's grants can only
  // be revoked by their grantor: the producer's DeleteSubscription removes them.
  Outcome<Subscription> DeleteSubscription(const std::string& subscription_id, const std::string& reason);

 private:
  explicit Consumer(std::shared_ptr<mesh::MeshSession> session) : session_(std::move(session)) {}
  std::shared_ptr<mesh::MeshSession> session_;
};

}  // namespace datamesh
