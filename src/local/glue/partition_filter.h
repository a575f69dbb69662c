// Glue's partition filter expressions (GetPartitions Expression): a SQL-like predicate over the
// partition keys with =, <>, !=, <, <=, >, >=, BETWEEN, IN, LIKE, AND, OR, NOT and parentheses.
// Values compare as numbers for numeric key types and as strings otherwise.
#pragma once

#include <memory>
#include <string>

#include "aws/model/service_model.h"
#include "datamesh/outcome.h"

namespace datamesh::local::glue {

class PartitionFilter {
 public:
  // `partition_keys`: the table's PartitionKeys ([{Name, Type}]). An error
  // (InvalidInputException) names what is wrong with the expression.
  static Outcome<std::shared_ptr<PartitionFilter>> Parse(const std::string& expression,
                                                          const aws::Json& partition_keys);
  virtual ~PartitionFilter() = default;
  // `values`: the partition's Values, in key order.
  virtual bool Matches(const aws::Json& values) const = 0;
};

}  // namespace datamesh::local::glue
