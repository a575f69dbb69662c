// Stream records of the subscription tracker as events: the History entries a write added,
// found by comparing the item's images before and after it. Pure, so that it can be tested on
// records alone.
#pragma once

#include <vector>

#include "aws/model/service_model.h"
#include "datamesh/events.h"

namespace datamesh::mesh {

// The events one GetRecords record carries ([] for items that are not subscriptions, such as the
// grants generation counters, and for writes that added no History entry).
std::vector<MeshEvent> EventsOfRecord(const aws::Json& record, const std::string& shard_id);

// The event type of a History action ("Approve" -> "approved"); a producer's Delete whose note
// says it expired is "expired" (a consumer's deletion is "deleted", whatever its note says).
std::string EventTypeOf(const std::string& action, const std::optional<std::string>& note, bool by_subscriber = false);

}  // namespace datamesh::mesh
