#include "mesh/subscription_tracker.h"

#include <algorithm>
#include <ctime>

#include "aws/core/crypto.h"
#include "aws/core/encoding.h"
#include "datamesh/mesh_names.h"

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

Error NotOwner(const Subscription& s, const std::string& account) {
  return Error::Local("NotOwner", "subscription " + s.id + " is for a product of account " + s.owner +
                                      ", not of account " + account);
}

Error NotSubscriber(const Subscription& s, const std::string& account) {
  return Error::Local("NotSubscriber", "subscription " + s.id + " belongs to subscriber " + s.subscriber +
                                           ", not to account " + account);
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
  s.database = Str(item, "DatabaseName");
  s.tables = Strings(item, "TableName");
  s.requested_grants = Strings(item, "RequestedGrants");
  s.permitted_grants = Strings(item, "PermittedGrants");
  s.grantable_grants = Strings(item, "GrantableGrants");
  s.granted_table_arns = Strings(item, "GrantedTableARNs");
  if (item.contains("RamShares") && item["RamShares"].contains("M")) {
    for (auto& [name, share] : item["RamShares"]["M"].items()) {
      Json plain = FromAttribute(share);
      s.ram_shares[name] = RamShare{plain.value("arn", ""), plain.value("status", "")};
    }
  }
  auto status = ParseSubscriptionStatus(Str(item, "Status"));
  if (!status) return Error::Local("InvalidSubscription", "subscription " + s.id + " has an unknown status");
  s.status = *status;
  for (const auto& n : Strings(item, "Notes")) s.notes.insert(n);
  s.imported_to_consumer = item.contains("ImportedToConsumer") && item["ImportedToConsumer"].value("BOOL", false);
  s.creation_date = Str(item, "CreationDate");
  s.created_by = Str(item, "CreatedBy");
  s.updated_date = Str(item, "UpdatedDate");
  s.updated_by = Str(item, "UpdatedBy");
  if (item.contains("RevokeClaim")) s.revoke_claim = Str(item, "RevokeClaim");
  if (item.contains("History")) {
    // Entries that other writers left in a shape we do not know are skipped, not fatal.
    for (const auto& entry : FromAttribute(item["History"])) {
      if (auto e = SubscriptionEvent::FromJson(entry)) s.history.push_back(std::move(*e));
    }
  }
  return s;
}

std::string SubscriptionTracker::Now() const { return TrackerDate(clock_->Now()); }

std::vector<SubscriptionStatus> SubscriptionTracker::AllowedFrom(SubscriptionStatus to) {
  using St = SubscriptionStatus;
  switch (to) {
    case St::kActive: return {St::kPending, St::kDenied, St::kActive, St::kDeleted};
    case St::kDenied: return {St::kPending};
    case St::kDeleted: return {St::kActive};
    case St::kPending: return {St::kDeleted};
  }
  return {};
}

Outcome<Subscription> SubscriptionTracker::GetAsOwner(const std::string& id, const std::string& owner) {
  auto s = Get(id);
  if (s.ok() && s->owner != owner) return NotOwner(*s, owner);
  return s;
}

