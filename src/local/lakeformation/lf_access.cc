#include "local/lakeformation/lf_access.h"

#include <algorithm>

#include "local/ram/ram_state.h"

namespace datamesh::local::lf {
std::vector<CatalogResource> TableResources(const std::string& catalog, const std::string& database,
                                            const std::string& table) {
  CatalogResource t = TableResource(catalog, database, table);
  CatalogResource w = t;
  w.kind = CatalogResource::Kind::kTableWildcard;
  w.table.clear();
  return {t, w};
}

std::set<std::string> Access::Held(const Scope& scope, const std::vector<std::string>& principals,
                                   const CatalogResource& resource, bool grantable_only) {
  std::set<std::string> out;
  for (const auto& p : principals) {
    if (auto g = LoadGrant(ctx_.tx, scope, p, resource)) {
      for (const auto& perm : Expand(grantable_only ? g->grantable : g->permissions, resource.kind)) out.insert(perm);
    }
  }
  return out;
}

std::set<std::string> Access::SharedToCaller(const CatalogResource& resource, bool grantable_only) {
  const Scope owner{resource.catalog, ctx_.region};
  const std::string arn = resource.GlueArn(ctx_.region);
  if (!ram::Accepted(ctx_.tx, resource.catalog, ctx_.region, arn, ctx_.caller.account)) return {};
  std::set<std::string> to_account = Held(owner, {ctx_.caller.account}, resource, grantable_only);
  std::set<std::string> to_caller = Held(owner, PrincipalIdentifiers(ctx_.caller), resource, grantable_only);
  to_account.insert(to_caller.begin(), to_caller.end());
  return to_account;
}

bool Access::IsAdmin() { return IsDataLakeAdmin(ctx_.tx, {ctx_.caller.account, ctx_.region}, ctx_.caller); }

std::set<std::string> Access::Effective(const CatalogResource& resource) {
  const Scope own{ctx_.caller.account, ctx_.region};
  if (resource.catalog == ctx_.caller.account) {
    std::set<std::string> out = Held(own, PrincipalIdentifiers(ctx_.caller), resource, false);
    // IAM_ALLOWED_PRINCIPALS lets IAM alone decide: its permissions apply to every IAM principal.
    auto iam = Held(own, {kIamAllowedPrincipals}, resource, false);
    out.insert(iam.begin(), iam.end());
    return out;
  }
  // Another account's resource: only what it shared with this account, and within this account
  // only what an administrator here re-granted (administrators get all of it).
  std::set<std::string> shared = SharedToCaller(resource, false);
  if (shared.empty() || IsAdmin()) return shared;
  std::set<std::string> regranted = Held(own, PrincipalIdentifiers(ctx_.caller), resource, false);
  std::set<std::string> out;
  for (const auto& p : regranted) {
    if (shared.count(p)) out.insert(p);
  }
  return out;
}

std::set<std::string> Access::OnCatalog(const std::string& catalog) {
  CatalogResource r;
  r.catalog = catalog;
  std::set<std::string> out = Effective(r);
  if (catalog == ctx_.caller.account && IsAdmin()) out.insert({"CREATE_DATABASE", "DESCRIBE"});
  return out;
}

std::set<std::string> Access::OnDatabase(const std::string& catalog, const std::string& database) {
  std::set<std::string> out = Effective(DatabaseResource(catalog, database));
  if (catalog == ctx_.caller.account && IsAdmin()) out.insert("DESCRIBE");
  return out;
}

std::set<std::string> Access::OnTable(const std::string& catalog, const std::string& database, const std::string& table) {
  std::set<std::string> out;
  for (const auto& r : TableResources(catalog, database, table)) {
    auto p = Effective(r);
    out.insert(p.begin(), p.end());
  }
  // Column grants on the table make it visible and readable in part.
  const Scope granted_in{catalog == ctx_.caller.account ? catalog : ctx_.caller.account, ctx_.region};
  for (const auto& g : GrantsWithin(ctx_.tx, granted_in, catalog, database, table)) {
    if (g.resource.kind == CatalogResource::Kind::kColumns) {
      for (const auto& id : PrincipalIdentifiers(ctx_.caller)) {
        if (g.principal == id && !g.permissions.empty()) out.insert({"DESCRIBE", "SELECT"});
      }
    }
  }
  if (catalog == ctx_.caller.account && IsAdmin()) out.insert("DESCRIBE");
  return out;
}

bool Access::SeesDatabase(const std::string& catalog, const std::string& database) {
  if (!OnDatabase(catalog, database).empty()) return true;
  // A permission on any table of the database also shows the database.
  std::set<std::string> checked;
  for (const auto& g : GrantsWithin(ctx_.tx, {catalog, ctx_.region}, catalog, database, std::nullopt)) {
    bool table_level = g.resource.kind == CatalogResource::Kind::kTable ||
                       g.resource.kind == CatalogResource::Kind::kTableWildcard ||
                       g.resource.kind == CatalogResource::Kind::kColumns;
    if (table_level && checked.insert(g.resource.table).second && !OnTable(catalog, database, g.resource.table).empty()) {
      return true;
    }
  }
  return false;
}

std::set<std::string> Access::Grantable(const CatalogResource& resource) {
  const std::set<std::string>& all = ValidPermissions(resource.kind);
  if (resource.catalog == ctx_.caller.account) {
    if (IsAdmin()) return all;  // administrators may grant anything in their catalog
    return Held({ctx_.caller.account, ctx_.region}, PrincipalIdentifiers(ctx_.caller), resource, true);
  }
  // In a recipient account: administrators may re-grant what was shared grantable.
  std::set<std::string> grantable = SharedToCaller(resource, true);
  if (IsAdmin()) return grantable;
  std::set<std::string> mine = Held({ctx_.caller.account, ctx_.region}, PrincipalIdentifiers(ctx_.caller), resource, true);
  std::set<std::string> out;
  for (const auto& p : mine) {
    if (grantable.count(p)) out.insert(p);
  }
  return out;
}

TagVisibility::TagVisibility(RequestContext& ctx) : ctx_(ctx), ids_(PrincipalIdentifiers(ctx.caller)) {
  Access access(ctx);
  admin_ = access.IsAdmin();
}

bool TagVisibility::Granted(const std::string& catalog, const std::string& key, bool account_too) {
  auto it = grants_.find(catalog);
  if (it == grants_.end()) {
    it = grants_.emplace(catalog, GrantsWithin(ctx_.tx, {catalog, ctx_.region}, catalog, "", "")).first;
  }
  for (const auto& g : it->second) {
    if (g.resource.kind != CatalogResource::Kind::kLfTag || g.resource.tag_key != key || g.permissions.empty()) continue;
    if (std::find(ids_.begin(), ids_.end(), g.principal) != ids_.end()) return true;
    if (account_too && g.principal == ctx_.caller.account) return true;
  }
  return false;
}

bool TagVisibility::Sees(const std::string& catalog, const std::string& key, const Json& tag) {
  if (catalog != ctx_.caller.account) return Granted(catalog, key, true);
  if (admin_) return true;
  for (const auto& c : tag.value("CreatedBy", Json::array())) {
    if (std::find(ids_.begin(), ids_.end(), c) != ids_.end()) return true;
  }
  return Granted(catalog, key, false);
}

}  // namespace datamesh::local::lf
