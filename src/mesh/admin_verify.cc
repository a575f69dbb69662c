// The mesh administrator's views: every producer's subscriptions verified, read only; every product.
#include <map>

#include "datamesh/admin.h"
#include "datamesh/mesh_names.h"
#include "mesh/product_catalog.h"
#include "mesh/subscription_tracker.h"
#include "mesh/subscription_verifier.h"
#include "mesh/tracker_attributes.h"

namespace datamesh {

Outcome<VerificationReport> Admin::VerifySubscriptions(const std::optional<std::string>& subscription_id) {
  mesh::SubscriptionTracker tracker(session_->DynamoDb(), aws::Clock::System());
  std::optional<Subscription> only;
  if (subscription_id) {
    auto s = tracker.Get(*subscription_id);
    if (!s.ok()) return s.error();
    only = std::move(*s);
  }
  auto items = session_->DynamoDb().ScanAllPages({{"TableName", names::kTrackerTable}, {"ConsistentRead", true}});
  if (!items.ok()) return items.error();
  // By producer, then consumer. Items that are not subscriptions (grants generations) or do not
  // hold together are passed over.
  std::map<std::pair<std::string, std::string>, std::vector<Subscription>> pairs;
  for (const auto& item : (*items)["Items"]) {
    auto s = mesh::SubscriptionFromItem(item);
    if (!s.ok() || s->owner.empty() || s->subscriber.empty()) continue;
    if (only && (s->owner != only->owner || s->subscriber != only->subscriber)) continue;
    pairs[{s->owner, s->subscriber}].push_back(std::move(*s));
  }
  VerificationReport report;
  for (const auto& [pair, subs] : pairs) {
    mesh::GrantView view(pair.first, session_, nullptr);
    auto v = mesh::VerifyConsumer(view, tracker, pair.second, subs, false, nullptr);
    if (!v.ok()) return v.error();
    report.consumers.push_back(std::move(*v));
  }
  return report;
}

Outcome<std::vector<ProductListing>> Admin::ListDataProducts(const ProductFilter& filter) {
  return mesh::ListProducts(*session_, filter, session_->max_concurrency());
}

}  // namespace datamesh
