// The IAM policy documents of the mesh, each limited to what its persona does: resources are
// named down to the mesh's catalog, tracker table and roles wherever the actions allow it.
#pragma once

#include <optional>
#include <string>

namespace datamesh::mesh {

struct PolicyScope {
  std::string region;
  std::string mesh_account;
};

// Mesh account.
std::string ManagerPolicyDocument(const PolicyScope& s);
std::string ReadOnlyPolicyDocument(const PolicyScope& s);
std::string ProducerMeshPolicyDocument(const PolicyScope& s, const std::string& producer,
                                       const std::optional<std::string>& crawler_role);
std::string ConsumerMeshPolicyDocument(const PolicyScope& s, const std::string& consumer);

// Producer / consumer accounts.
std::string ProducerAccessPolicyDocument(const PolicyScope& s, const std::string& producer,
                                         const std::optional<std::string>& crawler_role);
std::string ConsumerAccessPolicyDocument(const PolicyScope& s, const std::string& consumer);

}  // namespace datamesh::mesh
