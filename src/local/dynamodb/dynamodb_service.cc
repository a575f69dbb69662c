#include "local/dynamodb/dynamodb_service.h"

#include <algorithm>
#include <chrono>
#include <functional>
#include <map>

#include "aws/core/time_format.h"
#include "local/dynamodb/access_conditions.h"
#include "local/policy/authorizer.h"

namespace datamesh::local {

Outcome<Json> DynamoDbService::Invoke(const std::string& operation, const Json& input, RequestContext& ctx) {
  using Handler = Outcome<Json> (*)(const Json&, RequestContext&);
  static const std::map<std::string, Handler> handlers = {
      {"CreateTable", ddb::CreateTable}, {"DescribeTable", ddb::DescribeTable}, {"DeleteTable", ddb::DeleteTable},
      {"UpdateTable", ddb::UpdateTable},
      {"PutItem", ddb::PutItem},         {"GetItem", ddb::GetItem},             {"UpdateItem", ddb::UpdateItem},
      {"DeleteItem", ddb::DeleteItem},   {"Query", ddb::Query},                 {"Scan", ddb::Scan},
      {"BatchWriteItem", ddb::BatchWriteItem}, {"BatchGetItem", ddb::BatchGetItem}, {"ListTables", ddb::ListTables}};
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
ItemStore Items(RequestContext& ctx, const TableRef& table) {
  const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(ctx.now.time_since_epoch()).count();
  return ItemStore(ctx.tx, TableScope(ctx), table.schema, ChangeContext{now_ms, ctx.request_id});
}

Error ResourceNotFound(const std::string& detail) {
  return ServiceFault("ResourceNotFoundException", "Requested resource not found" + detail, 400);
}

namespace {

// The table `name` (or its `index`) after `action` is authorized on it with the condition keys
// `keys_of` works out from the table's key schema (null when the table does not exist). A caller
// is told AccessDenied before it learns whether the table exists.
Outcome<TableRef> AuthorizedWith(RequestContext& ctx, const std::string& action, const std::string& name,
                                 const std::string& index,
                                 const std::function<ConditionKeys(const TableSchema*)>& keys_of) {
  std::string arn = "arn:aws:dynamodb:" + ctx.region + ":" + ctx.caller.account + ":table/" + name;
  if (!index.empty()) arn += "/index/" + index;
  auto d = ctx.tx.Get(TableScope(ctx), kTableKind, name);
  std::optional<TableSchema> schema;
  if (d) schema = TableSchema::FromDescription(*d);
  if (auto s = Authorize(ctx, action, arn, kDenied, keys_of(schema ? &*schema : nullptr)); !s.ok()) return s.error();
  if (!d) return ResourceNotFound();
  return TableRef{*d, std::move(*schema)};
}

}  // namespace

Outcome<TableRef> AuthorizedTable(RequestContext& ctx, const std::string& action, const Json& input,
                                  const std::string& index, const std::string& keys_as) {
  const std::string operation = keys_as.empty() ? action.substr(action.find(':') + 1) : keys_as;
  return AuthorizedWith(ctx, action, input["TableName"], index,
                        [&](const TableSchema* schema) { return AccessConditionKeys(operation, input, schema); });
}

Outcome<TableRef> AuthorizedBatchTable(RequestContext& ctx, const std::string& action, const std::string& table,
                                       const std::vector<std::pair<std::string, Json>>& items) {
  return AuthorizedWith(ctx, action, table, "", [&](const TableSchema* schema) {
    ConditionKeys merged;
    for (auto [operation, input] : items) {  // a copy: each input is completed with the table's name
      input["TableName"] = table;
      for (auto& [key, values] : AccessConditionKeys(operation, input, schema)) {
        auto& into = merged[key];
        for (auto& v : values) {
          if (std::find(into.begin(), into.end(), v) == into.end()) into.push_back(std::move(v));
        }
      }
    }
    return merged;
  });
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
  auto [count, bytes] = Items(ctx, *t).CountAndSize();
  d["ItemCount"] = count;
  d["TableSizeBytes"] = bytes;
  return Json{{"Table", d}};
}

Outcome<Json> UpdateTable(const Json& in, RequestContext& ctx) {
  auto t = AuthorizedTable(ctx, "dynamodb:UpdateTable", in);
  if (!t.ok()) return t.error();
  for (auto& [field, value] : in.items()) {
    if (field != "TableName" && field != "AttributeDefinitions" && field != "GlobalSecondaryIndexUpdates") {
      return ValidationException("UpdateTable " + field + " is not supported by the local mesh");
    }
  }
  const Json updates = in.value("GlobalSecondaryIndexUpdates", Json::array());
  if (updates.size() != 1 || !updates[0].contains("Create") || updates[0].size() != 1) {
    return ValidationException(updates.size() > 1
                                   ? "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table"
                                   : "UpdateTable in the local mesh takes exactly one GlobalSecondaryIndexUpdates Create");
  }
  const Json& create = updates[0]["Create"];
  for (const auto& g : t->description.value("GlobalSecondaryIndexes", Json::array())) {
    if (g["IndexName"] == create["IndexName"]) {
      return ValidationException("Attempting to create an index which already exists");
    }
  }
  // Checked as CreateTable checks a table with the new index beside the old ones.
  Json as_create = {{"TableName", t->schema.name},
                    {"KeySchema", t->description["KeySchema"]},
                    {"AttributeDefinitions", t->description["AttributeDefinitions"]},
                    {"BillingMode", t->description.contains("BillingModeSummary") ? "PAY_PER_REQUEST" : "PROVISIONED"},
                    {"GlobalSecondaryIndexes", Json::array()}};
  if (!t->description.contains("BillingModeSummary")) as_create["ProvisionedThroughput"] = {{"ReadCapacityUnits", 1}, {"WriteCapacityUnits", 1}};
  for (const auto& a : in.value("AttributeDefinitions", Json::array())) {
    bool known = false;
    for (auto& existing : as_create["AttributeDefinitions"]) known |= existing["AttributeName"] == a["AttributeName"];
    if (!known) as_create["AttributeDefinitions"].push_back(a);
  }
  for (const auto& g : t->description.value("GlobalSecondaryIndexes", Json::array())) {
    Json index = {{"IndexName", g["IndexName"]}, {"KeySchema", g["KeySchema"]}, {"Projection", g["Projection"]}};
    if (as_create.contains("ProvisionedThroughput")) index["ProvisionedThroughput"] = as_create["ProvisionedThroughput"];
    as_create["GlobalSecondaryIndexes"].push_back(index);
  }
  as_create["GlobalSecondaryIndexes"].push_back(create);
  auto checked = NewTableDescription(as_create, ctx.caller.account, ctx.region, aws::FormatIso8601(ctx.now));
  if (!checked.ok()) return checked.error();
  Json stored = t->description;
  stored["AttributeDefinitions"] = as_create["AttributeDefinitions"];
  if (!stored.contains("GlobalSecondaryIndexes")) stored["GlobalSecondaryIndexes"] = Json::array();
  stored["GlobalSecondaryIndexes"].push_back((*checked)["GlobalSecondaryIndexes"].back());
  ctx.tx.Put(TableScope(ctx), kTableKind, t->schema.name, stored);
  TableSchema with_index = TableSchema::FromDescription(stored);
  ItemStore(ctx.tx, TableScope(ctx), with_index).Backfill(with_index.indexes.back());
  // The index answers CREATING; it is ACTIVE (backfilled) by the time anyone describes it.
  Json out = stored;
  out.erase("Tags");
  out["GlobalSecondaryIndexes"].back()["IndexStatus"] = "CREATING";
  return Json{{"TableDescription", out}};
}

Outcome<Json> DeleteTable(const Json& in, RequestContext& ctx) {
  auto t = AuthorizedTable(ctx, "dynamodb:DeleteTable", in);
  if (!t.ok()) return t.error();
  if (t->description.value("DeletionProtectionEnabled", false)) {
    return ValidationException("Resource cannot be deleted as it is currently protected against deletion.");
  }
  Items(ctx, *t).DeleteAll();
  ctx.tx.Delete(TableScope(ctx), kTableKind, t->schema.name);
  Json d = t->description;
  d.erase("Tags");
  d["TableStatus"] = "DELETING";
  return Json{{"TableDescription", d}};
}

}  // namespace ddb
}  // namespace datamesh::local
