#include "local/dynamodb/item_store.h"

#include "local/dynamodb/ddb_number.h"
#include "local/dynamodb/stream_records.h"

namespace datamesh::local::ddb {
namespace {

// Key parts are BLOBs so that SQLite compares them bytewise (memcmp), which is DynamoDB's order
// for the ordered bytes. A table without a sort key stores the empty blob in sk (and likewise
// isk for an index without one).
constexpr char kSchema[] = R"(
  CREATE TABLE IF NOT EXISTS ddb_items (
    account TEXT NOT NULL, region TEXT NOT NULL, tbl TEXT NOT NULL, pk BLOB NOT NULL, sk BLOB NOT NULL,
    size INTEGER NOT NULL, doc TEXT NOT NULL,
    PRIMARY KEY (account, region, tbl, pk, sk)) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS ddb_index_entries (
    account TEXT NOT NULL, region TEXT NOT NULL, tbl TEXT NOT NULL, idx TEXT NOT NULL,
    ipk BLOB NOT NULL, isk BLOB NOT NULL, pk BLOB NOT NULL, sk BLOB NOT NULL,
    PRIMARY KEY (account, region, tbl, idx, ipk, isk, pk, sk)) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS ddb_index_entries_by_item ON ddb_index_entries (account, region, tbl, pk, sk);
)";

// The attribute's ordered bytes, or "" when `item` lacks it (a table without a sort key).
std::string AttributeBytes(const Json& item, const std::string& name) {
  if (name.empty() || !item.contains(name)) return "";
  return OrderedKeyBytes(item[name]);
}

bool HoldsKeys(const Json& item, const KeyPair& keys) {
  return item.contains(keys.hash) && (keys.range.empty() || item.contains(keys.range));
}

// Builds the SELECT of a read: equality on the scope (and partition), the sort-key bounds, the
// resume position, and the order.
struct ReadSql {
  std::string text;
  std::vector<std::string> blobs;  // bound after account, region, table (and index name)
};

ReadSql BuildRead(const ReadRange& r, const std::vector<std::string>& resume) {
  const bool index = r.index != nullptr;
  const std::vector<std::string> columns =
      index ? std::vector<std::string>{"e.ipk", "e.isk", "e.pk", "e.sk"} : std::vector<std::string>{"pk", "sk"};
  ReadSql sql;
  sql.text = index ? "SELECT i.doc FROM ddb_index_entries e JOIN ddb_items i ON i.account = e.account AND "
                     "i.region = e.region AND i.tbl = e.tbl AND i.pk = e.pk AND i.sk = e.sk "
                     "WHERE e.account = ? AND e.region = ? AND e.tbl = ? AND e.idx = ?"
                   : "SELECT doc FROM ddb_items WHERE account = ? AND region = ? AND tbl = ?";
  size_t first_free = 0;
  if (r.hash) {
    sql.text += " AND " + columns[0] + " = ?";
    sql.blobs.push_back(*r.hash);
    first_free = 1;
  }
  if (r.lower) {
    sql.text += " AND " + columns[1] + (r.lower->inclusive ? " >= ?" : " > ?");
    sql.blobs.push_back(r.lower->bytes);
  }
  if (r.upper) {
    sql.text += " AND " + columns[1] + (r.upper->inclusive ? " <= ?" : " < ?");
    sql.blobs.push_back(r.upper->bytes);
  }
  if (!resume.empty()) {
    std::string left, right;
    for (size_t i = first_free; i < columns.size(); ++i) {
      left += (i == first_free ? "" : ", ") + columns[i];
      right += i == first_free ? "?" : ", ?";
      sql.blobs.push_back(resume[i]);
    }
    sql.text += " AND (" + left + ") " + (r.forward ? ">" : "<") + " (" + right + ")";
  }
  sql.text += " ORDER BY ";
  for (size_t i = 0; i < columns.size(); ++i) {
    sql.text += (i ? ", " : "") + columns[i] + (r.forward ? " ASC" : " DESC");
  }
  return sql;
}

}  // namespace

std::string OrderedKeyBytes(const Json& value) {
  const std::string type = TypeOf(value);
  if (type == "S") return value["S"].get<std::string>();
  if (type == "B") return BinaryOf(value);
  if (type == "N") {
    auto n = Number::Parse(value["N"].get<std::string>());
    return n.ok() ? n->OrderedBytes() : std::string();
  }
  return "";
}

std::vector<std::string> ResumePosition(const TableSchema& schema, const IndexSchema* index, const Json& key) {
  std::vector<std::string> out;
  if (index) {
    out.push_back(AttributeBytes(key, index->keys.hash));
    out.push_back(AttributeBytes(key, index->keys.range));
  }
  out.push_back(AttributeBytes(key, schema.keys.hash));
  out.push_back(AttributeBytes(key, schema.keys.range));
  return out;
}

void ItemStore::CreateTables(Transaction& tx) {
  tx.Define(kSchema);
  CreateStreamTables(tx);
}

std::string ItemStore::HashBytes(const Json& item) const { return AttributeBytes(item, schema_.keys.hash); }
std::string ItemStore::RangeBytes(const Json& item) const { return AttributeBytes(item, schema_.keys.range); }

std::optional<Json> ItemStore::Get(const Json& key) {
  Sql s = tx_.Query("SELECT doc FROM ddb_items WHERE account = ? AND region = ? AND tbl = ? AND pk = ? AND sk = ?");
  s.Bind(1, scope_.account).Bind(2, scope_.region).Bind(3, schema_.name).BindBlob(4, HashBytes(key)).BindBlob(5, RangeBytes(key));
  if (!s.Next()) return std::nullopt;
  return Json::parse(s.View(0));
}

