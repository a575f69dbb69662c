#include "mesh/subscription_tracker.h"

#include <algorithm>
#include <ctime>
#include <set>
#include <tuple>

#include "aws/core/crypto.h"
#include "aws/core/error_classification.h"
#include "aws/core/encoding.h"
#include "datamesh/mesh_names.h"
#include "mesh/tracker_attributes.h"

namespace datamesh::mesh {
namespace {

Json S(const std::string& v) { return {{"S", v}}; }
Json L(const std::vector<std::string>& v) {
  Json out = Json::array();
  for (const auto& s : v) out.push_back(S(s));
  return {{"L", out}};
}
std::vector<std::string> Strings(const Json& item, const char* name) {
  std::vector<std::string> out;
  if (!item.contains(name)) return out;
  const Json& v = item[name];
  if (v.contains("L")) {
    for (const auto& e : v["L"]) out.push_back(e.value("S", ""));
  } else if (v.contains("SS")) {
    for (const auto& e : v["SS"]) out.push_back(e);
  } else if (v.contains("S")) {
    out.push_back(v["S"]);
  }
  return out;
}
std::string Str(const Json& item, const char* name) {
  return item.contains(name) && item[name].contains("S") ? item[name]["S"].get<std::string>() : "";
}

// A plain JSON value as a DynamoDB attribute value (maps, lists, strings, booleans).
Json ToAttribute(const Json& v) {
  if (v.is_string()) return S(v);
  if (v.is_boolean()) return {{"BOOL", v.get<bool>()}};
  if (v.is_number()) return {{"N", v.dump()}};
  if (v.is_array()) {
    Json out = Json::array();
    for (const auto& e : v) out.push_back(ToAttribute(e));
    return {{"L", out}};
  }
  if (v.is_object()) {
    Json out = Json::object();
    for (auto& [k, e] : v.items()) out[k] = ToAttribute(e);
    return {{"M", out}};
  }
  return {{"NULL", true}};
}

Json FromAttribute(const Json& v) {
  if (v.contains("S")) return v["S"];
  if (v.contains("BOOL")) return v["BOOL"];
  if (v.contains("N")) return Json::parse(v["N"].get<std::string>(), nullptr, false);
  if (v.contains("L")) {
    Json out = Json::array();
    for (const auto& e : v["L"]) out.push_back(FromAttribute(e));
    return out;
  }
  if (v.contains("M")) {
    Json out = Json::object();
    for (auto& [k, e] : v["M"].items()) out[k] = FromAttribute(e);
    return out;
  }
  if (v.contains("SS")) return v["SS"];
  return Json();
}

std::vector<std::string> Sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

int64_t Number(const Json& item, const char* name) {
  if (!item.contains(name) || !item[name].is_object() || !item[name].contains("N")) return 0;
  try {
    return std::stoll(item[name]["N"].get<std::string>());
  } catch (...) {
    return 0;
  }
}

Json N(int64_t v) { return {{"N", std::to_string(v)}}; }

// What derives a subscription's status and expiry, and whose it is.
const std::vector<const char*> kStateAttributes = {
    "SubscriptionId",        "OwnerPrincipal", "SubscriberPrincipal",      "Status",
    tracker::kRequestStatus, "ExpiresAt",      tracker::kRequestVersion, tracker::kDecisionVersion,
    tracker::kDecidedRequestVersion};
// And what the grants follow: the permissions and tables the producer decided on.
std::vector<const char*> GrantAttributes() {
  std::vector<const char*> out = kStateAttributes;
  for (const char* a : {"PermittedGrants", "GrantableGrants", "GrantedTableARNs"}) out.push_back(a);
  return out;
}

// Makes a read of `input` answer only `attributes` of each item.
void Project(Json& input, const std::vector<const char*>& attributes) {
  std::string projection;
  for (size_t i = 0; i < attributes.size(); ++i) {
    const std::string name = "#p" + std::to_string(i);
    projection += (i ? ", " : "") + name;
    input["ExpressionAttributeNames"][name] = attributes[i];
  }
  input["ProjectionExpression"] = projection;
}

Error NotOwner(const Subscription& s, const std::string& account) {
  return Error::Local("NotOwner", "subscription " + s.id + " is for a product of account " + s.owner +
                                      ", not of account " + account);
}

Error NotSubscriber(const Subscription& s, const std::string& account) {
  return Error::Local("NotSubscriber", "subscription " + s.id + " belongs to subscriber " + s.subscriber +
                                           ", not to account " + account);
}

// History entries of one attribute, with the versions they were written at (for ordering).
struct StoredEvent {
  SubscriptionEvent event;
  int64_t decision = 0, request = 0;
  bool by_subscriber = false;
  size_t position = 0;
};

// Each half of a record tells only its own side's actions: the consumer's (SubscriberHistory) its
// requests, withdrawals and imports, the producer's (History) its decisions. A consumer's mesh role
// may write its own half freely (IAM cannot look at what a write says), so an entry there claiming
// a decision is not the producer's and is passed over, as is a request claimed in the producer's
// half. The Python library's items keep one History of every action, and are read as they are.
// An item the Python library wrote: its id is not of datamesh's "<owner>-<subscriber>-<hex>" form.
// (Never told by a missing attribute: a consumer may remove its own RequestVersion, and an item of
// datamesh's form without one reads as a request awaiting its decision.)
bool IsLegacyItem(const Json& item) {
  return !tracker::AccountsOfId(item.value("SubscriptionId", Json::object()).value("S", ""));
}

bool MayTell(const std::string& action, bool by_subscriber, bool legacy) {
  static const std::set<std::string> kConsumerActions = {"Request", "Delete", "Import"};
  static const std::set<std::string> kProducerActions = {"Approve", "Deny", "Modify", "Delete", "RevokeGrants"};
  if (legacy) return true;
  return (by_subscriber ? kConsumerActions : kProducerActions).count(action) > 0;
}

void ReadEvents(const Json& item, const char* attribute, bool by_subscriber, std::vector<StoredEvent>& out) {
  if (!item.contains(attribute)) return;
  const bool legacy = IsLegacyItem(item);
  // Entries that other writers left in a shape we do not know are skipped, not fatal.
  for (const auto& entry : FromAttribute(item[attribute])) {
    auto e = SubscriptionEvent::FromJson(entry);
    if (!e || !MayTell(e->action, by_subscriber, legacy)) continue;
    e->by_subscriber = by_subscriber;
    // What a consumer's request or withdrawal leads to is not its to say.
    if (by_subscriber && !legacy && e->action != "Import") {
      e->status = e->action == "Request" ? SubscriptionStatus::kPending : SubscriptionStatus::kDeleted;
    }
    StoredEvent stored{std::move(*e), entry.value("DecisionVersion", int64_t{0}), entry.value("RequestVersion", int64_t{0}),
                       by_subscriber, out.size()};
    out.push_back(std::move(stored));
  }
}

// Both halves' histories in the order they happened. Every write moves the (decision, request)
// versions forward and records them, so that order sorts the entries; at equal versions (an
// import after the decision it imports) the producer's entry comes first.
std::vector<SubscriptionEvent> MergedHistory(const Json& item) {
  std::vector<StoredEvent> events;
  ReadEvents(item, "History", false, events);
  ReadEvents(item, tracker::kSubscriberHistory, true, events);
  std::stable_sort(events.begin(), events.end(), [](const StoredEvent& a, const StoredEvent& b) {
    return std::tie(a.decision, a.request, a.by_subscriber, a.position) <
           std::tie(b.decision, b.request, b.by_subscriber, b.position);
  });
  std::vector<SubscriptionEvent> out;
  for (auto& e : events) out.push_back(std::move(e.event));
  return out;
}

bool HoldsToken(const Json& item, const std::string& token) {
  for (const char* attribute : {"History", tracker::kSubscriberHistory}) {
    if (!item.contains(attribute)) continue;
    for (const auto& entry : FromAttribute(item[attribute])) {
      if (entry.is_object() && entry.value("Token", "") == token) return true;
    }
  }
  return false;
}

// The condition that neither half of `seen` changed since it was read (#rv: RequestVersion, #dv:
// DecisionVersion; fills :rv and :dv).
std::string UnchangedSince(const Subscription& seen, Json& values) {
  // A request version of 0 is one its consumer removed: still unchanged while it stays removed.
  std::string request = "attribute_not_exists(#rv)";
  if (seen.request_version != 0) {
    values[":rv"] = N(seen.request_version);
    request = "#rv = :rv";
  }
  if (seen.decision_version == 0) return request + " AND attribute_not_exists(#dv)";
  values[":dv"] = N(seen.decision_version);
  return request + " AND #dv = :dv";
}

Status CheckNote(const std::string& note) {
  if (note.size() <= SubscriptionTracker::kMaxNoteLength) return OkStatus();
  return Error::Local("InvalidArgument", "a note may be at most " + std::to_string(SubscriptionTracker::kMaxNoteLength) +
                                             " characters; this one has " + std::to_string(note.size()));
}

}  // namespace

std::string TrackerDate(aws::SystemTime t) {
  std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}

Outcome<Subscription> SubscriptionFromItem(const Json& item) {
  Subscription s;
  s.id = Str(item, "SubscriptionId");
  if (s.id.empty()) return Error::Local("InvalidSubscription", "a tracker item has no SubscriptionId");
  s.owner = Str(item, "OwnerPrincipal");
  s.subscriber = Str(item, "SubscriberPrincipal");
  if (auto accounts = tracker::AccountsOfId(s.id)) {
    // The id is what AWS checks writes against, so it, not an attribute, says whose it is.
    if (s.owner != accounts->owner || s.subscriber != accounts->subscriber) {
      return Error::Local("InvalidSubscription", "tracker item " + s.id + " names accounts its id does not");
    }
  }
  s.database = Str(item, "DatabaseName");
  s.tables = Strings(item, "TableName");
  s.requested_grants = Strings(item, "RequestedGrants");
  s.permitted_grants = Strings(item, "PermittedGrants");
  s.grantable_grants = Strings(item, "GrantableGrants");
  s.granted_table_arns = Strings(item, "GrantedTableARNs");
  if (item.contains("ExpiresAt") && item["ExpiresAt"].contains("S")) s.expires_at = item["ExpiresAt"]["S"].get<std::string>();
  s.imported_to_consumer = item.contains("ImportedToConsumer") && item["ImportedToConsumer"].value("BOOL", false);
  if (item.contains("RamShares") && item["RamShares"].contains("M")) {
    for (auto& [name, share] : item["RamShares"]["M"].items()) {
      Json plain = FromAttribute(share);
      // Importing accepts every share of the subscription before it is recorded.
      std::string status = s.imported_to_consumer ? "ACCEPTED" : plain.value("status", "");
      s.ram_shares[name] = RamShare{plain.value("arn", ""), status};
    }
  }
  s.legacy = IsLegacyItem(item);
  s.request_version = Number(item, tracker::kRequestVersion);
  s.decision_version = Number(item, tracker::kDecisionVersion);
  s.decided_request_version = Number(item, tracker::kDecidedRequestVersion);
  s.withdrawn = Str(item, tracker::kRequestStatus) == tracker::kWithdrawn;
  auto decided = ParseSubscriptionStatus(Str(item, "Status"));
  if (s.legacy) {
    if (!decided) return Error::Local("InvalidSubscription", "subscription " + s.id + " has an unknown status");
    s.status = *decided;
  } else if (s.withdrawn) {
    s.status = SubscriptionStatus::kDeleted;
  } else if (decided && *decided != SubscriptionStatus::kPending && s.decided_request_version == s.request_version) {
    s.status = *decided;
  } else {
    s.status = SubscriptionStatus::kPending;
  }
  for (const auto& n : Strings(item, "Notes")) s.notes.insert(n);
  s.creation_date = Str(item, "CreationDate");
  s.created_by = Str(item, "CreatedBy");
  s.updated_date = Str(item, "UpdatedDate");
  s.updated_by = Str(item, "UpdatedBy");
  s.history = MergedHistory(item);
  for (const auto& e : s.history) {
    if (e.action == "Request") s.request_reason = e.note.value_or("");
  }
  return s;
}

std::string SubscriptionTracker::Now() const { return TrackerDate(clock_->Now()); }

bool SubscriptionTracker::MayApprove(const Subscription& s) { return !s.withdrawn && !s.legacy; }

Outcome<Subscription> SubscriptionTracker::GetAsOwner(const std::string& id, const std::string& owner) {
  // The id says whose it is; AWS would refuse the read of another owner's subscription anyway.
  if (auto accounts = tracker::AccountsOfId(id); accounts && accounts->owner != owner) {
    return Error::Local("NotOwner", "subscription " + id + " is for a product of account " + accounts->owner +
                                        ", not of account " + owner);
  }
  auto s = Get(id);
  if (s.ok() && s->owner != owner) return NotOwner(*s, owner);
  return s;
}

Outcome<std::vector<Subscription>> SubscriptionTracker::GetManyAsOwner(const std::vector<std::string>& ids,
                                                                       const std::string& owner, Part part) {
  // Ids name their owner; the Python library's items (ids without accounts) are read one at a time,
  // as the mesh roles may read them (GetItem only), and their owner checked on the item.
  std::vector<std::string> named;
  std::vector<Subscription> found;
  // BatchGetItem refuses a key named twice.
  for (const auto& id : std::set<std::string>(ids.begin(), ids.end())) {
    auto accounts = tracker::AccountsOfId(id);
    if (accounts && accounts->owner != owner) {
      return Error::Local("NotOwner", "subscription " + id + " is to a product of account " + accounts->owner +
                                          ", not of account " + owner);
    }
    if (accounts) {
      named.push_back(id);
      continue;
    }
    auto legacy = GetAsOwner(id, owner);
    if (legacy.ok()) {
      found.push_back(std::move(*legacy));
    } else if (legacy.error().code() != "NoSuchSubscription") {
      return legacy.error();
    }
  }
  // BatchGetItem takes 100 keys, hands back what it could not read (throttled, or past 16 MB) in
  // UnprocessedKeys, and asks that they be tried again with exponential backoff (BatchGetItem, API
  // Reference). Rounds that make no progress at all are bounded; then the read is throttled.
  constexpr size_t kKeysPerCall = 100;
  constexpr int kRoundsWithoutProgress = 8;
  const aws::ClientSettings& settings = ddb_.raw().settings();
  for (size_t start = 0; start < named.size(); start += kKeysPerCall) {
    Json keys = Json::array();
    for (size_t i = start; i < std::min(named.size(), start + kKeysPerCall); ++i) {
      keys.push_back({{"SubscriptionId", S(named[i])}});
    }
    Json asked = {{names::kTrackerTable, {{"Keys", keys}, {"ConsistentRead", true}}}};
    if (part == Part::kGrants) {
      static const std::vector<const char*> kGrantAttributes = GrantAttributes();
      Project(asked[names::kTrackerTable], kGrantAttributes);
    }
    auto left_to_read = [](const Json& request) {
      return request.value(names::kTrackerTable, Json::object()).value("Keys", Json::array()).size();
    };
    for (int stalled = 0; !asked.empty();) {
      auto out = ddb_.BatchGetItem({{"RequestItems", asked}});
      if (!out.ok()) return out.error();
      const Json items = out->value("Responses", Json::object()).value(names::kTrackerTable, Json::array());
      for (const auto& item : items) {
        auto s = SubscriptionFromItem(item);
        if (!s.ok()) return s.error();
        if (s->owner != owner) return NotOwner(*s, owner);
        found.push_back(std::move(*s));
      }
      Json left = out->value("UnprocessedKeys", Json::object());
      if (left.empty()) break;
      // Progress is keys read (found or not there), not items answered.
      stalled = left_to_read(left) < left_to_read(asked) ? 0 : stalled + 1;
      if (stalled >= kRoundsWithoutProgress) {
        return aws::ServiceError("ProvisionedThroughputExceededException",
                                 "BatchGetItem left the tracker's keys unprocessed " + std::to_string(stalled) + " times running",
                                 400, "");
      }
      settings.sleeper->Sleep(settings.retry->Backoff(stalled + 1));
      asked = std::move(left);
    }
  }
  return found;
}

Outcome<Subscription> SubscriptionTracker::GetAsSubscriber(const std::string& id, const std::string& subscriber) {
  if (auto accounts = tracker::AccountsOfId(id); accounts && accounts->subscriber != subscriber) {
    return Error::Local("NotSubscriber", "subscription " + id + " belongs to subscriber " + accounts->subscriber +
                                             ", not to account " + subscriber);
  }
  auto s = Get(id);
  if (s.ok() && s->subscriber != subscriber) return NotSubscriber(*s, subscriber);
  return s;
}

Outcome<Subscription> SubscriptionTracker::Get(const std::string& id) {
  auto out = ddb_.GetItem({{"TableName", names::kTrackerTable}, {"Key", {{"SubscriptionId", S(id)}}}, {"ConsistentRead", true}});
  if (!out.ok()) return out.error();
  if (!out->contains("Item")) return Error::Local("NoSuchSubscription", "subscription " + id + " does not exist");
  return SubscriptionFromItem((*out)["Item"]);
}

Outcome<std::optional<Subscription>> SubscriptionTracker::WriteOnce(const std::string& id, std::string update,
                                                                   const std::string& condition, Json values, Json names,
                                                                   Json entry, const std::string& history_attribute,
                                                                   const std::string& tail) {
  const std::string token = aws::HexEncode(aws::RandomBytes(16));
  entry["Token"] = token;
  update += ", #history = list_append(if_not_exists(#history, :empty), :entry)" + tail;
  names["#history"] = history_attribute;
  values[":empty"] = {{"L", Json::array()}};
  values[":entry"] = {{"L", Json::array({ToAttribute(entry)})}};
  Json input = {{"TableName", names::kTrackerTable}, {"Key", {{"SubscriptionId", S(id)}}},
                {"UpdateExpression", update},         {"ConditionExpression", condition},
                {"ExpressionAttributeNames", names},  {"ExpressionAttributeValues", values},
                {"ReturnValues", "ALL_NEW"}};
  auto out = ddb_.UpdateItem(input);
  if (out.ok()) {
    auto s = SubscriptionFromItem((*out)["Attributes"]);
    if (!s.ok()) return s.error();
    return std::optional<Subscription>(std::move(*s));
  }
  if (out.error().code() != "ConditionalCheckFailedException") return out.error();
  // Retried after its answer was lost, the write finds its own effect: it was applied once.
  auto now = ddb_.GetItem({{"TableName", names::kTrackerTable}, {"Key", {{"SubscriptionId", S(id)}}}, {"ConsistentRead", true}});
  if (!now.ok()) return now.error();
  if (now->contains("Item") && HoldsToken((*now)["Item"], token)) {
    auto s = SubscriptionFromItem((*now)["Item"]);
    if (!s.ok()) return s.error();
    return std::optional<Subscription>(std::move(*s));
  }
  return std::optional<Subscription>();
}

Outcome<Subscription> SubscriptionTracker::Request(const std::string& owner, const std::string& subscriber,
                                                   const std::string& database, const std::vector<std::string>& tables,
                                                   const std::vector<std::string>& permissions,
                                                   const std::string& principal, const std::string& reason) {
  if (auto e = CheckNote(reason); !e.ok()) return e.error();
  // The id follows from what is requested, so identical requests meet on one item however
  // many arrive at once.
  const auto t = Sorted(tables), p = Sorted(permissions);
  std::string key = owner + "|" + subscriber + "|" + database;
  for (const auto& x : t) key += "|t:" + x;
  for (const auto& x : p) key += "|p:" + x;
  const std::string id = tracker::SubscriptionIdOf(owner, subscriber, aws::HexEncode(aws::Sha256(key)).substr(0, 32));
  const std::string now = Now();
  Json entry = {{"Time", now},   {"Principal", principal}, {"Action", "Request"},      {"Status", "Pending"},
                {"Permissions", p}, {"DecisionVersion", 0},  {"RequestVersion", 1}};
  if (!reason.empty()) entry["Note"] = reason;  // why the consumer asks, kept in its history
  Json values = {{":owner", S(owner)},     {":subscriber", S(subscriber)}, {":db", S(database)},
                 {":tables", L(t)},        {":perms", L(p)},               {":now", S(now)},
                 {":who", S(principal)},   {":requested", S(tracker::kRequested)},
                 {":one", N(1)},           {":false", {{"BOOL", false}}}};
  Json names = {{"#rs", tracker::kRequestStatus}, {"#rv", tracker::kRequestVersion}, {"#inbox", tracker::kInboxOwner}};
  auto created = WriteOnce(id,
                           "SET OwnerPrincipal = :owner, SubscriberPrincipal = :subscriber, DatabaseName = :db, "
                           "TableName = :tables, RequestedGrants = :perms, CreationDate = :now, CreatedBy = :who, "
                           "UpdatedDate = :now, UpdatedBy = :who, ImportedToConsumer = :false, #rs = :requested, "
                           "#rv = :one, #inbox = :owner",
                           "attribute_not_exists(SubscriptionId)", values, names, entry, tracker::kSubscriberHistory);
  if (!created.ok()) return created.error();
  if (*created) return std::move(**created);
  auto existing = Get(id);
  if (!existing.ok()) return existing;
  if (existing->status == SubscriptionStatus::kDenied) {
    return Error::Local("InvalidTransition", "an identical request (subscription " + id +
                                                 ") was denied; only its producer can approve it now");
  }
  if (existing->status != SubscriptionStatus::kDeleted) return existing;  // the identical open request
  // Deleted (by either side): requested again, as a new version of the request.
  const int64_t next = existing->request_version + 1;
  Json again = {{"Time", now}, {"Principal", principal}, {"Action", "Request"}, {"Status", "Pending"},
                {"Permissions", p}, {"DecisionVersion", existing->decision_version}, {"RequestVersion", next}};
  if (!reason.empty()) again["Note"] = reason;
  auto reopened = WriteOnce(id, "SET #rs = :requested, #rv = :next, #inbox = :owner, UpdatedDate = :now, UpdatedBy = :who",
                            "#rv = :seen",
                            {{":requested", S(tracker::kRequested)}, {":next", N(next)}, {":owner", S(owner)},
                             {":now", S(now)}, {":who", S(principal)}, {":seen", N(existing->request_version)}},
                            names, again, tracker::kSubscriberHistory);
  if (!reopened.ok()) return reopened.error();
  if (*reopened) return std::move(**reopened);
  return Error::Local("SubscriptionChanged", "subscription " + id + " changed while it was being requested again; run it again");
}

Outcome<Subscription> SubscriptionTracker::Withdraw(const Subscription& seen, const std::string& principal,
                                                    const std::string& reason) {
  if (auto e = CheckNote(reason); !e.ok()) return e.error();
  const std::string now = Now();
  const int64_t next = seen.request_version + 1;
  Json entry = {{"Time", now}, {"Principal", principal}, {"Action", "Delete"}, {"Status", "Deleted"},
                {"DecisionVersion", seen.decision_version}, {"RequestVersion", next}};
  if (!reason.empty()) entry["Note"] = reason;
  auto out = WriteOnce(seen.id, "SET #rs = :withdrawn, #rv = :next, #inbox = :owner, UpdatedDate = :now, UpdatedBy = :who",
                       "#rv = :seen",
                       {{":withdrawn", S(tracker::kWithdrawn)}, {":next", N(next)}, {":owner", S(seen.owner)},
                        {":now", S(now)}, {":who", S(principal)}, {":seen", N(seen.request_version)}},
                       {{"#rs", tracker::kRequestStatus}, {"#rv", tracker::kRequestVersion}, {"#inbox", tracker::kInboxOwner}},
                       entry, tracker::kSubscriberHistory);
  if (!out.ok()) return out.error();
  if (*out) return std::move(**out);
  return Error::Local("SubscriptionChanged", "subscription " + seen.id + " changed while it was being deleted; run it again");
}

Outcome<Subscription> SubscriptionTracker::RecordImport(const Subscription& seen, const std::string& principal) {
  const std::string now = Now();
  Json entry = {{"Time", now}, {"Principal", principal}, {"Action", "Import"}, {"Status", ToString(seen.status)},
                {"DecisionVersion", seen.decision_version}, {"RequestVersion", seen.request_version}};
  // The condition fails once the import is recorded, so a retried write finds its token instead
  // of recording the import twice.
  auto out = WriteOnce(seen.id, "SET ImportedToConsumer = :true, UpdatedDate = :now, UpdatedBy = :who",
                       "#rv = :seen AND ImportedToConsumer <> :true",
                       {{":true", {{"BOOL", true}}}, {":now", S(now)}, {":who", S(principal)},
                        {":seen", N(seen.request_version)}},
                       {{"#rv", tracker::kRequestVersion}}, entry, tracker::kSubscriberHistory);
  if (!out.ok()) return out.error();
  if (*out) return std::move(**out);
  return Error::Local("SubscriptionChanged", "subscription " + seen.id + " changed while it was being imported; run it again");
}

Outcome<Subscription> SubscriptionTracker::Decide(const Subscription& seen, const SubscriptionChange& c) {
  if (auto e = CheckNote(c.note); !e.ok()) return e.error();
  if (seen.legacy) {
    return Error::Local("LegacySubscription", "subscription " + seen.id +
                                                  " was recorded by the Python library, whose items no mesh role may change; "
                                                  "the consumer requests it again with request-access");
  }
  const std::string now = Now();
  const int64_t next = seen.decision_version + 1;
  Json entry = {{"Time", now}, {"Principal", c.principal}, {"Action", c.action}, {"Status", ToString(c.to)},
                {"DecisionVersion", next}, {"RequestVersion", seen.request_version}};
  if (c.permitted_grants) entry["Permissions"] = *c.permitted_grants;
  if (c.grantable_grants) entry["GrantablePermissions"] = *c.grantable_grants;
  if (!c.note.empty()) entry["Note"] = c.note;
  if (c.expires_at) entry["ExpiresAt"] = *c.expires_at;
  std::string update =
      "SET #s = :to, #dv = :next, #drv = :rv, OwnerPrincipal = :owner, #inbox = :owner, UpdatedDate = :now, UpdatedBy = :who";
  Json values = {{":to", S(ToString(c.to))}, {":next", N(next)},  {":rv", N(seen.request_version)},
                 {":owner", S(seen.owner)},  {":now", S(now)},   {":who", S(c.principal)}};
  if (c.permitted_grants) { update += ", PermittedGrants = :permitted"; values[":permitted"] = L(*c.permitted_grants); }
  if (c.grantable_grants) { update += ", GrantableGrants = :grantable"; values[":grantable"] = L(*c.grantable_grants); }
  if (c.granted_table_arns) { update += ", GrantedTableARNs = :arns"; values[":arns"] = L(*c.granted_table_arns); }
  if (c.expires_at) { update += ", ExpiresAt = :expires"; values[":expires"] = S(*c.expires_at); }
  const std::string condition = UnchangedSince(seen, values);
  Json names = {{"#s", "Status"}, {"#dv", tracker::kDecisionVersion}, {"#drv", tracker::kDecidedRequestVersion},
                {"#rv", tracker::kRequestVersion}, {"#inbox", tracker::kInboxOwner}};
  // After the SET clause WriteOnce completes: an expiry an earlier decision set goes, then the note
  // joins the item's set of notes.
  std::string tail = c.clear_expiry && !c.expires_at ? " REMOVE ExpiresAt" : "";
  if (!c.note.empty()) {
    tail += " ADD Notes :note";
    values[":note"] = {{"SS", Json::array({c.note})}};
  }
  auto out = WriteOnce(seen.id, update, condition, values, names, entry, "History", tail);
  if (!out.ok()) return out.error();
  if (*out) return std::move(**out);
  auto now_item = Get(seen.id);
  const std::string state = now_item.ok() ? ToString(now_item->status) : "unknown";
  return Error::Local("SubscriptionChanged", "subscription " + seen.id + " changed while it was being decided on (now " +
                                                 state + "); look at it again and repeat the decision if it still holds");
}

Outcome<bool> SubscriptionTracker::MarkReconciled(const Subscription& seen,
                                                  const std::optional<std::map<std::string, RamShare>>& shares) {
  if (seen.legacy) return true;  // nothing of it is ours to write
  Json values = Json::object();
  Json names = {{"#rv", tracker::kRequestVersion}, {"#dv", tracker::kDecisionVersion}};
  std::string update;
  if (shares) {
    Json m = Json::object();
    for (const auto& [name, share] : *shares) m[name] = ToAttribute(Json{{"arn", share.arn}, {"status", share.status}});
    update = "SET RamShares = :shares";
    values[":shares"] = {{"M", m}};
  }
  // A request awaiting its decision stays in the inbox.
  if (seen.status != SubscriptionStatus::kPending) {
    update += " REMOVE #inbox";
    names["#inbox"] = tracker::kInboxOwner;
  }
  if (update.empty()) return true;
  const std::string condition = UnchangedSince(seen, values);
  auto out = ddb_.UpdateItem({{"TableName", names::kTrackerTable}, {"Key", {{"SubscriptionId", S(seen.id)}}},
                              {"UpdateExpression", update}, {"ConditionExpression", condition},
                              {"ExpressionAttributeNames", names}, {"ExpressionAttributeValues", values}});
  if (out.ok()) return true;
  if (out.error().code() == "ConditionalCheckFailedException") return false;
  return out.error();
}

Outcome<int64_t> SubscriptionTracker::Generation(const std::string& owner, const std::string& subscriber) {
  auto out = ddb_.GetItem({{"TableName", names::kTrackerTable},
                           {"Key", {{"SubscriptionId", S(tracker::GrantsItemId(owner, subscriber))}}},
                           {"ConsistentRead", true}});
  if (!out.ok()) return out.error();
  return out->contains("Item") ? Number((*out)["Item"], tracker::kGeneration) : 0;
}

Status SubscriptionTracker::BumpGeneration(const std::string& owner, const std::string& subscriber) {
  auto out = ddb_.UpdateItem({{"TableName", names::kTrackerTable},
                              {"Key", {{"SubscriptionId", S(tracker::GrantsItemId(owner, subscriber))}}},
                              {"UpdateExpression", "ADD #g :one"},
                              {"ExpressionAttributeNames", {{"#g", tracker::kGeneration}}},
                              {"ExpressionAttributeValues", {{":one", N(1)}}}});
  if (!out.ok()) return out.error();
  return OkStatus();
}

SubscriptionTracker::IndexQuery SubscriptionTracker::OwnerQuery(const std::string& owner, const std::string& status) {
  return IndexQuery(names::kOwnerIndex, "OwnerPrincipal", owner, "Status", status);
}

Status SubscriptionTracker::VisitIndex(const IndexQuery& q, const std::function<void(Subscription)>& visit) {
  Json input = {{"TableName", names::kTrackerTable},
                {"IndexName", q.index},
                {"KeyConditionExpression", "#k = :account"},
                {"ExpressionAttributeNames", {{"#k", q.key_attribute}}},
                {"ExpressionAttributeValues", {{":account", S(q.account)}}}};
  if (!q.range_attribute.empty()) {
    input["KeyConditionExpression"] = "#k = :account AND #r = :range";
    input["ExpressionAttributeNames"]["#r"] = q.range_attribute;
    input["ExpressionAttributeValues"][":range"] = S(q.range_value);
  }
  // Only what derives the status, the expiry and whose it is: an owner may hold tens of thousands
  // of subscriptions, each with its tables, grants, shares and two histories.
  if (q.states_only) Project(input, kStateAttributes);
  // Page by page: what a read holds at once is one page, not every item it goes through.
  return ddb_.raw().Paginate("Query", input, [&](const Json& page) {
    for (const auto& item : page.value("Items", Json::array())) {
      auto s = SubscriptionFromItem(item);
      // Anyone may file a request naming any owner; an item that does not hold together is not a
      // subscription and is passed over, never acted on.
      if (s.ok()) visit(std::move(*s));
    }
    return true;
  });
}

Outcome<std::vector<Subscription>> SubscriptionTracker::QueryIndex(const IndexQuery& q) {
  std::vector<Subscription> subs;
  if (auto s = VisitIndex(q, [&](Subscription s) { subs.push_back(std::move(s)); }); !s.ok()) return s.error();
  return subs;
}

Outcome<std::vector<Subscription>> SubscriptionTracker::Inbox(const std::string& owner) {
  auto found = QueryIndex(IndexQuery(names::kInboxIndex, tracker::kInboxOwner, owner));
  if (!found.ok()) return found;
  std::vector<Subscription> out;
  for (auto& s : *found) {
    if (s.owner == owner && !s.legacy) out.push_back(std::move(s));
  }
  return out;
}

Outcome<std::vector<SubscriptionTracker::SubscriptionState>> SubscriptionTracker::StatesOf(IndexQuery q,
                                                                                         const std::string& owner) {
  q.states_only = true;
  std::vector<SubscriptionState> out;
  auto visited = VisitIndex(q, [&](Subscription s) {
    if (s.owner == owner) out.push_back({std::move(s.id), std::move(s.subscriber), s.status, s.legacy, std::move(s.expires_at)});
  });
  if (!visited.ok()) return visited.error();
  return out;
}

Outcome<std::vector<SubscriptionTracker::SubscriptionState>> SubscriptionTracker::LastApproved(const std::string& owner) {
  return StatesOf(OwnerQuery(owner, ToString(SubscriptionStatus::kActive)), owner);
}

Outcome<std::vector<SubscriptionTracker::SubscriptionState>> SubscriptionTracker::OfPair(const std::string& owner,
                                                                                       const std::string& subscriber) {
  return StatesOf(IndexQuery(names::kPairIndex, "OwnerPrincipal", owner, "SubscriberPrincipal", subscriber), owner);
}

Outcome<std::vector<Subscription>> SubscriptionTracker::OfOwner(const std::string& owner, SubscriptionStatus status) {
  std::vector<Subscription> out;
  std::set<std::string> seen;
  auto keep = [&](std::vector<Subscription>& found) {
    for (auto& s : found) {
      if (s.owner == owner && s.status == status && seen.insert(s.id).second) out.push_back(std::move(s));
    }
  };
  // Decided subscriptions carry the decision's Status (and legacy items their own).
  const std::string stored = status == SubscriptionStatus::kPending ? "Pending" : ToString(status);
  auto decided = QueryIndex(OwnerQuery(owner, stored));
  if (!decided.ok()) return decided.error();
  keep(*decided);
  // Requests (new, or made again after a decision) and withdrawals not yet acted on are in the
  // inbox; the Owner index still files them under the earlier decision's Status.
  if (status == SubscriptionStatus::kPending || status == SubscriptionStatus::kDeleted) {
    auto inbox = Inbox(owner);
    if (!inbox.ok()) return inbox.error();
    keep(*inbox);
  }
  return out;
}

Outcome<std::vector<Subscription>> SubscriptionTracker::OfSubscriber(const std::string& subscriber) {
  auto found = QueryIndex(IndexQuery(names::kSubscriberIndex, "SubscriberPrincipal", subscriber));
  if (!found.ok()) return found;
  std::vector<Subscription> out;
  for (auto& s : *found) {
    if (s.subscriber == subscriber) out.push_back(std::move(s));
  }
  return out;
}

}  // namespace datamesh::mesh
