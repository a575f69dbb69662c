// verify-subscriptions for one consumer of one producer: the drift between the records and what
// AWS holds, as a ConsumerVerification, and its repair. Shared by the producer (its own products,
// with repair) and the mesh administrator (every producer, read only).
#pragma once

#include <string>
#include <vector>

#include "datamesh/verification.h"
#include "mesh/grant_reconciler.h"

namespace datamesh::mesh {

// `subscriptions`: the producer's subscriptions of `consumer` (any status). With `repair` the view
// must reach the producer's account; `in_sync_after` then says whether the repair left no drift.
Outcome<ConsumerVerification> VerifyConsumer(const GrantView& view, SubscriptionTracker& tracker, const std::string& consumer,
                                             const std::vector<Subscription>& subscriptions, bool repair,
                                             bool* in_sync_after);

}  // namespace datamesh::mesh
