// Amazon Resource Names: arn:partition:service:region:account:resource.
#pragma once

#include <optional>
#include <string>

namespace datamesh::local {

struct Arn {
  std::string partition;
  std::string service;
  std::string region;
  std::string account;
  std::string resource;  // e.g. "role/AwsDataMesh/DataMeshManager"

  static std::optional<Arn> Parse(const std::string& text);
  std::string ToString() const;
};

// "arn:aws:iam::<account>:<kind><path><name>", path starting and ending with '/'.
std::string IamArn(const std::string& account, const std::string& kind, const std::string& path,
                   const std::string& name);

// True for a 12-digit account id.
bool IsAccountId(const std::string& text);

}  // namespace datamesh::local
