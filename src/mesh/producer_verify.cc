// Producer: verify-subscriptions, what the records say against what AWS holds, and its repair.
#include <spdlog/spdlog.h>

#include <map>

#include "datamesh/producer.h"
#include "mesh/subscription_verifier.h"
#include "mesh/personas.h"
#include "mesh/subscription_tracker.h"

namespace datamesh {
namespace {

using mesh::Subscription;
using mesh::SubscriptionStatus;

// The producer's subscriptions by consumer, whatever their status.
Outcome<std::map<std::string, std::vector<Subscription>>> SubscriptionsByConsumer(mesh::SubscriptionTracker& tracker,
                                                                                 const std::string& owner) {
  std::map<std::string, std::vector<Subscription>> out;
  std::set<std::string> seen;
  for (auto status : {SubscriptionStatus::kActive, SubscriptionStatus::kPending, SubscriptionStatus::kDenied,
                      SubscriptionStatus::kDeleted}) {
    auto found = tracker.OfOwner(owner, status);
    if (!found.ok()) return found.error();
    for (auto& s : *found) {
      if (seen.insert(s.id).second) out[s.subscriber].push_back(std::move(s));
    }
  }
  return out;
}

}  // namespace

Outcome<VerificationReport> Producer::VerifySubscriptions(const std::optional<std::string>& subscription_id, bool repair) {
  auto c = mesh::ProducerSessions(session_);
  if (!c.ok()) return c.error();
  auto tracker = mesh::TrackerOf(*c);
  std::optional<std::string> only_consumer;
  if (subscription_id) {
    auto s = tracker.GetAsOwner(*subscription_id, c->account);
    if (!s.ok()) return s.error();
    only_consumer = s->subscriber;
  }
  if (repair) {
    // Requests and deletions waiting in the inbox are worked through first, as any producer
    // workflow does; what still differs afterwards is reconciled below.
    if (auto swept = RevokeGrantsOfDeletedSubscriptions(); !swept.ok()) {
      spdlog::warn("working through the inbox: {}", swept.error().ToString());
    }
  }
  auto by_consumer = SubscriptionsByConsumer(tracker, c->account);
  if (!by_consumer.ok()) return by_consumer.error();
  if (only_consumer && !by_consumer->count(*only_consumer)) (*by_consumer)[*only_consumer] = {};

  VerificationReport report;
  report.repaired = repair;
  bool after = true;
  for (auto& [consumer, subs] : *by_consumer) {
    if (only_consumer && consumer != *only_consumer) continue;
    bool consumer_after = true;
    auto v = mesh::VerifyConsumer(*c, tracker, consumer, subs, repair, &consumer_after);
    if (!v.ok()) return v.error();
    after = after && consumer_after;
    report.consumers.push_back(std::move(*v));
  }
  report.in_sync_after_repair = repair && after;
  return report;
}

}  // namespace datamesh
