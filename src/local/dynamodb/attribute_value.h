// DynamoDB AttributeValues in their JSON form ({"S": "x"}, {"N": "1"}, {"L": [...]}, ...):
// validation with DynamoDB's messages, the canonical stored form, equality and ordering.
#pragma once

#include <optional>
#include <string>

#include "aws/model/service_model.h"
#include "datamesh/outcome.h"

namespace datamesh::local::ddb {

using aws::Json;

// The type tag: "S", "N", "B", "BOOL", "NULL", "L", "M", "SS", "NS", "BS".
std::string TypeOf(const Json& value);

// Checks a value and returns its canonical form (numbers normalized). Errors are
// ValidationException with DynamoDB's wording.
Outcome<Json> CanonicalValue(const Json& value);
// Every attribute of an item.
Outcome<Json> CanonicalItem(const Json& item);

// The bytes of a B value.
std::string BinaryOf(const Json& value);

// Deep equality: numbers compare numerically, sets ignore order.
bool ValuesEqual(const Json& a, const Json& b);

// Ordering for <, <=, >, >= and sort keys: only between two S, two N or two B values.
std::optional<int> CompareValues(const Json& a, const Json& b);

// The item's size as DynamoDB counts it toward the 400 KB limit.
size_t ItemSize(const Json& item);

inline Error ValidationException(const std::string& message) {
  return Error("ValidationException", message, ErrorKind::kClient, 400);
}

}  // namespace datamesh::local::ddb
