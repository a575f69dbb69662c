// IAM entities as the local IAM service stores them: documents in the shape of the API's output
// (Role, User, Group, Policy) plus internal fields (AttachedPolicies, InlinePolicies, Groups,
// Versions). Names are unique without regard to case, as in IAM, so keys are lower-cased.
#pragma once

#include <optional>
#include <string>

#include "local/core/local_service.h"
#include "local/iam/iam_store.h"

namespace datamesh::local::iam {

std::string NameKey(const std::string& name);

std::optional<Json> LoadEntity(RequestContext& ctx, const char* kind, const std::string& name);
void SaveEntity(RequestContext& ctx, const char* kind, const Json& doc, const char* name_field);

// The API output shape of a stored entity (internal fields dropped).
Json RoleOutput(const Json& role);
Json UserOutput(const Json& user);
Json GroupOutput(const Json& group);
Json PolicyOutput(const Json& policy);

Error NoSuchEntity(const std::string& message);
Error EntityAlreadyExists(const std::string& message);
Error LimitExceeded(const std::string& message);
Error InvalidInput(const std::string& message);
Error IamValidationError(const std::string& message);

// Checks an identity policy document (grammar and size). `quota_name` names the limit in errors.
Status CheckIdentityPolicy(const std::string& text, size_t max_size, const std::string& limit_message);
// Checks a trust policy, including that the roles and users it names exist.
Status CheckTrustPolicy(RequestContext& ctx, const std::string& text);

// Marker/MaxItems paging over `items`: the page, and the IsTruncated/Marker fields set in `out`.
Outcome<Json> Page(const Json& items, const Json& input, Json& out);

// Tags as given (validated: at most 50, unique keys).
Outcome<Json> CheckTags(const Json& input);

// The IAM ARN of the entity `kind` ("role", "user", "group", "policy") in the caller's account.
std::string CallerArn(RequestContext& ctx, const std::string& kind, const std::string& path,
                      const std::string& name);

}  // namespace datamesh::local::iam
