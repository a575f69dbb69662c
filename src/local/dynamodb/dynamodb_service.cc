#include "local/dynamodb/dynamodb_service.h"

#include <map>

#include "aws/core/time_format.h"
#include "local/policy/authorizer.h"

namespace datamesh::local {

Outcome<Json> DynamoDbService::Invoke(const std::string& operation, const Json& input, RequestContext& ctx) {
  using Handler = Outcome<Json> (*)(const Json&, RequestContext&);
  static const std::map<std::string, Handler> handlers = {
      {"CreateTable", ddb::CreateTable}, {"DescribeTable", ddb::DescribeTable}, {"DeleteTable", ddb::DeleteTable},
      {"PutItem", ddb::PutItem},         {"GetItem", ddb::GetItem},             {"UpdateItem", ddb::UpdateItem},
      {"DeleteItem", ddb::DeleteItem},   {"Query", ddb::Query},                 {"Scan", ddb::Scan}};
  auto it = handlers.find(operation);
  if (it == handlers.end()) return ServiceFault("UnknownOperationException", "Unknown operation " + operation, 400);
  return it->second(input, ctx);
}

namespace ddb {

namespace {
constexpr char kTableKind[] = "ddb_table";
const AccessDeniedStyle kDenied{"AccessDeniedException", 400};
}  // namespace

Scope TableScope(const RequestContext& ctx) { return {ctx.caller.account, ctx.region}; }
std::string ItemKind(const std::string& table) { return "ddb_item/" + table; }
std::string ItemStoreKey(const TableSchema& schema, const Json& item) { return schema.KeyOf(item).dump(); }

Error ResourceNotFound(const std::string& detail) {
  return ServiceFault("ResourceNotFoundException", "Requested resource not found" + detail, 400);
}

Outcome<TableRef> AuthorizedTable(RequestContext& ctx, const std::string& action, const Json& input,
                                  const std::string& index) {
  const std::string name = input["TableName"];
  std::string arn = "arn:aws:dynamodb:" + ctx.region + ":" + ctx.caller.account + ":table/" + name;
  if (!index.empty()) arn += "/index/" + index;
  if (auto s = Authorize(ctx, action, arn, kDenied); !s.ok()) return s.error();
  auto d = ctx.tx.Get(TableScope(ctx), kTableKind, name);
  if (!d) return ResourceNotFound();
  return TableRef{*d, TableSchema::FromDescription(*d)};
}

Outcome<Json> CreateTable(const Json& in, RequestContext& ctx) {
  const std::string name = in["TableName"];
  const std::string arn = "arn:aws:dynamodb:" + ctx.region + ":" + ctx.caller.account + ":table/" + name;
  if (auto s = Authorize(ctx, "dynamodb:CreateTable", arn, kDenied); !s.ok()) return s.error();
  if (ctx.tx.Get(TableScope(ctx), kTableKind, name)) {
    return ServiceFault("ResourceInUseException", "Table already exists: " + name, 400);
  }
  auto d = NewTableDescription(in, ctx.caller.account, ctx.region, aws::FormatIso8601(ctx.now));
  if (!d.ok()) return d.error();
  Json stored = *d;
  if (in.contains("Tags")) stored["Tags"] = in["Tags"];
  ctx.tx.Put(TableScope(ctx), kTableKind, name, stored);
  // A new table answers CREATING; it is ACTIVE by the time anyone describes it.
  Json out = *d;
  out["TableStatus"] = "CREATING";
  return Json{{"TableDescription", out}};
}

Outcome<Json> DescribeTable(const Json& in, RequestContext& ctx) {
  auto t = AuthorizedTable(ctx, "dynamodb:DescribeTable", in);
  if (!t.ok()) {
    if (t.error().code() == "ResourceNotFoundException") {
      return ResourceNotFound(": Table: " + in["TableName"].get<std::string>() + " not found");
    }
    return t.error();
  }
  Json d = t->description;
  d.erase("Tags");
  auto items = ctx.tx.List(TableScope(ctx), ItemKind(t->schema.name));
  d["ItemCount"] = items.size();
  size_t bytes = 0;
  for (auto& [k, item] : items) bytes += ItemSize(item);
  d["TableSizeBytes"] = bytes;
  return Json{{"Table", d}};
}

Outcome<Json> DeleteTable(const Json& in, RequestContext& ctx) {
  auto t = AuthorizedTable(ctx, "dynamodb:DeleteTable", in);
  if (!t.ok()) return t.error();
  if (t->description.value("DeletionProtectionEnabled", false)) {
    return ValidationException("Resource cannot be deleted as it is currently protected against deletion.");
  }
  for (auto& [key, item] : ctx.tx.List(TableScope(ctx), ItemKind(t->schema.name))) {
    ctx.tx.Delete(TableScope(ctx), ItemKind(t->schema.name), key);
  }
  ctx.tx.Delete(TableScope(ctx), kTableKind, t->schema.name);
  Json d = t->description;
  d.erase("Tags");
  d["TableStatus"] = "DELETING";
  return Json{{"TableDescription", d}};
}

}  // namespace ddb
}  // namespace datamesh::local
