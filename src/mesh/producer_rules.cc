// Producer::ProcessRequests: the producer's rules applied to its pending requests, all decided
// from one desk (one role chain, one read of the pending requests, each database's tables and each
// table's LF-tags read once).
#include <algorithm>
#include <map>

#include "datamesh/events.h"
#include "datamesh/producer.h"
#include "mesh/personas.h"
#include "mesh/producer_desk.h"
#include "mesh/subscription_tracker.h"

namespace datamesh {
namespace {

using nlohmann::json;
using TagValues = std::map<std::string, std::set<std::string>>;

bool AllWithin(const std::vector<std::string>& values, const std::optional<std::set<std::string>>& allowed) {
  if (!allowed) return true;
  return std::all_of(values.begin(), values.end(), [&](const std::string& v) { return allowed->count(v) > 0; });
}

// What the rules read of the mesh, read once per ProcessRequests: each database's tables and each
// table's LF-tags, as the producer's mesh role sees them (it made them).
class MeshFacts {
 public:
  explicit MeshFacts(mesh::PersonaSessions& c) : c_(c) {}

  // The request's table entries (names or regular expressions) resolved to the database's tables.
  Outcome<std::vector<std::string>> TablesOf(const Subscription& s) {
    auto it = tables_.find(s.database);
    if (it == tables_.end()) {
      auto glue = c_.mesh->Glue();
      auto listed = glue.GetTablesAllPages({{"DatabaseName", s.database}});
      if (!listed.ok()) return listed.error();
      it = tables_.emplace(s.database, (*listed)["TableList"]).first;
    }
    return mesh::ResolveTables(it->second, s);
  }

  Outcome<TagValues> TagsOf(const std::string& database, const std::string& table) {
    auto key = std::make_pair(database, table);
    if (auto it = tags_.find(key); it != tags_.end()) return it->second;
    auto on = c_.mesh->LakeFormation().GetResourceLFTags(
        {{"Resource", {{"Table", {{"DatabaseName", database}, {"Name", table}}}}}});
    if (!on.ok()) return on.error();
    TagValues tags;
    for (const auto& tag : on->value("LFTagsOnTable", json::array())) {
      for (const auto& v : tag.value("TagValues", json::array())) tags[tag.value("TagKey", "")].insert(v.get<std::string>());
    }
    return tags_.emplace(key, std::move(tags)).first->second;
  }

