// Evaluating parsed DynamoDB expressions against an item (a map of attribute names to values).
#pragma once

#include <optional>
#include <set>

#include "local/dynamodb/expression.h"

namespace datamesh::local::ddb {

// The value at `path`, if the item has one.
std::optional<Json> ResolvePath(const Json& item, const DocumentPath& path);

// Whether the condition holds for `item` (an empty object when there is no item).
bool EvaluateCondition(const Condition& condition, const Json& item);

// The item after the update; `key_names` are the table's key attributes, which may not change.
Outcome<Json> ApplyUpdate(const std::vector<UpdateAction>& actions, const Json& item,
                          const std::set<std::string>& key_names);

// Only the projected paths of `item`, nested structure kept.
Json ProjectItem(const Json& item, const std::vector<DocumentPath>& paths);

}  // namespace datamesh::local::ddb
