// Setting up a data mesh: the mesh account's objects, and producer and consumer accounts on both
// sides (their own account, and their per-account roles in the mesh account). Every method can be
// run again: it completes what is missing and reports what exists.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "datamesh/data_product.h"
#include "datamesh/mesh_options.h"
#include "datamesh/verification.h"

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

// A producer or consumer account's own side: its DataMeshProducer / DataMeshConsumer role, with
// its policy, user and group.
struct AccountObjects {
  std::string account;
  std::string role_arn, policy_arn, user_arn, group_arn;

  // {"Account", "Role", "User", "Group", "Policy"}
  nlohmann::json ToJson() const;
  bool operator==(const AccountObjects&) const = default;
};

// A producer or consumer account's side in the mesh account: its per-account role and policy, and
// the account's role they trust.
struct MeshAccess {
  std::string account;
  std::string mesh_role_arn, policy_arn, trusted_role_arn;

  // {"Account", "MeshRole", "Policy", "TrustedRole"}
  nlohmann::json ToJson() const;
  bool operator==(const MeshAccess&) const = default;
};

// Both sides of one role an account plays.
struct EnabledAccount {
  AccountObjects account;
  MeshAccess mesh;

  // {"Account": {...}, "Mesh": {...}}
  nlohmann::json ToJson() const;
  bool operator==(const EnabledAccount&) const = default;
};

// What BootstrapAccount set up: the producer side, the consumer side, or both.
struct BootstrappedAccount {
  std::optional<EnabledAccount> producer, consumer;

  // {"Producer"?: {...}, "Consumer"?: {...}}
  nlohmann::json ToJson() const;
  bool operator==(const BootstrappedAccount&) const = default;
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
  Outcome<AccountObjects> InitializeProducerAccount(const std::optional<std::string>& crawler_role_arn = {});
  Outcome<AccountObjects> InitializeConsumerAccount();
  // In the mesh account: the per-account role and policy, trusted by the account's local role.
  Outcome<MeshAccess> EnableAccountAsProducer(const std::string& account_id,
                                              const std::optional<std::string>& enable_crawler_role = {});
  Outcome<MeshAccess> EnableAccountAsConsumer(const std::string& account_id);
  // The mesh administrator's verify-subscriptions: for every producer and consumer (or only the
  // pair of `subscription_id`), what the records say against what Lake Formation, RAM and the
  // mesh catalog policy hold. Read only: producers' bucket policies are beyond the mesh account,
  // and repairs are the producer's (Producer::VerifySubscriptions with repair).
  Outcome<VerificationReport> VerifySubscriptions(const std::optional<std::string>& subscription_id = std::nullopt);
  // What the mesh offers, as the mesh account's administrator sees it (every product database).
  Outcome<std::vector<ProductListing>> ListDataProducts(const ProductFilter& filter = {});

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
Outcome<BootstrappedAccount> BootstrapAccount(AccountType type, const MeshOptions& mesh, const MeshOptions& account,
                                              const std::optional<std::string>& crawler_role_arn = {});

}  // namespace datamesh
