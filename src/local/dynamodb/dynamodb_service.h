// The local DynamoDB: tables with hash/range keys, global secondary indexes and streams
// described; items read and written with the full expression language and DynamoDB's errors.
#pragma once

#include "local/core/local_service.h"
#include "local/dynamodb/item_store.h"
#include "local/dynamodb/table_schema.h"

namespace datamesh::local {

class DynamoDbService : public LocalService {
 public:
  std::string name() const override { return "dynamodb"; }
  std::string validation_error_code() const override { return "ValidationException"; }
  Outcome<Json> Invoke(const std::string& operation, const Json& input, RequestContext& ctx) override;
};

namespace ddb {

// Shared by the operations in dynamodb_tables.cc, dynamodb_items.cc and dynamodb_reads.cc.
struct TableRef {
  Json description;
  TableSchema schema;
};
Scope TableScope(const RequestContext& ctx);
ItemStore Items(RequestContext& ctx, const TableRef& table);
// The table after the caller was authorized for `action` on it (or on `index`), with the
// fine-grained access condition keys of `input` as the operation `keys_as` (default: the action's
// own operation) carries them.
Outcome<TableRef> AuthorizedTable(RequestContext& ctx, const std::string& action, const Json& input,
                                  const std::string& index = "", const std::string& keys_as = "");
// A batch's part in one table: the table after one authorization of `action` on it, with the
// condition keys of all its items merged, each item's as its single-item operation (GetItem,
// PutItem, DeleteItem) would carry them. IAM sees one request: its dynamodb:LeadingKeys holds every
// item's partition key, so a ForAllValues condition must hold for each (the Developer Guide's
// fine-grained access examples guard BatchGetItem and BatchWriteItem with the same LeadingKeys
// condition as GetItem and PutItem).
Outcome<TableRef> AuthorizedBatchTable(RequestContext& ctx, const std::string& action, const std::string& table,
                                       const std::vector<std::pair<std::string, Json>>& items);
Error ResourceNotFound(const std::string& detail = "");

Outcome<Json> CreateTable(const Json& in, RequestContext& ctx);
Outcome<Json> DescribeTable(const Json& in, RequestContext& ctx);
Outcome<Json> DeleteTable(const Json& in, RequestContext& ctx);
// Adds a global secondary index (one per call, as DynamoDB allows); other table updates are
// refused as not supported by the local mesh.
Outcome<Json> UpdateTable(const Json& in, RequestContext& ctx);
Outcome<Json> PutItem(const Json& in, RequestContext& ctx);
Outcome<Json> GetItem(const Json& in, RequestContext& ctx);
Outcome<Json> UpdateItem(const Json& in, RequestContext& ctx);
Outcome<Json> DeleteItem(const Json& in, RequestContext& ctx);
Outcome<Json> Query(const Json& in, RequestContext& ctx);
Outcome<Json> Scan(const Json& in, RequestContext& ctx);
Outcome<Json> BatchWriteItem(const Json& in, RequestContext& ctx);
Outcome<Json> BatchGetItem(const Json& in, RequestContext& ctx);
Outcome<Json> ListTables(const Json& in, RequestContext& ctx);

}  // namespace ddb
}  // namespace datamesh::local
