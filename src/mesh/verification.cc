// The JSON shape of verify-subscriptions' report.
#include "datamesh/verification.h"

namespace datamesh {

using nlohmann::json;

namespace {

json PermissionsJson(const TablePermissions& p) {
  return {{"Permissions", json(p.permissions)}, {"PermissionsWithGrantOption", json(p.grantable)}};
}

}  // namespace

bool ConsumerVerification::InSync() const {
  return tables.empty() && databases_missing.empty() && databases_extra.empty() && buckets_missing.empty() &&
         buckets_extra.empty() && in_catalog_policy && shares_differ.empty();
}

json ConsumerVerification::ToJson() const {
  json t = json::array();
  for (const auto& d : tables) {
    t.push_back({{"DatabaseName", d.database},
                 {"TableName", d.table},
                 {"Recorded", PermissionsJson(d.recorded)},
                 {"Held", PermissionsJson(d.held)}});
  }
  return {{"OwnerPrincipal", owner},         {"SubscriberPrincipal", consumer},
          {"InSync", InSync()},              {"BucketsChecked", buckets_checked},
          {"Subscriptions", subscriptions},  {"InCatalogPolicy", in_catalog_policy},
          {"Tables", t},                     {"DatabasesMissing", databases_missing},
          {"DatabasesExtra", databases_extra}, {"BucketsMissing", buckets_missing},
          {"BucketsExtra", buckets_extra},   {"SharesDiffer", shares_differ}};
}

bool VerificationReport::InSync() const {
  for (const auto& c : consumers) {
    if (!c.InSync()) return false;
  }
  return true;
}

json VerificationReport::ToJson() const {
  json c = json::array();
  for (const auto& v : consumers) c.push_back(v.ToJson());
  json out = {{"InSync", InSync()}, {"Repaired", repaired}, {"Consumers", c}};
  if (repaired) out["InSyncAfterRepair"] = in_sync_after_repair;
  return out;
}

}  // namespace datamesh
