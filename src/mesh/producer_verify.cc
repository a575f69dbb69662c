// Producer: verify-subscriptions, what the records say against what AWS holds, and its repair.
#include <spdlog/spdlog.h>

#include <map>

#include "datamesh/producer.h"
#include "mesh/catalog_policy.h"
#include "mesh/grant_reconciler.h"
#include "mesh/personas.h"
#include "mesh/subscription_tracker.h"

namespace datamesh {
namespace {

using mesh::Subscription;
using mesh::SubscriptionStatus;

std::string DatabaseOfKey(const std::string& key) { return key.substr(0, key.find('/')); }
std::string TableOfKey(const std::string& key) { return key.substr(key.find('/') + 1); }

TablePermissions PermissionsOf(const std::map<std::string, mesh::TableAccess>& tables, const std::string& key) {
  auto it = tables.find(key);
  if (it == tables.end()) return {};
  return {it->second.permissions, it->second.grantable};
}

void Split(const std::vector<std::string>& differing, const std::set<std::string>& desired,
           std::vector<std::string>& missing, std::vector<std::string>& extra) {
  for (const auto& x : differing) (desired.count(x) ? missing : extra).push_back(x);
}

// The producer's subscriptions by consumer, whatever their status.
Outcome<std::map<std::string, std::vector<Subscription>>> SubscriptionsByConsumer(mesh::SubscriptionTracker& tracker,
                                                                                 const std::string& owner) {
  std::map<std::string, std::vector<Subscription>> out;
  std::set<std::string> seen;
  for (auto status : {SubscriptionStatus::kActive, SubscriptionStatus::kPending, SubscriptionStatus::kDenied,
                      SubscriptionStatus::kDeleted}) {
    auto found = tracker.OfOwner(owner, status);
    if (!found.ok()) return found.error();
    for (auto& s : *found) {
      if (seen.insert(s.id).second) out[s.subscriber].push_back(std::move(s));
    }
  }
  return out;
}

}  // namespace

Outcome<VerificationReport> Producer::VerifySubscriptions(const std::optional<std::string>& subscription_id, bool repair) {
  auto c = mesh::ProducerSessions(session_);
  if (!c.ok()) return c.error();
  auto tracker = mesh::TrackerOf(*c);
  std::optional<std::string> only_consumer;
  if (subscription_id) {
    auto s = tracker.GetAsOwner(*subscription_id, c->account);
    if (!s.ok()) return s.error();
    only_consumer = s->subscriber;
  }
  if (repair) {
    // Requests and deletions waiting in the inbox are worked through first, as any producer
    // workflow does; what still differs afterwards is reconciled below.
    if (auto swept = RevokeGrantsOfDeletedSubscriptions(); !swept.ok()) {
      spdlog::warn("working through the inbox: {}", swept.error().ToString());
    }
  }
  auto by_consumer = SubscriptionsByConsumer(tracker, c->account);
  if (!by_consumer.ok()) return by_consumer.error();
  if (only_consumer && !by_consumer->count(*only_consumer)) (*by_consumer)[*only_consumer] = {};

  VerificationReport report;
  report.repaired = repair;
  bool after = true;
  auto glue = c->mesh->Glue();
  for (auto& [consumer, subs] : *by_consumer) {
    if (only_consumer && consumer != *only_consumer) continue;
    std::set<std::string> databases;
    for (const auto& s : subs) databases.insert(s.database);
    auto drift = mesh::MeasureDrift(*c, tracker, consumer, databases);
    if (!drift.ok()) return drift.error();
    ConsumerVerification v;
    v.consumer = consumer;
    for (const auto& s : subs) v.subscriptions.push_back(s.id);
    for (const auto& key : drift->tables) {
      v.tables.push_back({DatabaseOfKey(key), TableOfKey(key), PermissionsOf(drift->desired.tables, key),
                          PermissionsOf(drift->held.tables, key)});
    }
    Split(drift->databases, drift->desired.databases, v.databases_missing, v.databases_extra);
    Split(drift->buckets, drift->desired.buckets, v.buckets_missing, v.buckets_extra);
    auto named = mesh::ConsumerInCatalogPolicy(glue, session_->region(), session_->mesh_account(), consumer);
    if (!named.ok()) return named.error();
    v.in_catalog_policy = *named;

    if (repair && !drift->InSync()) {
      auto repaired = mesh::ReconcileConsumer(*c, tracker, consumer, databases);
      if (!repaired.ok()) return repaired.error();
    }
    // The shares each Active subscription records are those that carry its grants now.
    auto held = mesh::HeldGrants(*c, consumer);
    if (!held.ok()) return held.error();
    for (const auto& s : subs) {
      auto current = tracker.GetAsOwner(s.id, c->account);
      if (!current.ok()) return current.error();
      if (current->status != SubscriptionStatus::kActive) continue;
      auto shares = mesh::SharesFor(*c, *current, *held);
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
    if (repair) {
      auto again = mesh::MeasureDrift(*c, tracker, consumer, databases);
      if (!again.ok()) return again.error();
      after = after && again->InSync() && v.in_catalog_policy;
    }
    report.consumers.push_back(std::move(v));
  }
  report.in_sync_after_repair = repair && after;
  return report;
}

}  // namespace datamesh
