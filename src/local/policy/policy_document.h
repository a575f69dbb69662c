// IAM policy documents: parsed and checked against the policy grammar as IAM, STS and S3 check
// them, with the error messages AWS gives. Identity policies name no principal; trust and
// resource policies (bucket, Glue catalog) must.
#pragma once

#include <string>
#include <vector>

#include "aws/model/service_model.h"
#include "datamesh/outcome.h"

namespace datamesh::local {

using aws::Json;

enum class PolicyKind {
  kIdentity,  // attached to users, groups, roles
  kTrust,     // a role's AssumeRolePolicyDocument
  kResource,  // bucket policies, the Glue catalog policy
};

struct PolicyPrincipals {
  bool everyone = false;               // "*" or {"AWS": "*"}
  std::vector<std::string> aws;        // account ids, root/user/role/session ARNs
  std::vector<std::string> services;   // "lakeformation.amazonaws.com", ...
  std::vector<std::string> federated;
};

struct ConditionClause {
  std::string op;    // e.g. "StringEquals", "ForAnyValue:StringLike", "ArnLikeIfExists"
  std::string key;   // e.g. "sts:ExternalId" (compared case-insensitively)
  std::vector<std::string> values;
};

struct PolicyStatement {
  std::string sid;
  bool allow = true;
  std::vector<std::string> actions;
  bool not_action = false;
  std::vector<std::string> resources;
  bool not_resource = false;
  bool has_resource = false;
  PolicyPrincipals principals;
  bool not_principal = false;
  bool has_principal = false;
  std::vector<ConditionClause> conditions;
};

struct PolicyDocument {
  std::string version;
  std::vector<PolicyStatement> statements;
};

// Parses `text`; an error is MalformedPolicyDocument (IAM's code; S3 callers rename it) with a
// message naming the problem.
Outcome<PolicyDocument> ParsePolicyDocument(const std::string& text, PolicyKind kind);

// Policy size as IAM counts it: characters other than whitespace.
size_t PolicySizeWithoutWhitespace(const std::string& text);

}  // namespace datamesh::local
