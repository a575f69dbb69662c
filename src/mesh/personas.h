// The role chains producers and consumers work through: from the given credentials to the
// account's DataMeshProducer / DataMeshConsumer role (unless the credentials already are that
// role), and from there to the account's per-account role in the mesh account.
#pragma once

#include <memory>
#include <string>

#include "mesh/mesh_session.h"
#include "mesh/subscription_tracker.h"

namespace datamesh::mesh {

struct PersonaSessions {
  std::string account;                     // the producer or consumer account
  std::shared_ptr<MeshSession> local;      // acting as DataMeshProducer / DataMeshConsumer
  std::shared_ptr<MeshSession> mesh;       // acting as DataMeshAdminProducer-/Consumer-<account>
  std::string local_role_arn;
  std::string mesh_role_arn;
  std::string caller_arn;  // who the mesh session acts as (recorded in the tracker)
};

Outcome<PersonaSessions> ProducerSessions(const std::shared_ptr<MeshSession>& base);
Outcome<PersonaSessions> ConsumerSessions(const std::shared_ptr<MeshSession>& base);

// The subscription tracker as the persona's mesh role sees it.
SubscriptionTracker TrackerOf(const PersonaSessions& persona);

// Checks permissions requested or granted on tables; an error names the first that is not one.
Status CheckTablePermissions(const std::vector<std::string>& permissions, const std::string& what);

// A session as the mesh's read-only role, from a local role session.
Outcome<std::shared_ptr<MeshSession>> ReadOnlySession(const PersonaSessions& persona);

}  // namespace datamesh::mesh
