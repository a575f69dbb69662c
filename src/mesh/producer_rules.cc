// Producer::ProcessRequests: the producer's rules applied to its pending requests.
#include <algorithm>

#include "datamesh/events.h"
#include "datamesh/producer.h"
#include "mesh/personas.h"
#include "mesh/subscription_tracker.h"

namespace datamesh {
namespace {

using nlohmann::json;

bool AllWithin(const std::vector<std::string>& values, const std::optional<std::set<std::string>>& allowed) {
  if (!allowed) return true;
  return std::all_of(values.begin(), values.end(), [&](const std::string& v) { return allowed->count(v) > 0; });
}

// The LF-tags (key -> values) on the request's tables in the mesh, as the producer's mesh role
// sees them (it made them).
Outcome<std::map<std::string, std::set<std::string>>> TagsOf(mesh::PersonaSessions& c, const Subscription& s) {
  std::map<std::string, std::set<std::string>> tags;
  auto glue = c.mesh->Glue();
  auto tables = glue.GetTablesAllPages({{"DatabaseName", s.database}});
  if (!tables.ok()) return tables.error();
  for (const auto& t : (*tables)["TableList"]) {
    const std::string name = t.value("Name", "");
    bool requested = std::find(s.tables.begin(), s.tables.end(), name) != s.tables.end();
    if (!requested) continue;
    auto on = c.mesh->LakeFormation().GetResourceLFTags(
        {{"Resource", {{"Table", {{"DatabaseName", s.database}, {"Name", name}}}}}});
    if (!on.ok()) return on.error();
    for (const auto& tag : on->value("LFTagsOnTable", json::array())) {
      for (const auto& v : tag.value("TagValues", json::array())) tags[tag.value("TagKey", "")].insert(v.get<std::string>());
    }
  }
  return tags;
}

Outcome<bool> Matches(mesh::PersonaSessions& c, const DecisionRule& r, const Subscription& s) {
  if (!AllWithin(s.requested_grants, r.permissions_within)) return false;
  if (r.subscribers && !r.subscribers->count(s.subscriber)) return false;
  if (r.databases && !r.databases->count(s.database)) return false;
  if (!AllWithin(s.tables, r.tables)) return false;
  if (r.table_tags.empty()) return true;
  auto tags = TagsOf(c, s);
  if (!tags.ok()) return tags.error();
  for (const auto& [key, value] : r.table_tags) {
    auto it = tags->find(key);
    if (it == tags->end() || !it->second.count(value)) return false;
  }
  return true;
}

}  // namespace

json RuledDecision::ToJson() const {
  json out = {{"SubscriptionId", subscription_id}, {"Decision", decision}, {"Rule", rule}};
  if (expires_at) out["ExpiresAt"] = *expires_at;
  return out;
}

json RuledDecisions::ToJson() const {
  json out = json::array();
  for (const auto& d : decisions) out.push_back(d.ToJson());
  return {{"Decisions", out}};
}

Outcome<RuledDecisions> Producer::ProcessRequests(const DecisionRules& rules) {
  auto pending = ListPendingAccessRequests();
  if (!pending.ok()) return pending.error();
  auto c = mesh::ProducerSessions(session_);
  if (!c.ok()) return c.error();
  auto tracker = mesh::TrackerOf(*c);
  RuledDecisions out;
  for (const auto& p : pending->subscriptions) {
    auto s = tracker.GetAsOwner(p.subscription_id, c->account);
    if (!s.ok()) return s.error();
    RuledDecision d{s->id, "pending", "", std::nullopt};
    if (rules.require_reason && s->request_reason.empty()) {
      auto denied = DenyAccessRequest(s->id, std::string("rule require_reason: a request must say why"));
      if (!denied.ok()) return denied.error();
      d.decision = "denied";
      d.rule = "require_reason";
      out.decisions.push_back(d);
      continue;
    }
    for (const auto& r : rules.rules) {
      auto matched = Matches(*c, r, *s);
      if (!matched.ok()) return matched.error();
      if (!*matched) continue;
      const std::string note = "rule " + r.name + (r.note.empty() ? "" : ": " + r.note);
      d.rule = r.name;
      if (r.decision == DecisionRule::Decision::kDeny) {
        auto denied = DenyAccessRequest(s->id, note);
        if (!denied.ok()) return denied.error();
        d.decision = "denied";
        break;
      }
      // An approval lasts as the rule says, and never longer than the rules' cap.
      std::optional<std::chrono::seconds> lasts = r.expires_in;
      if (rules.max_expiry && (!lasts || *lasts > *rules.max_expiry)) lasts = rules.max_expiry;
      ApproveOptions o;
      o.request_id = s->id;
      o.decision_notes = note;
      if (lasts) o.expires_at = TimeAfter(session_->clock()->Now(), *lasts);
      auto approved = ApproveAccessRequest(o);
      if (!approved.ok()) return approved.error();
      d.decision = "approved";
      d.expires_at = o.expires_at;
      break;
    }
    out.decisions.push_back(d);
  }
  return out;
}

}  // namespace datamesh
