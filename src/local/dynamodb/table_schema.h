// A DynamoDB table as the local mesh keeps it: its description (the DescribeTable shape) and the
// key structure that items, queries and indexes are checked against.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "local/dynamodb/attribute_value.h"

namespace datamesh::local::ddb {

struct KeyPair {
  std::string hash;
  std::string range;  // empty: no sort key
};

struct IndexSchema {
  std::string name;
  KeyPair keys;
  std::string projection = "ALL";  // ALL, KEYS_ONLY, INCLUDE
  std::vector<std::string> non_key_attributes;
  std::string arn;
};

struct TableSchema {
  std::string name;
  std::string arn;
  KeyPair keys;
  std::map<std::string, std::string> attribute_types;  // key attributes (table and indexes) -> S/N/B
  std::vector<IndexSchema> indexes;
  // The table's stream, when it has one: every change is recorded there (see item_store.h).
  std::string stream_arn;
  std::string stream_view_type;  // KEYS_ONLY, NEW_IMAGE, OLD_IMAGE or NEW_AND_OLD_IMAGES

  static TableSchema FromDescription(const Json& description);
  const IndexSchema* FindIndex(const std::string& name) const;
  // The table's key attributes of `item`.
  Json KeyOf(const Json& item) const;
  // Checks that `item` holds the table's key with the right types, and that index key
  // attributes it holds have the right types.
  Status CheckItemKeys(const Json& item) const;
  // Checks that `key` (GetItem/UpdateItem/DeleteItem Key) names exactly the table's key.
  Status CheckKey(const Json& key) const;
};

// Validates a CreateTable request and returns the new table's description (TableStatus ACTIVE).
Outcome<Json> NewTableDescription(const Json& input, const std::string& account, const std::string& region,
                                  const std::string& now_iso);

}  // namespace datamesh::local::ddb
