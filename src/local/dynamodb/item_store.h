// Where the local DynamoDB keeps a table's items: one row per item keyed by its partition and
// sort key, and one row per global secondary index entry keyed by the index's keys, both in
// DynamoDB's sort order (key values are stored as order-preserving bytes). A Query reads one
// partition's range of the table or an index, a Scan reads in key order from where the last page
// ended: what a read costs grows with what it returns, not with the table. A table with a stream
// gets one record per change, in commit order, as DynamoDB Streams describes them.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "local/dynamodb/table_schema.h"
#include "local/store/store.h"

namespace datamesh::local::ddb {

// Key bytes that sort as DynamoDB sorts the value: UTF-8 bytes for S, the bytes for B, and
// Number::OrderedBytes for N.
std::string OrderedKeyBytes(const Json& value);

// A bound of a sort-key range, in ordered bytes.
struct KeyBound {
  std::string bytes;
  bool inclusive = true;
};

// What a read goes through, in order. For a table: (hash, range). For an index: (index hash,
// index range, table hash, table range): index entries with equal index keys are kept in table
// key order, which makes the position after any item a well-defined place to resume.
struct ReadRange {
  const IndexSchema* index = nullptr;
  std::optional<std::string> hash;        // Query: the partition, in ordered bytes; Scan: none
  std::optional<KeyBound> lower, upper;   // on the (index) sort key, Query only
  std::optional<Json> start_after;        // ExclusiveStartKey (the table's and the index's keys)
  bool forward = true;
};

// Where a change happened, for its stream record.
struct ChangeContext {
  int64_t now_ms = 0;
  std::string request_id;
};

class ItemStore {
 public:
  ItemStore(Transaction& tx, Scope scope, const TableSchema& schema, ChangeContext change = {})
      : tx_(tx), scope_(std::move(scope)), schema_(schema), change_(std::move(change)) {}

  // Creates the tables the items live in, when the file has none yet.
  static void CreateTables(Transaction& tx);

  std::optional<Json> Get(const Json& key);
  // Writes `item` in place of `old` (the item with the same key, when there was one), keeping
  // every index's entries in step.
  // A put that changes nothing records no change ("Change data capture for DynamoDB Streams").
  void Put(const Json& item, const std::optional<Json>& old);
  void Delete(const Json& old);
  void DeleteAll();
  // Adds the entries of a new index for the items already in the table.
  void Backfill(const IndexSchema& index);
  // Item count and total size, as DescribeTable reports them.
  std::pair<int64_t, int64_t> CountAndSize();

  // Visits the items of `range` in order until `visit` returns false. Items an index does not
  // hold (missing its keys) are never visited.
  void Read(const ReadRange& range, const std::function<bool(Json item)>& visit);

 private:
  void PutIndexEntries(const Json& item, const std::string& pk, const std::string& sk);
  void RemoveRows(const Json& old);
  void RecordChange(const char* event, const std::optional<Json>& old, const std::optional<Json>& item);
  std::string HashBytes(const Json& item) const;
  std::string RangeBytes(const Json& item) const;

  Transaction& tx_;
  Scope scope_;
  const TableSchema& schema_;
  ChangeContext change_;
};

// The position a read resumes after, from an ExclusiveStartKey: the ordered bytes of the
// read's key columns (see ReadRange).
std::vector<std::string> ResumePosition(const TableSchema& schema, const IndexSchema* index, const Json& key);

}  // namespace datamesh::local::ddb
