// Creating the accounts of a local mesh (`datamesh local init`): a mesh account, producer and
// consumer accounts, in each an administrator user with an access key, and the credentials file
// in the spec's JSON shape (plus, optionally, an AWS shared credentials/config pair). Running it
// again adds what is missing and never destroys state.
#pragma once

#include <string>
#include <vector>

#include "aws/model/service_model.h"
#include "local/store/store.h"

namespace datamesh::local {

struct LocalMeshPlan {
  std::string region = "us-east-1";
  std::string mesh_account = "111111111111";
  std::vector<std::string> producer_accounts = {"222222222222"};
  std::vector<std::string> consumer_accounts = {"333333333333"};
  // All accounts in one AWS Organization, managed by the mesh account, except those listed
  // outside it. RAM sharing with it is off until the mesh account enables it
  // (ram:EnableSharingWithAwsOrganization; `datamesh local init --organization` does).
  bool organization = false;
  std::vector<std::string> outside_organization;
};

struct LocalAccountKeys {
  std::string role;  // "mesh", "producer", "consumer"
  std::string account;
  std::string user_arn;
  std::string access_key_id;
  std::string secret_access_key;
};

inline constexpr char kAdminUserName[] = "Administrator";

// Creates what is missing; returns every account's administrator keys.
Outcome<std::vector<LocalAccountKeys>> InitializeLocalMesh(Store& store, const LocalMeshPlan& plan);

// The credentials file of the spec: {"AWS_REGION", "Mesh", "Producer", "ProducerAdmin",
// "Consumer", "ConsumerAdmin", "Accounts": [every account]}.
aws::Json CredentialsFileJson(const LocalMeshPlan& plan, const std::vector<LocalAccountKeys>& keys);

// Writes `credentials` and `config` in `dir` with one profile per entry (mesh, producer,
// producer-admin, consumer, consumer-admin, and <role>-<account> for every account).
Status WriteAwsConfig(const std::string& dir, const LocalMeshPlan& plan, const std::vector<LocalAccountKeys>& keys);

// Writes `text` to `path` atomically (a temporary file renamed into place), mode 0600.
Status WriteFileAtomically(const std::string& path, const std::string& text);

}  // namespace datamesh::local
