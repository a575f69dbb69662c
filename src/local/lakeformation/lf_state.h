// Lake Formation's state in the local mesh, shared by the Lake Formation service (which grants and
// revokes) and by Glue (whose catalog reads and writes Lake Formation governs): data lake
// settings, and permission grants per principal and resource.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "local/core/request_context.h"
#include "aws/model/service_model.h"

namespace datamesh::local::lf {

using aws::Json;

inline constexpr char kIamAllowedPrincipals[] = "IAM_ALLOWED_PRINCIPALS";

// A Data Catalog resource in the normalized form grants are keyed by.
struct CatalogResource {
  enum class Kind { kCatalog, kDatabase, kTable, kTableWildcard, kColumns, kDataLocation, kLfTag };
  Kind kind = Kind::kCatalog;
  std::string catalog;   // the owning account
  std::string database;
  std::string table;
  std::vector<std::string> columns;          // kColumns
  std::vector<std::string> excluded_columns;  // kColumns with ColumnWildcard
  bool column_wildcard = false;
  std::string location;  // kDataLocation: the S3 ARN
  std::string tag_key;   // kLfTag
  std::vector<std::string> tag_values;

  // A stable key for the store.
  std::string Key() const;
  // The Resource union of the Lake Formation API.
  Json ToJson() const;
  // The Glue ARN (catalog, database or table).
  std::string GlueArn(const std::string& region) const;
};

CatalogResource DatabaseResource(const std::string& catalog, const std::string& database);
CatalogResource TableResource(const std::string& catalog, const std::string& database, const std::string& table);

// Reads the Resource union of a Lake Formation request. `default_catalog` fills CatalogId.
Outcome<CatalogResource> ReadResource(const Json& resource, const std::string& default_catalog);

struct Grant {
  std::string principal;  // DataLakePrincipalIdentifier
  CatalogResource resource;
  std::set<std::string> permissions;
  std::set<std::string> grantable;
};

// The data lake settings of an account (in its region), with AWS's defaults for an account that
// never set them.
Json LoadSettings(Transaction& tx, const Scope& scope);
void SaveSettings(Transaction& tx, const Scope& scope, const Json& settings);

// Grants live in the account where they were made (the catalog owner, or a recipient account
// re-granting a shared resource), in a table keyed by principal and resource and indexed by the
// resource's database and table, so that a permission check reads only the grants on what it
// checks.
void CreateGrantTables(Transaction& tx);
// Files of version 3 and earlier kept grants as documents: they move to the table.
void MoveGrantsFromDocuments(Transaction& tx);

// Every grant of the account, by principal.
std::vector<Grant> LoadGrants(Transaction& tx, const Scope& scope);
std::vector<Grant> GrantsOf(Transaction& tx, const Scope& scope, const std::string& principal);
// The grants on resources of `catalog`'s `database`: with `table`, only those on that table (and
// its columns); "" for the database itself and its table wildcard; nullopt for all of them. With
// an empty database: the catalog's, data locations' and tags' grants.
std::vector<Grant> GrantsWithin(Transaction& tx, const Scope& scope, const std::string& catalog,
                                const std::string& database, const std::optional<std::string>& table);
std::optional<Grant> LoadGrant(Transaction& tx, const Scope& scope, const std::string& principal,
                               const CatalogResource& resource);
void SaveGrant(Transaction& tx, const Scope& scope, const Grant& grant);  // deletes when empty

// The identifiers a caller matches as a Lake Formation principal: its user or role ARN.
std::vector<std::string> PrincipalIdentifiers(const Principal& caller);
bool IsDataLakeAdmin(Transaction& tx, const Scope& scope, const Principal& caller);

// The permissions that exist for a kind of resource (ALL included).
const std::set<std::string>& ValidPermissions(CatalogResource::Kind kind);
// ALL stands for every permission of the resource.
std::set<std::string> Expand(const std::set<std::string>& permissions, CatalogResource::Kind kind);

}  // namespace datamesh::local::lf
