// Subscription events: every change to a subscription, in the order it happened, read from the
// subscription tracker's DynamoDB stream (NEW_AND_OLD_IMAGES). Each History entry a write adds is
// one event, typed by what was done: requested, approved, denied, modified, imported, deleted,
// expired, grants_revoked.
#pragma once

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "datamesh/mesh_options.h"
#include "datamesh/outcome.h"

namespace datamesh {

namespace mesh {
class MeshSession;
}

struct MeshEvent {
  std::string type;  // requested, approved, denied, modified, imported, deleted, expired, grants_revoked
  std::string subscription_id;
  std::string owner, subscriber, database;
  std::vector<std::string> tables;
  std::string principal;  // who did it (an ARN)
  std::string time;       // when, YYYY-MM-DD HH:MM:SS UTC
  std::string status;     // the subscription's status after it
  // What the consumer held before and holds after: PermittedGrants while Active, else none.
  std::vector<std::string> permissions_before, permissions_after;
  std::vector<std::string> requested;                               // RequestedGrants after
  std::optional<std::string> note;
  std::optional<std::string> expires_at;  // when the access ends by itself, after the change (Active only)
  // Where it is in the stream: the shard and the sequence number of the record that carried it.
  std::string shard_id, sequence_number;

  // {"Type", "SubscriptionId", "OwnerPrincipal", "SubscriberPrincipal", "DatabaseName", "TableName",
  //  "Principal", "Time", "Status", "PermissionsBefore", "PermissionsAfter", "RequestedGrants",
  //  "Note"?, "ExpiresAt"?, "Shard", "SequenceNumber"}
  nlohmann::json ToJson() const;
};

// How far a reader has got: per shard of the stream, the last record delivered. Saved after each
// event, it makes delivery at-least-once across restarts.
struct EventCheckpoint {
  std::string stream_arn;
  std::map<std::string, std::string> shards;  // shard id -> last sequence number delivered

  void Advance(const MeshEvent& delivered);
  nlohmann::json ToJson() const;
  // An error names what is wrong with the document.
  static Outcome<EventCheckpoint> FromJson(const nlohmann::json& doc);
};

// Whose events a reader sees: a producer's (subscriptions to its products), a consumer's (its
// subscriptions), or the mesh administrator's (all).
enum class EventAudience { kProducer, kConsumer, kMesh };

struct EventFilter {
  std::set<std::string> types;       // empty: every type
  std::optional<std::string> since;  // YYYY-MM-DD HH:MM:SS UTC: only events at or after it
};

class EventFeed {
 public:
  // The credentials are the audience's: a producer's or consumer's account (the stream is read
  // through the mesh's read-only role), or the mesh account's for kMesh.
  static Outcome<EventFeed> Create(MeshOptions options, EventAudience audience);

  struct Batch {
    std::vector<MeshEvent> events;  // oldest first
    EventCheckpoint reached;        // past every record read, the filtered-out ones included
    bool requested = false;         // a request reached the audience, whether the filter passed it or not
  };
  // The events after `from` (from the oldest the stream keeps when `from` is empty) that pass
  // `filter`, as far as the stream reaches now. `from` may name an older stream (the tracker was
  // recreated): the current one is then read from its start. Deliver the events, advancing a
  // checkpoint past each record once its last event is delivered (one record may carry several:
  // events of one record share their SequenceNumber); then the checkpoint may become `reached`.
  Outcome<Batch> Read(const EventCheckpoint& from, const EventFilter& filter);
  // The stream being read.
  Outcome<std::string> StreamArn();

 private:
  EventFeed(std::shared_ptr<mesh::MeshSession> base, EventAudience audience, std::string account)
      : base_(std::move(base)), audience_(audience), account_(std::move(account)) {}
  // The session that reads the stream: the read-only role, reached through the audience's role
  // chain each time (kept while its credentials last, assumed again after: a follower outlives
  // an assumed role's hour), or for kMesh the mesh account's own.
  Outcome<std::shared_ptr<mesh::MeshSession>> Reader();
  std::shared_ptr<mesh::MeshSession> base_;
  // Where the last read of each open shard stopped: the iterator its last (empty) page gave, valid
  // while the next read starts from the same place (`after`: the last sequence number read).
  struct OpenShard {
    std::string stream_arn, after, iterator;
  };
  std::map<std::string, OpenShard> open_shards_;
  EventAudience audience_;
  std::string account_;  // the producer or consumer account ("" for kMesh)
  std::string stream_arn_;
};

// Every event type, in the order of a subscription's life: requested, approved, denied, modified,
// imported, deleted, expired, grants_revoked.
const std::vector<std::string>& EventTypes();
// "producer", "consumer" or "mesh"; an error names the three.
Outcome<EventAudience> ParseEventAudience(const std::string& name);

// "2026-12-02 06:00:00", "2026-12-02T06:00:00Z" or a duration back from `now` ("90s", "15m",
// "2h", "3d") as YYYY-MM-DD HH:MM:SS UTC.
Outcome<std::string> ParseEventTime(const std::string& text, std::chrono::system_clock::time_point now);
// "90s", "15m", "2h", "3d" as seconds; an error names the forms allowed.
Outcome<std::chrono::seconds> ParseDuration(const std::string& text);
// The time `in` after `now`, as YYYY-MM-DD HH:MM:SS UTC (for --expires-in).
std::string TimeAfter(std::chrono::system_clock::time_point now, std::chrono::seconds in);

}  // namespace datamesh
