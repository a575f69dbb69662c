// ListRoles, ListUsers, ListGroups and ListPolicies: an account's entities by path prefix, paged
// with Marker and MaxItems (1-1000, 100 by default) as the IAM API Reference describes, and without
// what the references say the lists leave out (ListRoles: PermissionsBoundary, RoleLastUsed, Tags;
// ListUsers: PermissionsBoundary, Tags; ListPolicies: Tags).
#include <map>

#include "aws/core/encoding.h"
#include "local/iam/iam_entities.h"
#include "local/iam/iam_service.h"
#include "local/policy/authorizer.h"

namespace datamesh::local::iam {
namespace {

// Pages an entity kind by its stored key: the Marker is the last key a page read, so that a page
// costs what it returns.
Outcome<Json> MarkerPage(RequestContext& ctx, const char* kind, const Json& in, const char* list_name,
                          const std::function<std::optional<Json>(Json doc)>& select) {
  std::string after;
  if (in.contains("Marker")) {
    auto key = aws::Base64Decode(in["Marker"].get<std::string>());
    if (!key || key->empty()) return IamValidationError("Invalid Marker.");
    after = *key;
  }
  KeyPage page = PageByKey(ctx.tx, IamScope(ctx.caller.account), kind, "", after, in.value("MaxItems", 100), select);
  Json out = {{list_name, std::move(page.items)}, {"IsTruncated", page.resume_after.has_value()}};
  if (page.resume_after) out["Marker"] = aws::Base64Encode(*page.resume_after);
  return out;
}

bool UnderPath(const Json& entity, const Json& in) {
  return entity.value("Path", "/").rfind(in.value("PathPrefix", "/"), 0) == 0;
}

Status MayList(RequestContext& ctx, const std::string& action) {
  // The list actions have no resource type in the Service Authorization Reference: "*".
  return Authorize(ctx, action, "*");
}

}  // namespace

Outcome<Json> ListRoles(const Json& in, RequestContext& ctx) {
  if (auto s = MayList(ctx, "iam:ListRoles"); !s.ok()) return s.error();
  return MarkerPage(ctx, kinds::kRole, in, "Roles", [&](Json role) -> std::optional<Json> {
    if (!UnderPath(role, in)) return std::nullopt;
    Json out = RoleOutput(role);
    for (const char* left_out : {"PermissionsBoundary", "RoleLastUsed", "Tags"}) out.erase(left_out);
    return out;
  });
}

Outcome<Json> ListUsers(const Json& in, RequestContext& ctx) {
  if (auto s = MayList(ctx, "iam:ListUsers"); !s.ok()) return s.error();
  return MarkerPage(ctx, kinds::kUser, in, "Users", [&](Json user) -> std::optional<Json> {
    if (!UnderPath(user, in)) return std::nullopt;
    Json out = UserOutput(user);
    for (const char* left_out : {"PermissionsBoundary", "Tags"}) out.erase(left_out);
    return out;
  });
}

Outcome<Json> ListGroups(const Json& in, RequestContext& ctx) {
  if (auto s = MayList(ctx, "iam:ListGroups"); !s.ok()) return s.error();
  return MarkerPage(ctx, kinds::kGroup, in, "Groups", [&](Json group) -> std::optional<Json> {
    if (!UnderPath(group, in)) return std::nullopt;
    return GroupOutput(group);
  });
}

// Scope Local: the account's customer managed policies; AWS: the AWS managed policies the local
// mesh knows; All (the default): both, AWS's first, each in name order.
Outcome<Json> ListPolicies(const Json& in, RequestContext& ctx) {
  if (auto s = MayList(ctx, "iam:ListPolicies"); !s.ok()) return s.error();
  const std::string scope = in.value("Scope", "All");
  const std::string usage = in.value("PolicyUsageFilter", "");
  // The policies that are some role's or user's permissions boundary, and how often.
  std::map<std::string, int> boundaries;
  for (const char* kind : {kinds::kRole, kinds::kUser}) {
    for (auto& [key, entity] : ctx.tx.List(IamScope(ctx.caller.account), kind)) {
      if (entity.contains("PermissionsBoundary")) ++boundaries[entity["PermissionsBoundary"].value("PermissionsBoundaryArn", "")];
    }
  }
  auto wanted = [&](Json& policy) {
    if (!UnderPath(policy, in)) return false;
    policy["PermissionsBoundaryUsageCount"] = boundaries.count(policy["Arn"]) ? boundaries[policy["Arn"]] : 0;
    if (in.value("OnlyAttached", false) && policy.value("AttachmentCount", 0) == 0) return false;
    // PermissionsBoundary: the policies set as a boundary; PermissionsPolicy: every managed policy
    // may serve as a permissions policy.
    if (usage == "PermissionsBoundary" && policy["PermissionsBoundaryUsageCount"] == 0) return false;
    return true;
  };
  Json items = Json::array();
  if (scope != "Local") {
    for (Json policy : AwsManagedPolicies()) {
      if (!wanted(policy)) continue;
      policy.erase("Document");
      items.push_back(PolicyOutput(policy));
    }
  }
  if (scope != "AWS") {
    for (auto& [key, stored] : ctx.tx.List(IamScope(ctx.caller.account), kinds::kPolicy)) {
      Json policy = stored;
      if (!wanted(policy)) continue;
      Json out = PolicyOutput(policy);
      out.erase("Tags");
      items.push_back(out);
    }
  }
  Json out = Json::object();
  auto page = Page(items, in, out);
  if (!page.ok()) return page.error();
  out["Policies"] = *page;
  return out;
}

}  // namespace datamesh::local::iam
