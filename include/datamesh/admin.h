// Setting up a data mesh: the mesh account's objects, and producer and consumer accounts on both
// sides (their own account, and their per-account roles in the mesh account). Every method can be
// run again: it completes what is missing and reports what exists.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "datamesh/mesh_options.h"

namespace datamesh {

namespace mesh {
class MeshSession;
}

struct MeshAccountObjects {
  std::string manager_role_arn;
  std::string read_only_role_arn;
  std::string manager_user_arn, manager_group_arn;
  std::string read_only_user_arn, read_only_group_arn;
  std::string tracker_table_arn;
  std::string tracker_stream_arn;

  // {"Manager", "ReadOnly", "SubscriptionTracker": {"Table", "Stream"}} as the seeds document it,
  // with the users and groups beside.
  nlohmann::json ToJson() const;
};

enum class AccountType { kProducer, kConsumer, kBoth };
Outcome<AccountType> ParseAccountType(const std::string& text);

class Admin {
 public:
  // REQUIRES: options.data_mesh_account_id is a 12-digit account id.
  static Outcome<Admin> Create(MeshOptions options);

  // In the mesh account, with its administrator's credentials.
  Outcome<MeshAccountObjects> InitializeMeshAccount();
  // In a producer / consumer account, with its administrator's credentials (who must be a data
  // lake administrator there); refused in the mesh account.
  Outcome<nlohmann::json> InitializeProducerAccount(const std::optional<std::string>& crawler_role_arn = {});
  Outcome<nlohmann::json> InitializeConsumerAccount();
  // In the mesh account: the per-account role and policy, trusted by the account's local role.
  Outcome<nlohmann::json> EnableAccountAsProducer(const std::string& account_id,
                                                  const std::optional<std::string>& enable_crawler_role = {});
  Outcome<nlohmann::json> EnableAccountAsConsumer(const std::string& account_id);

  // Ok when the mesh account has been set up (InitializeMeshAccount ran); otherwise an error
  // (MeshNotInstalled) saying so. Run with mesh account credentials.
  Status CheckMeshInstalled();

  const MeshOptions& options() const { return options_; }

 private:
  Admin(MeshOptions options, std::shared_ptr<mesh::MeshSession> session)
      : options_(std::move(options)), session_(std::move(session)) {}
  MeshOptions options_;
  std::shared_ptr<mesh::MeshSession> session_;
};

// Both halves of setting up an account, in order: its own side with `account`, then its mesh
// side with `mesh`. kBoth sets up the producer and the consumer sides.
Outcome<nlohmann::json> BootstrapAccount(AccountType type, const MeshOptions& mesh, const MeshOptions& account,
                                         const std::optional<std::string>& crawler_role_arn = {});

}  // namespace datamesh
