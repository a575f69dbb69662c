#include "mesh/grant_reconciler.h"

#include <spdlog/spdlog.h>

#include <functional>
#include <map>
#include <mutex>

#include "datamesh/mesh_names.h"
#include "mesh/bucket_policy.h"
#include "mesh/concurrent.h"

namespace datamesh::mesh {
namespace {

// How often a reconcile starts again because decisions kept arriving; beyond it the next
// workflow finishes the work (the decisions stay in the producer's inbox until then).
constexpr int kMaxRounds = 10;

std::string ConsumerSid(const std::string& consumer) { return "DataMeshConsumer" + consumer; }


using Products = std::set<std::string>;

std::set<std::string> Strings(const Json& array) {
  std::set<std::string> out;
  if (!array.is_array()) return out;
  for (const auto& v : array) {
    if (v.is_string()) out.insert(v.get<std::string>());
  }
  return out;
}

// What the records of `owner` say `consumer` is to hold (buckets aside). The Pair index only
// finds the candidates: global secondary indexes are eventually consistent, so each record is
// read again (consistently), and `known` (the subscription being settled, which the index may
// not show yet) is always among them.
// A tracker index that is not there yet ("The table does not have the specified index"), still
// backfilling ("Cannot read from backfilling global secondary index"), or that the caller's role
// predates (AccessDeniedException on the index's ARN): DynamoDB Query API reference, errors.
bool IndexNotUsable(const Error& e) {
  if (e.code() == "AccessDeniedException") return true;
  return e.code() == "ValidationException" && (e.message().find("specified index") != std::string::npos ||
                                               e.message().find("backfilling") != std::string::npos);
}

// Whether `s` (a Subscription, or an index's SubscriptionState) gives `consumer` access now: Active,
// its consumer's, and not expired, though no sweep may have recorded its end yet.
template <typename Record>
bool HoldsAccess(const SubscriptionTracker& tracker, const Record& s, const std::string& consumer) {
  return s.status == SubscriptionStatus::kActive && s.subscriber == consumer && !tracker.Expired(s.expires_at);
}

// The ids of the subscriptions between `owner` and `consumer` that the (eventually consistent)
// indexes show Active. The Pair index finds them among the pair's own; a tracker or a producer
// role from before that index (not yet upgraded by install-mesh-objects and enable-account) has
// them found among all of the owner's Active subscriptions instead: the same answer, slower.
Outcome<std::set<std::string>> ActiveOfPair(SubscriptionTracker& tracker, const std::string& owner,
                                            const std::string& consumer) {
  std::set<std::string> ids;
  auto pair = tracker.OfPair(owner, consumer);
  if (pair.ok()) {
    for (const auto& s : *pair) {
      if (HoldsAccess(tracker, s, consumer)) ids.insert(s.id);
    }
    return ids;
  }
  if (!IndexNotUsable(pair.error())) return pair.error();
  static std::once_flag warned;
  std::call_once(warned, [&] {
    spdlog::warn("the tracker's {} index cannot be read ({}); reading all of the producer's Active subscriptions "
                 "instead (run install-mesh-objects, then enable-account for the producer, to upgrade)",
                 names::kPairIndex, pair.error().ToString());
  });
  auto found = tracker.OfOwner(owner, SubscriptionStatus::kActive);
  if (!found.ok()) return found.error();
  for (const auto& s : *found) {
    if (s.subscriber == consumer) ids.insert(s.id);
  }
  return ids;
}

// The subscriptions with `ids`, read consistently: by BatchGetItem, or, for a producer role from
// before the mesh allowed it (until enable-account runs again), one GetItem each, concurrently.
Outcome<std::vector<Subscription>> ReadConsistently(SubscriptionTracker& tracker, const std::string& owner,
                                                    const std::vector<std::string>& ids, int concurrency) {
  auto batch = tracker.GetManyAsOwner(ids, owner, SubscriptionTracker::Part::kGrants);
  if (batch.ok() || batch.error().code() != "AccessDeniedException") return batch;
  static std::once_flag warned;
  std::call_once(warned, [&] {
    spdlog::warn("the producer's role may not BatchGetItem the tracker ({}); reading its subscriptions one at a "
                 "time instead (run enable-account for the producer to upgrade its role)",
                 batch.error().ToString());
  });
  std::vector<std::optional<Subscription>> read(ids.size());
  auto reads = ForEachConcurrently(ids.size(), concurrency, [&](size_t i) -> Status {
    auto s = tracker.GetAsOwner(ids[i], owner);
    if (s.ok()) {
      read[i] = std::move(*s);
    } else if (s.error().code() != "NoSuchSubscription") {  // as a batch read, what is not there is left out
      return s.error();
    }
    return OkStatus();
  });
  if (!reads.ok()) return reads.error();
  std::vector<Subscription> found;
  for (auto& s : read) {
    if (s) found.push_back(std::move(*s));
  }
  return found;
}

Outcome<ConsumerAccess> DesiredAccess(SubscriptionTracker& tracker, const std::string& owner,
                                      const Products& products, const std::string& consumer,
                                      const std::string& known, int concurrency) {
  auto found = ActiveOfPair(tracker, owner, consumer);
  if (!found.ok()) return found.error();
  std::set<std::string> ids = std::move(*found);
  if (!known.empty()) ids.insert(known);
  // The indexes are eventually consistent: what they name is read again, consistently.
  auto read = ReadConsistently(tracker, owner, std::vector<std::string>(ids.begin(), ids.end()), concurrency);
  if (!read.ok()) return read.error();
  std::vector<Subscription> active;
  for (auto& s : *read) {
    if (HoldsAccess(tracker, s, consumer)) active.push_back(std::move(s));
  }
  return DesiredAccessOf(active, products);
}

// What Lake Formation says `consumer` holds on `owner`'s product databases (buckets aside). Only
// Principal and a resource type are given: with a Resource as well, ListPermissions answers
// effective rather than granted permissions (ListPermissions API reference).
Outcome<ConsumerAccess> HeldAccess(aws::LakeFormationClient& lf, const std::string& mesh,
                                   const Products& products, const std::string& consumer, int concurrency) {
  ConsumerAccess held;
  // Both listings at once, then read in a fixed order.
  const char* types[] = {"TABLE", "DATABASE"};
  std::vector<Json> listed(2);
  auto lists = ForEachConcurrently(2, concurrency, [&](size_t i) -> Status {
    auto out = lf.ListPermissionsAllPages(
        {{"Principal", {{"DataLakePrincipalIdentifier", consumer}}}, {"ResourceType", types[i]}});
    if (!out.ok()) return out.error();
    listed[i] = std::move(*out);
    return OkStatus();
  });
  if (!lists.ok()) return lists.error();
  for (const auto& out : listed) {
    for (const auto& e : out["PrincipalResourcePermissions"]) {
      if (e.value("Principal", Json::object()).value("DataLakePrincipalIdentifier", "") != consumer)
        continue;
      const Json& r = e.value("Resource", Json::object());
      std::string key;
      if (r.contains("Table") && r["Table"].contains("Name")) {
        if (r["Table"].value("CatalogId", mesh) != mesh) continue;
        key = r["Table"].value("DatabaseName", "") + "/" + r["Table"]["Name"].get<std::string>();
        if (!products.count(DatabaseOfKey(key))) continue;
        auto& t = held.tables[key];
        auto p = Strings(e.value("Permissions", Json::array()));
        auto g = Strings(e.value("PermissionsWithGrantOption", Json::array()));
        t.permissions.insert(p.begin(), p.end());
        t.grantable.insert(g.begin(), g.end());
      } else if (r.contains("Database")) {
        if (r["Database"].value("CatalogId", mesh) != mesh) continue;
        key = r["Database"].value("Name", "");
        if (!products.count(key)) continue;
        if (Strings(e.value("Permissions", Json::array())).count("DESCRIBE"))
          held.databases.insert(key);
      } else {
        continue;
      }
      auto shares = Strings(
          e.value("AdditionalDetails", Json::object()).value("ResourceShare", Json::array()));
      held.shares[key].insert(shares.begin(), shares.end());
    }
  }
  return held;
}

// The bucket of every table in `databases`, by "database/table" (dropped databases have none).
Outcome<std::map<std::string, std::string>> BucketsOfTables(
    aws::GlueClient& glue, const std::set<std::string>& databases) {
  std::map<std::string, std::string> out;
  for (const auto& db : databases) {
    auto tables = glue.GetTablesAllPages({{"DatabaseName", db}});
    if (!tables.ok()) {
      if (tables.error().code() == "EntityNotFoundException") continue;
      return tables.error();
    }
    for (const auto& t : (*tables)["TableList"]) {
      const std::string bucket =
          BucketOf(t.value("StorageDescriptor", Json::object()).value("Location", ""));
      if (!bucket.empty()) out[db + "/" + t.value("Name", "")] = bucket;
    }
  }
  return out;
}

// Sends `entries` in batches Lake Formation accepts. Revoking what is already gone is not an
// error, so a reconcile can run again after any failure.
// Entry ids are unique in their batch and at most 255 characters (BatchPermissionsRequestEntry),
// so each is sent under its position; failures are reported under the entry's own name.
// A grant refused with EntityNotFoundException is passed over only when `gone` confirms its table
// is no longer in the catalog (it can be granted to no one); otherwise (a table Lake Formation does
// not see yet) it fails, and the subscription stays in the inbox for the next run.
Status SendBatches(aws::LakeFormationClient& lf, const Json& entries, bool grant,
                   const std::function<Outcome<bool>(const Json& entry)>& gone) {
  for (size_t at = 0; at < entries.size(); at += kMaxBatchEntries) {
    Json batch = Json::array();
    std::map<std::string, std::string> names;
    for (size_t i = at; i < std::min(entries.size(), at + kMaxBatchEntries); ++i) {
      Json entry = entries[i];
      const std::string id = "e" + std::to_string(i - at);
      names[id] = entry.value("Id", id);
      entry["Id"] = id;
      batch.push_back(std::move(entry));
    }
    auto out = grant ? lf.BatchGrantPermissions({{"Entries", batch}})
                     : lf.BatchRevokePermissions({{"Entries", batch}});
    std::map<std::string, Json> sent;
    for (const auto& entry : batch) sent[entry.value("Id", "")] = entry;
    if (!out.ok()) return out.error();
    for (const auto& f : out->value("Failures", Json::array())) {
      const Json& error = f.value("Error", Json::object());
      const std::string message = error.value("ErrorMessage", "");
      if (!grant && message.find("No permissions revoked") != std::string::npos) continue;
      const std::string id = f.value("RequestEntry", Json::object()).value("Id", "");
      if (error.value("ErrorCode", "") == "EntityNotFoundException") {
        // Nothing is left to revoke on a table that is gone. Nor can it be granted: a grant the
        // records still hold on a table deleted from the mesh must not keep the consumer's other
        // grants from changing (verify-subscriptions reports it).
        if (!grant) continue;
        auto deleted = gone(sent[id]);
        if (!deleted.ok()) return deleted.error();
        if (*deleted) {
          spdlog::warn("not granting {}: the table is no longer in the catalog ({})", names.count(id) ? names[id] : id, message);
          continue;
        }
      }
      return Error(error.value("ErrorCode", "PermissionChangeFailed"),
                   std::string(grant ? "granting " : "revoking ") + (names.count(id) ? names[id] : id) +
                       " failed: " + message,
                   ErrorKind::kClient);
    }
  }
  return OkStatus();
}

Status ApplyDrift(const GrantView& c, const AccessDrift& d) {
  const GrantChanges changes = PlanGrantChanges(d, c.mesh->mesh_account());
  auto lf = c.mesh->LakeFormation();
  auto glue = c.mesh->Glue();
  auto gone = [&](const Json& entry) -> Outcome<bool> {
    const Json resource = entry.value("Resource", Json::object());
    const Json table = resource.contains("Table") ? resource["Table"] : resource.value("TableWithColumns", Json::object());
    if (!table.contains("Name")) return false;  // not a table: not ours to pass over
    auto found = glue.GetTable({{"DatabaseName", table.value("DatabaseName", "")}, {"Name", table.value("Name", "")}});
    if (found.ok()) return false;
    if (found.error().code() == "EntityNotFoundException") return true;
    return found.error();
  };
  if (auto e = SendBatches(lf, changes.grants, true, gone); !e.ok()) return e;
  if (auto e = SendBatches(lf, changes.revokes, false, gone); !e.ok()) return e;
  auto s3 = c.local->S3();
  for (const auto& bucket : d.buckets) {
    Status done = d.desired.buckets.count(bucket)
                      ? AllowBucketRead(s3, bucket, ConsumerSid(d.consumer),
                                        "arn:aws:iam::" + d.consumer + ":root")
                      : RemoveBucketStatement(s3, bucket, ConsumerSid(d.consumer));
    if (!done.ok()) return done;
  }
  return OkStatus();
}


}  // namespace

Outcome<std::set<std::string>> ProductDatabases(const GrantView& c) {
  const std::string mesh = c.mesh->mesh_account();
  const std::string role = "arn:aws:iam::" + mesh + ":role" + names::kIamPath + names::ProducerAdminRole(c.account);
  auto lf = c.mesh->LakeFormation();
  auto out = lf.ListPermissionsAllPages({{"Principal", {{"DataLakePrincipalIdentifier", role}}}, {"ResourceType", "DATABASE"}});
  if (!out.ok()) return out.error();
  std::set<std::string> products;
  for (const auto& e : (*out)["PrincipalResourcePermissions"]) {
    const Json& db = e.value("Resource", Json::object()).value("Database", Json::object());
    if (db.value("CatalogId", mesh) != mesh || !db.contains("Name")) continue;
    if (Strings(e.value("Permissions", Json::array())).count("ALL")) products.insert(db["Name"].get<std::string>());
  }
  return products;
}

Outcome<AccessDrift> MeasureDrift(const GrantView& c, SubscriptionTracker& tracker,
                                  const std::string& consumer,
                                  const std::set<std::string>& extra_databases,
                                  const std::string& known) {
  AccessDrift d;
  d.owner = c.account;
  d.consumer = consumer;
  auto products = ProductDatabases(c);
  if (!products.ok()) return products.error();
  d.products = *products;
  const int concurrency = c.mesh->max_concurrency();
  auto desired = DesiredAccess(tracker, c.account, *products, consumer, known, concurrency);
  if (!desired.ok()) return desired.error();
  d.desired = std::move(*desired);
  auto lf = c.mesh->LakeFormation();
  auto held = HeldAccess(lf, c.mesh->mesh_account(), *products, consumer, concurrency);
  if (!held.ok()) return held.error();
  d.held = std::move(*held);

  CompareAccess(d);

  // Buckets: those of every table the records name are to be readable; those of the other tables
  // of the same databases (and of `extra_databases`) are not, unless a recorded table shares them.
  std::set<std::string> databases = extra_databases;
  databases.insert(d.desired.databases.begin(), d.desired.databases.end());
  databases.insert(d.held.databases.begin(), d.held.databases.end());
  for (const auto& [k, v] : d.held.tables) databases.insert(DatabaseOfKey(k));
  std::set<std::string> own;
  for (const auto& db : databases) {
    if (products->count(db)) own.insert(db);
  }
  auto glue = c.mesh->Glue();
  auto buckets = BucketsOfTables(glue, own);
  if (!buckets.ok()) return buckets.error();
  std::set<std::string> candidates;
  for (const auto& [key, bucket] : *buckets) {
    candidates.insert(bucket);
    if (d.desired.tables.count(key)) d.desired.buckets.insert(bucket);
  }
  if (!c.local) {
    d.buckets_checked = false;
    return d;
  }
  auto s3 = c.local->S3();
  for (const auto& bucket : candidates) {
    auto has = HasBucketStatement(s3, bucket, ConsumerSid(consumer));
    if (!has.ok()) return has.error();
    if (*has) d.held.buckets.insert(bucket);
  }
  d.buckets = Differing(d.desired.buckets, d.held.buckets);
  return d;
}

Outcome<AccessDrift> ReconcileConsumer(const GrantView& c, SubscriptionTracker& tracker,
                                       const std::string& consumer,
                                       const std::set<std::string>& extra_databases,
                                       const std::string& known) {
  std::optional<AccessDrift> first;
  for (int round = 0; round < kMaxRounds; ++round) {
    auto before = tracker.Generation(c.account, consumer);
    if (!before.ok()) return before.error();
    auto drift = MeasureDrift(c, tracker, consumer, extra_databases, known);
    if (!drift.ok()) return drift.error();
    if (!first) first = *drift;
    if (!drift->InSync()) {
      if (auto e = ApplyDrift(c, *drift); !e.ok()) return e.error();
    }
    auto after = tracker.Generation(c.account, consumer);
    if (!after.ok()) return after.error();
    if (*after == *before) return std::move(*first);
    spdlog::debug(
        "decisions on consumer {} arrived while reconciling its grants; reconciling again",
        consumer);
  }
  return Error::Local("ReconcileIncomplete",
                      "decisions on consumer " + consumer +
                          " kept arriving while its grants were reconciled; the next producer "
                          "workflow (or verify-subscriptions --repair) finishes it");
}

Outcome<ConsumerAccess> HeldGrants(const GrantView& c, const std::string& consumer,
                                   const std::optional<std::set<std::string>>& known_products) {
  std::set<std::string> products;
  if (known_products) {
    products = *known_products;
  } else {
    auto listed = ProductDatabases(c);
    if (!listed.ok()) return listed.error();
    products = std::move(*listed);
  }
  auto lf = c.mesh->LakeFormation();
  return HeldAccess(lf, c.mesh->mesh_account(), products, consumer, c.mesh->max_concurrency());
}

Outcome<std::map<std::string, RamShare>> SharesFor(const GrantView& c, const Subscription& s,
                                                   const ConsumerAccess& held) {
  std::set<std::string> arns;
  auto add = [&](const std::string& key) {
    auto it = held.shares.find(key);
    if (it != held.shares.end()) arns.insert(it->second.begin(), it->second.end());
  };
  for (const auto& arn : s.granted_table_arns) {
    const std::string key = TableKeyOfArn(arn);
    if (key.empty()) continue;
    add(key);
    add(DatabaseOfKey(key));
  }
  std::map<std::string, RamShare> out;
  if (arns.empty()) return out;
  auto ram = c.mesh->Ram();
  auto shares =
      ram.GetResourceSharesAllPages({{"resourceOwner", "SELF"}, {"resourceShareArns", Json(arns)}});
  if (!shares.ok()) return shares.error();
  for (const auto& share : (*shares)["resourceShares"]) {
    auto assoc = ram.GetResourceShareAssociationsAllPages(
        {{"associationType", "PRINCIPAL"},
         {"resourceShareArns", {share["resourceShareArn"]}},
         {"principal", s.subscriber}});
    // An unanswered look-up is an error, not a PENDING share: a guess would be recorded as fact.
    if (!assoc.ok()) return assoc.error();
    std::string status = "PENDING";
    if (!(*assoc)["resourceShareAssociations"].empty()) {
      status = (*assoc)["resourceShareAssociations"][0]["status"] == "ASSOCIATED" ? "ACCEPTED"
                                                                                  : "PENDING";
    }
    out[share["name"]] = RamShare{share["resourceShareArn"], status};
  }
  return out;
}

}  // namespace datamesh::mesh
