// What a caller may do with Data Catalog resources under Lake Formation: its grants in the
// catalog's account, grants to its whole account shared through an accepted RAM invitation and
// re-granted within its account, data lake administration, and IAM_ALLOWED_PRINCIPALS.
#pragma once

#include "local/lakeformation/lf_state.h"

namespace datamesh::local::lf {

class Access {
 public:
  explicit Access(RequestContext& ctx) : ctx_(ctx) {}

  // Effective (expanded) permissions on the catalog, a database or a table of `catalog`.
  std::set<std::string> OnCatalog(const std::string& catalog);
  std::set<std::string> OnDatabase(const std::string& catalog, const std::string& database);
  std::set<std::string> OnTable(const std::string& catalog, const std::string& database, const std::string& table);
  // Whether the caller holds any permission on the database or on any of its tables (enough to
  // see the database).
  bool SeesDatabase(const std::string& catalog, const std::string& database);

  // Whether the caller is a data lake administrator of its own account.
  bool IsAdmin();
  // The permissions the caller may grant on `resource` (its grant options; everything for an
  // administrator of the resource's account or of a recipient account, within what was shared).
  std::set<std::string> Grantable(const CatalogResource& resource);

 private:
  // Permissions held directly in `scope` by any of `principals` on `resource`.
  std::set<std::string> Held(const Scope& scope, const std::vector<std::string>& principals,
                             const CatalogResource& resource, bool grantable_only);
  // For a resource of another account: what that account granted to the caller's account (once
  // the invitation is accepted) and to the caller itself.
  std::set<std::string> SharedToCaller(const CatalogResource& resource, bool grantable_only);
  std::set<std::string> Effective(const CatalogResource& resource);

  RequestContext& ctx_;
};

// The table-level resources that confer permissions on a table: the table, and a TableWildcard
// on its database.
std::vector<CatalogResource> TableResources(const std::string& catalog, const std::string& database,
                                            const std::string& table);

// Which LF-tags the caller may see, in ListLFTags and on resources alike: "You must have the
// DESCRIBE or ASSOCIATE permission on a LF-Tag to view it" (Lake Formation Developer Guide,
// viewing LF-Tags assigned to a resource); the tag's creator and the catalog's data lake
// administrators see it too ("Listing LF-Tags"). A tag of another catalog shows where that catalog
// granted a permission on it to the caller or the caller's account.
class TagVisibility {
 public:
  explicit TagVisibility(RequestContext& ctx);
  // `tag`: the stored tag (its CreatedBy).
  bool Sees(const std::string& catalog, const std::string& key, const Json& tag);

 private:
  bool Granted(const std::string& catalog, const std::string& key, bool account_too);
  RequestContext& ctx_;
  std::vector<std::string> ids_;
  bool admin_ = false;
  std::map<std::string, std::vector<Grant>> grants_;  // by catalog, read once
};

}  // namespace datamesh::local::lf