Outcome<Subscription> SubscriptionTracker::GetAsSubscriber(const std::string& id, const std::string& subscriber) {
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

Outcome<Subscription> SubscriptionTracker::Request(const std::string& owner, const std::string& subscriber,
                                                   const std::string& database, const std::vector<std::string>& tables,
                                                   const std::vector<std::string>& permissions,
                                                   const std::string& principal) {
  // The id follows from what is requested, so identical requests meet on one item however
  // many arrive at once.
  const auto t = Sorted(tables), p = Sorted(permissions);
  std::string key = owner + "|" + subscriber + "|" + database;
  for (const auto& x : t) key += "|t:" + x;
  for (const auto& x : p) key += "|p:" + x;
  const std::string id = aws::HexEncode(aws::Sha256(key)).substr(0, 32);
  const std::string now = Now();
  Json entry = ToAttribute(Json{{"Time", now}, {"Principal", principal}, {"Action", "Request"}, {"Status", "Pending"},
                                {"Permissions", p}});
  Json item = {{"SubscriptionId", S(id)},        {"OwnerPrincipal", S(owner)},   {"SubscriberPrincipal", S(subscriber)},
               {"DatabaseName", S(database)},    {"TableName", L(t)},            {"RequestedGrants", L(p)},
               {"Status", S("Pending")},         {"CreationDate", S(now)},       {"CreatedBy", S(principal)},
               {"UpdatedDate", S(now)},          {"UpdatedBy", S(principal)},    {"ImportedToConsumer", {{"BOOL", false}}},
               {"History", {{"L", Json::array({entry})}}}};
  auto put = ddb_.PutItem({{"TableName", names::kTrackerTable}, {"Item", item},
                           {"ConditionExpression", "attribute_not_exists(SubscriptionId)"}});
  if (put.ok()) return SubscriptionFromItem(item);
  if (put.error().code() != "ConditionalCheckFailedException") return put.error();
  auto existing = Get(id);
  if (!existing.ok()) return existing;
  if (existing->status == SubscriptionStatus::kDeleted) {
    SubscriptionChange reopen;
    reopen.action = "Request";
    reopen.to = SubscriptionStatus::kPending;
    reopen.principal = principal;
    reopen.required_subscriber = subscriber;
    return Change(id, reopen);
  }
  if (existing->status == SubscriptionStatus::kDenied) {
    return Error::Local("InvalidTransition", "an identical request (subscription " + id +
                                                 ") was denied; only its producer can approve it now");
  }
  return existing;  // the identical open request
}

Outcome<std::optional<Subscription>> SubscriptionTracker::UpdateWithHistory(
    const std::string& id, Json history, const std::string& principal, const std::string& note, std::string set_clause,
    const std::string& condition, Json values, const std::string& remove_clause) {
  const std::string now = Now();
  history["Time"] = now;
  history["Principal"] = principal;
  if (!note.empty()) history["Note"] = note;
  std::string update = "SET " + set_clause + (set_clause.empty() ? "" : ", ") +
                       "UpdatedDate = :now, UpdatedBy = :who, History = list_append(if_not_exists(History, :empty), :entry)";
  values[":now"] = S(now);
  values[":who"] = S(principal);
  values[":empty"] = {{"L", Json::array()}};
  values[":entry"] = {{"L", Json::array({ToAttribute(history)})}};
  if (!remove_clause.empty()) update += " REMOVE " + remove_clause;
  if (!note.empty()) {
    update += " ADD Notes :note";
    values[":note"] = {{"SS", Json::array({note})}};
  }
  return ConditionalUpdate(id, update, condition, values);
}

Outcome<std::optional<Subscription>> SubscriptionTracker::ConditionalUpdate(const std::string& id, const std::string& update,
                                                                            const std::string& condition,
                                                                            const Json& values) {
  auto out = ddb_.UpdateItem({{"TableName", names::kTrackerTable}, {"Key", {{"SubscriptionId", S(id)}}},
                              {"UpdateExpression", update}, {"ConditionExpression", condition},
                              {"ExpressionAttributeNames", {{"#s", "Status"}}}, {"ExpressionAttributeValues", values},
                              {"ReturnValues", "ALL_NEW"}});
  if (!out.ok()) {
    if (out.error().code() == "ConditionalCheckFailedException") return std::optional<Subscription>();
    return out.error();
  }
  auto s = SubscriptionFromItem((*out)["Attributes"]);
  if (!s.ok()) return s.error();
  return std::optional<Subscription>(std::move(*s));
}

Outcome<Subscription> SubscriptionTracker::Change(const std::string& id, const SubscriptionChange& c) {
  Json history = {{"Action", c.action}, {"Status", ToString(c.to)}};
  if (c.permitted_grants) history["Permissions"] = *c.permitted_grants;
  if (c.grantable_grants) history["GrantablePermissions"] = *c.grantable_grants;
  std::string set = "#s = :to";
  Json values = {{":to", S(ToString(c.to))}};
  if (c.permitted_grants) { set += ", PermittedGrants = :permitted"; values[":permitted"] = L(*c.permitted_grants); }
  if (c.grantable_grants) { set += ", GrantableGrants = :grantable"; values[":grantable"] = L(*c.grantable_grants); }
  if (c.granted_table_arns) { set += ", GrantedTableARNs = :arns"; values[":arns"] = L(*c.granted_table_arns); }
  if (c.ram_shares) {
    Json shares = Json::object();
    for (const auto& [name, share] : *c.ram_shares) shares[name] = ToAttribute(Json{{"arn", share.arn}, {"status", share.status}});
    set += ", RamShares = :shares";
    values[":shares"] = {{"M", shares}};
  }
  if (c.imported) { set += ", ImportedToConsumer = :imported"; values[":imported"] = {{"BOOL", *c.imported}}; }
  std::string condition = "attribute_exists(SubscriptionId) AND #s IN (";
  auto from = AllowedFrom(c.to);
  for (size_t i = 0; i < from.size(); ++i) {
    condition += (i ? ", :from" : ":from") + std::to_string(i);
    values[":from" + std::to_string(i)] = S(ToString(from[i]));
  }
  condition += ")";
  if (c.to == SubscriptionStatus::kActive) condition += " AND attribute_not_exists(RevokeClaim)";
  if (c.required_owner) { condition += " AND OwnerPrincipal = :owner"; values[":owner"] = S(*c.required_owner); }
  if (c.required_subscriber) { condition += " AND SubscriberPrincipal = :subscriber"; values[":subscriber"] = S(*c.required_subscriber); }

  auto out = UpdateWithHistory(id, history, c.principal, c.note, set, condition, values);
  if (!out.ok()) return out.error();
  if (*out) return std::move(**out);
  // Say exactly why the condition failed.
  auto current = Get(id);
  if (!current.ok()) return current.error();
  if (c.required_owner && current->owner != *c.required_owner) return NotOwner(*current, *c.required_owner);
  if (c.required_subscriber && current->subscriber != *c.required_subscriber) {
    return NotSubscriber(*current, *c.required_subscriber);
  }
  if (c.to == SubscriptionStatus::kActive && current->revoke_claim) {
    return Error::Local("RevocationInProgress", "subscription " + id + " is having its earlier grants revoked (since " +
                                                    *current->revoke_claim + "); approve it again once that is done");
  }
  std::string allowed;
  for (auto s : from) allowed += (allowed.empty() ? "" : ", ") + ToString(s);
  return Error::Local("InvalidTransition", "subscription " + id + " is " + ToString(current->status) + "; " + c.action +
                                               " needs it to be one of: " + allowed);
}

Outcome<std::optional<Subscription>> SubscriptionTracker::ClaimRevocation(const std::string& id, const std::string& owner) {
  Json values = {{":active", S(ToString(SubscriptionStatus::kActive))}, {":owner", S(owner)}, {":zero", {{"N", "0"}}},
                 {":now", S(Now())}};
  return ConditionalUpdate(id, "SET RevokeClaim = :now",
                           "attribute_exists(SubscriptionId) AND #s <> :active AND OwnerPrincipal = :owner AND "
                           "size(GrantedTableARNs) > :zero",
                           values);
}

Outcome<Subscription> SubscriptionTracker::RecordGrantsRevoked(const std::string& id, const std::string& principal,
                                                               const std::string& owner, const std::string& note) {
  auto current = Get(id);
  if (!current.ok()) return current.error();
  const std::string status = ToString(current->status);
  Json values = {{":status", S(status)}, {":owner", S(owner)}, {":none", {{"L", Json::array()}}}, {":zero", {{"N", "0"}}}};
  // Only once per revocation, and never for a subscription approved again meanwhile.
  auto out = UpdateWithHistory(id, {{"Action", "RevokeGrants"}, {"Status", status}}, principal, note,
                               "GrantedTableARNs = :none",
                               "attribute_exists(SubscriptionId) AND #s = :status AND OwnerPrincipal = :owner AND "
                               "size(GrantedTableARNs) > :zero",
                               values, "RevokeClaim");
  if (!out.ok()) return out.error();
  if (*out) return std::move(**out);
  auto now = Get(id);
  if (!now.ok()) return now.error();
  if (now->status != SubscriptionStatus::kActive && now->granted_table_arns.empty()) return *now;  // recorded already
  return Error::Local("InvalidTransition", "subscription " + id + " is " + ToString(now->status) + " now");
}

Outcome<std::vector<Subscription>> SubscriptionTracker::QueryIndex(const std::string& index, const Json& values,
                                                                   const std::string& key_condition, const Json& names) {
  Json input = {{"TableName", names::kTrackerTable}, {"IndexName", index}, {"KeyConditionExpression", key_condition},
                {"ExpressionAttributeValues", values}};
  if (!names.empty()) input["ExpressionAttributeNames"] = names;
  auto out = ddb_.QueryAllPages(input);
  if (!out.ok()) return out.error();
  std::vector<Subscription> subs;
  for (const auto& item : (*out)["Items"]) {
    auto s = SubscriptionFromItem(item);
    if (!s.ok()) return s.error();
    subs.push_back(std::move(*s));
  }
  return subs;
}

Outcome<std::vector<Subscription>> SubscriptionTracker::OfOwner(const std::string& owner, SubscriptionStatus status) {
  return QueryIndex(names::kOwnerIndex, {{":owner", S(owner)}, {":status", S(ToString(status))}},
                    "OwnerPrincipal = :owner AND #s = :status", {{"#s", "Status"}});
}

Outcome<std::vector<Subscription>> SubscriptionTracker::OfSubscriber(const std::string& subscriber) {
  return QueryIndex(names::kSubscriberIndex, {{":sub", S(subscriber)}}, "SubscriberPrincipal = :sub", Json::object());
}

}  // namespace datamesh::mesh
