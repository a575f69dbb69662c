#include "local/lakeformation/lf_state.h"

#include <algorithm>

#include "aws/http/headers.h"
#include "local/core/local_service.h"

namespace datamesh::local::lf {
namespace {

constexpr char kSettingsKind[] = "lf_settings";
constexpr char kGrantKind[] = "lf_grant";

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
  return out;
}

Error Invalid(const std::string& message) { return ServiceFault("InvalidInputException", message, 400); }

std::string Lower(const Json& v) { return aws::ToLower(v.get<std::string>()); }

Json DefaultPermissions() {
  return Json::array({{{"Principal", {{"DataLakePrincipalIdentifier", kIamAllowedPrincipals}}}, {"Permissions", {"ALL"}}}});
}

}  // namespace

std::string CatalogResource::Key() const {
  switch (kind) {
    case Kind::kCatalog: return "catalog|" + catalog;
    case Kind::kDatabase: return "database|" + catalog + "|" + database;
    case Kind::kTable: return "table|" + catalog + "|" + database + "|" + table;
    case Kind::kTableWildcard: return "tables|" + catalog + "|" + database;
    case Kind::kColumns:
      return "columns|" + catalog + "|" + database + "|" + table + "|" +
             (column_wildcard ? "*-" + Join(excluded_columns) : Join(columns));
    case Kind::kDataLocation: return "location|" + catalog + "|" + location;
    case Kind::kLfTag: return "lftag|" + catalog + "|" + tag_key + "|" + Join(tag_values);
  }
  return "";
}

Json CatalogResource::ToJson() const {
  switch (kind) {
    case Kind::kCatalog: return {{"Catalog", Json::object()}};
    case Kind::kDatabase: return {{"Database", {{"CatalogId", catalog}, {"Name", database}}}};
    case Kind::kTable: return {{"Table", {{"CatalogId", catalog}, {"DatabaseName", database}, {"Name", table}}}};
    case Kind::kTableWildcard:
      return {{"Table", {{"CatalogId", catalog}, {"DatabaseName", database}, {"TableWildcard", Json::object()}}}};
    case Kind::kColumns: {
      Json t = {{"CatalogId", catalog}, {"DatabaseName", database}, {"Name", table}};
      if (column_wildcard) t["ColumnWildcard"] = {{"ExcludedColumnNames", excluded_columns}};
      else t["ColumnNames"] = columns;
      return {{"TableWithColumns", t}};
    }
    case Kind::kDataLocation: return {{"DataLocation", {{"CatalogId", catalog}, {"ResourceArn", location}}}};
    case Kind::kLfTag: return {{"LFTag", {{"CatalogId", catalog}, {"TagKey", tag_key}, {"TagValues", tag_values}}}};
  }
  return Json::object();
}

std::string CatalogResource::GlueArn(const std::string& region) const {
  const std::string base = "arn:aws:glue:" + region + ":" + catalog + ":";
  switch (kind) {
    case Kind::kDatabase: return base + "database/" + database;
    case Kind::kTable:
    case Kind::kColumns: return base + "table/" + database + "/" + table;
    case Kind::kTableWildcard: return base + "table/" + database + "/*";
    default: return base + "catalog";
  }
}

CatalogResource DatabaseResource(const std::string& catalog, const std::string& database) {
  CatalogResource r;
  r.kind = CatalogResource::Kind::kDatabase;
  r.catalog = catalog;
  r.database = database;
  return r;
}

CatalogResource TableResource(const std::string& catalog, const std::string& database, const std::string& table) {
  CatalogResource r = DatabaseResource(catalog, database);
  r.kind = CatalogResource::Kind::kTable;
  r.table = table;
  return r;
}

