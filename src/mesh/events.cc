// EventFeed: the subscription tracker's stream read shard by shard (parents before children, as
// DynamoDB Streams asks), each record's new History entries turned into events.
#include "datamesh/events.h"

#include <algorithm>
#include <chrono>
#include <functional>
#include <regex>
#include <set>

#include <spdlog/spdlog.h>

#include "aws/core/time_format.h"
#include "datamesh/mesh_names.h"
#include "mesh/event_records.h"
#include "mesh/mesh_session.h"
#include "mesh/personas.h"
#include "mesh/subscription_tracker.h"

namespace datamesh {

using nlohmann::json;

json MeshEvent::ToJson() const {
  json out = {{"Type", type},
              {"SubscriptionId", subscription_id},
              {"OwnerPrincipal", owner},
              {"SubscriberPrincipal", subscriber},
              {"DatabaseName", database},
              {"TableName", tables},
              {"Principal", principal},
              {"Time", time},
              {"Status", status},
              {"PermissionsBefore", permissions_before},
              {"PermissionsAfter", permissions_after},
              {"RequestedGrants", requested},
              {"Shard", shard_id},
              {"SequenceNumber", sequence_number}};
  if (note) out["Note"] = *note;
  if (expires_at) out["ExpiresAt"] = *expires_at;
  return out;
}

void EventCheckpoint::Advance(const MeshEvent& delivered) { shards[delivered.shard_id] = delivered.sequence_number; }

json EventCheckpoint::ToJson() const { return {{"StreamArn", stream_arn}, {"Shards", shards}}; }

Outcome<EventCheckpoint> EventCheckpoint::FromJson(const json& doc) {
  if (!doc.is_object() || !doc.value("StreamArn", json()).is_string() || !doc.value("Shards", json()).is_object()) {
    return Error::Local("InvalidCheckpoint", "a checkpoint is {\"StreamArn\": ..., \"Shards\": {shard: sequence number}}");
  }
  EventCheckpoint c;
  c.stream_arn = doc["StreamArn"];
  for (auto& [shard, seq] : doc["Shards"].items()) {
    if (!seq.is_string()) return Error::Local("InvalidCheckpoint", "the checkpoint's sequence number of " + shard + " is not a string");
    c.shards[shard] = seq;
  }
  return c;
}

const std::vector<std::string>& EventTypes() {
  static const std::vector<std::string> types = {"requested", "approved", "denied",  "modified",
                                                 "imported",  "deleted",  "expired", "grants_revoked"};
  return types;
}

Outcome<EventAudience> ParseEventAudience(const std::string& name) {
  if (name == "producer") return EventAudience::kProducer;
  if (name == "consumer") return EventAudience::kConsumer;
  if (name == "mesh") return EventAudience::kMesh;
  return Error::Local("InvalidArgument", "audience must be producer, consumer or mesh, got '" + name + "'");
}

Outcome<std::chrono::seconds> ParseDuration(const std::string& text) {
  static const std::regex kDuration(R"(^(\d{1,9})([smhd])$)");
  std::smatch m;
  if (!std::regex_match(text, m, kDuration)) {
    return Error::Local("InvalidArgument", "'" + text + "' is not a duration: give a number and s, m, h or d (30m, 2h, 90d)");
  }
  const long long n = std::stoll(m[1]);
  const long long unit = m[2] == "s" ? 1 : m[2] == "m" ? 60 : m[2] == "h" ? 3600 : 86400;
  return std::chrono::seconds(n * unit);
}

std::string TimeAfter(std::chrono::system_clock::time_point now, std::chrono::seconds in) {
  return mesh::TrackerDate(now + in);
}

Outcome<std::string> ParseEventTime(const std::string& text, std::chrono::system_clock::time_point now) {
  if (auto back = ParseDuration(text); back.ok()) return mesh::TrackerDate(now - *back);
  std::string iso = text;
  if (iso.size() == 19 && iso[10] == ' ') iso[10] = 'T';
  if (iso.size() == 19) iso += "Z";
  if (auto t = aws::ParseIso8601(iso)) return mesh::TrackerDate(*t);
  return Error::Local("InvalidArgument", "'" + text + "' is not a time: give YYYY-MM-DD HH:MM:SS (UTC), "
                                         "an ISO 8601 time, or a duration back from now such as 30m, 2h or 1d");
}

namespace {

// Shards in the order their records must be read: a parent before its children.
std::vector<json> InLineage(const std::vector<json>& shards) {
  std::map<std::string, const json*> by_id;
  for (const auto& s : shards) by_id[s.value("ShardId", "")] = &s;
  std::vector<json> ordered;
  std::set<std::string> placed;
  std::function<void(const json&)> place = [&](const json& s) {
    const std::string id = s.value("ShardId", "");
    if (placed.count(id)) return;
    const std::string parent = s.value("ParentShardId", "");
    if (!parent.empty() && by_id.count(parent)) place(*by_id[parent]);
    placed.insert(id);
    ordered.push_back(s);
  };
  for (const auto& s : shards) place(s);
  return ordered;
}

// An iterator of shard `id` just after `after` (a sequence number), or at the oldest record the
// stream keeps when `after` is "" or older than the stream keeps (24 hours; said on stderr).
Outcome<std::string> FirstIterator(aws::AwsClient& streams, const std::string& arn, const std::string& id,
                                   const std::string& after) {
  json request = {{"StreamArn", arn}, {"ShardId", id}, {"ShardIteratorType", "TRIM_HORIZON"}};
  if (!after.empty()) {
    request["ShardIteratorType"] = "AFTER_SEQUENCE_NUMBER";
    request["SequenceNumber"] = after;
  }
  auto iterator = streams.Call("GetShardIterator", request);
  if (!iterator.ok() && iterator.error().code() == "TrimmedDataAccessException") {
    spdlog::warn("events of shard {} after {} are gone from the stream (kept 24 hours); reading on from the oldest kept", id,
                 after);
    request["ShardIteratorType"] = "TRIM_HORIZON";
    request.erase("SequenceNumber");
    iterator = streams.Call("GetShardIterator", request);
  }
  if (!iterator.ok()) return iterator.error();
  return iterator->value("ShardIterator", "");
}

bool Passes(const MeshEvent& e, const EventFilter& filter) {
  if (!filter.types.empty() && !filter.types.count(e.type)) return false;
  return !filter.since || e.time >= *filter.since;
}

}  // namespace

Outcome<EventFeed> EventFeed::Create(MeshOptions options, EventAudience audience) {
  auto session = mesh::MeshSession::Create(options);
  if (!session.ok()) return session.error();
  EventFeed feed(*session, audience, "");
  if (audience != EventAudience::kMesh) {
    auto id = (*session)->Identity();
    if (!id.ok()) return id.error();
    feed.account_ = id->account;
  }
  // The role chain is tried now, so that a feed that cannot read says so when it is made.
  auto reader = feed.Reader();
  if (!reader.ok()) return reader.error();
  return feed;
}

Outcome<std::shared_ptr<mesh::MeshSession>> EventFeed::Reader() {
  if (audience_ == EventAudience::kMesh) return base_;
  auto persona = audience_ == EventAudience::kProducer ? mesh::ProducerSessions(base_) : mesh::ConsumerSessions(base_);
  if (!persona.ok()) return persona.error();
  // The tracker is readable mesh-wide through the read-only role; its stream no more than that.
  return mesh::ReadOnlySession(*persona);
}

Outcome<std::string> EventFeed::StreamArn() {
  if (!stream_arn_.empty()) return stream_arn_;
  auto reader = Reader();
  if (!reader.ok()) return reader.error();
  auto table = (*reader)->DynamoDb().DescribeTable({{"TableName", names::kTrackerTable}});
  if (!table.ok()) return table.error();
  std::string arn = (*table)["Table"].value("LatestStreamArn", "");
  if (arn.empty()) return Error::Local("NoStream", std::string(names::kTrackerTable) + " has no stream; run install-mesh-objects");
  stream_arn_ = arn;
  return arn;
}

Outcome<EventFeed::Batch> EventFeed::Read(const EventCheckpoint& from, const EventFilter& filter) {
  auto arn = StreamArn();
  if (!arn.ok()) return arn.error();
  const bool same_stream = from.stream_arn == *arn;
  auto reader = Reader();
  if (!reader.ok()) return reader.error();
  auto streams = (*reader)->DynamoDbStreams();
  std::vector<json> shards;
  json describe = {{"StreamArn", *arn}};
  for (;;) {
    auto d = streams->Call("DescribeStream", describe);
    if (!d.ok()) return d.error();
    for (const auto& s : (*d)["StreamDescription"].value("Shards", json::array())) shards.push_back(s);
    const std::string last = (*d)["StreamDescription"].value("LastEvaluatedShardId", "");
    if (last.empty()) break;
    describe["ExclusiveStartShardId"] = last;
  }
  Batch out;
  out.reached.stream_arn = *arn;
  if (same_stream) out.reached.shards = from.shards;
  for (const auto& shard : InLineage(shards)) {
    const std::string id = shard.value("ShardId", "");
    auto seen = from.shards.find(id);
    const std::string checkpointed = same_stream && seen != from.shards.end() ? seen->second : "";
    // GetRecords may answer empty pages before records further along a shard ("it might take
    // multiple calls to get to a portion of the shard that contains stream records", DynamoDB
    // Streams API Reference, GetRecords). A closed shard (it has an EndingSequenceNumber) is read
    // until it has no next iterator. An open one is read until a page comes back empty, and the
    // iterator that page gave is kept for the next read (iterators last 15 minutes), so that each
    // read goes on from where the last stopped, empty pages included, with one call when there is
    // nothing new.
    const bool closed = shard.value("SequenceNumberRange", json::object()).contains("EndingSequenceNumber");
    std::string next;
    bool resumed = false;
    if (auto k = open_shards_.find(id); k != open_shards_.end() && k->second.stream_arn == *arn &&
                                        k->second.after == checkpointed) {
      next = k->second.iterator;
      resumed = true;
    }
    open_shards_.erase(id);
    if (!resumed) {
      auto first = FirstIterator(*streams, *arn, id, checkpointed);
      if (!first.ok()) return first.error();
      next = *first;
    }
    std::string after = checkpointed;
    while (!next.empty()) {
      auto page = streams->Call("GetRecords", {{"ShardIterator", next}});
      if (!page.ok() && resumed && page.error().code() == "ExpiredIteratorException") {
        // A kept iterator older than 15 minutes: start again from the checkpoint.
        resumed = false;
        auto first = FirstIterator(*streams, *arn, id, checkpointed);
        if (!first.ok()) return first.error();
        next = *first;
        continue;
      }
      if (!page.ok()) return page.error();
      const json records = page->value("Records", json::array());
      for (const auto& record : records) {
        for (auto& e : mesh::EventsOfRecord(record, id)) {
          const bool mine = audience_ == EventAudience::kMesh ||
                            (audience_ == EventAudience::kProducer ? e.owner : e.subscriber) == account_;
          if (mine && e.type == "requested") out.requested = true;
          if (mine && Passes(e, filter)) out.events.push_back(std::move(e));
        }
        after = record.value("dynamodb", json::object()).value("SequenceNumber", "");
        out.reached.shards[id] = after;
      }
      const std::string following = page->value("NextShardIterator", "");
      if (records.empty() && !closed) {
        if (!following.empty()) open_shards_[id] = OpenShard{*arn, after, following};
        break;
      }
      next = following;
    }
  }
  return out;
}

}  // namespace datamesh