void ItemStore::Put(const Json& item, const std::optional<Json>& old) {
  if (old && *old == item) return;
  if (old) RemoveRows(*old);
  const std::string pk = HashBytes(item), sk = RangeBytes(item);
  tx_.Change("INSERT INTO ddb_items VALUES (?, ?, ?, ?, ?, ?, ?)")
      .Bind(1, scope_.account)
      .Bind(2, scope_.region)
      .Bind(3, schema_.name)
      .BindBlob(4, pk)
      .BindBlob(5, sk)
      .Bind(6, static_cast<int64_t>(ItemSize(item)))
      .Bind(7, item.dump())
      .Run();
  PutIndexEntries(item, pk, sk);
  RecordChange(old ? "MODIFY" : "INSERT", old, item);
}

void ItemStore::PutIndexEntries(const Json& item, const std::string& pk, const std::string& sk) {
  for (const IndexSchema& index : schema_.indexes) {
    if (!HoldsKeys(item, index.keys)) continue;  // a sparse index leaves the item out
    tx_.Change("INSERT INTO ddb_index_entries VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        .Bind(1, scope_.account)
        .Bind(2, scope_.region)
        .Bind(3, schema_.name)
        .Bind(4, index.name)
        .BindBlob(5, AttributeBytes(item, index.keys.hash))
        .BindBlob(6, AttributeBytes(item, index.keys.range))
        .BindBlob(7, pk)
        .BindBlob(8, sk)
        .Run();
  }
}

void ItemStore::Delete(const Json& old) {
  RemoveRows(old);
  RecordChange("REMOVE", old, std::nullopt);
}

void ItemStore::RecordChange(const char* event, const std::optional<Json>& old, const std::optional<Json>& item) {
  if (schema_.stream_arn.empty()) return;
  const std::string& view = schema_.stream_view_type;
  Json dynamodb = {{"ApproximateCreationDateTime", change_.now_ms / 1000},
                   {"Keys", schema_.KeyOf(item ? *item : *old)},
                   {"StreamViewType", view}};
  if (item && (view == "NEW_IMAGE" || view == "NEW_AND_OLD_IMAGES")) dynamodb["NewImage"] = *item;
  if (old && (view == "OLD_IMAGE" || view == "NEW_AND_OLD_IMAGES")) dynamodb["OldImage"] = *old;
  size_t size = ItemSize(dynamodb["Keys"]);
  for (const char* image : {"NewImage", "OldImage"}) {
    if (dynamodb.contains(image)) size += ItemSize(dynamodb[image]);
  }
  dynamodb["SizeBytes"] = size;
  Json record = {{"eventName", event},
                 {"eventVersion", "1.1"},
                 {"eventSource", "aws:dynamodb"},
                 {"awsRegion", scope_.region},
                 {"dynamodb", dynamodb}};
  AppendStreamRecord(tx_, schema_.stream_arn, change_.now_ms, std::move(record));
}

void ItemStore::RemoveRows(const Json& old) {
  const std::string pk = HashBytes(old), sk = RangeBytes(old);
  tx_.Change("DELETE FROM ddb_items WHERE account = ? AND region = ? AND tbl = ? AND pk = ? AND sk = ?")
      .Bind(1, scope_.account).Bind(2, scope_.region).Bind(3, schema_.name).BindBlob(4, pk).BindBlob(5, sk).Run();
  tx_.Change("DELETE FROM ddb_index_entries WHERE account = ? AND region = ? AND tbl = ? AND pk = ? AND sk = ?")
      .Bind(1, scope_.account).Bind(2, scope_.region).Bind(3, schema_.name).BindBlob(4, pk).BindBlob(5, sk).Run();
}

void ItemStore::DeleteAll() {
  for (const char* sql : {"DELETE FROM ddb_items WHERE account = ? AND region = ? AND tbl = ?",
                          "DELETE FROM ddb_index_entries WHERE account = ? AND region = ? AND tbl = ?"}) {
    tx_.Change(sql).Bind(1, scope_.account).Bind(2, scope_.region).Bind(3, schema_.name).Run();
  }
}

void ItemStore::Backfill(const IndexSchema& index) {
  TableSchema only_new = schema_;
  only_new.indexes = {index};
  ItemStore writer(tx_, scope_, only_new);
  std::vector<Json> items;
  Read(ReadRange{}, [&](Json item) {
    items.push_back(std::move(item));
    return true;
  });
  for (const Json& item : items) writer.PutIndexEntries(item, HashBytes(item), RangeBytes(item));
}

std::pair<int64_t, int64_t> ItemStore::CountAndSize() {
  Sql s = tx_.Query("SELECT count(*), coalesce(sum(size), 0) FROM ddb_items WHERE account = ? AND region = ? AND tbl = ?");
  s.Bind(1, scope_.account).Bind(2, scope_.region).Bind(3, schema_.name);
  s.Next();
  return {s.Int(0), s.Int(1)};
}

void ItemStore::Read(const ReadRange& range, const std::function<bool(Json item)>& visit) {
  std::vector<std::string> resume;
  if (range.start_after) resume = ResumePosition(schema_, range.index, *range.start_after);
  ReadSql sql = BuildRead(range, resume);
  Sql s = tx_.Query(sql.text);
  s.Bind(1, scope_.account).Bind(2, scope_.region).Bind(3, schema_.name);
  int i = 4;
  if (range.index) s.Bind(i++, range.index->name);
  for (const std::string& blob : sql.blobs) s.BindBlob(i++, blob);
  while (s.Next()) {
    if (!visit(Json::parse(s.View(0)))) return;
  }
}

}  // namespace datamesh::local::ddb