Outcome<CatalogResource> ReadResource(const Json& resource, const std::string& default_catalog) {
  if (!resource.is_object() || resource.size() != 1) {
    return Invalid("Resource must specify exactly one of Catalog, Database, Table, TableWithColumns, DataLocation or LFTag.");
  }
  const std::string type = resource.begin().key();
  const Json& r = resource.begin().value();
  CatalogResource out;
  out.catalog = r.value("CatalogId", default_catalog);
  if (type == "Catalog") {
    out.kind = CatalogResource::Kind::kCatalog;
  } else if (type == "Database") {
    out.kind = CatalogResource::Kind::kDatabase;
    out.database = Lower(r["Name"]);
  } else if (type == "Table") {
    out.database = Lower(r["DatabaseName"]);
    bool named = r.contains("Name"), wildcard = r.contains("TableWildcard");
    if (named == wildcard) return Invalid("Table must specify exactly one of Name or TableWildcard.");
    out.kind = named ? CatalogResource::Kind::kTable : CatalogResource::Kind::kTableWildcard;
    if (named) out.table = Lower(r["Name"]);
  } else if (type == "TableWithColumns") {
    out.kind = CatalogResource::Kind::kColumns;
    out.database = Lower(r["DatabaseName"]);
    out.table = Lower(r["Name"]);
    bool names = r.contains("ColumnNames"), wildcard = r.contains("ColumnWildcard");
    if (names == wildcard) return Invalid("TableWithColumns must specify exactly one of ColumnNames or ColumnWildcard.");
    if (names) {
      for (const auto& c : r["ColumnNames"]) out.columns.push_back(Lower(c));
      std::sort(out.columns.begin(), out.columns.end());
    } else {
      out.column_wildcard = true;
      for (const auto& c : r["ColumnWildcard"].value("ExcludedColumnNames", Json::array())) out.excluded_columns.push_back(Lower(c));
      std::sort(out.excluded_columns.begin(), out.excluded_columns.end());
    }
  } else if (type == "DataLocation") {
    out.kind = CatalogResource::Kind::kDataLocation;
    out.location = r["ResourceArn"];
  } else if (type == "LFTag") {
    out.kind = CatalogResource::Kind::kLfTag;
    out.tag_key = r["TagKey"];
    for (const auto& v : r["TagValues"]) out.tag_values.push_back(v);
    std::sort(out.tag_values.begin(), out.tag_values.end());
  } else {
    return Invalid("Unsupported resource type: " + type);
  }
  return out;
}

Json LoadSettings(Transaction& tx, const Scope& scope) {
  if (auto s = tx.Get(scope, kSettingsKind, "settings")) return *s;
  return {{"DataLakeAdmins", Json::array()},
          {"CreateDatabaseDefaultPermissions", DefaultPermissions()},
          {"CreateTableDefaultPermissions", DefaultPermissions()},
          {"TrustedResourceOwners", Json::array()},
          {"AllowExternalDataFiltering", false},
          {"ExternalDataFilteringAllowList", Json::array()},
          {"AuthorizedSessionTagValueList", Json::array()}};
}

void SaveSettings(Transaction& tx, const Scope& scope, const Json& settings) {
  tx.Put(scope, kSettingsKind, "settings", settings);
}

namespace {
Json GrantToJson(const Grant& g) {
  return {{"Principal", g.principal},
          {"Resource", g.resource.ToJson()},
          {"Permissions", Json(g.permissions)},
          {"PermissionsWithGrantOption", Json(g.grantable)}};
}

Grant GrantFromJson(const Json& j, const std::string& default_catalog) {
  Grant g;
  g.principal = j["Principal"];
  g.resource = *ReadResource(j["Resource"], default_catalog);
  for (const auto& p : j["Permissions"]) g.permissions.insert(p);
  for (const auto& p : j["PermissionsWithGrantOption"]) g.grantable.insert(p);
  return g;
}
}  // namespace

namespace {

constexpr char kGrantSchema[] = R"(
  CREATE TABLE IF NOT EXISTS lf_grants (
    account TEXT NOT NULL, region TEXT NOT NULL, principal TEXT NOT NULL, resource_key TEXT NOT NULL,
    catalog TEXT NOT NULL, db TEXT NOT NULL, tbl TEXT NOT NULL, doc TEXT NOT NULL,
    PRIMARY KEY (account, region, principal, resource_key)) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS lf_grants_by_resource ON lf_grants (account, region, catalog, db, tbl);
)";

std::vector<Grant> Grants(Sql& s, const Scope& scope) {
  std::vector<Grant> out;
  while (s.Next()) out.push_back(GrantFromJson(Json::parse(s.View(0)), scope.account));
  return out;
}

}  // namespace

void CreateGrantTables(Transaction& tx) { tx.Define(kGrantSchema); }

void MoveGrantsFromDocuments(Transaction& tx) {
  for (const Scope& scope : tx.ScopesWith(kGrantKind)) {
    for (auto& [key, doc] : tx.List(scope, kGrantKind)) {
      SaveGrant(tx, scope, GrantFromJson(doc, scope.account));
      tx.Delete(scope, kGrantKind, key);
    }
  }
}

std::vector<Grant> LoadGrants(Transaction& tx, const Scope& scope) {
  Sql s = tx.Query("SELECT doc FROM lf_grants WHERE account = ? AND region = ? ORDER BY principal, resource_key");
  s.Bind(1, scope.account).Bind(2, scope.region);
  return Grants(s, scope);
}

std::vector<Grant> GrantsOf(Transaction& tx, const Scope& scope, const std::string& principal) {
  Sql s = tx.Query("SELECT doc FROM lf_grants WHERE account = ? AND region = ? AND principal = ? ORDER BY resource_key");
  s.Bind(1, scope.account).Bind(2, scope.region).Bind(3, principal);
  return Grants(s, scope);
}

