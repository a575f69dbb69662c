// Where IAM and STS keep their entities in the local mesh store, and the look-ups every service
// needs: access keys and sessions by id, and a principal's identity policies.
#pragma once

#include <optional>
#include <vector>

#include "aws/core/clock.h"
#include "local/core/principal.h"
#include "local/policy/policy_document.h"
#include "local/store/store.h"

namespace datamesh::local {

namespace kinds {
inline constexpr char kAccount[] = "account";        // global: key = account id
inline constexpr char kAccessKey[] = "access_key";   // global: key = AKIA...
inline constexpr char kSession[] = "sts_session";    // global: key = ASIA...
inline constexpr char kUser[] = "iam_user";          // per account: key = user name
inline constexpr char kGroup[] = "iam_group";        // per account: key = group name
inline constexpr char kRole[] = "iam_role";          // per account: key = role name
inline constexpr char kPolicy[] = "iam_policy";      // per account: key = policy name
}  // namespace kinds

// IAM is global: its entities live in the account's scope with no region.
inline Scope IamScope(const std::string& account) { return {account, ""}; }

// An AWS managed policy (arn:aws:iam::aws:policy/...) as a GetPolicy-shaped document with its
// default version's text in "Document"; nullopt when we do not know it.
std::optional<Json> AwsManagedPolicy(const std::string& arn);
// Every AWS managed policy the local mesh knows, in name order, in that shape.
std::vector<Json> AwsManagedPolicies();

// The default version's document of a managed policy (customer or AWS), if it exists.
std::optional<std::string> ManagedPolicyDocument(Transaction& tx, const std::string& arn);

// Every identity policy that applies to `caller` (attached and inline, of the user and its
// groups, or of the assumed role). Documents that no longer parse are skipped.
std::vector<PolicyDocument> IdentityPoliciesOf(Transaction& tx, const Principal& caller);

// The permissions boundary of the caller's role or user, when it has one ("Permissions boundaries
// for IAM entities", IAM User Guide: the effective permissions are what both the identity policies
// and the boundary allow). A boundary whose policy is gone allows nothing.
std::optional<PolicyDocument> PermissionsBoundaryOf(Transaction& tx, const Principal& caller);

// The principal an access key stands for; nullopt for an unknown key.
struct KeyOwner {
  Principal principal;
  std::string secret;
  std::string session_token;              // empty for long-term keys
  std::optional<aws::SystemTime> expires;  // sessions only
  bool active = true;
};
std::optional<KeyOwner> FindKeyOwner(Transaction& tx, const std::string& access_key_id);

// Whether an account exists in this local mesh.
bool AccountExists(Transaction& tx, const std::string& account);

}  // namespace datamesh::local
