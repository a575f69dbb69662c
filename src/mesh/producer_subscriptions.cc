// Producer: deciding on subscriptions to its own products.
#include <re2/re2.h>
#include <spdlog/spdlog.h>

#include <set>

#include "datamesh/mesh_names.h"
#include "datamesh/producer.h"
#include "mesh/bucket_policy.h"
#include "mesh/catalog_policy.h"
#include "mesh/personas.h"
#include "mesh/subscription_tracker.h"

namespace datamesh {
namespace {

using mesh::Json;
using mesh::Subscription;
using mesh::SubscriptionChange;
using mesh::SubscriptionStatus;

// The subscription's table entries (names or regular expressions) resolved against the mesh database.
Outcome<std::vector<std::string>> ResolveTables(aws::GlueClient& glue, const Subscription& s) {
  auto tables = glue.GetTablesAllPages({{"DatabaseName", s.database}});
  if (!tables.ok()) return tables.error();
  std::vector<std::string> out;
  for (const auto& entry : s.tables) {
    re2::RE2::Options options;
    options.set_log_errors(false);
    re2::RE2 pattern(entry, options);
    if (!pattern.ok()) return Error::Local("InvalidArgument", "table entry '" + entry + "' is not a valid regular expression");
    bool any = false;
    for (const auto& t : (*tables)["TableList"]) {
      const std::string name = t["Name"];
      if (!re2::RE2::FullMatch(name, pattern)) continue;
      any = true;
      if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
    }
    if (!any) return Error::Local("NoMatchingTables", "no table of " + s.database + " matches '" + entry + "'");
  }
  return out;
}

Json Entry(const std::string& id, const std::string& principal, const Json& resource, const std::vector<std::string>& permissions,
           const std::vector<std::string>& grantable) {
  return {{"Id", id}, {"Principal", {{"DataLakePrincipalIdentifier", principal}}}, {"Resource", resource},
          {"Permissions", permissions}, {"PermissionsWithGrantOption", grantable}};
}

Json TableResource(const std::string& mesh, const std::string& db, const std::string& table) {
  return {{"Table", {{"CatalogId", mesh}, {"DatabaseName", db}, {"Name", table}}}};
}

// Applies a batch; failures are errors, except revokes of what was already gone (a rerun).
Status Apply(aws::LakeFormationClient& lf, const Json& entries, bool grant) {
  if (entries.empty()) return OkStatus();
  auto out = grant ? lf.BatchGrantPermissions({{"Entries", entries}}) : lf.BatchRevokePermissions({{"Entries", entries}});
  if (!out.ok()) return out.error();
  for (const auto& f : out->value("Failures", Json::array())) {
    const std::string message = f["Error"].value("ErrorMessage", "");
    if (!grant && message.find("No permissions revoked") != std::string::npos) continue;
    if (!grant && f["Error"].value("ErrorCode", "") == "EntityNotFoundException") continue;  // the table is gone
    return Error(f["Error"].value("ErrorCode", "PermissionChangeFailed"),
                 std::string(grant ? "granting " : "revoking ") + f["RequestEntry"].value("Id", "") + " failed: " + message,
                 ErrorKind::kClient);
  }
  return OkStatus();
}

// The RAM shares that carry the subscription's tables to the consumer.
Outcome<std::map<std::string, mesh::RamShare>> SharesOf(mesh::PersonaSessions& c, const Subscription& s,
                                                        const std::vector<std::string>& tables) {
  auto lf = c.mesh->LakeFormation();
  const std::string mesh = c.mesh->mesh_account();
  std::set<std::string> arns;
  // The database's share (DESCRIBE) and each table's share all go to the consumer.
  std::vector<Json> resources = {{{"Database", {{"CatalogId", mesh}, {"Name", s.database}}}}};
  for (const auto& t : tables) resources.push_back(TableResource(mesh, s.database, t));
  for (const auto& resource : resources) {
    auto p = lf.ListPermissions({{"Principal", {{"DataLakePrincipalIdentifier", s.subscriber}}},
                                 {"Resource", resource}});
    if (!p.ok()) return p.error();
    for (const auto& e : (*p)["PrincipalResourcePermissions"]) {
      if (!e.contains("AdditionalDetails")) continue;
      for (const auto& arn : e["AdditionalDetails"].value("ResourceShare", Json::array())) arns.insert(arn);
    }
  }
  std::map<std::string, mesh::RamShare> out;
  if (arns.empty()) return out;
  auto ram = c.mesh->Ram();
  auto shares = ram.GetResourceSharesAllPages({{"resourceOwner", "SELF"}, {"resourceShareArns", Json(arns)}});
  if (!shares.ok()) return shares.error();
  for (const auto& share : (*shares)["resourceShares"]) {
    auto assoc = ram.GetResourceShareAssociationsAllPages({{"associationType", "PRINCIPAL"},
                                                           {"resourceShareArns", {share["resourceShareArn"]}},
                                                           {"principal", s.subscriber}});
    std::string status = "PENDING";
    if (assoc.ok() && !(*assoc)["resourceShareAssociations"].empty()) {
      status = (*assoc)["resourceShareAssociations"][0]["status"] == "ASSOCIATED" ? "ACCEPTED" : "PENDING";
    }
    out[share["name"]] = mesh::RamShare{share["resourceShareArn"], status};
  }
  return out;
}

// The S3 buckets holding the data of `tables` (mesh copies).
Outcome<std::set<std::string>> BucketsOf(aws::GlueClient& glue, const std::string& database, const std::vector<std::string>& tables) {
  std::set<std::string> buckets;
  for (const auto& t : tables) {
    auto table = glue.GetTable({{"DatabaseName", database}, {"Name", t}});
    if (!table.ok() && table.error().code() == "EntityNotFoundException") continue;  // dropped since
    if (!table.ok()) return table.error();
    const std::string bucket = mesh::BucketOf((*table)["Table"].value("StorageDescriptor", Json::object()).value("Location", ""));
    if (!bucket.empty()) buckets.insert(bucket);
  }
  return buckets;
}

std::string ConsumerSid(const std::string& consumer) { return "DataMeshConsumer" + consumer; }

constexpr char kGrantsRevokedNote[] = "grants revoked: the subscription is no longer active";

// The tables the subscription was granted on: those its GrantedTableARNs name (each
// arn:...:table/<database>/<table>), or for an item without them, its entries resolved now.
Outcome<std::vector<std::string>> GrantedTables(aws::GlueClient& glue, const Subscription& s) {
  if (s.granted_table_arns.empty()) return ResolveTables(glue, s);
  std::vector<std::string> tables;
  const std::string marker = ":table/" + s.database + "/";
  for (const auto& arn : s.granted_table_arns) {
    auto at = arn.find(marker);
    if (at != std::string::npos) tables.push_back(arn.substr(at + marker.size()));
  }
  return tables;
}

// What the consumer's other active subscriptions hold on each table of `s`'s database:
// table -> (permissions, grantable). Lake Formation does not count grants, so revoking one
// subscription's grants must leave these.
using KeptGrants = std::map<std::string, std::pair<std::set<std::string>, std::set<std::string>>>;
KeptGrants KeptByOthers(aws::GlueClient& glue, const std::vector<Subscription>& active, const Subscription& s) {
  KeptGrants kept;
  for (const auto& o : active) {
    if (o.id == s.id || o.subscriber != s.subscriber || o.database != s.database) continue;
    auto theirs = GrantedTables(glue, o);
    if (!theirs.ok()) continue;  // nothing of theirs can be resolved: nothing to keep
    for (const auto& t : *theirs) {
      kept[t].first.insert(o.permitted_grants.begin(), o.permitted_grants.end());
      kept[t].second.insert(o.grantable_grants.begin(), o.grantable_grants.end());
    }
  }
  return kept;
}

// Revoke entries for `permissions` and the grant `options` on `resource`: a revoke names grant
// options only of permissions it also revokes, so options alone go in an entry of their own.
void AddRevokes(Json& revokes, const std::string& id, const std::string& principal, const Json& resource,
                const std::vector<std::string>& permissions, const std::vector<std::string>& options) {
  std::vector<std::string> with, alone;
  for (const auto& o : options) {
    (std::find(permissions.begin(), permissions.end(), o) != permissions.end() ? with : alone).push_back(o);
  }
  if (!permissions.empty()) revokes.push_back(Entry(id, principal, resource, permissions, with));
  if (!alone.empty()) revokes.push_back(Entry(id + ":options", principal, resource, {}, alone));
}

// `from` without `minus` and without what `kept` holds.
std::vector<std::string> Excess(const std::vector<std::string>& from, const std::vector<std::string>& minus,
                                const std::set<std::string>& kept) {
  std::vector<std::string> out;
  for (const auto& p : from) {
    if (std::find(minus.begin(), minus.end(), p) != minus.end() || kept.count(p) || kept.count("ALL")) continue;
    out.push_back(p);
  }
  return out;
}

// Approving a subscription that still holds grants (approved again, or a reopened request) may
// narrow them: what the grants recorded on `old` give beyond `permitted`/`grantable` on `tables`
// goes, except what the consumer's other active subscriptions hold.
Status RevokeBeyond(mesh::PersonaSessions& c, mesh::SubscriptionTracker& tracker, const Subscription& old,
                    const std::vector<std::string>& tables, const std::vector<std::string>& permitted,
                    const std::vector<std::string>& grantable) {
  if (old.granted_table_arns.empty()) return OkStatus();
  auto glue = c.mesh->Glue();
  auto old_tables = GrantedTables(glue, old);
  if (!old_tables.ok()) return old_tables.error();
  auto others = tracker.OfOwner(c.account, SubscriptionStatus::kActive);
  if (!others.ok()) return others.error();
  auto kept = KeptByOthers(glue, *others, old);
  Json revokes = Json::array();
  for (const auto& t : *old_tables) {
    const bool still = std::find(tables.begin(), tables.end(), t) != tables.end();
    const std::vector<std::string> none;
    auto permissions = Excess(old.permitted_grants, still ? permitted : none, kept[t].first);
    auto options = Excess(old.grantable_grants, still ? grantable : none, kept[t].second);
    AddRevokes(revokes, "beyond:" + t, old.subscriber, TableResource(c.mesh->mesh_account(), old.database, t),
               permissions, options);
  }
  auto lf = c.mesh->LakeFormation();
  return Apply(lf, revokes, false);
}

// Revokes what approving `s` granted its consumer: the table permissions; DESCRIBE on the
// database unless another active subscription of that consumer to it needs it; and the read access
// to each bucket no other active subscription of that consumer reads. What is already gone is
// not an error, so this can run again.
Status RevokeGrantsOf(mesh::PersonaSessions& c, mesh::SubscriptionTracker& tracker, const Subscription& s) {
  auto glue = c.mesh->Glue();
  auto tables = GrantedTables(glue, s);
  if (!tables.ok()) return tables.error();
  const std::string mesh = c.mesh->mesh_account();
  auto others = tracker.OfOwner(c.account, SubscriptionStatus::kActive);
  if (!others.ok()) return others.error();
  auto kept = KeptByOthers(glue, *others, s);
  Json revokes = Json::array();
  for (const auto& t : *tables) {
    auto permissions = Excess(s.permitted_grants, {}, kept[t].first);
    auto grantable = Excess(s.grantable_grants, {}, kept[t].second);
    AddRevokes(revokes, "table:" + t, s.subscriber, TableResource(mesh, s.database, t), permissions, grantable);
  }
  bool still_needed = false;
  for (const auto& o : *others) still_needed |= o.id != s.id && o.database == s.database && o.subscriber == s.subscriber;
  if (!still_needed) {
    revokes.push_back(Entry("database", s.subscriber, {{"Database", {{"CatalogId", mesh}, {"Name", s.database}}}},
                            {"DESCRIBE"}, {}));
  }
  auto lf = c.mesh->LakeFormation();
  if (auto e = Apply(lf, revokes, false); !e.ok()) return e.error();
  auto buckets = BucketsOf(glue, s.database, *tables);
  if (!buckets.ok()) return buckets.error();
  for (const auto& o : *others) {
    if (o.id == s.id || o.subscriber != s.subscriber) continue;
    auto their_tables = GrantedTables(glue, o);
    if (!their_tables.ok()) {
      const std::string& code = their_tables.error().code();
      if (code == "NoMatchingTables" || code == "EntityNotFoundException") continue;  // nothing left to read
      return their_tables.error();
    }
    auto theirs = BucketsOf(glue, o.database, *their_tables);
    if (!theirs.ok()) return theirs.error();
    for (const auto& b : *theirs) buckets->erase(b);
  }
  auto s3 = c.local->S3();
  for (const auto& bucket : *buckets) {
    if (auto e = mesh::RemoveBucketStatement(s3, bucket, ConsumerSid(s.subscriber)); !e.ok()) return e.error();
  }
  return OkStatus();
}

// Revokes the grants a subscription no longer has a right to (it is not Active but still records
// granted tables), claimed first so that no approval makes it Active meanwhile. Answers the
// subscription as it is afterwards (as it was, when there was nothing to revoke).
Outcome<Subscription> RevokeEnded(mesh::PersonaSessions& c, mesh::SubscriptionTracker& tracker, const std::string& id,
                                  const std::string& note) {
  auto claimed = tracker.ClaimRevocation(id, c.account);
  if (!claimed.ok()) return claimed.error();
  if (!*claimed) return tracker.GetAsOwner(id, c.account);
  if (auto e = RevokeGrantsOf(c, tracker, **claimed); !e.ok()) return e.error();
  return tracker.RecordGrantsRevoked(id, c.caller_arn, c.account, note);
}

}  // namespace

Outcome<PendingRequestList> Producer::ListPendingAccessRequests() {
  auto c = mesh::ProducerSessions(session_);
  if (!c.ok()) return c.error();
  // The producer's inbox is also where its consumers' deletions are seen through: the grants they
  // cannot revoke themselves go now. A failure here does not hide the requests; it is reported.
  if (auto revoked = RevokeGrantsOfDeletedSubscriptions(); !revoked.ok()) {
    spdlog::warn("could not revoke the grants of subscriptions their consumers deleted: {}", revoked.error().ToString());
  }
  auto tracker = mesh::TrackerOf(*c);
  auto pending = tracker.Pending(c->account);
  if (!pending.ok()) return pending.error();
  PendingRequestList out;
  for (const auto& s : *pending) out.subscriptions.push_back(PendingRequest::Of(s));
  return out;
}

Outcome<Subscription> Producer::GetSubscription(const std::string& request_id) {
  auto c = mesh::ProducerSessions(session_);
  if (!c.ok()) return c.error();
  return mesh::TrackerOf(*c).GetAsOwner(request_id, c->account);
}

Outcome<Subscription> Producer::ApproveAccessRequest(const ApproveOptions& o) {
  auto c = mesh::ProducerSessions(session_);
  if (!c.ok()) return c.error();
  auto tracker = mesh::TrackerOf(*c);
  auto s = tracker.GetAsOwner(o.request_id, c->account);
  if (!s.ok()) return s.error();
  // Refuse invalid transitions before granting anything.
  auto allowed = mesh::SubscriptionTracker::AllowedFrom(SubscriptionStatus::kActive);
  if (std::find(allowed.begin(), allowed.end(), s->status) == allowed.end()) {
    return Error::Local("InvalidTransition", "subscription " + s->id + " is " + mesh::ToString(s->status) + " and cannot be approved");
  }
  // Grants left from before (a consumer-deleted subscription, or a revocation under way) go first:
  // the approval then grants what it decides, from clean.
  if (s->revoke_claim || (s->status != SubscriptionStatus::kActive && !s->granted_table_arns.empty())) {
    auto cleaned = RevokeEnded(*c, tracker, s->id, kGrantsRevokedNote);
    if (!cleaned.ok()) return cleaned.error();
    s = std::move(cleaned);
  }
  // The consumer must be named in the mesh catalog policy (enable-account does it), or its
  // tag-based access would not work; only the mesh's administrator may change that policy.
  auto glue_read = c->mesh->Glue();
  auto named = mesh::ConsumerInCatalogPolicy(glue_read, session_->region(), session_->mesh_account(), s->subscriber);
  if (!named.ok()) return named.error();
  if (!*named) {
    return Error::Local("ConsumerNotEnabled", "consumer account " + s->subscriber + " is not in the mesh catalog policy: "
                                              "run enable-account --account-type consumer for it (mesh administrator)");
  }
  std::vector<std::string> permitted = o.grant_permissions.value_or(s->requested_grants);
  std::vector<std::string> grantable = o.grantable_permissions.value_or(permitted);
  if (auto e = mesh::CheckTablePermissions(permitted, "grant_permissions"); !e.ok()) return e.error();
  for (const auto& g : grantable) {
    if (std::find(permitted.begin(), permitted.end(), g) == permitted.end() &&
        std::find(permitted.begin(), permitted.end(), "ALL") == permitted.end()) {
      return Error::Local("InvalidArgument", "grantable permission " + g + " is not among the granted permissions");
    }
  }
  auto glue = c->mesh->Glue();
  auto tables = ResolveTables(glue, *s);
  if (!tables.ok()) return tables.error();
  const std::string mesh = session_->mesh_account();
  Json entries = Json::array({Entry("database", s->subscriber, {{"Database", {{"CatalogId", mesh}, {"Name", s->database}}}},
                                    {"DESCRIBE"}, {})});
  std::vector<std::string> arns;
  for (const auto& t : *tables) {
    entries.push_back(Entry("table:" + t, s->subscriber, TableResource(mesh, s->database, t), permitted, grantable));
    arns.push_back("arn:aws:glue:" + session_->region() + ":" + mesh + ":table/" + s->database + "/" + t);
  }
  if (auto e = RevokeBeyond(*c, tracker, *s, *tables, permitted, grantable); !e.ok()) return e.error();
  auto lf = c->mesh->LakeFormation();
  if (auto e = Apply(lf, entries, true); !e.ok()) return e.error();
  // The consumer account may read the data's buckets (the producer's own account side).
  auto buckets = BucketsOf(glue, s->database, *tables);
  if (!buckets.ok()) return buckets.error();
  auto s3 = c->local->S3();
  for (const auto& bucket : *buckets) {
    if (auto e = mesh::AllowBucketRead(s3, bucket, ConsumerSid(s->subscriber), "arn:aws:iam::" + s->subscriber + ":root");
        !e.ok()) {
      return e.error();
    }
  }
  auto shares = SharesOf(*c, *s, *tables);
  if (!shares.ok()) return shares.error();
  SubscriptionChange change;
  change.action = "Approve";
  change.to = SubscriptionStatus::kActive;
  change.principal = c->caller_arn;
  change.required_owner = c->account;
  change.permitted_grants = permitted;
  change.grantable_grants = grantable;
  change.granted_table_arns = arns;
  change.ram_shares = *shares;
  change.note = o.decision_notes.value_or("");
  return tracker.Change(s->id, change);
}

Outcome<Subscription> Producer::DenyAccessRequest(const std::string& request_id, const std::optional<std::string>& notes) {
  auto c = mesh::ProducerSessions(session_);
  if (!c.ok()) return c.error();
  auto tracker = mesh::TrackerOf(*c);
  // Denying again changes nothing and reports the decision that stands.
  auto current = tracker.GetAsOwner(request_id, c->account);
  if (!current.ok()) return current.error();
  if (current->status == SubscriptionStatus::kDenied) return *current;
  // A request reopened after its consumer deleted it may still carry that subscription's grants.
  if (!current->granted_table_arns.empty() && current->status != SubscriptionStatus::kActive) {
    if (auto r = RevokeEnded(*c, tracker, current->id, kGrantsRevokedNote); !r.ok()) return r.error();
  }
  SubscriptionChange change;
  change.granted_table_arns = std::vector<std::string>{};
  change.action = "Deny";
  change.to = SubscriptionStatus::kDenied;
  change.principal = c->caller_arn;
  change.required_owner = c->account;
  change.note = notes.value_or("");
  return tracker.Change(request_id, change);
}

Outcome<Subscription> Producer::UpdateSubscriptionPermissions(const std::string& subscription_id,
                                                             const std::vector<std::string>& grant_permissions,
                                                             const std::string& notes,
                                                             const std::optional<std::vector<std::string>>& grantable_in) {
  if (auto e = mesh::CheckTablePermissions(grant_permissions, "grant_permissions"); !e.ok()) return e.error();
  auto c = mesh::ProducerSessions(session_);
  if (!c.ok()) return c.error();
  auto tracker = mesh::TrackerOf(*c);
  auto s = tracker.GetAsOwner(subscription_id, c->account);
  if (!s.ok()) return s.error();
  if (s->status != SubscriptionStatus::kActive) {
    return Error::Local("InvalidTransition", "subscription " + s->id + " is " + mesh::ToString(s->status) +
                                                 "; only Active subscriptions have permissions to change");
  }
  std::vector<std::string> grantable = grantable_in.value_or(std::vector<std::string>{});
  for (const auto& g : grantable) {
    if (std::find(grant_permissions.begin(), grant_permissions.end(), g) == grant_permissions.end()) {
      return Error::Local("InvalidArgument", "grantable permission " + g + " is not among the granted permissions");
    }
  }
  std::vector<std::string> added, removed, grant_option_removed;
  for (const auto& p : grant_permissions) {
    if (std::find(s->permitted_grants.begin(), s->permitted_grants.end(), p) == s->permitted_grants.end()) added.push_back(p);
  }
  for (const auto& p : s->permitted_grants) {
    if (std::find(grant_permissions.begin(), grant_permissions.end(), p) == grant_permissions.end()) removed.push_back(p);
  }
  for (const auto& p : s->grantable_grants) {
    bool kept_permission = std::find(grant_permissions.begin(), grant_permissions.end(), p) != grant_permissions.end();
    bool kept_option = std::find(grantable.begin(), grantable.end(), p) != grantable.end();
    if (kept_permission && !kept_option) grant_option_removed.push_back(p);
  }
  auto glue = c->mesh->Glue();
  auto tables = ResolveTables(glue, *s);
  if (!tables.ok()) return tables.error();
  const std::string mesh = session_->mesh_account();
  Json grants = Json::array(), revokes = Json::array();
  for (const auto& t : *tables) {
    Json resource = TableResource(mesh, s->database, t);
    std::vector<std::string> new_options;
    for (const auto& g : grantable) {
      if (std::find(s->grantable_grants.begin(), s->grantable_grants.end(), g) == s->grantable_grants.end()) new_options.push_back(g);
    }
    if (!added.empty() || !new_options.empty()) {
      // A new grant option travels with its permission (granting a held permission again is harmless).
      std::set<std::string> perms(added.begin(), added.end());
      perms.insert(new_options.begin(), new_options.end());
      grants.push_back(Entry("add:" + t, s->subscriber, resource, {perms.begin(), perms.end()}, new_options));
    }
    if (!removed.empty()) revokes.push_back(Entry("remove:" + t, s->subscriber, resource, removed, {}));
    if (!grant_option_removed.empty()) {
      revokes.push_back(Entry("option:" + t, s->subscriber, resource, {}, grant_option_removed));
    }
  }
  auto lf = c->mesh->LakeFormation();
  if (auto e = Apply(lf, grants, true); !e.ok()) return e.error();
  if (auto e = Apply(lf, revokes, false); !e.ok()) return e.error();
  SubscriptionChange change;
  change.action = "Modify";
  change.to = SubscriptionStatus::kActive;
  change.principal = c->caller_arn;
  change.required_owner = c->account;
  change.permitted_grants = grant_permissions;
  change.grantable_grants = grantable;
  change.note = notes;
  return tracker.Change(s->id, change);
}

Outcome<Subscription> Producer::DeleteSubscription(const std::string& subscription_id, const std::string& reason) {
  auto c = mesh::ProducerSessions(session_);
  if (!c.ok()) return c.error();
  auto tracker = mesh::TrackerOf(*c);
  auto s = tracker.GetAsOwner(subscription_id, c->account);
  if (!s.ok()) return s.error();
  // A subscription its consumer deleted keeps the producer's grants until the producer revokes
  // them (only the grantor may); the record stays Deleted.
  const bool ended_by_consumer = s->status == SubscriptionStatus::kDeleted;
  if (ended_by_consumer && s->granted_table_arns.empty()) return *s;  // nothing left to revoke
  if (s->status != SubscriptionStatus::kActive && !ended_by_consumer) {
    return Error::Local("InvalidTransition", "subscription " + s->id + " is " + mesh::ToString(s->status) +
                                                 "; only Active subscriptions can be deleted");
  }
  if (ended_by_consumer) return RevokeEnded(*c, tracker, s->id, reason);
  if (auto e = RevokeGrantsOf(*c, tracker, *s); !e.ok()) return e.error();
  SubscriptionChange change;
  change.action = "Delete";
  change.to = SubscriptionStatus::kDeleted;
  change.principal = c->caller_arn;
  change.required_owner = c->account;
  change.granted_table_arns = std::vector<std::string>{};
  change.note = reason;
  return tracker.Change(s->id, change);
}

Outcome<SubscriptionList> Producer::RevokeGrantsOfDeletedSubscriptions() {
  auto c = mesh::ProducerSessions(session_);
  if (!c.ok()) return c.error();
  auto tracker = mesh::TrackerOf(*c);
  // Grants outlive their subscription when its consumer deleted it (and perhaps requested it
  // again since): every subscription not Active that still records granted tables.
  std::vector<Subscription> candidates;
  for (auto status : {SubscriptionStatus::kDeleted, SubscriptionStatus::kPending, SubscriptionStatus::kDenied}) {
    auto found = tracker.OfOwner(c->account, status);
    if (!found.ok()) return found.error();
    for (auto& s : *found) {
      if (!s.granted_table_arns.empty()) candidates.push_back(std::move(s));
    }
  }
  SubscriptionList revoked;
  std::string failures;
  for (const auto& candidate : candidates) {
    // The index may lag: act on the item as it is now.
    auto s = tracker.GetAsOwner(candidate.id, c->account);
    Status done = OkStatus();
    if (!s.ok()) {
      done = s.error();
    } else if (s->status == SubscriptionStatus::kActive || s->granted_table_arns.empty()) {
      continue;  // re-approved, or revoked already
    } else if (auto recorded = RevokeEnded(*c, tracker, s->id, kGrantsRevokedNote); !recorded.ok()) {
      done = recorded.error();
    } else if (recorded->granted_table_arns.empty() && recorded->status != SubscriptionStatus::kActive) {
      revoked.subscriptions.push_back(std::move(*recorded));
    }
    // One subscription that fails does not keep the others' grants in place.
    if (!done.ok()) failures += (failures.empty() ? "" : "; ") + candidate.id + ": " + done.error().ToString();
  }
  if (!failures.empty()) {
    return Error::Local("RevocationFailed", "could not revoke the grants of every ended subscription (" +
                                                std::to_string(revoked.subscriptions.size()) + " done): " + failures);
  }
  return revoked;
}

}  // namespace datamesh
