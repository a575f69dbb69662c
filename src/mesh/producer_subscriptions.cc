// Producer: deciding on subscriptions to its own products.
#include <re2/re2.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>
#include <tuple>

#include "datamesh/producer.h"
#include "mesh/catalog_policy.h"
#include "mesh/grant_reconciler.h"
#include "mesh/personas.h"
#include "mesh/producer_desk.h"
#include "mesh/product_catalog.h"
#include "mesh/subscription_tracker.h"

namespace datamesh {
namespace {

using mesh::Json;
using mesh::Subscription;
using mesh::SubscriptionChange;
using mesh::SubscriptionStatus;

constexpr char kGrantsRevokedNote[] = "grants revoked: the subscription is no longer active";

std::vector<std::string> SortedCopy(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

bool SameGrants(const Subscription& s, const std::vector<std::string>& permitted, const std::vector<std::string>& grantable,
                const std::vector<std::string>& arns) {
  return SortedCopy(s.permitted_grants) == SortedCopy(permitted) && SortedCopy(s.grantable_grants) == SortedCopy(grantable) &&
         SortedCopy(s.granted_table_arns) == SortedCopy(arns);
}

// Brings the grants of subscription `id`'s consumer in line with the records, then records the
// shares that carry them and takes the subscription out of the producer's inbox. A subscription
// decided on again meanwhile is settled again (its own decider does the same).
Outcome<Subscription> Settle(mesh::PersonaSessions& c, mesh::SubscriptionTracker& tracker, const std::string& id) {
  constexpr int kAttempts = 5;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    auto s = tracker.GetAsOwner(id, c.account);
    if (!s.ok()) return s;
    auto drift = mesh::ReconcileConsumer(c, tracker, s->subscriber, {s->database}, s->id);
    if (!drift.ok()) return drift.error();
    std::optional<std::map<std::string, mesh::RamShare>> shares;
    if (s->status == SubscriptionStatus::kActive) {
      auto held = mesh::HeldGrants(c, s->subscriber, drift->products);
      if (!held.ok()) return held.error();
      auto found = mesh::SharesFor(c, *s, *held);
      if (!found.ok()) return found.error();
      shares = std::move(*found);
    }
    auto marked = tracker.MarkReconciled(*s, shares);
    if (!marked.ok()) return marked.error();
    if (*marked) return tracker.GetAsOwner(id, c.account);
  }
  return tracker.GetAsOwner(id, c.account);
}

// A committed decision takes effect: the pair's generation moves (so that a reconcile working
// from older records runs again), then the grants follow.
Outcome<Subscription> Enact(mesh::PersonaSessions& c, mesh::SubscriptionTracker& tracker, const Subscription& decided) {
  if (auto e = tracker.BumpGeneration(c.account, decided.subscriber); !e.ok()) return e.error();
  return Settle(c, tracker, decided.id);
}

// A subscription that is not Active but whose record still names the tables an earlier approval
// granted (its consumer deleted it, or requested it again): the decision records, once, that those
// grants end, and they go. Anything else is only settled.
Outcome<Subscription> EndEarlierGrants(mesh::PersonaSessions& c, mesh::SubscriptionTracker& tracker, const Subscription& s,
                                       const std::string& note, bool* recorded) {
  if (s.status != SubscriptionStatus::kActive && !s.granted_table_arns.empty()) {
    SubscriptionChange change;
    change.action = "RevokeGrants";
    change.to = s.withdrawn ? SubscriptionStatus::kDeleted : s.status;
    change.principal = c.caller_arn;
    change.granted_table_arns = std::vector<std::string>{};
    change.note = note;
    auto decided = tracker.Decide(s, change);
    if (!decided.ok()) return decided;
    if (recorded) *recorded = true;
    return Enact(c, tracker, *decided);
  }
  return Settle(c, tracker, s.id);
}

Status CheckGrantable(const std::vector<std::string>& permitted, const std::vector<std::string>& grantable, bool all_covers) {
  for (const auto& g : grantable) {
    bool covered = std::find(permitted.begin(), permitted.end(), g) != permitted.end() ||
                   (all_covers && std::find(permitted.begin(), permitted.end(), "ALL") != permitted.end());
    if (!covered) return Error::Local("InvalidArgument", "grantable permission " + g + " is not among the granted permissions");
  }
  return OkStatus();
}

// An expiry as a decision is given it: a date as the tracker keeps dates (YYYY-MM-DD HH:MM:SS,
// UTC) and not already past, or a positive span; not both.
Status CheckExpiry(const std::optional<std::string>& expires_at, const std::optional<std::chrono::seconds>& expires_in,
                   const aws::Clock& clock) {
  if (expires_at && expires_in) return Error::Local("InvalidArgument", "give expires_at or expires_in, not both");
  if (auto problem = expires_in ? ExpirySpanProblem(*expires_in) : std::nullopt) {
    return Error::Local("InvalidArgument", "expires_in " + *problem + ", got " + std::to_string(expires_in->count()) + " s");
  }
  if (!expires_at) return OkStatus();
  static const re2::RE2 kDate(R"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)");
  if (!re2::RE2::FullMatch(*expires_at, kDate)) {
    return Error::Local("InvalidArgument", "expires_at must be YYYY-MM-DD HH:MM:SS (UTC), got '" + *expires_at + "'");
  }
  if (*expires_at <= mesh::TrackerDate(clock.Now())) {
    return Error::Local("InvalidArgument", "expires_at " + *expires_at + " UTC has already passed");
  }
  return OkStatus();
}

// The date a checked expiry comes to when the decision is recorded. A span counts from now; the
// tracker keeps whole seconds, and the date is cut down to one, so that access never outlasts its
// span (nor a rules file's cap on it).
std::optional<std::string> ExpiryDate(const std::optional<std::string>& expires_at,
                                      const std::optional<std::chrono::seconds>& expires_in, const aws::Clock& clock) {
  if (!expires_in) return expires_at;
  return mesh::TrackerDate(clock.Now() + *expires_in);
}

// Ends an Active subscription: Deleted with `note`, every grant revoked.
Outcome<Subscription> EndActive(mesh::PersonaSessions& c, mesh::SubscriptionTracker& tracker, const Subscription& s,
                                const std::string& note) {
  SubscriptionChange change;
  change.action = "Delete";
  change.to = SubscriptionStatus::kDeleted;
  change.principal = c.caller_arn;
  change.granted_table_arns = std::vector<std::string>{};
  change.note = note;
  auto decided = tracker.Decide(s, change);
  if (!decided.ok()) return decided.error();
  return Enact(c, tracker, *decided);
}

// What went wrong with some subscriptions while the others went on. As one error it is transient
// (worth trying again) when any of them was: a throttled revoke, or a record its consumer changed
// while it was being acted on (read again next time), is not a reason to stop a follower.
class Failures {
 public:
  void Add(const std::string& id, const Error& e) {
    text_ += (text_.empty() ? "" : "; ") + id + ": " + e.ToString();
    if (e.retryable() || e.code() == "SubscriptionChanged") transient_ = true;
  }
  bool empty() const { return text_.empty(); }
  Error ToError(const std::string& what) const {
    return Error("RevocationFailed", what + ": " + text_, transient_ ? ErrorKind::kTransient : ErrorKind::kLocal);
  }

