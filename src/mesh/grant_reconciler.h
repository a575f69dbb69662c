// Grants follow the tracker. For one producer and one consumer account, the subscriptions the
// producer has committed as Active are the desired state: Lake Formation permissions (and grant
// options) on each table they record, DESCRIBE on each of their databases, and read access to the
// buckets holding their data. The reconciler compares that with what Lake Formation and the bucket
// policies actually hold and changes only the difference, so it can run any number of times, from
// any workflow, after any failure.
//
// Lake Formation does not count grants: a permission two subscriptions of one consumer need is one
// grant. Reconciling per (producer, consumer) over all their subscriptions keeps what another
// subscription still needs without special cases.
//
// Races: a reconcile reads the records, changes the grants, then checks the pair's generation
// (which every decision bumps after committing). Had it moved, a decision committed meanwhile may
// have been undone by stale changes, so the reconcile runs again; the last decision's own
// reconcile starts after every earlier writer's check, so the grants end equal to the last record.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "mesh/grant_plan.h"
#include "mesh/personas.h"
#include "mesh/subscription_tracker.h"

namespace datamesh::mesh {

// Where grants are read and changed: `account` is the producer whose products they are; `mesh`
// acts in the mesh account (Lake Formation, Glue, RAM); `local` in the producer's account (its
// bucket policies), or null where those cannot be read (the mesh administrator's view).
struct GrantView {
  std::string account;
  std::shared_ptr<MeshSession> mesh;
  std::shared_ptr<MeshSession> local;
  GrantView(std::string owner, std::shared_ptr<MeshSession> in_mesh, std::shared_ptr<MeshSession> in_owner_account)
      : account(std::move(owner)), mesh(std::move(in_mesh)), local(std::move(in_owner_account)) {}
  GrantView(const PersonaSessions& producer) : GrantView(producer.account, producer.mesh, producer.local) {}  // NOLINT
};

// The producer's view: what `consumer` is to hold and holds of the producer's products.
// `extra_databases`: product databases to look at besides those the records name (one whose
// subscriptions all ended). `known`: a subscription to count even where the (eventually
// consistent) Owner index does not show it yet: the one being settled.
Outcome<AccessDrift> MeasureDrift(const GrantView& producer, SubscriptionTracker& tracker,
                                  const std::string& consumer,
                                  const std::set<std::string>& extra_databases,
                                  const std::string& known = "");

// Changes the grants of `consumer` to match the records, again until no decision moved the
// generation meanwhile. Answers the drift it found first (InSync when there was nothing to do).
Outcome<AccessDrift> ReconcileConsumer(const GrantView& producer, SubscriptionTracker& tracker,
                                       const std::string& consumer,
                                       const std::set<std::string>& extra_databases,
                                       const std::string& known = "");

// What Lake Formation says `consumer` holds of the producer's products now (tables, databases and
// the shares carrying them; buckets are not read).
// `products`: the producer's product databases when the caller measured them already (a drift's).
Outcome<ConsumerAccess> HeldGrants(const GrantView& producer, const std::string& consumer,
                                   const std::optional<std::set<std::string>>& products = std::nullopt);

// The RAM shares that now carry `s`'s grants (name -> share), from `held`.
Outcome<std::map<std::string, RamShare>> SharesFor(const GrantView& producer, const Subscription& s,
                                                   const ConsumerAccess& held);

// The producer's data products: the mesh databases on which its mesh role holds ALL (publishing
// grants it), whatever they are called (<database>-<account>, a name of the producer's choosing,
// or a migrated database's own name). Grants elsewhere are not the producer's to reconcile.
Outcome<std::set<std::string>> ProductDatabases(const GrantView& producer);

}  // namespace datamesh::mesh
