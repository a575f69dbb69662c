// DynamoDB's reserved words: names that may not appear bare in an expression (an expression
// attribute name, #alias, must stand in for them). The list is case-insensitive.
#pragma once

#include <string>

namespace datamesh::local::ddb {

bool IsReservedWord(const std::string& name);

}  // namespace datamesh::local::ddb
