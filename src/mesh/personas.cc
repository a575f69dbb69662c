#include "mesh/personas.h"

#include <set>

#include "datamesh/mesh_names.h"

namespace datamesh::mesh {
namespace {

std::string RoleArn(const std::string& account, const std::string& role) {
  return "arn:aws:iam::" + account + ":role" + names::kIamPath + role;
}

Outcome<PersonaSessions> Chain(const std::shared_ptr<MeshSession>& base, const std::string& local_role,
                               const std::string& mesh_role, const std::string& persona) {
  auto id = base->Identity();
  if (!id.ok()) return id.error();
  if (id->account == base->mesh_account()) {
    return Error::Local("WrongAccount", "a " + persona + " acts with credentials of its own account, not of the mesh account " +
                                            base->mesh_account());
  }
  PersonaSessions p;
  p.account = id->account;
  p.local_role_arn = RoleArn(id->account, local_role);
  p.mesh_role_arn = RoleArn(base->mesh_account(), mesh_role);
  const std::string already = "arn:aws:sts::" + id->account + ":assumed-role/" + local_role + "/";
  const std::string local_session = "datamesh-" + persona;
  if (id->arn.rfind(already, 0) == 0) {
    p.local = base;
  } else if (auto kept = base->KeptRole(p.local_role_arn, local_session)) {
    p.local = kept;
  } else {
    // A role that does not exist is not worth waiting for. (Credentials that may not read IAM
    // fall through to the assume-role attempt.)
    auto role = base->Iam().GetRole({{"RoleName", local_role}});
    if (!role.ok() && role.error().code() == "NoSuchEntity") {
      return Error::Local("AccountNotSetUp", "account " + id->account + " has no " + local_role +
                                                 " role: set it up with enable-account --account-type " + persona);
    }
    auto local = base->AssumeRole(p.local_role_arn, local_session);
    if (!local.ok()) {
      return local.error().WithMessage("cannot act as " + p.local_role_arn + " (is the account set up as a " + persona +
                                             "?): " + local.error().message());
    }
    p.local = *local;
  }
  auto mesh = p.local->AssumeRole(p.mesh_role_arn, "datamesh-" + persona + "-" + id->account);
  if (!mesh.ok()) {
    return mesh.error().WithMessage("cannot act as " + p.mesh_role_arn + " (is the account enabled in the mesh?): " +
                                          mesh.error().message());
  }
  p.mesh = *mesh;
  auto acting = p.mesh->Identity();
  if (!acting.ok()) return acting.error();
  p.caller_arn = acting->arn;
  return p;
}

}  // namespace

Outcome<PersonaSessions> ProducerSessions(const std::shared_ptr<MeshSession>& base) {
  auto id = base->Identity();
  if (!id.ok()) return id.error();
  return Chain(base, names::kProducerRole, names::ProducerAdminRole(id->account), "producer");
}

Outcome<PersonaSessions> ConsumerSessions(const std::shared_ptr<MeshSession>& base) {
  auto id = base->Identity();
  if (!id.ok()) return id.error();
  return Chain(base, names::kConsumerRole, names::ConsumerAdminRole(id->account), "consumer");
}

SubscriptionTracker TrackerOf(const PersonaSessions& persona) {
  return SubscriptionTracker(persona.mesh->DynamoDb(), persona.mesh->clock());
}

Status CheckTablePermissions(const std::vector<std::string>& permissions, const std::string& what) {
  static const std::set<std::string> kTablePermissions = {"ALL", "ALTER", "DELETE", "DESCRIBE", "DROP", "INSERT", "SELECT"};
  if (permissions.empty()) return Error::Local("InvalidArgument", what + " must not be empty");
  for (const auto& p : permissions) {
    if (!kTablePermissions.count(p)) {
      return Error::Local("InvalidArgument", what + ": '" + p +
                                                 "' is not a table permission (ALL, ALTER, DELETE, DESCRIBE, DROP, INSERT, SELECT)");
    }
  }
  return OkStatus();
}

Outcome<std::shared_ptr<MeshSession>> ReadOnlySession(const PersonaSessions& persona) {
  return persona.local->AssumeRole(RoleArn(persona.local->mesh_account(), names::kReadOnlyRole),
                                   "datamesh-readonly-" + persona.account);
}

}  // namespace datamesh::mesh
