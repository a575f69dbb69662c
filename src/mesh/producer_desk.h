// Where every producer decision starts and how it is made: the role chain into the mesh, the
// tracker as the producer's mesh role sees it, the work earlier workflows left finished once, and
// the decisions on subscriptions already read. The producer's workflows open one desk per call;
// ProcessRequests opens one for all the requests it decides.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "datamesh/producer.h"
#include "mesh/personas.h"
#include "mesh/subscription_tracker.h"

namespace datamesh::mesh {

struct ProducerDesk {
  PersonaSessions persona;
  SubscriptionTracker tracker;
};

// The producer's role chain and tracker, after the grants earlier workflows left are brought in
// line with the records and expired access has ended (a failure there is logged, not returned).
Outcome<ProducerDesk> OpenDesk(const std::shared_ptr<MeshSession>& session);

// The subscription's table entries (names or regular expressions) resolved against the tables of
// its mesh database (`tables`: that database's GetTables TableList).
Outcome<std::vector<std::string>> ResolveTables(const Json& tables, const Subscription& s);
Outcome<std::vector<std::string>> ResolveTables(aws::GlueClient& glue, const Subscription& s);

// Decisions on `s`, read from the desk's tracker; the tracker refuses them if `s` changed since
// (SubscriptionChanged). `o.request_id` is ignored: the decision is on `s`. With `decided_on`, the
// tables the decision was made on (a rule looked at them), an approval whose tables resolve to
// others now is refused (TablesChanged) rather than granting what the decision never saw.
Outcome<Subscription> Approve(ProducerDesk& desk, const Subscription& s, const ApproveOptions& o,
                              const std::optional<std::vector<std::string>>& decided_on = std::nullopt);
Outcome<Subscription> Deny(ProducerDesk& desk, const Subscription& s, const std::optional<std::string>& notes);

}  // namespace datamesh::mesh
