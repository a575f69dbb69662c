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

// The longest a decision may give access for, as a span (100 years): no span beyond it is meant,
// and a date that far out would pass the limits of the clock's arithmetic.
inline constexpr std::chrono::hours kLongestExpirySpan{24 * 36500};

// What is wrong with `span` as how long access is to last ("must be ..."), or nothing: the one
// check behind the library's expires_in, the CLI's --expires-in and a rules file's spans.
inline std::optional<std::string> ExpirySpanProblem(std::chrono::seconds span) {
  if (span.count() <= 0) return "must be longer than 0s";
  if (span > kLongestExpirySpan) return "must be at most 36500d (100 years)";
  return std::nullopt;
}

struct DecisionRule {
  enum class Decision { kApprove, kDeny };
  std::string name;
  Decision decision = Decision::kApprove;
  // What a request must be for the rule to match; unset conditions match anything.
  std::optional<std::set<std::string>> permissions_within;  // every requested permission is one of these
  std::optional<std::set<std::string>> subscribers;         // the consumer account is one of these
  std::optional<std::set<std::string>> databases;           // the mesh database is one of these
  // The tables the rule is about: named here, and carrying each of these LF-tag values. The
  // request's table entries (names or regular expressions) are resolved to the database's tables
  // first. An approving rule matches when every requested table is one it is about, a denying
  // rule when any is (a request that reaches a denied table is denied whole).
  std::optional<std::set<std::string>> tables;
  std::map<std::string, std::string> table_tags;
  std::optional<std::chrono::seconds> expires_in;           // an approval's access lasts this long
  std::string note;                                         // kept with the decision, after the rule's name
};

struct DecisionRules {
  bool require_reason = false;                     // a request without a reason is denied
  bool require_decision_notes = false;             // a decision by hand must say why (Producer::UseRules)
  std::optional<std::chrono::seconds> max_expiry;  // no approval by rule lasts longer (nor forever)
  std::vector<DecisionRule> rules;
};

// What ProcessRequests did with one pending request.
struct RuledDecision {
  std::string subscription_id;
  std::string decision;  // "approved", "denied", "pending" (no rule matched) or "failed" (see error)
  std::string rule;      // the rule that decided ("require_reason" for a missing reason), or ""
  std::optional<std::string> expires_at;
  // Why a failed request could not be decided (it stays pending); or, beside a decision, that the
  // decision is recorded but its grants did not finish (the next producer workflow finishes them).
  std::string error;
  bool retryable = false;  // the failure may pass (throttling, a transient fault, a race): try again

  // {"SubscriptionId", "Decision", "Rule", "ExpiresAt"?, "Error"?}
  nlohmann::json ToJson() const;
};

struct RuledDecisions {
  std::vector<RuledDecision> decisions;
  // How many requests could not be decided.
  size_t failed() const;
  // {"Decisions": [...]}
  nlohmann::json ToJson() const;
};

}  // namespace datamesh