 private:
  mesh::PersonaSessions& c_;
  std::map<std::string, json> tables_;
  std::map<std::pair<std::string, std::string>, TagValues> tags_;
};

// Whether `table` is one the rule's table conditions name (by name, and by LF-tags).
Outcome<bool> TableMatches(MeshFacts& facts, const DecisionRule& r, const std::string& database, const std::string& table) {
  if (r.tables && !r.tables->count(table)) return false;
  if (r.table_tags.empty()) return true;
  auto tags = facts.TagsOf(database, table);
  if (!tags.ok()) return tags.error();
  for (const auto& [key, value] : r.table_tags) {
    auto it = tags->find(key);
    if (it == tags->end() || !it->second.count(value)) return false;
  }
  return true;
}

// An approving rule covers a request when every table it asks for is one the rule names; a denying
// rule, when any is: a request that reaches one denied table is denied whole.
Outcome<bool> Matches(MeshFacts& facts, const DecisionRule& r, const Subscription& s) {
  if (!AllWithin(s.requested_grants, r.permissions_within)) return false;
  if (r.subscribers && !r.subscribers->count(s.subscriber)) return false;
  if (r.databases && !r.databases->count(s.database)) return false;
  if (!r.tables && r.table_tags.empty()) return true;
  auto tables = facts.TablesOf(s);
  if (!tables.ok()) return tables.error();
  const bool every = r.decision == DecisionRule::Decision::kApprove;
  for (const auto& table : *tables) {
    auto one = TableMatches(facts, r, s.database, table);
    if (!one.ok()) return one.error();
    if (*one != every) return !every;
  }
  return every && !tables->empty();
}

// `d` made by `decision` (Deny or Approve with `note`): when it failed after the tracker recorded
// it (its grants did not finish), it stands, with the error (the producer's next sweep finishes
// the grants); when nothing was recorded, the error.
Outcome<RuledDecision> Made(mesh::ProducerDesk& desk, RuledDecision d, const Outcome<Subscription>& decision,
                            const std::string& note) {
  // An approval's end as recorded (a rule's span counts from the record); a denial gives none.
  const bool approved = d.decision == "approved";
  if (decision.ok()) {
    if (approved) d.expires_at = decision->expires_at;
    return d;
  }
  auto now = desk.tracker.GetAsOwner(d.subscription_id, desk.persona.account);
  const auto to = approved ? mesh::SubscriptionStatus::kActive : mesh::SubscriptionStatus::kDenied;
  if (now.ok() && now->status == to && !now->history.empty() && now->history.back().note == note) {
    if (approved) d.expires_at = now->expires_at;
    d.error = "recorded, but its grants did not finish (the next producer workflow finishes them): " +
              decision.error().ToString();
    return d;
  }
  return decision.error();
}

// The first rule that matches `s` decides it; none leaves it pending.
Outcome<RuledDecision> Decide(mesh::ProducerDesk& desk, MeshFacts& facts, const DecisionRules& rules, const Subscription& s) {
  RuledDecision d{s.id, "pending", "", std::nullopt, ""};
  if (rules.require_reason && s.request_reason.empty()) {
    const std::string note = "rule require_reason: a request must say why";
    d.decision = "denied";
    d.rule = "require_reason";
    return Made(desk, d, mesh::Deny(desk, s, note), note);
  }
  for (const auto& r : rules.rules) {
    auto matched = Matches(facts, r, s);
    if (!matched.ok()) return matched.error();
    if (!*matched) continue;
    const std::string note = "rule " + r.name + (r.note.empty() ? "" : ": " + r.note);
    d.rule = r.name;
    if (r.decision == DecisionRule::Decision::kDeny) {
      d.decision = "denied";
      return Made(desk, d, mesh::Deny(desk, s, note), note);
    }
    // An approval lasts as the rule says, and never longer than the rules' cap.
    std::optional<std::chrono::seconds> lasts = r.expires_in;
    if (rules.max_expiry && (!lasts || *lasts > *rules.max_expiry)) lasts = rules.max_expiry;
    ApproveOptions o;
    o.request_id = s.id;
    o.decision_notes = note;
    o.expires_in = lasts;  // counted from the decision's record
    // A rule that looked at the tables approves those tables, not others that appeared since.
    std::optional<std::vector<std::string>> decided_on;
    if (r.tables || !r.table_tags.empty()) {
      auto tables = facts.TablesOf(s);
      if (!tables.ok()) return tables.error();
      decided_on = std::move(*tables);
    }
    d.decision = "approved";
    return Made(desk, d, mesh::Approve(desk, s, o, decided_on), note);
  }
  return d;
}

}  // namespace

json RuledDecision::ToJson() const {
  json out = {{"SubscriptionId", subscription_id}, {"Decision", decision}, {"Rule", rule}};
  if (expires_at) out["ExpiresAt"] = *expires_at;
  if (!error.empty()) out["Error"] = error;
  return out;
}

json RuledDecisions::ToJson() const {
  json out = json::array();
  for (const auto& d : decisions) out.push_back(d.ToJson());
  return {{"Decisions", out}};
}

size_t RuledDecisions::failed() const {
  return std::count_if(decisions.begin(), decisions.end(), [](const RuledDecision& d) { return d.decision == "failed"; });
}

Outcome<RuledDecisions> Producer::ProcessRequests(const DecisionRules& rules) {
  auto desk = mesh::OpenDesk(session_);
  if (!desk.ok()) return desk.error();
  auto pending = desk->tracker.Pending(desk->persona.account);
  if (!pending.ok()) return pending.error();
  MeshFacts facts(desk->persona);
  RuledDecisions out;
  for (const auto& listed : *pending) {
    // A request that changes while it is decided (its consumer deletes or repeats it) is read
    // again and decided as it now stands; one that is no longer pending is not ours to decide.
    constexpr int kAttempts = 3;
    Subscription s = listed;
    for (int attempt = 1;; ++attempt) {
      auto d = Decide(*desk, facts, rules, s);
      if (d.ok()) {
        out.decisions.push_back(std::move(*d));
        break;
      }
      if (d.error().code() == "SubscriptionChanged" && attempt < kAttempts) {
        auto now = desk->tracker.GetAsOwner(s.id, desk->persona.account);
        if (now.ok() && now->status != mesh::SubscriptionStatus::kPending) break;
        if (now.ok()) {
          s = std::move(*now);
          continue;
        }
      }
      // One request that cannot be decided does not hold up the others.
      RuledDecision failed{s.id, "failed", "", std::nullopt, d.error().ToString()};
      failed.retryable =
          d.error().retryable() || d.error().code() == "SubscriptionChanged" || d.error().code() == "TablesChanged";
      out.decisions.push_back(std::move(failed));
      break;
    }
  }
  return out;
}

Outcome<RuledDecisions> Producer::ProcessRequests() {
  if (!rules_) return Error::Local("InvalidArgument", "no rules to process requests by: give the producer its rules first");
  return ProcessRequests(*rules_);
}

}  // namespace datamesh
