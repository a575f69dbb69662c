// Changing grants: the rules every grant and revoke follows (valid permissions per resource,
// grant options as a subset, who may grant), the RAM shares that cross-account grants create,
// and the grants that creating a database or table makes by itself.
#pragma once

#include "local/lakeformation/lf_access.h"

namespace datamesh::local::lf {

// A GrantPermissions / RevokePermissions entry.
struct GrantRequest {
  std::string principal;
  CatalogResource resource;
  std::set<std::string> permissions;
  std::set<std::string> grantable;
};

// Reads and checks an entry (permissions valid for the resource, grant options a subset).
Outcome<GrantRequest> ReadGrantRequest(const Json& entry, const std::string& default_catalog);

// Applies a grant after checking that the caller may make it and that the resource exists.
Status ApplyGrant(RequestContext& ctx, const GrantRequest& request);
// Applies a revoke; revoking what is not held is InvalidInputException ("No permissions revoked").
Status ApplyRevoke(RequestContext& ctx, const GrantRequest& request);

// The creator's grants on a new database or table, plus its default permissions.
void GrantCreatorAndDefaults(RequestContext& ctx, const CatalogResource& resource, const Json& defaults);

// Drops every grant on a deleted database (table empty) or table, in its catalog's account.
void ForgetResourceGrants(RequestContext& ctx, const std::string& catalog, const std::string& database,
                          const std::string& table);

}  // namespace datamesh::local::lf
