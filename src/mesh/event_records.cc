#include "mesh/event_records.h"

#include <map>

#include "mesh/subscription_tracker.h"

namespace datamesh::mesh {

std::string EventTypeOf(const std::string& action, const std::optional<std::string>& note, bool by_subscriber) {
  static const std::map<std::string, std::string> kTypes = {
      {"Request", "requested"}, {"Approve", "approved"}, {"Deny", "denied"},   {"Modify", "modified"},
      {"Import", "imported"},   {"Delete", "deleted"},   {"RevokeGrants", "grants_revoked"}};
  if (action == "Delete" && !by_subscriber && note && note->rfind("expired", 0) == 0) return "expired";
  auto it = kTypes.find(action);
  if (it != kTypes.end()) return it->second;
  std::string lower;
  for (char c : action) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

std::vector<MeshEvent> EventsOfRecord(const aws::Json& record, const std::string& shard_id) {
  std::vector<MeshEvent> out;
  const aws::Json change = record.value("dynamodb", aws::Json::object());
  if (!change.contains("NewImage")) return out;  // a removal: subscriptions are never removed
  auto after = SubscriptionFromItem(change["NewImage"]);
  if (!after.ok() || after->owner.empty() || after->subscriber.empty()) return out;
  std::optional<Subscription> before;
  if (change.contains("OldImage")) {
    auto b = SubscriptionFromItem(change["OldImage"]);
    if (b.ok()) before = std::move(*b);
  }
  // The entries the write added: those of the new image that the old one did not have.
  std::vector<SubscriptionEvent> old_entries = before ? before->history : std::vector<SubscriptionEvent>{};
  for (const auto& entry : after->history) {
    auto known = std::find(old_entries.begin(), old_entries.end(), entry);
    if (known != old_entries.end()) {
      old_entries.erase(known);
      continue;
    }
    MeshEvent e;
    e.type = EventTypeOf(entry.action, entry.note, entry.by_subscriber);
    e.subscription_id = after->id;
    e.owner = after->owner;
    e.subscriber = after->subscriber;
    e.database = after->database;
    e.tables = after->tables;
    e.principal = entry.principal;
    e.time = entry.time;
    e.status = ToString(entry.status);
    // What the consumer holds: an Active subscription's permitted grants, else nothing (a
    // Deleted record keeps its permissions for the audit, but grants none).
    if (before && before->status == SubscriptionStatus::kActive) e.permissions_before = before->permitted_grants;
    if (after->status == SubscriptionStatus::kActive) {
      e.permissions_after = after->permitted_grants;
      e.expires_at = after->expires_at;
    }
    e.requested = after->requested_grants;
    e.note = entry.note;
    e.shard_id = shard_id;
    e.sequence_number = change.value("SequenceNumber", "");
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace datamesh::mesh