std::vector<Grant> GrantsWithin(Transaction& tx, const Scope& scope, const std::string& catalog,
                                const std::string& database, const std::optional<std::string>& table) {
  // SQLite's planner, without statistics, prefers walking the account's primary key range to this
  // index; the index is named, and the rows ordered here.
  Sql s = tx.Query(table ? "SELECT doc FROM lf_grants INDEXED BY lf_grants_by_resource WHERE account = ? AND region = ? "
                           "AND catalog = ? AND db = ? AND tbl = ?"
                         : "SELECT doc FROM lf_grants INDEXED BY lf_grants_by_resource WHERE account = ? AND region = ? "
                           "AND catalog = ? AND db = ?");
  s.Bind(1, scope.account).Bind(2, scope.region).Bind(3, catalog).Bind(4, database);
  if (table) s.Bind(5, *table);
  std::vector<Grant> out = Grants(s, scope);
  std::sort(out.begin(), out.end(), [](const Grant& a, const Grant& b) {
    return a.principal != b.principal ? a.principal < b.principal : a.resource.Key() < b.resource.Key();
  });
  return out;
}

std::optional<Grant> LoadGrant(Transaction& tx, const Scope& scope, const std::string& principal,
                               const CatalogResource& resource) {
  Sql s = tx.Query("SELECT doc FROM lf_grants WHERE account = ? AND region = ? AND principal = ? AND resource_key = ?");
  s.Bind(1, scope.account).Bind(2, scope.region).Bind(3, principal).Bind(4, resource.Key());
  if (!s.Next()) return std::nullopt;
  return GrantFromJson(Json::parse(s.View(0)), scope.account);
}

void SaveGrant(Transaction& tx, const Scope& scope, const Grant& grant) {
  if (grant.permissions.empty() && grant.grantable.empty()) {
    tx.Change("DELETE FROM lf_grants WHERE account = ? AND region = ? AND principal = ? AND resource_key = ?")
        .Bind(1, scope.account).Bind(2, scope.region).Bind(3, grant.principal).Bind(4, grant.resource.Key()).Run();
    return;
  }
  // Data locations and tags are not in a database: they sit with the catalog's own grants.
  const CatalogResource& r = grant.resource;
  tx.Change("INSERT OR REPLACE INTO lf_grants VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
      .Bind(1, scope.account)
      .Bind(2, scope.region)
      .Bind(3, grant.principal)
      .Bind(4, r.Key())
      .Bind(5, r.catalog)
      .Bind(6, r.database)
      .Bind(7, r.table)
      .Bind(8, GrantToJson(grant).dump())
      .Run();
}

std::vector<std::string> PrincipalIdentifiers(const Principal& caller) {
  return {caller.is_role_session() ? caller.role_arn : caller.arn};
}

bool IsDataLakeAdmin(Transaction& tx, const Scope& scope, const Principal& caller) {
  Json settings = LoadSettings(tx, scope);
  auto ids = PrincipalIdentifiers(caller);
  for (const auto& admin : settings["DataLakeAdmins"]) {
    std::string id = admin.value("DataLakePrincipalIdentifier", "");
    if (std::find(ids.begin(), ids.end(), id) != ids.end()) return true;
  }
  return false;
}

const std::set<std::string>& ValidPermissions(CatalogResource::Kind kind) {
  static const std::set<std::string> kCatalog = {"ALL", "CREATE_DATABASE", "DESCRIBE", "ALTER", "DROP", "CREATE_LF_TAG"};
  static const std::set<std::string> kDatabase = {"ALL", "ALTER", "CREATE_TABLE", "DESCRIBE", "DROP"};
  static const std::set<std::string> kTable = {"ALL", "ALTER", "DELETE", "DESCRIBE", "DROP", "INSERT", "SELECT"};
  static const std::set<std::string> kColumns = {"SELECT"};
  static const std::set<std::string> kLocation = {"DATA_LOCATION_ACCESS"};
  static const std::set<std::string> kTag = {"ALL", "DESCRIBE", "ASSOCIATE", "ALTER", "DROP", "GRANT_WITH_LF_TAG_EXPRESSION"};
  switch (kind) {
    case CatalogResource::Kind::kCatalog: return kCatalog;
    case CatalogResource::Kind::kDatabase: return kDatabase;
    case CatalogResource::Kind::kTable:
    case CatalogResource::Kind::kTableWildcard: return kTable;
    case CatalogResource::Kind::kColumns: return kColumns;
    case CatalogResource::Kind::kDataLocation: return kLocation;
    case CatalogResource::Kind::kLfTag: return kTag;
  }
  return kTable;
}

std::set<std::string> Expand(const std::set<std::string>& permissions, CatalogResource::Kind kind) {
  std::set<std::string> out = permissions;
  if (permissions.count("ALL")) {
    for (const auto& p : ValidPermissions(kind)) out.insert(p);
  }
  return out;
}

}  // namespace datamesh::local::lf
