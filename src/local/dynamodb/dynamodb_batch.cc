// BatchWriteItem, BatchGetItem and ListTables, with the limits and refusals of the DynamoDB API
// Reference: at most 25 writes and 100 keys a call, no duplicate keys in a table's list, every
// table checked before anything is written, and 16 MB a BatchGetItem answer.
#include <set>

#include "local/dynamodb/consumed_capacity.h"
#include "local/dynamodb/dynamodb_service.h"
#include "local/dynamodb/expression_eval.h"
#include "local/policy/authorizer.h"

namespace datamesh::local::ddb {
namespace {

constexpr size_t kMaxBatchWrites = 25;
constexpr size_t kMaxBatchKeys = 100;
constexpr size_t kMaxItemSize = 400 * 1024;
constexpr size_t kMaxBatchGetBytes = 16 * 1024 * 1024;

// Adds the numbers of one ConsumedCapacity entry into another of the same table.
void AddCapacity(Json& total, const Json& more) {
  for (auto& [k, v] : more.items()) {
    if (v.is_number() && total.contains(k)) {
      total[k] = total[k].get<double>() + v.get<double>();
    } else if (v.is_object() && total.contains(k)) {
      AddCapacity(total[k], v);
    } else if (!total.contains(k)) {
      total[k] = v;
    }
  }
}

// ConsumedCapacity of a batch: one entry a table, in table order.
void Charge(std::map<std::string, Json>& by_table, const std::optional<Json>& capacity) {
  if (!capacity) return;
  const std::string table = (*capacity)["TableName"];
  if (!by_table.count(table)) {
    by_table[table] = *capacity;
  } else {
    AddCapacity(by_table[table], *capacity);
  }
}

Json CapacityList(const std::map<std::string, Json>& by_table) {
  Json out = Json::array();
  for (const auto& [table, c] : by_table) out.push_back(c);
  return out;
}

Error Duplicates() { return ValidationException("Provided list of item keys contains duplicates"); }

struct Write {
  TableRef* table;
  Json key;
  std::optional<Json> item;  // a put; none for a delete
};

}  // namespace

Outcome<Json> BatchWriteItem(const Json& in, RequestContext& ctx) {
  const Json& requests = in["RequestItems"];
  size_t total = 0;
  for (auto& [table, list] : requests.items()) total += list.size();
  if (total > kMaxBatchWrites) return ValidationException("Too many items requested for the BatchWriteItem call");
  if (total == 0) return ValidationException("BatchWriteItem cannot have a null or no requests set");
  const std::string capacity_mode = in.value("ReturnConsumedCapacity", "NONE");
  std::map<std::string, TableRef> tables;
  std::vector<Write> writes;
  // Everything is checked before anything is written: a refused batch changes nothing. Each table
  // is authorized once, for all of its writes.
  for (auto& [name, list] : requests.items()) {
    std::vector<std::pair<std::string, Json>> singles;  // each write as its single-item operation
    for (const auto& request : list) {
      const bool put = request.contains("PutRequest"), del = request.contains("DeleteRequest");
      if (put == del) {
        return ValidationException("Supplied WriteRequest must contain exactly one of PutRequest or DeleteRequest");
      }
      Json single = put ? Json{{"Item", request["PutRequest"]["Item"]}} : Json{{"Key", request["DeleteRequest"]["Key"]}};
      single["ReturnConsumedCapacity"] = capacity_mode;
      singles.emplace_back(put ? "PutItem" : "DeleteItem", std::move(single));
    }
    auto table = AuthorizedBatchTable(ctx, "dynamodb:BatchWriteItem", name, singles);
    if (!table.ok()) return table.error();
    TableRef* ref = &tables.emplace(name, std::move(*table)).first->second;
    std::set<std::string> keys;
    for (const auto& request : list) {
      const bool put = request.contains("PutRequest");
      auto value = CanonicalItem(put ? request["PutRequest"]["Item"] : request["DeleteRequest"]["Key"]);
      if (!value.ok()) return value.error();
      if (put) {
        if (auto s = ref->schema.CheckItemKeys(*value); !s.ok()) return s.error();
        if (ItemSize(*value) > kMaxItemSize) return ValidationException("Item size has exceeded the maximum allowed size");
      } else if (auto s = ref->schema.CheckKey(*value); !s.ok()) {
        return s.error();
      }
      Json key = ref->schema.KeyOf(*value);
      if (!keys.insert(key.dump()).second) return Duplicates();
      writes.push_back({ref, key, put ? std::optional<Json>(*value) : std::nullopt});
    }
  }
  std::map<std::string, Json> capacity;
  for (const Write& w : writes) {
    ItemStore items = Items(ctx, *w.table);
    auto old = items.Get(w.key);
    if (w.item) {
      items.Put(*w.item, old);
    } else if (old) {
      items.Delete(*old);
    }
    Charge(capacity, WriteCapacity(in, w.table->schema, old, w.item));
  }
  Json out = {{"UnprocessedItems", Json::object()}};
  if (!capacity.empty()) out["ConsumedCapacity"] = CapacityList(capacity);
  return out;
}

Outcome<Json> BatchGetItem(const Json& in, RequestContext& ctx) {
  const Json& requests = in["RequestItems"];
  size_t total = 0;
  for (auto& [table, spec] : requests.items()) total += spec["Keys"].size();
  if (total > kMaxBatchKeys) return ValidationException("Too many items requested for the BatchGetItem call");
  if (total == 0) return ValidationException("BatchGetItem must have some requests set");
  const std::string capacity_mode = in.value("ReturnConsumedCapacity", "NONE");
  struct TableRead {
    TableRef table;
    std::vector<Json> keys;
    std::optional<std::vector<DocumentPath>> projection;
    bool consistent = false;
  };
  std::vector<std::pair<std::string, TableRead>> reads;
  for (auto& [name, spec] : requests.items()) {
    if (spec.contains("AttributesToGet")) {
      return ValidationException("The legacy parameter AttributesToGet is not supported by the local mesh; use ProjectionExpression instead");
    }
    TableRead read;
    read.consistent = spec.value("ConsistentRead", false);
    auto exprs = ExpressionContext::Make(spec.value("ExpressionAttributeNames", Json()), Json());
    if (!exprs.ok()) return exprs.error();
    if (spec.contains("ProjectionExpression")) {
      auto p = exprs->ParseProjection(spec["ProjectionExpression"]);
      if (!p.ok()) return p.error();
      read.projection = *p;
    }
    if (read.projection || spec.contains("ExpressionAttributeNames")) {
      if (auto s = exprs->CheckAllUsed(); !s.ok()) return s.error();
    }
    // The table is authorized once, for all of its keys.
    std::vector<std::pair<std::string, Json>> singles;
    for (const auto& k : spec["Keys"]) {
      Json single = {{"Key", k}, {"ReturnConsumedCapacity", capacity_mode}};
      for (const char* member : {"ProjectionExpression", "ExpressionAttributeNames"}) {
        if (spec.contains(member)) single[member] = spec[member];
      }
      singles.emplace_back("GetItem", std::move(single));
    }
    auto table = AuthorizedBatchTable(ctx, "dynamodb:BatchGetItem", name, singles);
    if (!table.ok()) return table.error();
    read.table = std::move(*table);
    std::set<std::string> seen;
    for (const auto& k : spec["Keys"]) {
      auto key = CanonicalItem(k);
      if (!key.ok()) return key.error();
      if (auto s = read.table.schema.CheckKey(*key); !s.ok()) return s.error();
      if (!seen.insert(read.table.schema.KeyOf(*key).dump()).second) return Duplicates();
      read.keys.push_back(*key);
    }
    reads.emplace_back(name, std::move(read));
  }
  Json responses = Json::object(), unprocessed = Json::object();
  std::map<std::string, Json> capacity;
  size_t bytes = 0;
  for (auto& [name, read] : reads) {
    responses[name] = Json::array();
    ItemStore items = Items(ctx, read.table);
    for (const Json& key : read.keys) {
      // What does not fit in the 16 MB answer is handed back to ask again.
      if (bytes >= kMaxBatchGetBytes) {
        Json& left = unprocessed[name];
        if (left.is_null()) {
          left = requests[name];
          left["Keys"] = Json::array();
        }
        left["Keys"].push_back(key);
        continue;
      }
      auto item = items.Get(key);
      const size_t size = item ? ItemSize(*item) : 0;
      bytes += size;
      Charge(capacity, ReadCapacity(in, read.table.schema, size, read.consistent));
      if (item) responses[name].push_back(read.projection ? ProjectItem(*item, *read.projection) : *item);
    }
  }
  Json out = {{"Responses", responses}, {"UnprocessedKeys", unprocessed}};
  if (!capacity.empty()) out["ConsumedCapacity"] = CapacityList(capacity);
  return out;
}

Outcome<Json> ListTables(const Json& in, RequestContext& ctx) {
  const std::string arn = "arn:aws:dynamodb:" + ctx.region + ":" + ctx.caller.account + ":table/*";
  if (auto s = Authorize(ctx, "dynamodb:ListTables", arn, {"AccessDeniedException", 400}); !s.ok()) return s.error();
  const size_t limit = in.value("Limit", 100);
  if (limit > 100) {
    return ValidationException("1 validation error detected: Value '" + std::to_string(limit) +
                               "' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100");
  }
  KeyPage page = PageByKey(ctx.tx, TableScope(ctx), "ddb_table", "", in.value("ExclusiveStartTableName", ""), limit,
                          [](Json description) -> std::optional<Json> { return description["TableName"]; });
  Json out = {{"TableNames", std::move(page.items)}};
  if (page.resume_after) out["LastEvaluatedTableName"] = *page.resume_after;
  return out;
}

}  // namespace datamesh::local::ddb
