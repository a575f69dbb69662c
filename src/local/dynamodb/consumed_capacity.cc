#include "local/dynamodb/consumed_capacity.h"

#include <algorithm>

namespace datamesh::local::ddb {
namespace {

constexpr size_t kReadUnitBytes = 4 * 1024;
constexpr size_t kWriteUnitBytes = 1024;

double Units(size_t bytes, size_t unit) { return static_cast<double>(std::max<size_t>(1, (bytes + unit - 1) / unit)); }

bool InIndex(const IndexSchema& index, const std::optional<Json>& item) {
  if (!item) return false;
  for (const std::string& k : {index.keys.hash, index.keys.range}) {
    if (!k.empty() && !item->contains(k)) return false;
  }
  return true;
}

}  // namespace

std::optional<Json> ReadCapacity(const Json& in, const TableSchema& schema, size_t bytes, bool consistent,
                                 const std::string& index) {
  const std::string mode = in.value("ReturnConsumedCapacity", "NONE");
  if (mode != "TOTAL" && mode != "INDEXES") return std::nullopt;
  const double units = Units(bytes, kReadUnitBytes) * (consistent ? 1.0 : 0.5);
  Json out = {{"TableName", schema.name}, {"CapacityUnits", units}, {"ReadCapacityUnits", units}};
  if (mode == "INDEXES") {
    if (index.empty()) {
      out["Table"] = {{"CapacityUnits", units}, {"ReadCapacityUnits", units}};
    } else {
      out["GlobalSecondaryIndexes"] = {{index, {{"CapacityUnits", units}, {"ReadCapacityUnits", units}}}};
    }
  }
  return out;
}

std::optional<Json> WriteCapacity(const Json& in, const TableSchema& schema, const std::optional<Json>& before,
                                  const std::optional<Json>& after) {
  const std::string mode = in.value("ReturnConsumedCapacity", "NONE");
  if (mode != "TOTAL" && mode != "INDEXES") return std::nullopt;
  const size_t size = std::max(before ? ItemSize(*before) : 0, after ? ItemSize(*after) : 0);
  const double table = Units(size, kWriteUnitBytes);
  double total = table;
  Json indexes = Json::object();
  for (const auto& index : schema.indexes) {
    // An index holding the item before or after the write is written too.
    if (!InIndex(index, before) && !InIndex(index, after)) continue;
    const double units = Units(size, kWriteUnitBytes);
    indexes[index.name] = {{"CapacityUnits", units}, {"WriteCapacityUnits", units}};
    total += units;
  }
  Json out = {{"TableName", schema.name}, {"CapacityUnits", total}, {"WriteCapacityUnits", total}};
  if (mode == "INDEXES") {
    out["Table"] = {{"CapacityUnits", table}, {"WriteCapacityUnits", table}};
    if (!indexes.empty()) out["GlobalSecondaryIndexes"] = indexes;
  }
  return out;
}

}  // namespace datamesh::local::ddb
