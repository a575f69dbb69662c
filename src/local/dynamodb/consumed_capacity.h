// The capacity a request consumed, answered when it asks (ReturnConsumedCapacity TOTAL or
// INDEXES), as the DynamoDB Developer Guide counts it ("Read/write capacity mode"): a read unit per
// 4 KB read (half for an eventually consistent read; a read that finds nothing still costs one
// read), a write unit per 1 KB written (the larger of the item before and after), and for INDEXES
// the same for each global secondary index the item is in.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "local/dynamodb/table_schema.h"

namespace datamesh::local::ddb {

// The ConsumedCapacity member of a read's answer, or nullopt when the request did not ask for it.
// `bytes`: the size of what was read (items before any filter).
std::optional<Json> ReadCapacity(const Json& in, const TableSchema& schema, size_t bytes, bool consistent,
                                 const std::string& index = "");

// The same for a write of `before` (null when there was no item) into `after` (null for a delete).
std::optional<Json> WriteCapacity(const Json& in, const TableSchema& schema, const std::optional<Json>& before,
                                  const std::optional<Json>& after);

}  // namespace datamesh::local::ddb
