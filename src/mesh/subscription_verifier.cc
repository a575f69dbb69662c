#include "mesh/subscription_verifier.h"

#include "mesh/catalog_policy.h"

namespace datamesh::mesh {
namespace {

TablePermissions PermissionsOf(const std::map<std::string, TableAccess>& tables, const std::string& key) {
  auto it = tables.find(key);
  if (it == tables.end()) return {};
  return {it->second.permissions, it->second.grantable};
}

void Split(const std::vector<std::string>& differing, const std::set<std::string>& desired,
           std::vector<std::string>& missing, std::vector<std::string>& extra) {
  for (const auto& x : differing) (desired.count(x) ? missing : extra).push_back(x);
}

}  // namespace

Outcome<ConsumerVerification> VerifyConsumer(const GrantView& view, SubscriptionTracker& tracker, const std::string& consumer,
                                             const std::vector<Subscription>& subscriptions, bool repair,
                                             bool* in_sync_after) {
  std::set<std::string> databases;
  for (const auto& s : subscriptions) databases.insert(s.database);
  auto drift = MeasureDrift(view, tracker, consumer, databases);
  if (!drift.ok()) return drift.error();
  ConsumerVerification v;
  v.owner = view.account;
  v.consumer = consumer;
  for (const auto& s : subscriptions) v.subscriptions.push_back(s.id);
  for (const auto& key : drift->tables) {
    v.tables.push_back({DatabaseOfKey(key), TableOfKey(key), PermissionsOf(drift->desired.tables, key),
                        PermissionsOf(drift->held.tables, key)});
  }
  Split(drift->databases, drift->desired.databases, v.databases_missing, v.databases_extra);
  Split(drift->buckets, drift->desired.buckets, v.buckets_missing, v.buckets_extra);
  v.buckets_checked = drift->buckets_checked;
  auto glue = view.mesh->Glue();
  auto named = ConsumerInCatalogPolicy(glue, view.mesh->region(), view.mesh->mesh_account(), consumer);
  if (!named.ok()) return named.error();
  v.in_catalog_policy = *named;

  if (repair && !drift->InSync()) {
    auto repaired = ReconcileConsumer(view, tracker, consumer, databases);
    if (!repaired.ok()) return repaired.error();
  }
  // The shares each Active subscription records are those that carry its grants now.
  auto held = HeldGrants(view, consumer);
  if (!held.ok()) return held.error();
  for (const auto& s : subscriptions) {
    auto current = tracker.Get(s.id);
    if (!current.ok()) return current.error();
    if (current->status != SubscriptionStatus::kActive) continue;
    auto shares = SharesFor(view, *current, *held);
    if (!shares.ok()) return shares.error();
    std::set<std::string> recorded, carrying;
    for (const auto& [name, share] : current->ram_shares) recorded.insert(share.arn);
    for (const auto& [name, share] : *shares) carrying.insert(share.arn);
    if (recorded == carrying) continue;
    v.shares_differ.push_back(s.id);
    if (repair) {
      auto marked = tracker.MarkReconciled(*current, *shares);
      if (!marked.ok()) return marked.error();
    }
  }
  if (repair && in_sync_after) {
    auto again = MeasureDrift(view, tracker, consumer, databases);
    if (!again.ok()) return again.error();
    *in_sync_after = again->InSync() && v.in_catalog_policy;
  }
  return v;
}

}  // namespace datamesh::mesh
