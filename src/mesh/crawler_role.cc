#include "mesh/crawler_role.h"

#include <re2/re2.h>

namespace datamesh::mesh {

Status CheckMeshCrawlerRole(const std::string& role_arn, const std::string& mesh_account, const std::string& what) {
  static const re2::RE2 kRoleArn(R"(arn:aws[a-z-]*:iam::(\d{12}):role/.+)");
  std::string account;
  if (!re2::RE2::FullMatch(role_arn, kRoleArn, &account)) {
    return Error::Local("InvalidArgument", what + " '" + role_arn + "' is not an IAM role ARN");
  }
  if (account != mesh_account) {
    return Error::Local("InvalidArgument", what + " must be a role of the mesh account " + mesh_account +
                                               ": the crawlers run where the mesh tables are, and AWS does not pass "
                                               "roles across accounts (got a role of " + account + ")");
  }
  return OkStatus();
}

}  // namespace datamesh::mesh
