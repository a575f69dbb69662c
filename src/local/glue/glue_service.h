// The local Glue Data Catalog: databases, tables, partitions, resource links, tags, the catalog
// resource policy and crawlers, with reads and writes governed by Lake Formation.
#pragma once

#include "local/core/local_service.h"
#include "local/lakeformation/lf_access.h"

namespace datamesh::local {

class GlueService : public LocalService {
 public:
  std::string name() const override { return "glue"; }
  std::string validation_error_code() const override { return "InvalidInputException"; }
  Outcome<Json> Invoke(const std::string& operation, const Json& input, RequestContext& ctx) override;
};

namespace glue {

inline constexpr char kDatabaseKind[] = "glue_database";    // key: database
inline constexpr char kTableKind[] = "glue_table";          // key: database/table
inline constexpr char kPartitionKind[] = "glue_partition";  // key: database/table/values

Scope CatalogScope(const RequestContext& ctx, const std::string& catalog);
std::string CatalogOf(const RequestContext& ctx, const Json& input);
std::string DatabaseArn(const RequestContext& ctx, const std::string& catalog, const std::string& db);
std::string TableArn(const RequestContext& ctx, const std::string& catalog, const std::string& db, const std::string& t);

Error EntityNotFound(const std::string& message);
Error AlreadyExists(const std::string& message);
Error InvalidInput(const std::string& message);
Error InsufficientLakeFormation(const std::string& what);
Status AuthorizeGlue(RequestContext& ctx, const std::string& action, const std::string& arn);

// The stored database / table, or EntityNotFoundException.
Outcome<Json> LoadDatabase(RequestContext& ctx, const std::string& catalog, const std::string& db);
Outcome<Json> LoadTable(RequestContext& ctx, const std::string& catalog, const std::string& db, const std::string& t);

Outcome<Json> CreateDatabase(const Json& in, RequestContext& ctx);
Outcome<Json> GetDatabase(const Json& in, RequestContext& ctx);
Outcome<Json> GetDatabases(const Json& in, RequestContext& ctx);
Outcome<Json> UpdateDatabase(const Json& in, RequestContext& ctx);
Outcome<Json> DeleteDatabase(const Json& in, RequestContext& ctx);
Outcome<Json> CreateTable(const Json& in, RequestContext& ctx);
Outcome<Json> GetTable(const Json& in, RequestContext& ctx);
Outcome<Json> GetTables(const Json& in, RequestContext& ctx);
Outcome<Json> UpdateTable(const Json& in, RequestContext& ctx);
Outcome<Json> DeleteTable(const Json& in, RequestContext& ctx);
Outcome<Json> CreatePartition(const Json& in, RequestContext& ctx);
Outcome<Json> BatchCreatePartition(const Json& in, RequestContext& ctx);
Outcome<Json> GetPartitions(const Json& in, RequestContext& ctx);
Outcome<Json> TagResource(const Json& in, RequestContext& ctx);
Outcome<Json> GetTags(const Json& in, RequestContext& ctx);
Outcome<Json> GetResourcePolicy(const Json& in, RequestContext& ctx);
Outcome<Json> PutResourcePolicy(const Json& in, RequestContext& ctx);
Outcome<Json> DeleteResourcePolicy(const Json& in, RequestContext& ctx);
Outcome<Json> CreateCrawler(const Json& in, RequestContext& ctx);
Outcome<Json> GetCrawler(const Json& in, RequestContext& ctx);
Outcome<Json> GetCrawlers(const Json& in, RequestContext& ctx);

// Token paging over a list already in order: "NextToken" is the next index.
Outcome<Json> PageOf(const Json& items, const Json& input, const char* list_name);

// Token paging by key over the stored documents of `kind` under `prefix`: "NextToken" names the
// last key a page read, and the next page resumes after it, so a page costs what it reads, not
// what the database holds. `select` turns a document into an entry of the page, or drops it.
Outcome<Json> KeyPageOf(RequestContext& ctx, const Scope& scope, const std::string& kind, const std::string& prefix,
                        const Json& input, const char* list_name,
                        const std::function<std::optional<Json>(Json doc)>& select);

}  // namespace glue
}  // namespace datamesh::local
