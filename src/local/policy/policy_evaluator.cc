#include "local/policy/policy_evaluator.h"

#include <algorithm>

#include "aws/http/headers.h"

namespace datamesh::local {
namespace {

using aws::ToLower;

bool AnyMatches(const std::vector<std::string>& patterns, const std::string& value, bool ignore_case) {
  return std::any_of(patterns.begin(), patterns.end(),
                     [&](const std::string& p) { return WildcardMatch(p, value, ignore_case); });
}

bool ActionMatches(const PolicyStatement& s, const std::string& action) {
  bool hit = AnyMatches(s.actions, action, true);
  return s.not_action ? !hit : hit;
}

bool ResourceMatches(const PolicyStatement& s, const std::string& resource) {
  if (!s.has_resource) return true;  // trust policies: the role itself
  bool hit = AnyMatches(s.resources, resource, false);
  return s.not_resource ? !hit : hit;
}

bool NumberCompare(const std::string& op, double a, double b) {
  if (op == "NumericEquals") return a == b;
  if (op == "NumericNotEquals") return a != b;
  if (op == "NumericLessThan") return a < b;
  if (op == "NumericLessThanEquals") return a <= b;
  if (op == "NumericGreaterThan") return a > b;
  if (op == "NumericGreaterThanEquals") return a >= b;
  return false;
}

// One value of the request against the clause's values, for operator `op` (no prefixes/suffixes).
// nullopt: the operator is not supported here.
std::optional<bool> ValueMatches(const std::string& op, const std::string& value,
                                 const std::vector<std::string>& wanted) {
  auto any = [&](auto pred) { return std::any_of(wanted.begin(), wanted.end(), pred); };
  if (op == "StringEquals" || op == "ArnEquals") return any([&](const std::string& w) { return w == value; });
  if (op == "StringNotEquals" || op == "ArnNotEquals") return !any([&](const std::string& w) { return w == value; });
  if (op == "StringEqualsIgnoreCase") return any([&](const std::string& w) { return aws::EqualsIgnoreCase(w, value); });
  if (op == "StringNotEqualsIgnoreCase") return !any([&](const std::string& w) { return aws::EqualsIgnoreCase(w, value); });
  if (op == "StringLike" || op == "ArnLike") return any([&](const std::string& w) { return WildcardMatch(w, value, false); });
  if (op == "StringNotLike" || op == "ArnNotLike") return !any([&](const std::string& w) { return WildcardMatch(w, value, false); });
  if (op == "Bool") return any([&](const std::string& w) { return ToLower(w) == ToLower(value); });
  if (op.rfind("Numeric", 0) == 0) {
    try {
      double v = std::stod(value);
      bool negated = op == "NumericNotEquals";
      bool hit = any([&](const std::string& w) { return NumberCompare(negated ? "NumericEquals" : op, v, std::stod(w)); });
      return negated ? !hit : hit;
    } catch (...) {
      return false;
    }
  }
  return std::nullopt;
}

bool IsNegated(const std::string& op) {
  return op.find("Not") != std::string::npos;
}

// Whether one condition clause holds. `allow`: the statement's effect, which decides how an
// operator this evaluator does not support counts (never in the caller's favour).
bool ClauseHolds(const ConditionClause& c, const RequestFacts& facts, bool allow) {
  std::string op = c.op;
  enum { kSingle, kAnyValue, kAllValues } set_mode = kSingle;
  if (op.rfind("ForAnyValue:", 0) == 0) {
    set_mode = kAnyValue;
    op = op.substr(12);
  } else if (op.rfind("ForAllValues:", 0) == 0) {
    set_mode = kAllValues;
    op = op.substr(13);
  }
  bool if_exists = op.size() > 8 && op.compare(op.size() - 8, 8, "IfExists") == 0;
  if (if_exists) op.resize(op.size() - 8);

  auto it = facts.context.find(ToLower(c.key));
  bool present = it != facts.context.end() && !it->second.empty();
  if (op == "Null") {
    bool want_absent = !c.values.empty() && ToLower(c.values[0]) == "true";
    return want_absent ? !present : present;
  }
  if (!present) {
    if (if_exists || set_mode == kAllValues) return true;
    return set_mode == kSingle && IsNegated(op);
  }
  const auto& values = it->second;
  auto check = [&](const std::string& v) -> bool {
    auto r = ValueMatches(op, v, c.values);
    return r ? *r : !allow;
  };
  if (set_mode == kAnyValue) return std::any_of(values.begin(), values.end(), check);
  if (set_mode == kAllValues) return std::all_of(values.begin(), values.end(), check);
  // A single-valued operator met by several values (a batch's dynamodb:LeadingKeys holds each
  // item's): the IAM User Guide asks for a set operator there, so we read it the strict way: an
  // Allow holds only when every value matches, a Deny when any does.
  return allow ? std::all_of(values.begin(), values.end(), check) : std::any_of(values.begin(), values.end(), check);
}

bool ConditionsHold(const PolicyStatement& s, const RequestFacts& facts) {
  return std::all_of(s.conditions.begin(), s.conditions.end(),
                     [&](const ConditionClause& c) { return ClauseHolds(c, facts, s.allow); });
}

PrincipalMatch MatchPrincipal(const PolicyPrincipals& p, const Principal& caller) {
  if (p.everyone) return PrincipalMatch::kAccount;
  PrincipalMatch best = PrincipalMatch::kNone;
  for (const auto& entry : p.aws) {
    if (entry == caller.account || entry == "arn:aws:iam::" + caller.account + ":root") {
      best = std::max(best, PrincipalMatch::kAccount);
    } else if (entry == caller.arn || (caller.is_role_session() && entry == caller.role_arn)) {
      return PrincipalMatch::kSpecific;
    }
  }
  return best;
}

}  // namespace

bool WildcardMatch(const std::string& pattern, const std::string& text, bool ignore_case) {
  size_t p = 0, t = 0, star = std::string::npos, mark = 0;
  auto eq = [&](char a, char b) {
    return ignore_case ? std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b))
                       : a == b;
  };
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || eq(pattern[p], text[t]))) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (star != std::string::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

std::map<std::string, std::vector<std::string>> GlobalConditionKeys(const Principal& caller) {
  std::map<std::string, std::vector<std::string>> keys;
  keys["aws:principalaccount"] = {caller.account};
  keys["aws:principalarn"] = {caller.is_role_session() ? caller.role_arn : caller.arn};
  keys["aws:userid"] = {caller.user_id};
  keys["aws:principaltype"] = {caller.is_role_session() ? "AssumedRole" : "User"};
  if (!caller.is_role_session()) keys["aws:username"] = {caller.name};
  keys["aws:securetransport"] = {"false"};
  return keys;
}

Decision EvaluateIdentityPolicies(const std::vector<PolicyDocument>& policies, const RequestFacts& facts) {
  Decision result = Decision::kNotApplicable;
  for (const auto& policy : policies) {
    for (const auto& s : policy.statements) {
      if (!ActionMatches(s, facts.action) || !ResourceMatches(s, facts.resource) || !ConditionsHold(s, facts)) {
        continue;
      }
      if (!s.allow) return Decision::kDeny;
      result = Decision::kAllow;
    }
  }
  return result;
}

ResourcePolicyResult EvaluateResourcePolicy(const PolicyDocument& policy, const RequestFacts& facts) {
  ResourcePolicyResult result;
  for (const auto& s : policy.statements) {
    if (!ActionMatches(s, facts.action) || !ResourceMatches(s, facts.resource)) continue;
    PrincipalMatch match = facts.caller ? MatchPrincipal(s.principals, *facts.caller) : PrincipalMatch::kNone;
    if (s.not_principal) match = match == PrincipalMatch::kNone ? PrincipalMatch::kAccount : PrincipalMatch::kNone;
    if (match == PrincipalMatch::kNone || !ConditionsHold(s, facts)) continue;
    if (!s.allow) return {Decision::kDeny, match};
    if (result.decision != Decision::kAllow || match > result.match) result = {Decision::kAllow, match};
  }
  return result;
}

}  // namespace datamesh::local
