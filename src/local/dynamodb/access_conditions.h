// The condition keys DynamoDB puts in a request's context for fine-grained access control, so
// that IAM policies can restrict a caller to some items (by partition key) and some attributes
// ("Using IAM policy conditions for fine-grained access control", DynamoDB Developer Guide;
// the Service Authorization Reference for DynamoDB):
//   dynamodb:LeadingKeys   the partition key value the request reaches. For a Query on a global
//                          secondary index it is the index's partition key value (the only one a
//                          query names; the guide's example 6 guards a table and its index with one
//                          LeadingKeys condition). Scan has none ("Scan returns all items
//                          regardless of the leading keys").
//   dynamodb:Attributes    the top-level attributes the request names: the item's attributes
//                          (PutItem), the key, the attributes an update expression writes or reads,
//                          and those of condition, key-condition, filter and projection
//                          expressions ("cannot perform conditional write operations based on any
//                          other attributes"). A read without a projection names no attributes
//                          beyond its key conditions and filter.
//   dynamodb:Select        reads: the Select parameter, else SPECIFIC_ATTRIBUTES with a projection,
//                          else ALL_ATTRIBUTES (ALL_PROJECTED_ATTRIBUTES for an index).
//   dynamodb:ReturnValues  writes: the ReturnValues parameter, NONE by default.
//   dynamodb:ReturnConsumedCapacity: the parameter, NONE by default.
// Expressions that do not parse contribute nothing here; the request then fails validation.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "local/dynamodb/table_schema.h"

namespace datamesh::local::ddb {

// Lower-case condition key names, as the policy evaluator's context holds them.
using ConditionKeys = std::map<std::string, std::vector<std::string>>;

// `operation`: the DynamoDB operation ("PutItem", "Query", ...); `schema`: the table's, or null
// when the table does not exist (then only the keys that need no schema are set).
ConditionKeys AccessConditionKeys(const std::string& operation, const Json& input,
                                  const TableSchema* schema);

}  // namespace datamesh::local::ddb
