// Making IAM objects exist exactly as the mesh needs them: created when missing, brought in line
// when they differ (trust policies replaced, managed policies given a new default version), left
// alone when they match. Every object is tagged Solution=DataMeshUtils where IAM allows tags.
#pragma once

#include <string>

#include "aws/iam/iam_client.h"

namespace datamesh::mesh {

using aws::Json;

// The role's ARN. `trust_policy` replaces the role's trust policy when it differs.
Outcome<std::string> EnsureRole(aws::IamClient& iam, const std::string& name, const std::string& trust_policy,
                                const std::string& description);

// The policy's ARN. A changed document becomes a new default version (the oldest non-default
// version is removed first when the policy already has five).
Outcome<std::string> EnsureManagedPolicy(aws::IamClient& iam, const std::string& account, const std::string& name,
                                         const std::string& document, const std::string& description);

Status EnsureRolePolicyAttached(aws::IamClient& iam, const std::string& role, const std::string& policy_arn);

struct UserAndGroup {
  std::string user_arn;
  std::string group_arn;
};

// A user named like the role, in a group <role>Group whose policy Assume<role> lets it assume
// the role.
Outcome<UserAndGroup> EnsureUserAndGroup(aws::IamClient& iam, const std::string& account, const std::string& role,
                                         const std::string& role_arn);

// Whether two policy documents say the same (whitespace and key order aside).
bool SamePolicy(const std::string& a, const std::string& b);

// The trust policy letting `principals` (ARNs or account ids) assume a role.
std::string TrustPolicy(const std::vector<std::string>& principals);

// The principals an existing trust policy names under "AWS".
std::vector<std::string> TrustedPrincipals(const std::string& trust_policy);

}  // namespace datamesh::mesh
