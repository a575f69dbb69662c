// DynamoDB Streams' records as the local mesh keeps them: per stream, numbered in the order their
// changes committed (writers are serialised, so a sequence number is the commit order), kept 24
// hours as DynamoDB keeps them ("DynamoDB Streams": "stream records are ... removed after 24 hours").
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "local/store/store.h"

namespace datamesh::local::ddb {

inline constexpr int64_t kStreamRetentionMs = 24LL * 3600 * 1000;

void CreateStreamTables(Transaction& tx);

// The SequenceNumber of the seq-th record: decimal digits, at least 21 of them.
std::string StreamSequenceNumber(int64_t seq);
std::optional<int64_t> ParseSequenceNumber(const std::string& text);

// Appends a record to `stream`, giving it the next sequence number and an eventID.
void AppendStreamRecord(Transaction& tx, const std::string& stream, int64_t created_ms, Json record);

// The last sequence number given out on `stream` (0: none yet).
int64_t LastSequence(Transaction& tx, const std::string& stream);
// The first sequence number still kept at `now_ms` (LastSequence + 1 when nothing is kept).
int64_t FirstKeptSequence(Transaction& tx, const std::string& stream, int64_t now_ms);

struct StreamRecord {
  int64_t seq;
  Json record;
};
// The kept records after `after`, in order, at most `limit` of them and stopping once `max_bytes`
// of records were read.
std::vector<StreamRecord> StreamRecordsAfter(Transaction& tx, const std::string& stream, int64_t after,
                                             int64_t now_ms, size_t limit, size_t max_bytes);

}  // namespace datamesh::local::ddb
