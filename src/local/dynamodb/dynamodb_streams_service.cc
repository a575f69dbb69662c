#include "local/dynamodb/dynamodb_streams_service.h"

#include <chrono>

#include "aws/core/crypto.h"
#include "aws/core/encoding.h"
#include "local/dynamodb/stream_records.h"
#include "local/dynamodb/table_schema.h"
#include "local/policy/authorizer.h"

namespace datamesh::local {
namespace {

using ddb::StreamSequenceNumber;

const AccessDeniedStyle kDenied{"AccessDeniedException", 400};
// "A shard iterator expires 15 minutes after it is returned to the requester" (GetShardIterator).
constexpr int64_t kIteratorLifetimeMs = 15 * 60 * 1000;
// GetRecords: "up to 1 MB of data or 1000 stream records, whichever comes first".
constexpr size_t kMaxRecords = 1000;
constexpr size_t kMaxRecordBytes = 1024 * 1024;

Error Fault(const std::string& code, const std::string& message) { return ServiceFault(code, message, 400); }
Error Invalid(const std::string& message) { return Fault("ValidationException", message); }
Error StreamNotFound(const std::string& arn) {
  return Fault("ResourceNotFoundException", "Requested resource not found: Stream: " + arn + " not found");
}

int64_t NowMs(const RequestContext& ctx) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(ctx.now.time_since_epoch()).count();
}

// A stream of the caller's account and region: the current stream of one of its tables.
struct Stream {
  Json table;  // the table's description
  std::string arn;
};

std::vector<Stream> StreamsOf(RequestContext& ctx) {
  std::vector<Stream> out;
  for (auto& [name, d] : ctx.tx.List({ctx.caller.account, ctx.region}, "ddb_table")) {
    if (d.contains("LatestStreamArn") && d["StreamSpecification"].value("StreamEnabled", false)) {
      out.push_back({d, d["LatestStreamArn"]});
    }
  }
  return out;
}

// The stream `arn` names (arn:aws:dynamodb:REGION:ACCOUNT:table/NAME/stream/LABEL): its table's
// current stream, looked up by the table's name.
Outcome<Stream> FindStream(RequestContext& ctx, const std::string& arn, const std::string& action) {
  if (auto s = Authorize(ctx, action, arn, kDenied); !s.ok()) return s.error();
  const size_t table = arn.find(":table/"), stream = arn.find("/stream/");
  if (table == std::string::npos || stream == std::string::npos || stream < table) return StreamNotFound(arn);
  const std::string name = arn.substr(table + 7, stream - table - 7);
  auto d = ctx.tx.Get({ctx.caller.account, ctx.region}, "ddb_table", name);
  if (!d || d->value("LatestStreamArn", "") != arn || !(*d)["StreamSpecification"].value("StreamEnabled", false)) {
    return StreamNotFound(arn);
  }
  return Stream{*d, arn};
}

// The one shard of a stream: its id is stable for the stream.
std::string ShardIdOf(const std::string& stream_arn) {
  return "shardId-00000000000000000001-" + aws::HexEncode(aws::Sha256(stream_arn)).substr(0, 8);
}

// A shard iterator names the stream, the shard, the last sequence number already read and when
// it stops being valid; it is opaque to clients (base64) and checked on every use.
std::string MakeIterator(const std::string& arn, const std::string& shard, int64_t after, int64_t expires_ms) {
  return aws::Base64Encode(Json{{"s", arn}, {"h", shard}, {"a", after}, {"e", expires_ms}}.dump());
}

struct Iterator {
  std::string arn, shard;
  int64_t after = 0, expires_ms = 0;
};

Outcome<Iterator> ReadIterator(const std::string& text) {
  auto bad = [] { return Invalid("Invalid ShardIterator"); };
  auto bytes = aws::Base64Decode(text);
  if (!bytes) return bad();
  Json j = Json::parse(*bytes, nullptr, false);
  if (!j.is_object() || !j["s"].is_string() || !j["h"].is_string() || !j["a"].is_number_integer() ||
      !j["e"].is_number_integer()) {
    return bad();
  }
  return Iterator{j["s"], j["h"], j["a"], j["e"]};
}

Outcome<Json> ListStreams(const Json& in, RequestContext& ctx) {
  if (auto s = Authorize(ctx, "dynamodb:ListStreams", "*", kDenied); !s.ok()) return s.error();
  const size_t limit = in.value("Limit", 100);
  if (limit > 100) return Invalid("1 validation error detected: Value at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100");
  const std::string table = in.value("TableName", "");
  const std::string start = in.value("ExclusiveStartStreamArn", "");
  Json streams = Json::array();
  std::string last;
  bool more = false;
  for (const auto& s : StreamsOf(ctx)) {  // in table name order
    if (!table.empty() && s.table["TableName"] != table) continue;
    if (!start.empty() && s.arn <= start) continue;
    if (streams.size() == limit) {
      more = true;
      break;
    }
    streams.push_back({{"StreamArn", s.arn}, {"TableName", s.table["TableName"]}, {"StreamLabel", s.table["LatestStreamLabel"]}});
    last = s.arn;
  }
  Json out = {{"Streams", streams}};
  if (more) out["LastEvaluatedStreamArn"] = last;
  return out;
}

Outcome<Json> DescribeStream(const Json& in, RequestContext& ctx) {
  const std::string arn = in["StreamArn"];
  auto stream = FindStream(ctx, arn, "dynamodb:DescribeStream");
  if (!stream.ok()) return stream.error();
  const Json& t = stream->table;
  Json description = {{"StreamArn", arn},
                      {"StreamLabel", t["LatestStreamLabel"]},
                      {"StreamStatus", "ENABLED"},
                      {"StreamViewType", t["StreamSpecification"]["StreamViewType"]},
                      {"CreationRequestDateTime", t["CreationDateTime"]},
                      {"TableName", t["TableName"]},
                      {"KeySchema", t["KeySchema"]},
                      {"Shards", Json::array()}};
  const std::string shard = ShardIdOf(arn);
  if (in.value("ExclusiveStartShardId", "") < shard) {
    const int64_t first = ddb::FirstKeptSequence(ctx.tx, arn, NowMs(ctx));
    description["Shards"].push_back({{"ShardId", shard},
                                     {"SequenceNumberRange", {{"StartingSequenceNumber", StreamSequenceNumber(first)}}}});
  }
  return Json{{"StreamDescription", description}};
}

Outcome<Json> GetShardIterator(const Json& in, RequestContext& ctx) {
  const std::string arn = in["StreamArn"];
  auto stream = FindStream(ctx, arn, "dynamodb:GetShardIterator");
  if (!stream.ok()) return stream.error();
  const std::string shard = in["ShardId"];
  if (shard != ShardIdOf(arn)) {
    return Fault("ResourceNotFoundException", "Requested resource not found: Shard does not exist");
  }
  const std::string type = in["ShardIteratorType"];
  const bool at_number = type == "AT_SEQUENCE_NUMBER" || type == "AFTER_SEQUENCE_NUMBER";
  if (at_number != in.contains("SequenceNumber")) {
    return Invalid(at_number ? "SequenceNumber is required for ShardIteratorType " + type
                             : "SequenceNumber may only be given with AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER");
  }
  const int64_t now = NowMs(ctx);
  const int64_t first = ddb::FirstKeptSequence(ctx.tx, arn, now);
  int64_t after = 0;
  if (type == "TRIM_HORIZON") {
    after = first - 1;
  } else if (type == "LATEST") {
    after = ddb::LastSequence(ctx.tx, arn);
  } else {
    auto n = ddb::ParseSequenceNumber(in["SequenceNumber"]);
    if (!n || *n > ddb::LastSequence(ctx.tx, arn)) {
      return Invalid("Invalid SequenceNumber: " + in["SequenceNumber"].get<std::string>() + " is not a sequence number of this shard");
    }
    if (*n < first) {
      return Fault("TrimmedDataAccessException", "The data you are trying to access has been trimmed.");
    }
    after = type == "AT_SEQUENCE_NUMBER" ? *n - 1 : *n;
  }
  return Json{{"ShardIterator", MakeIterator(arn, shard, after, now + kIteratorLifetimeMs)}};
}

Outcome<Json> GetRecords(const Json& in, RequestContext& ctx) {
  auto it = ReadIterator(in["ShardIterator"]);
  if (!it.ok()) return it.error();
  auto stream = FindStream(ctx, it->arn, "dynamodb:GetRecords");
  if (!stream.ok()) return stream.error();
  const int64_t now = NowMs(ctx);
  if (now > it->expires_ms) {
    return Fault("ExpiredIteratorException", "The provided iterator exceeds the maximum age allowed.");
  }
  const size_t limit = in.value("Limit", kMaxRecords);
  if (limit > kMaxRecords) {
    return Invalid("1 validation error detected: Value at 'limit' failed to satisfy constraint: Member must have value less than or equal to 1000");
  }
  if (it->after + 1 < ddb::FirstKeptSequence(ctx.tx, it->arn, now) && it->after < ddb::LastSequence(ctx.tx, it->arn)) {
    return Fault("TrimmedDataAccessException", "The data you are trying to access has been trimmed.");
  }
  Json records = Json::array();
  int64_t after = it->after;
  for (auto& r : ddb::StreamRecordsAfter(ctx.tx, it->arn, it->after, now, limit, kMaxRecordBytes)) {
    r.record["awsRegion"] = ctx.region;  // the region that answered GetRecords, as the API says
    records.push_back(std::move(r.record));
    after = r.seq;
  }
  return Json{{"Records", records},
              {"NextShardIterator", MakeIterator(it->arn, it->shard, after, now + kIteratorLifetimeMs)}};
}

}  // namespace

Outcome<Json> DynamoDbStreamsService::Invoke(const std::string& operation, const Json& input, RequestContext& ctx) {
  if (operation == "ListStreams") return ListStreams(input, ctx);
  if (operation == "DescribeStream") return DescribeStream(input, ctx);
  if (operation == "GetShardIterator") return GetShardIterator(input, ctx);
  if (operation == "GetRecords") return GetRecords(input, ctx);
  return ServiceFault("UnknownOperationException", "Unknown operation " + operation, 400);
}

}  // namespace datamesh::local
