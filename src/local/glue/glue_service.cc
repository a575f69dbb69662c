#include "local/glue/glue_service.h"

#include "aws/core/encoding.h"

#include <map>

#include "local/policy/authorizer.h"

namespace datamesh::local {

Outcome<Json> GlueService::Invoke(const std::string& operation, const Json& input, RequestContext& ctx) {
  using Handler = Outcome<Json> (*)(const Json&, RequestContext&);
  static const std::map<std::string, Handler> handlers = {
      {"CreateDatabase", glue::CreateDatabase}, {"GetDatabase", glue::GetDatabase},
      {"GetDatabases", glue::GetDatabases},     {"UpdateDatabase", glue::UpdateDatabase},
      {"DeleteDatabase", glue::DeleteDatabase}, {"CreateTable", glue::CreateTable},
      {"GetTable", glue::GetTable},             {"GetTables", glue::GetTables},
      {"UpdateTable", glue::UpdateTable},       {"DeleteTable", glue::DeleteTable},
      {"CreatePartition", glue::CreatePartition}, {"BatchCreatePartition", glue::BatchCreatePartition},
      {"GetPartitions", glue::GetPartitions},   {"TagResource", glue::TagResource},
      {"GetTags", glue::GetTags},               {"GetResourcePolicy", glue::GetResourcePolicy},
      {"PutResourcePolicy", glue::PutResourcePolicy}, {"DeleteResourcePolicy", glue::DeleteResourcePolicy},
      {"CreateCrawler", glue::CreateCrawler},
      {"GetCrawler", glue::GetCrawler},         {"GetCrawlers", glue::GetCrawlers}};
  auto it = handlers.find(operation);
  if (it == handlers.end()) return ServiceFault("UnknownOperationException", "Unknown operation " + operation, 400);
  // Governed tables (transactions, time travel) and partition indexes are not modelled.
  if (auto s = RefuseUnmodelled(input, {"TransactionId", "QueryAsOfTime", "PartitionIndexes"}, "InvalidInputException");
      !s.ok()) {
    return s.error();
  }
  return it->second(input, ctx);
}

namespace glue {

Scope CatalogScope(const RequestContext& ctx, const std::string& catalog) { return {catalog, ctx.region}; }

std::string CatalogOf(const RequestContext& ctx, const Json& input) {
  return input.value("CatalogId", ctx.caller.account);
}

std::string DatabaseArn(const RequestContext& ctx, const std::string& catalog, const std::string& db) {
  return "arn:aws:glue:" + ctx.region + ":" + catalog + ":database/" + db;
}

std::string TableArn(const RequestContext& ctx, const std::string& catalog, const std::string& db, const std::string& t) {
  return "arn:aws:glue:" + ctx.region + ":" + catalog + ":table/" + db + "/" + t;
}

Error EntityNotFound(const std::string& message) { return ServiceFault("EntityNotFoundException", message, 400); }
Error AlreadyExists(const std::string& message) { return ServiceFault("AlreadyExistsException", message, 400); }
Error InvalidInput(const std::string& message) { return ServiceFault("InvalidInputException", message, 400); }
Error InsufficientLakeFormation(const std::string& what) {
  return ServiceFault("AccessDeniedException", "Insufficient Lake Formation permission(s): " + what, 400);
}

Status AuthorizeGlue(RequestContext& ctx, const std::string& action, const std::string& arn) {
  return Authorize(ctx, action, arn, {"AccessDeniedException", 400});
}

Outcome<Json> LoadDatabase(RequestContext& ctx, const std::string& catalog, const std::string& db) {
  auto d = ctx.tx.Get(CatalogScope(ctx, catalog), kDatabaseKind, db);
  if (!d) return EntityNotFound("Database " + db + " not found.");
  return *d;
}

Outcome<Json> LoadTable(RequestContext& ctx, const std::string& catalog, const std::string& db, const std::string& t) {
  if (!ctx.tx.Get(CatalogScope(ctx, catalog), kDatabaseKind, db)) return EntityNotFound("Database " + db + " not found.");
  auto table = ctx.tx.Get(CatalogScope(ctx, catalog), kTableKind, db + "/" + t);
  if (!table) return EntityNotFound("Table " + t + " not found.");
  return *table;
}

Outcome<Json> PageOf(const Json& items, const Json& input, const char* list_name) {
  size_t start = 0;
  if (input.contains("NextToken")) {
    const std::string t = input["NextToken"];
    if (t.empty() || t.size() > 9 || t.find_first_not_of("0123456789") != std::string::npos || std::stoul(t) > items.size()) {
      return InvalidInput("Invalid NextToken");
    }
    start = std::stoul(t);
  }
  size_t max = input.value("MaxResults", 100);
  Json page = Json::array();
  for (size_t i = start; i < items.size() && page.size() < max; ++i) page.push_back(items[i]);
  Json out = {{list_name, page}};
  if (start + page.size() < items.size()) out["NextToken"] = std::to_string(start + page.size());
  return out;
}

Outcome<Json> KeyPageOf(RequestContext& ctx, const Scope& scope, const std::string& kind, const std::string& prefix,
                        const Json& input, const char* list_name,
                        const std::function<std::optional<Json>(Json doc)>& select) {
  std::string after;
  if (input.contains("NextToken")) {
    // The token is the base64 of a key under this prefix; anything else was not ours to give.
    auto key = aws::Base64Decode(input["NextToken"].get<std::string>());
    if (!key || key->rfind(prefix, 0) != 0) return InvalidInput("Invalid NextToken");
    after = *key;
  }
  KeyPage page = PageByKey(ctx.tx, scope, kind, prefix, after, input.value("MaxResults", 100), select);
  Json out = {{list_name, std::move(page.items)}};
  if (page.resume_after) out["NextToken"] = aws::Base64Encode(*page.resume_after);
  return out;
}

}  // namespace glue
}  // namespace datamesh::local
