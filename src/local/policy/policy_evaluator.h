// Evaluates IAM policies for one request, following AWS's logic: an explicit Deny in any policy
// wins; otherwise something must Allow. Identity policies apply to their holder; resource and
// trust policies must also match the caller as a principal.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "local/core/principal.h"
#include "local/policy/policy_document.h"

namespace datamesh::local {

enum class Decision { kNotApplicable, kAllow, kDeny };

// How a resource policy named the caller: a specific principal (user, role or session ARN)
// allows on its own within the account; an account ("123456789012", ":root") or "*" still needs
// the caller's own identity policy to allow.
enum class PrincipalMatch { kNone, kAccount, kSpecific };

struct RequestFacts {
  std::string action;    // "sts:AssumeRole", "iam:CreateRole", ...
  std::string resource;  // the ARN acted on
  const Principal* caller = nullptr;
  // Condition keys (lower-case names) and their values.
  std::map<std::string, std::vector<std::string>> context;
};

struct ResourcePolicyResult {
  Decision decision = Decision::kNotApplicable;
  PrincipalMatch match = PrincipalMatch::kNone;  // how the allowing statement named the caller
};

// Identity policies: the holder is the caller, so no principal matching.
Decision EvaluateIdentityPolicies(const std::vector<PolicyDocument>& policies, const RequestFacts& facts);

// A trust or resource policy.
ResourcePolicyResult EvaluateResourcePolicy(const PolicyDocument& policy, const RequestFacts& facts);

// Whether `pattern` (with * and ?) matches `text`.
bool WildcardMatch(const std::string& pattern, const std::string& text, bool ignore_case);

// The request context keys AWS sets for every request from `caller`.
std::map<std::string, std::vector<std::string>> GlobalConditionKeys(const Principal& caller);

}  // namespace datamesh::local