 private:
  std::string text_;
  bool transient_ = false;
};

// Of `approved` (the producer's last approved subscriptions), the Active ones whose ExpiresAt has
// passed, ended with a note that starts "expired" (the event type); one that fails is added to
// `failures` and does not keep the others' grants in place.
SubscriptionList ExpireDue(mesh::PersonaSessions& c, mesh::SubscriptionTracker& tracker,
                           const std::vector<mesh::SubscriptionTracker::SubscriptionState>& approved, Failures& failures) {
  auto due = [&](const auto& s) { return s.status == SubscriptionStatus::kActive && tracker.Expired(s.expires_at); };
  SubscriptionList expired;
  for (const auto& state : approved) {
    if (!due(state)) continue;
    // The whole record, read now: ending it writes under the versions it holds.
    auto s = tracker.GetAsOwner(state.id, c.account);
    if (!s.ok()) {
      failures.Add(state.id, s.error());
      continue;
    }
    if (!due(*s)) continue;
    auto ended = EndActive(c, tracker, *s, "expired: its access ended at " + *s->expires_at + " UTC");
    if (ended.ok()) {
      expired.subscriptions.push_back(std::move(*ended));
    } else {
      failures.Add(s->id, ended.error());
    }
  }
  return expired;
}

// How far a sweep looks.
enum class Sweep {
  // What was filed in the producer's inbox: every decision starts with it, at a cost that follows
  // what awaits the producer, not how many subscriptions it holds.
  kInbox,
  // And every subscription the producer last approved: access that expired, and what consumers
  // changed without filing it (a raw write of their own half). revoke-deleted-subscriptions,
  // expire-subscriptions and a follower's minute sweep read them all.
  kEverything,
};

// What awaits the producer and is not a decision to make: the grants of subscriptions their
// consumers deleted (or requested again) go, access that expired ends (kEverything), and decisions
// whose grants did not finish (a crash, a lost answer, a race) are finished. Answers the
// subscriptions whose grants it revoked.
Outcome<SubscriptionList> WorkThroughInbox(mesh::PersonaSessions& c, mesh::SubscriptionTracker& tracker, Sweep sweep) {
  // The inbox holds what awaits the producer: requests (left for its decision), deletions by
  // consumers, and decisions whose grants did not finish (a crash, a lost answer).
  auto inbox = tracker.Inbox(c.account);
  if (!inbox.ok()) return inbox.error();
  std::set<std::string> seen;
  std::vector<Subscription> work;
  for (const auto& s : *inbox) {
    if (seen.insert(s.id).second) work.push_back(s);
  }
  Failures failures;
  SubscriptionList revoked;
  if (sweep == Sweep::kEverything) {
    // And what the consumers changed without a word (a request made again by hand): approved
    // subscriptions that are no longer Active. The same read finds the Active ones that expired.
    auto approved = tracker.LastApproved(c.account);
    if (!approved.ok()) return approved.error();
    for (const auto& state : *approved) {
      if (state.legacy || state.status == SubscriptionStatus::kActive || !seen.insert(state.id).second) continue;
      auto s = tracker.GetAsOwner(state.id, c.account);
      if (s.ok()) {
        work.push_back(std::move(*s));
      } else {
        failures.Add(state.id, s.error());
      }
    }
    // Expired access ends first, with the rest of what is no longer granted.
    revoked = ExpireDue(c, tracker, *approved, failures);
  }
  // One subscription that fails does not keep the others' grants in place.
  for (const auto& s : work) {
    // A request awaits its decision, unless it still carries an earlier approval's grants.
    if (s.status == SubscriptionStatus::kPending && s.granted_table_arns.empty()) continue;
    bool recorded = false;
    auto done = EndEarlierGrants(c, tracker, s, kGrantsRevokedNote, &recorded);
    if (!done.ok()) {
      failures.Add(s.id, done.error());
    } else if (recorded) {
      revoked.subscriptions.push_back(std::move(*done));
    }
  }
  if (!failures.empty()) {
    return failures.ToError("could not bring the grants of every subscription in line with its record (" +
                            std::to_string(revoked.subscriptions.size()) + " revoked)");
  }
  return revoked;
}

// Every producer decision first finishes what earlier workflows left and what its consumers filed:
// nothing filed stays granted beyond the records for longer than it takes the producer's next
// workflow to run. (What was changed without filing it, and expiries, are recorded by the next full
// sweep; a decision on the same consumer takes their grants away before that, since its reconcile
// grants only what is Active and not expired.) A failure here does not stop the decision; it is
// reported.
void FinishEarlierWork(mesh::PersonaSessions& c, mesh::SubscriptionTracker& tracker) {
  if (auto done = WorkThroughInbox(c, tracker, Sweep::kInbox); !done.ok()) {
    spdlog::warn("could not bring every subscription's grants in line with its record: {}", done.error().ToString());
  }
}

}  // namespace

namespace mesh {

Outcome<std::vector<std::string>> ResolveTables(const Json& tables, const Subscription& s) {
  std::vector<std::string> out;
  for (const auto& entry : s.tables) {
    re2::RE2::Options options;
    options.set_log_errors(false);
    re2::RE2 pattern(entry, options);
    if (!pattern.ok()) return Error::Local("InvalidArgument", "table entry '" + entry + "' is not a valid regular expression");
    bool any = false;
    for (const auto& t : tables) {
      const std::string name = t.value("Name", "");
      if (!re2::RE2::FullMatch(name, pattern)) continue;
      any = true;
      if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
    }
    if (!any) return Error::Local("NoMatchingTables", "no table of " + s.database + " matches '" + entry + "'");
  }
  return out;
}

Outcome<std::vector<std::string>> ResolveTables(aws::GlueClient& glue, const Subscription& s) {
  auto tables = glue.GetTablesAllPages({{"DatabaseName", s.database}});
  if (!tables.ok()) return tables.error();
  return ResolveTables((*tables)["TableList"], s);
}

Outcome<ProducerDesk> OpenDesk(const std::shared_ptr<MeshSession>& session) {
  auto persona = ProducerSessions(session);
  if (!persona.ok()) return persona.error();
  auto tracker = TrackerOf(*persona);
  ProducerDesk desk{std::move(*persona), std::move(tracker)};
  FinishEarlierWork(desk.persona, desk.tracker);
  return desk;
}

Outcome<Subscription> Approve(ProducerDesk& desk, const Subscription& s, const ApproveOptions& o,
                              const std::optional<std::vector<std::string>>& decided_on) {
  PersonaSessions* c = &desk.persona;
  SubscriptionTracker& tracker = desk.tracker;
  if (auto e = CheckExpiry(o.expires_at, o.expires_in, *c->mesh->clock()); !e.ok()) return e.error();
  // Refuse what cannot be approved before anything changes.
  if (s.withdrawn) {
    return Error::Local("InvalidTransition", "subscription " + s.id + " was deleted by its consumer, who must request it again");
  }
  auto products = ProductDatabases(*c);
  if (!products.ok()) return products.error();
  if (!products->count(s.database)) {
    return Error::Local("NotOwnProduct", "subscription " + s.id + " asks for database " + s.database +
                                             ", which is not a data product of account " + c->account);
  }
  std::vector<std::string> permitted = o.grant_permissions.value_or(s.requested_grants);
  std::vector<std::string> grantable = o.grantable_permissions.value_or(permitted);
  if (auto e = CheckTablePermissions(permitted, "grant_permissions"); !e.ok()) return e.error();
  if (auto e = CheckGrantable(permitted, grantable, true); !e.ok()) return e.error();
  // The consumer must be named in the mesh catalog policy (enable-account does it), or its
  // tag-based access would not work; only the mesh's administrator may change that policy.
  auto glue = c->mesh->Glue();
  auto named = ConsumerInCatalogPolicy(glue, c->mesh->region(), c->mesh->mesh_account(), s.subscriber);
  if (!named.ok()) return named.error();
  if (!*named) {
    return Error::Local("ConsumerNotEnabled", "consumer account " + s.subscriber + " is not in the mesh catalog policy: "
                                              "run enable-account --account-type consumer for it (mesh administrator)");
  }
  auto tables = ResolveTables(glue, s);
  if (!tables.ok()) return tables.error();
  if (decided_on && SortedCopy(*decided_on) != SortedCopy(*tables)) {
    return Error::Local("TablesChanged", "the tables of " + s.database + " that subscription " + s.id +
                                             " names changed while it was being decided; decide it again");
  }
  std::vector<std::string> arns;
  for (const auto& t : *tables) {
    arns.push_back("arn:aws:glue:" + c->mesh->region() + ":" + c->mesh->mesh_account() + ":table/" + s.database + "/" + t);
  }
  const std::optional<std::string> expires_at = ExpiryDate(o.expires_at, o.expires_in, *c->mesh->clock());
  // Approving again what stands records nothing new; the grants are still brought in line. (A span
  // counts from now, so approving again with one sets a later end: that is recorded.)
  if (s.status == SubscriptionStatus::kActive && SameGrants(s, permitted, grantable, arns) && s.expires_at == expires_at) {
    return Settle(*c, tracker, s.id);
  }
  SubscriptionChange change;
  change.action = "Approve";
  change.to = SubscriptionStatus::kActive;
  change.principal = c->caller_arn;
  change.permitted_grants = permitted;
  change.grantable_grants = grantable;
  change.granted_table_arns = arns;
  change.note = o.decision_notes.value_or("");
  change.expires_at = expires_at;
  change.clear_expiry = !expires_at;  // an approval's access lasts as long as it says, and no longer
  auto decided = tracker.Decide(s, change);
  if (!decided.ok()) return decided.error();
  return Enact(*c, tracker, *decided);
}

Outcome<Subscription> Deny(ProducerDesk& desk, const Subscription& s, const std::optional<std::string>& notes) {
  PersonaSessions* c = &desk.persona;
  SubscriptionTracker& tracker = desk.tracker;
  // Denying again changes nothing and reports the decision that stands.
  if (s.status == SubscriptionStatus::kDenied) return s;
  if (s.status != SubscriptionStatus::kPending) {
    return Error::Local("InvalidTransition", "subscription " + s.id + " is " + ToString(s.status) +
                                                 "; Deny needs it to be one of: Pending");
  }
  SubscriptionChange change;
  change.action = "Deny";
  change.to = SubscriptionStatus::kDenied;
  change.principal = c->caller_arn;
  change.granted_table_arns = std::vector<std::string>{};
  change.note = notes.value_or("");
  auto decided = tracker.Decide(s, change);
  if (!decided.ok()) return decided.error();
  return Enact(*c, tracker, *decided);
}

}  // namespace mesh

Outcome<PendingRequestList> Producer::ListPendingAccessRequests() {
  auto desk = mesh::OpenDesk(session_);
  if (!desk.ok()) return desk.error();
  mesh::PersonaSessions* c = &desk->persona;
  mesh::SubscriptionTracker& tracker = desk->tracker;
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

Outcome<SubscriptionList> Producer::ListSubscriptions(const SubscriptionFilter& filter) {
  auto c = mesh::ProducerSessions(session_);
  if (!c.ok()) return c.error();
  auto tracker = mesh::TrackerOf(*c);
  // The Owner index's range key is Status: one query per status asked for.
  std::vector<SubscriptionStatus> statuses = {SubscriptionStatus::kPending, SubscriptionStatus::kActive,
                                              SubscriptionStatus::kDenied, SubscriptionStatus::kDeleted};
  if (filter.status) statuses = {*filter.status};
  SubscriptionList out;
  for (auto status : statuses) {
    auto some = tracker.OfOwner(c->account, status);
    if (!some.ok()) return some.error();
    for (auto& s : *some) {
      if (filter.Matches(s)) out.subscriptions.push_back(std::move(s));
    }
  }
  std::sort(out.subscriptions.begin(), out.subscriptions.end(),
            [](const Subscription& a, const Subscription& b) { return std::tie(a.creation_date, a.id) < std::tie(b.creation_date, b.id); });
  return out;
}

Outcome<std::vector<ProductListing>> Producer::ListDataProducts(const ProductFilter& filter) {
  auto c = mesh::ProducerSessions(session_);
  if (!c.ok()) return c.error();
  return mesh::ListProductsAs(*c, filter);
}

Status Producer::CheckDecisionNotes(const std::optional<std::string>& notes) const {
  if (rules_ && rules_->require_decision_notes && (!notes || notes->empty())) {
    return Error::Local("InvalidArgument", "the producer's rules require decision notes: say why the decision is made");
  }
  return OkStatus();
}

Outcome<Subscription> Producer::ApproveAccessRequest(const ApproveOptions& o) {
  if (auto e = CheckDecisionNotes(o.decision_notes); !e.ok()) return e.error();
  if (auto e = CheckExpiry(o.expires_at, o.expires_in, *session_->clock()); !e.ok()) return e.error();
  auto desk = mesh::OpenDesk(session_);
  if (!desk.ok()) return desk.error();
  auto s = desk->tracker.GetAsOwner(o.request_id, desk->persona.account);
  if (!s.ok()) return s.error();
  return mesh::Approve(*desk, *s, o);
}

Outcome<Subscription> Producer::DenyAccessRequest(const std::string& request_id, const std::optional<std::string>& notes) {
  if (auto e = CheckDecisionNotes(notes); !e.ok()) return e.error();
  auto desk = mesh::OpenDesk(session_);
  if (!desk.ok()) return desk.error();
  auto s = desk->tracker.GetAsOwner(request_id, desk->persona.account);
  if (!s.ok()) return s.error();
  return mesh::Deny(*desk, *s, notes);
}

Outcome<Subscription> Producer::UpdateSubscriptionPermissions(const std::string& subscription_id,
                                                             const std::vector<std::string>& grant_permissions,
                                                             const std::string& notes,
                                                             const std::optional<std::vector<std::string>>& grantable_in,
                                                             const std::optional<std::string>& expires_at_in,
                                                             const std::optional<std::chrono::seconds>& expires_in) {
  if (auto e = CheckDecisionNotes(notes); !e.ok()) return e.error();
  if (auto e = CheckExpiry(expires_at_in, expires_in, *session_->clock()); !e.ok()) return e.error();
  if (auto e = mesh::CheckTablePermissions(grant_permissions, "grant_permissions"); !e.ok()) return e.error();
  std::vector<std::string> grantable = grantable_in.value_or(std::vector<std::string>{});
  if (auto e = CheckGrantable(grant_permissions, grantable, false); !e.ok()) return e.error();
  auto desk = mesh::OpenDesk(session_);
  if (!desk.ok()) return desk.error();
  mesh::PersonaSessions* c = &desk->persona;
  mesh::SubscriptionTracker& tracker = desk->tracker;
  auto s = tracker.GetAsOwner(subscription_id, c->account);
  if (!s.ok()) return s.error();
  if (s->status != SubscriptionStatus::kActive) {
    return Error::Local("InvalidTransition", "subscription " + s->id + " is " + mesh::ToString(s->status) +
                                                 "; only Active subscriptions have permissions to change");
  }
  const std::optional<std::string> expires_at = ExpiryDate(expires_at_in, expires_in, *session_->clock());
  // The tables stay those the approval recorded (never re-read from the consumer's request).
  if (SameGrants(*s, grant_permissions, grantable, s->granted_table_arns) && (!expires_at || expires_at == s->expires_at)) {
    return Settle(*c, tracker, s->id);
  }
  SubscriptionChange change;
  change.action = "Modify";
  change.to = SubscriptionStatus::kActive;
  change.principal = c->caller_arn;
  change.permitted_grants = grant_permissions;
  change.grantable_grants = grantable;
  change.note = notes;
  change.expires_at = expires_at;
  auto decided = tracker.Decide(*s, change);
  if (!decided.ok()) return decided.error();
  return Enact(*c, tracker, *decided);
}

Outcome<Subscription> Producer::DeleteSubscription(const std::string& subscription_id, const std::string& reason) {
  auto desk = mesh::OpenDesk(session_);
  if (!desk.ok()) return desk.error();
  mesh::PersonaSessions* c = &desk->persona;
  mesh::SubscriptionTracker& tracker = desk->tracker;
  auto s = tracker.GetAsOwner(subscription_id, c->account);
  if (!s.ok()) return s.error();
  // Its consumer deleted it: only the grantor can revoke, so the producer does it now.
  if (s->withdrawn) return EndEarlierGrants(*c, tracker, *s, reason, nullptr);
  // Deleted already (a retried or repeated delete): the deletion that stands, its grants settled.
  if (s->status == SubscriptionStatus::kDeleted) return Settle(*c, tracker, s->id);
  if (s->status != SubscriptionStatus::kActive) {
    return Error::Local("InvalidTransition", "subscription " + s->id + " is " + mesh::ToString(s->status) +
                                                 "; only Active subscriptions can be deleted");
  }
  return EndActive(*c, tracker, *s, reason);
}

Outcome<SubscriptionList> Producer::ExpireSubscriptions() {
  auto c = mesh::ProducerSessions(session_);
  if (!c.ok()) return c.error();
  auto tracker = mesh::TrackerOf(*c);
  auto approved = tracker.LastApproved(c->account);
  if (!approved.ok()) return approved.error();
  Failures failures;
  auto expired = ExpireDue(*c, tracker, *approved, failures);
  if (!failures.empty()) {
    return failures.ToError("could not end every expired subscription (" + std::to_string(expired.subscriptions.size()) +
                            " ended)");
  }
  return expired;
}

Outcome<SubscriptionList> Producer::RevokeGrantsOfDeletedSubscriptions() {
  auto c = mesh::ProducerSessions(session_);
  if (!c.ok()) return c.error();
  auto tracker = mesh::TrackerOf(*c);
  return WorkThroughInbox(*c, tracker, Sweep::kEverything);
}

}  // namespace datamesh
