// The grant arithmetic of the reconciler, apart from the AWS calls that apply it: what a consumer
// is to hold by the records of its Active subscriptions, where that differs from what it holds, and
// the Lake Formation entries that close the difference. Pure functions of their arguments, so each
// rule (a permission two subscriptions need is one grant; a grant option travels with its
// permission; options alone are revoked apart) is tested on its own (grant_plan_test.cc).
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "mesh/subscription_tracker.h"

namespace datamesh::mesh {

// Permissions on one table.
struct TableAccess {
  std::set<std::string> permissions;
  std::set<std::string> grantable;
  bool operator==(const TableAccess&) const = default;
};

// What a consumer holds, or is to hold, of one producer's products.
struct ConsumerAccess {
  std::map<std::string, TableAccess> tables;  // by "database/table"
  std::set<std::string> databases;            // DESCRIBE
  std::set<std::string> buckets;              // read through the bucket policy
  std::map<std::string, std::set<std::string>>
      shares;  // RAM share ARNs carrying each database / "database/table"
};

// The difference between the desired and the held access of one consumer.
struct AccessDrift {
  std::string owner, consumer;
  ConsumerAccess desired, held;
  // Keys ("database/table") where the two differ; databases and buckets likewise.
  std::vector<std::string> tables;
  std::vector<std::string> databases;
  std::vector<std::string> buckets;
  bool buckets_checked = true;  // false in a view without the producer's account
  std::set<std::string> products;  // the producer's product databases, as measured
  bool InSync() const { return tables.empty() && databases.empty() && buckets.empty(); }
};

// What `active` (a consumer's Active subscriptions to one producer) say it is to hold, counting only
// tables of `products` (buckets and shares are not the records' to say).
ConsumerAccess DesiredAccessOf(const std::vector<Subscription>& active, const std::set<std::string>& products);

// Fills the keys where `d.desired` and `d.held` differ: d.tables and d.databases (sorted).
void CompareAccess(AccessDrift& d);

// The Lake Formation entries that bring `d.held` to `d.desired` for consumer `d.consumer`, on
// resources of catalog `mesh`: grants (a grant option with its permission) and revokes (grant
// options apart where their permission stays). Each entry's Id names what it is for.
struct GrantChanges {
  Json grants = Json::array();
  Json revokes = Json::array();
};
GrantChanges PlanGrantChanges(const AccessDrift& d, const std::string& mesh);

// The items of `a` and `b` in only one of them, sorted.
std::vector<std::string> Differing(const std::set<std::string>& a, const std::set<std::string>& b);

// "database/table" of a table ARN (arn:aws:glue:<region>:<account>:table/<database>/<table>);
// empty when it is not one.
std::string TableKeyOfArn(const std::string& arn);
// The parts of a "database/table" key.
std::string DatabaseOfKey(const std::string& key);
std::string TableOfKey(const std::string& key);

// Lake Formation batch operations take at most this many entries (BatchGrantPermissions and
// BatchRevokePermissions API reference: Entries, maximum 20 items).
inline constexpr size_t kMaxBatchEntries = 20;

}  // namespace datamesh::mesh
