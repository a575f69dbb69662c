// Glue databases (and database resource links), governed by Lake Formation.
#include "aws/core/time_format.h"
#include "aws/http/headers.h"
#include "local/glue/glue_service.h"
#include "local/lakeformation/lf_grants.h"

namespace datamesh::local::glue {
namespace {

Json DatabaseOutput(const Json& d) {
  Json out = d;
  out.erase("Tags");
  return out;
}

Status RequireOnDatabase(RequestContext& ctx, const std::string& catalog, const std::string& db,
                         const std::string& permission) {
  lf::Access access(ctx);
  if (access.OnDatabase(catalog, db).count(permission)) return OkStatus();
  return ServiceFault("AccessDeniedException",
                      "Insufficient Lake Formation permission(s) on " + db + " (Database name: " + db + ")", 400);
}

}  // namespace

Outcome<Json> CreateDatabase(const Json& in, RequestContext& ctx) {
  const std::string catalog = CatalogOf(ctx, in);
  const Json& input = in["DatabaseInput"];
  const std::string db = aws::ToLower(input["Name"].get<std::string>());
  if (auto s = AuthorizeGlue(ctx, "glue:CreateDatabase", DatabaseArn(ctx, catalog, db)); !s.ok()) return s.error();
  if (catalog != ctx.caller.account) {
    return ServiceFault("AccessDeniedException", "Cannot create a database in catalog " + catalog +
                                                     ", which belongs to another account", 400);
  }
  lf::Access access(ctx);
  if (!access.OnCatalog(catalog).count("CREATE_DATABASE")) return InsufficientLakeFormation("Required Create Database on Catalog");
  if (ctx.tx.Get(CatalogScope(ctx, catalog), kDatabaseKind, db)) return AlreadyExists("Database already exists.");

  Json d = input;
  d["Name"] = db;
  d["CatalogId"] = catalog;
  d["CreateTime"] = aws::FormatIso8601(ctx.now);
  Json settings = lf::LoadSettings(ctx.tx, {catalog, ctx.region});
  if (input.contains("TargetDatabase")) {
    d.erase("CreateTableDefaultPermissions");
  } else if (!input.contains("CreateTableDefaultPermissions")) {
    d["CreateTableDefaultPermissions"] = settings["CreateTableDefaultPermissions"];
  }
  if (in.contains("Tags")) d["Tags"] = in["Tags"];
  ctx.tx.Put(CatalogScope(ctx, catalog), kDatabaseKind, db, d);
  lf::GrantCreatorAndDefaults(ctx, lf::DatabaseResource(catalog, db),
                              input.contains("TargetDatabase") ? Json::array() : settings["CreateDatabaseDefaultPermissions"]);
  return Json::object();
}

Outcome<Json> GetDatabase(const Json& in, RequestContext& ctx) {
  const std::string catalog = CatalogOf(ctx, in);
  const std::string db = aws::ToLower(in["Name"].get<std::string>());
  if (auto s = AuthorizeGlue(ctx, "glue:GetDatabase", DatabaseArn(ctx, catalog, db)); !s.ok()) return s.error();
  auto d = LoadDatabase(ctx, catalog, db);
  if (!d.ok()) return d.error();
  if (!lf::Access(ctx).SeesDatabase(catalog, db)) return RequireOnDatabase(ctx, catalog, db, "DESCRIBE").error();
  return Json{{"Database", DatabaseOutput(*d)}};
}

Outcome<Json> GetDatabases(const Json& in, RequestContext& ctx) {
  const std::string catalog = CatalogOf(ctx, in);
  if (auto s = AuthorizeGlue(ctx, "glue:GetDatabases", "arn:aws:glue:" + ctx.region + ":" + catalog + ":catalog"); !s.ok()) {
    return s.error();
  }
  lf::Access access(ctx);
  Json items = Json::array();
  const std::string share_type = in.value("ResourceShareType", "");
  if (share_type != "FOREIGN") {
    for (auto& [name, d] : ctx.tx.List(CatalogScope(ctx, catalog), kDatabaseKind)) {
      if (access.SeesDatabase(catalog, name)) items.push_back(DatabaseOutput(d));
    }
  }
  if (share_type == "FOREIGN" || share_type == "ALL") {
    // Databases other accounts shared with this one.
    for (const auto& scope : ctx.tx.ScopesWith(kDatabaseKind)) {
      if (scope.account == catalog || scope.region != ctx.region) continue;
      for (auto& [name, d] : ctx.tx.List(scope, kDatabaseKind)) {
        if (access.SeesDatabase(scope.account, name)) items.push_back(DatabaseOutput(d));
      }
    }
  }
  return PageOf(items, in, "DatabaseList");
}

Outcome<Json> UpdateDatabase(const Json& in, RequestContext& ctx) {
  const std::string catalog = CatalogOf(ctx, in);
  const std::string db = aws::ToLower(in["Name"].get<std::string>());
  if (auto s = AuthorizeGlue(ctx, "glue:UpdateDatabase", DatabaseArn(ctx, catalog, db)); !s.ok()) return s.error();
  auto d = LoadDatabase(ctx, catalog, db);
  if (!d.ok()) return d.error();
  if (auto s = RequireOnDatabase(ctx, catalog, db, "ALTER"); !s.ok()) return s.error();
  const Json& input = in["DatabaseInput"];
  if (aws::ToLower(input["Name"].get<std::string>()) != db) return InvalidInput("Renaming a database is not supported.");
  // The input replaces the definition; what it leaves out is gone, as in Glue.
  Json updated = input;
  updated["Name"] = db;
  updated["CatalogId"] = catalog;
  updated["CreateTime"] = (*d)["CreateTime"];
  if (d->contains("Tags")) updated["Tags"] = (*d)["Tags"];
  if (!updated.contains("CreateTableDefaultPermissions") && d->contains("CreateTableDefaultPermissions")) {
    updated["CreateTableDefaultPermissions"] = (*d)["CreateTableDefaultPermissions"];
  }
  ctx.tx.Put(CatalogScope(ctx, catalog), kDatabaseKind, db, updated);
  return Json::object();
}

Outcome<Json> DeleteDatabase(const Json& in, RequestContext& ctx) {
  const std::string catalog = CatalogOf(ctx, in);
  const std::string db = aws::ToLower(in["Name"].get<std::string>());
  if (auto s = AuthorizeGlue(ctx, "glue:DeleteDatabase", DatabaseArn(ctx, catalog, db)); !s.ok()) return s.error();
  auto d = LoadDatabase(ctx, catalog, db);
  if (!d.ok()) return d.error();
  if (auto s = RequireOnDatabase(ctx, catalog, db, "DROP"); !s.ok()) return s.error();
  const Scope scope = CatalogScope(ctx, catalog);
  for (auto& [key, t] : ctx.tx.List(scope, kTableKind, db + "/")) ctx.tx.Delete(scope, kTableKind, key);
  for (auto& [key, p] : ctx.tx.List(scope, kPartitionKind, db + "/")) ctx.tx.Delete(scope, kPartitionKind, key);
  ctx.tx.Delete(scope, kDatabaseKind, db);
  lf::ForgetResourceGrants(ctx, catalog, db, "");
  return Json::object();
}

}  // namespace datamesh::local::glue
