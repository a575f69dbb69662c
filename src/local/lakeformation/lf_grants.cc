#include "local/lakeformation/lf_grants.h"

#include <regex>

#include "local/core/arn.h"
#include "local/core/local_service.h"
#include "local/ram/ram_state.h"

namespace datamesh::local::lf {
namespace {

Error Invalid(const std::string& message) { return ServiceFault("InvalidInputException", message, 400); }

std::string KindName(CatalogResource::Kind kind) {
  switch (kind) {
    case CatalogResource::Kind::kCatalog: return "Catalog";
    case CatalogResource::Kind::kDatabase: return "Database";
    case CatalogResource::Kind::kTable:
    case CatalogResource::Kind::kTableWildcard: return "Table";
    case CatalogResource::Kind::kColumns: return "TableWithColumns";
    case CatalogResource::Kind::kDataLocation: return "DataLocation";
    case CatalogResource::Kind::kLfTag: return "LFTag";
  }
  return "";
}

// The account a principal identifier belongs to ("" for IAM_ALLOWED_PRINCIPALS and the like).
std::string AccountOf(const std::string& principal) {
  if (IsAccountId(principal)) return principal;
  auto arn = Arn::Parse(principal);
  return arn ? arn->account : "";
}

Status CheckPrincipal(const std::string& principal) {
  if (principal == kIamAllowedPrincipals || IsAccountId(principal)) return OkStatus();
  auto arn = Arn::Parse(principal);
  if (arn && arn->service == "iam" && IsAccountId(arn->account) &&
      (arn->resource.rfind("user/", 0) == 0 || arn->resource.rfind("role/", 0) == 0 ||
       arn->resource.rfind("saml-provider/", 0) == 0 || arn->resource.rfind("group/", 0) == 0)) {
    return OkStatus();
  }
  if (principal.rfind("arn:aws:organizations::", 0) == 0) return OkStatus();
  return Invalid("Invalid principal: " + principal);
}

Status CheckExists(RequestContext& ctx, const CatalogResource& r) {
  auto missing = [](const std::string& what) { return ServiceFault("EntityNotFoundException", what, 400); };
  const Scope scope{r.catalog, ctx.region};
  switch (r.kind) {
    case CatalogResource::Kind::kCatalog:
      return OkStatus();
    case CatalogResource::Kind::kDatabase:
    case CatalogResource::Kind::kTableWildcard:
      if (!ctx.tx.Get(scope, "glue_database", r.database)) return missing("Database not found");
      return OkStatus();
    case CatalogResource::Kind::kTable:
    case CatalogResource::Kind::kColumns:
      if (!ctx.tx.Get(scope, "glue_database", r.database)) return missing("Database not found");
      if (!ctx.tx.Get(scope, "glue_table", r.database + "/" + r.table)) return missing("Table not found");
      return OkStatus();
    case CatalogResource::Kind::kDataLocation:
      if (!ctx.tx.Get(scope, "lf_location", r.location)) {
        return Invalid("Location " + r.location + " is not registered with Lake Formation.");
      }
      return OkStatus();
    case CatalogResource::Kind::kLfTag:
      if (!ctx.tx.Get(scope, "lf_tag", r.tag_key)) return missing("Tag key does not exist");
      return OkStatus();
  }
  return OkStatus();
}

Error NotAuthorized() {
  return ServiceFault("AccessDeniedException",
                      "Resource does not exist or requester is not authorized to access requested permissions.", 400);
}

}  // namespace

Outcome<GrantRequest> ReadGrantRequest(const Json& entry, const std::string& default_catalog) {
  GrantRequest g;
  g.principal = entry.contains("Principal") ? entry["Principal"].value("DataLakePrincipalIdentifier", "") : "";
  if (g.principal.empty()) return Invalid("Principal is required.");
  if (auto s = CheckPrincipal(g.principal); !s.ok()) return s.error();
  auto resource = ReadResource(entry["Resource"], default_catalog);
  if (!resource.ok()) return resource.error();
  g.resource = *resource;
  for (const auto& p : entry.value("Permissions", Json::array())) g.permissions.insert(p);
  for (const auto& p : entry.value("PermissionsWithGrantOption", Json::array())) g.grantable.insert(p);
  const auto& valid = ValidPermissions(g.resource.kind);
  for (const auto* set : {&g.permissions, &g.grantable}) {
    for (const auto& p : *set) {
      if (!valid.count(p)) {
        return Invalid("Please grant only valid Lake Formation permissions. [" + p + "] are not all valid Lake "
                       "Formation permissions for a " + KindName(g.resource.kind) + " resource.");
      }
    }
  }
  // Grant options must come with the permissions themselves.
  std::set<std::string> granted = Expand(g.permissions, g.resource.kind);
  for (const auto& p : g.grantable) {
    if (!g.permissions.empty() && !granted.count(p) && !(p == "ALL" && g.permissions.count("ALL"))) {
      return Invalid("Permissions with grant option must be a subset of the permissions granted: " + p + " is not granted.");
    }
  }
  return g;
}

Status ApplyGrant(RequestContext& ctx, const GrantRequest& request) {
  if (request.permissions.empty()) return Invalid("Permissions to grant must not be empty.");
  if (auto s = CheckExists(ctx, request.resource); !s.ok()) return s;
  Access access(ctx);
  std::set<std::string> may = access.Grantable(request.resource);
  std::set<std::string> wanted = Expand(request.permissions, request.resource.kind);
  std::set<std::string> wanted_grantable = Expand(request.grantable, request.resource.kind);
  wanted.insert(wanted_grantable.begin(), wanted_grantable.end());
  for (const auto& p : wanted) {
    if (!may.count(p)) return NotAuthorized();
  }
  const std::string principal_account = AccountOf(request.principal);
  bool cross_account = !principal_account.empty() && principal_account != request.resource.catalog;
  if (request.resource.catalog != ctx.caller.account && !principal_account.empty() &&
      principal_account != ctx.caller.account) {
    return Invalid("Permissions on a resource shared with this account can be granted only to principals of this account.");
  }
  const Scope scope{ctx.caller.account, ctx.region};
  Grant g = LoadGrant(ctx.tx, scope, request.principal, request.resource).value_or(Grant{request.principal, request.resource, {}, {}});
  g.permissions.insert(request.permissions.begin(), request.permissions.end());
  g.grantable.insert(request.grantable.begin(), request.grantable.end());
  SaveGrant(ctx.tx, scope, g);
  if (cross_account && request.resource.catalog == ctx.caller.account &&
      request.resource.kind != CatalogResource::Kind::kDataLocation && request.resource.kind != CatalogResource::Kind::kLfTag) {
    ram::ShareWith(ctx.tx, ctx.caller.account, ctx.region, request.resource.GlueArn(ctx.region), principal_account, ctx.now);
  }
  return OkStatus();
}

Status ApplyRevoke(RequestContext& ctx, const GrantRequest& request) {
  if (auto s = CheckExists(ctx, request.resource); !s.ok()) return s;
  Access access(ctx);
  std::set<std::string> may = access.Grantable(request.resource);
  for (const auto& p : Expand(request.permissions, request.resource.kind)) {
    if (!may.count(p)) return NotAuthorized();
  }
  const Scope scope{ctx.caller.account, ctx.region};
  auto g = LoadGrant(ctx.tx, scope, request.principal, request.resource);
  bool removed = false;
  if (g) {
    for (const auto& p : request.permissions) {
      removed |= g->permissions.erase(p) > 0;
      removed |= g->grantable.erase(p) > 0;  // a permission revoked takes its grant option along
    }
    for (const auto& p : request.grantable) removed |= g->grantable.erase(p) > 0;
  }
  if (!removed) {
    return Invalid("No permissions revoked. Grantee has no permissions and no grantable permissions on resource.");
  }
  SaveGrant(ctx.tx, scope, *g);
  const std::string principal_account = AccountOf(request.principal);
  if (!principal_account.empty() && principal_account != request.resource.catalog && g->permissions.empty() &&
      g->grantable.empty()) {
    // Nothing left for that account on what the share carries: it leaves the share. A table's
    // grants and its column-level grants travel in one share (the table's), so any of them keeps
    // the account in it.
    const std::string shared = request.resource.GlueArn(ctx.region);
    bool still_shared = false;
    const CatalogResource& r = request.resource;
    for (const auto& other : GrantsWithin(ctx.tx, scope, r.catalog, r.database, r.table)) {
      still_shared |= AccountOf(other.principal) == principal_account && other.resource.GlueArn(ctx.region) == shared &&
                      (!other.permissions.empty() || !other.grantable.empty());
    }
    if (!still_shared) {
      ram::Unshare(ctx.tx, ctx.caller.account, ctx.region, request.resource.GlueArn(ctx.region), principal_account, ctx.now);
    }
  }
  return OkStatus();
}

void GrantCreatorAndDefaults(RequestContext& ctx, const CatalogResource& resource, const Json& defaults) {
  const Scope scope{resource.catalog, ctx.region};
  // Creators hold everything on what they create, grantable; ListPermissions shows ALL together
  // with each permission it stands for.
  const std::set<std::string> all = Expand({"ALL"}, resource.kind);
  for (const auto& id : PrincipalIdentifiers(ctx.caller)) SaveGrant(ctx.tx, scope, Grant{id, resource, all, all});
  for (const auto& d : defaults) {
    std::string principal = d["Principal"].value("DataLakePrincipalIdentifier", "");
    if (principal.empty()) continue;
    Grant g = LoadGrant(ctx.tx, scope, principal, resource).value_or(Grant{principal, resource, {}, {}});
    for (const auto& p : d.value("Permissions", Json::array())) {
      if (ValidPermissions(resource.kind).count(p)) g.permissions.insert(p);
    }
    SaveGrant(ctx.tx, scope, g);
  }
}

void ForgetResourceGrants(RequestContext& ctx, const std::string& catalog, const std::string& database,
                          const std::string& table) {
  const Scope scope{catalog, ctx.region};
  for (auto g : GrantsWithin(ctx.tx, scope, catalog, database,
                             table.empty() ? std::nullopt : std::optional<std::string>(table))) {
    g.permissions.clear();
    g.grantable.clear();
    SaveGrant(ctx.tx, scope, g);
  }
}

}  // namespace datamesh::local::lf
