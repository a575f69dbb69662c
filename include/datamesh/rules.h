// A producer's rules for routine decisions: requests that match a rule are approved or denied by
// it (the first that matches, in order), each decision noting the rule; the others wait for a
// person. Written as a YAML or JSON file (the CLI's --rules reads it; see src/cli/rules_file.h).
#pragma once

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace datamesh {

struct DecisionRule {
  enum class Decision { kApprove, kDeny };
  std::string name;
  Decision decision = Decision::kApprove;
  // What a request must be for the rule to match; unset conditions match anything.
  std::optional<std::set<std::string>> permissions_within;  // every requested permission is one of these
  std::optional<std::set<std::string>> subscribers;         // the consumer account is one of these
  std::optional<std::set<std::string>> databases;           // the mesh database is one of these
  std::optional<std::set<std::string>> tables;              // every requested table entry is one of these
  std::map<std::string, std::string> table_tags;            // some requested table carries each LF-tag value
  std::optional<std::chrono::seconds> expires_in;           // an approval's access lasts this long
  std::string note;                                         // kept with the decision, after the rule's name
};

struct DecisionRules {
  bool require_reason = false;                     // a request without a reason is denied
  bool require_decision_notes = false;             // a decision by hand must say why (--rules)
  std::optional<std::chrono::seconds> max_expiry;  // no approval by rule lasts longer (nor forever)
  std::vector<DecisionRule> rules;
};

// What ProcessRequests did with one pending request.
struct RuledDecision {
  std::string subscription_id;
  std::string decision;  // "approved", "denied", or "pending" (no rule matched)
  std::string rule;      // the rule that decided ("require_reason" for a missing reason), or ""
  std::optional<std::string> expires_at;

  // {"SubscriptionId", "Decision", "Rule", "ExpiresAt"?}
  nlohmann::json ToJson() const;
};

struct RuledDecisions {
  std::vector<RuledDecision> decisions;
  // {"Decisions": [...]}
  nlohmann::json ToJson() const;
};

}  // namespace datamesh
