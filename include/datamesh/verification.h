// What verify-subscriptions reports: for each consumer of a producer's products, what the
// subscription records say it is to hold and what Lake Formation, the bucket policies, RAM and the
// mesh catalog policy actually hold, and where the two differ.
#pragma once

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

namespace datamesh {

// Permissions on one table, as recorded or as held.
struct TablePermissions {
  std::set<std::string> permissions;
  std::set<std::string> grantable;
  bool operator==(const TablePermissions&) const = default;
};

// One table where the records and Lake Formation differ.
struct TableDrift {
  std::string database, table;
  TablePermissions recorded, held;
  bool operator==(const TableDrift&) const = default;
};

// One consumer account of the producer's products.
struct ConsumerVerification {
  std::string owner;  // the producer whose products these are
  std::string consumer;
  std::vector<std::string> subscriptions;  // the producer's subscriptions of this consumer
  std::vector<TableDrift> tables;
  std::vector<std::string> databases_missing, databases_extra;  // DESCRIBE on product databases
  std::vector<std::string> buckets_missing, buckets_extra;      // read access through bucket policies
  bool buckets_checked = true;  // the mesh administrator cannot read producers' bucket policies
  bool in_catalog_policy = true;  // named in the mesh catalog policy (the administrator's to fix)
  std::vector<std::string> shares_differ;  // Active subscriptions whose recorded RAM shares are not those carrying their grants
  bool InSync() const;
  nlohmann::json ToJson() const;
};

struct VerificationReport {
  std::vector<ConsumerVerification> consumers;
  bool repaired = false;  // --repair ran: the drift shown is what it found and repaired
  bool in_sync_after_repair = false;
  bool InSync() const;
  // {"InSync", "Repaired", "InSyncAfterRepair"?, "Consumers": [{"OwnerPrincipal", "SubscriberPrincipal",
  //   "InSync", "Subscriptions", "BucketsChecked",
  //   "InCatalogPolicy", "Tables": [{"DatabaseName", "TableName", "Recorded", "Held"}],
  //   "DatabasesMissing", "DatabasesExtra", "BucketsMissing", "BucketsExtra", "SharesUnrecorded"}]}
  nlohmann::json ToJson() const;
};

}  // namespace datamesh
