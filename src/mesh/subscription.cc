// The JSON shapes of subscriptions and the results built from them.
#include "datamesh/subscription.h"

namespace datamesh {

using nlohmann::json;

std::string ToString(SubscriptionStatus status) {
  switch (status) {
    case SubscriptionStatus::kPending:
      return "Pending";
    case SubscriptionStatus::kActive:
      return "Active";
    case SubscriptionStatus::kDenied:
      return "Denied";
    case SubscriptionStatus::kDeleted:
      return "Deleted";
  }
  return "";
}

std::optional<SubscriptionStatus> ParseSubscriptionStatus(const std::string& text) {
  for (auto s : {SubscriptionStatus::kPending, SubscriptionStatus::kActive,
                 SubscriptionStatus::kDenied, SubscriptionStatus::kDeleted}) {
    if (ToString(s) == text) return s;
  }
  return std::nullopt;
}

json SubscriptionEvent::ToJson() const {
  json out = {{"Time", time},
              {"Principal", principal},
              {"Action", action},
              {"Status", datamesh::ToString(status)}};
  if (permissions) out["Permissions"] = *permissions;
  if (grantable_permissions) out["GrantablePermissions"] = *grantable_permissions;
  if (note) out["Note"] = *note;
  return out;
}

std::optional<SubscriptionEvent> SubscriptionEvent::FromJson(const json& entry) {
  if (!entry.is_object()) return std::nullopt;
  auto text = [&](const char* name) {
    auto it = entry.find(name);
    return it != entry.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  auto strings = [&](const char* name) -> std::optional<std::vector<std::string>> {
    auto it = entry.find(name);
    if (it == entry.end() || !it->is_array()) return std::nullopt;
    std::vector<std::string> out;
    for (const auto& v : *it) {
      if (v.is_string()) out.push_back(v);
    }
    return out;
  };
  auto status = ParseSubscriptionStatus(text("Status"));
  if (!status) return std::nullopt;
  SubscriptionEvent e;
  e.time = text("Time");
  e.principal = text("Principal");
  e.action = text("Action");
  e.status = *status;
  e.permissions = strings("Permissions");
  e.grantable_permissions = strings("GrantablePermissions");
  if (entry.contains("Note")) e.note = text("Note");
  return e;
}

json Subscription::ToJson() const {
  json shares = json::object();
  for (const auto& [name, share] : ram_shares)
    shares[name] = {{"arn", share.arn}, {"status", share.status}};
  json events = json::array();
  for (const auto& e : history) events.push_back(e.ToJson());
  json out = {{"SubscriptionId", id},
          {"OwnerPrincipal", owner},
          {"SubscriberPrincipal", subscriber},
          {"DatabaseName", database},
          {"TableName", tables},
          {"RequestedGrants", requested_grants},
          {"PermittedGrants", permitted_grants},
          {"GrantableGrants", grantable_grants},
          {"GrantedTableARNs", granted_table_arns},
          {"RamShares", shares},
          {"Status", datamesh::ToString(status)},
          {"Notes", json(notes)},
          {"ImportedToConsumer", imported_to_consumer},
          {"CreationDate", creation_date},
          {"CreatedBy", created_by},
          {"UpdatedDate", updated_date},
          {"UpdatedBy", updated_by},
          {"History", events}};
  if (expires_at) out["ExpiresAt"] = *expires_at;
  return out;
}

json SubscriptionList::ToJson() const {
  json out = json::array();
  for (const auto& s : subscriptions) out.push_back(s.ToJson());
  return {{"Subscriptions", out}};
}

PendingRequest PendingRequest::Of(const Subscription& s) {
  return {s.id,         s.database,      s.tables,    s.requested_grants,
          s.subscriber, s.creation_date, s.created_by, s.request_reason};
}

json PendingRequest::ToJson() const {
  json out = {{"SubscriptionId", subscription_id},
              {"DatabaseName", database_name},
              {"TableName", tables},
              {"RequestedGrants", requested_grants},
              {"SubscriberPrincipal", subscriber},
              {"CreationDate", creation_date},
              {"CreatedBy", created_by}};
  if (!reason.empty()) out["Reason"] = reason;
  return out;
}

json PendingRequestList::ToJson() const {
  json out = json::array();
  for (const auto& s : subscriptions) out.push_back(s.ToJson());
  return {{"Subscriptions", out}};
}

json AccessRequest::ToJson() const {
  return {{"Type", single_table ? "Table" : "Tables"},
          {"DatabaseName", database_name},
          {"TableName", tables},
          {"SubscriptionId", subscription_id},
          {"Status", datamesh::ToString(status)}};
}

bool SubscriptionFilter::Matches(const Subscription& s) const {
  return (!status || s.status == *status) && (!database || s.database == *database) && (!owner || s.owner == *owner) &&
         (!subscriber || s.subscriber == *subscriber);
}

}  // namespace datamesh
