#include "local/dynamodb/stream_records.h"

#include "aws/core/crypto.h"
#include "aws/core/encoding.h"

namespace datamesh::local::ddb {
namespace {

constexpr char kSchema[] = R"(
  CREATE TABLE IF NOT EXISTS ddb_stream_records (
    stream TEXT NOT NULL, seq INTEGER NOT NULL, created_ms INTEGER NOT NULL, doc TEXT NOT NULL,
    PRIMARY KEY (stream, seq)) WITHOUT ROWID;
)";

}  // namespace

void CreateStreamTables(Transaction& tx) { tx.Define(kSchema); }

std::string StreamSequenceNumber(int64_t seq) {
  std::string digits = std::to_string(seq);
  return std::string(digits.size() < 21 ? 21 - digits.size() : 0, '0') + digits;
}

std::optional<int64_t> ParseSequenceNumber(const std::string& text) {
  if (text.empty() || text.size() > 40 || text.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  size_t first = text.find_first_not_of('0');
  if (first == std::string::npos) return 0;
  if (text.size() - first > 18) return std::nullopt;  // beyond any sequence number given out here
  return std::stoll(text.substr(first));
}

void AppendStreamRecord(Transaction& tx, const std::string& stream, int64_t created_ms, Json record) {
  const int64_t seq = LastSequence(tx, stream) + 1;
  record["eventID"] = aws::HexEncode(aws::Sha256(stream + "#" + std::to_string(seq))).substr(0, 32);
  record["dynamodb"]["SequenceNumber"] = StreamSequenceNumber(seq);
  tx.Change("INSERT INTO ddb_stream_records VALUES (?, ?, ?, ?)")
      .Bind(1, stream)
      .Bind(2, seq)
      .Bind(3, created_ms)
      .Bind(4, record.dump())
      .Run();
  // What is past retention goes as new records come, from the oldest (sequence order is time
  // order), a few at a time so that an append costs the same however long the stream is.
  tx.Change("DELETE FROM ddb_stream_records WHERE stream = ? AND seq IN (SELECT seq FROM ddb_stream_records "
            "WHERE stream = ? ORDER BY seq LIMIT 16) AND created_ms < ?")
      .Bind(1, stream)
      .Bind(2, stream)
      .Bind(3, created_ms - kStreamRetentionMs)
      .Run();
}

int64_t LastSequence(Transaction& tx, const std::string& stream) {
  Sql s = tx.Query("SELECT max(seq) FROM ddb_stream_records WHERE stream = ?");
  s.Bind(1, stream);
  return s.Next() ? s.Int(0) : 0;
}

int64_t FirstKeptSequence(Transaction& tx, const std::string& stream, int64_t now_ms) {
  Sql s = tx.Query("SELECT min(seq) FROM ddb_stream_records WHERE stream = ? AND created_ms >= ?");
  s.Bind(1, stream).Bind(2, now_ms - kStreamRetentionMs);
  if (s.Next() && s.Int(0) > 0) return s.Int(0);
  return LastSequence(tx, stream) + 1;
}

std::vector<StreamRecord> StreamRecordsAfter(Transaction& tx, const std::string& stream, int64_t after,
                                             int64_t now_ms, size_t limit, size_t max_bytes) {
  Sql s = tx.Query("SELECT seq, doc FROM ddb_stream_records WHERE stream = ? AND seq > ? AND created_ms >= ? ORDER BY seq");
  s.Bind(1, stream).Bind(2, after).Bind(3, now_ms - kStreamRetentionMs);
  std::vector<StreamRecord> out;
  size_t bytes = 0;
  while (out.size() < limit && bytes < max_bytes && s.Next()) {
    bytes += s.View(1).size();
    out.push_back({s.Int(0), Json::parse(s.View(1))});
  }
  return out;
}

}  // namespace datamesh::local::ddb
