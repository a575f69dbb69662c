// The role a mesh sync crawler runs as. The crawlers live in the mesh account (a catalog-target
// crawler must be where its table is) and AWS passes a role only within its own account, so the
// role must be one of the mesh account's.
#pragma once

#include <string>

#include "datamesh/outcome.h"

namespace datamesh::mesh {

// Ok when `role_arn` is an IAM role ARN of `mesh_account`; otherwise an InvalidArgument error
// naming `what` (the parameter) and the reason.
Status CheckMeshCrawlerRole(const std::string& role_arn, const std::string& mesh_account, const std::string& what);

}  // namespace datamesh::mesh
