// Account-level Lake Formation and Glue set-up, done the way a shared account must be changed:
// settings are merged (never replacing what others configured), the catalog policy is updated
// optimistically with its hash and without duplicate statements, the service-linked role once.
#pragma once

#include <string>
#include <vector>

#include "mesh/mesh_session.h"

namespace datamesh::mesh {

// Adds `admins` to the data lake administrators; with `lake_formation_only`, also stops granting
// IAM_ALLOWED_PRINCIPALS on new databases and tables. Other settings are kept as they are.
Status EnsureDataLakeSettings(aws::LakeFormationClient& lf, const std::vector<std::string>& admins,
                              bool lake_formation_only);

// The Lake Formation service-linked role, created when missing.
Status EnsureLakeFormationServiceLinkedRole(aws::IamClient& iam);

// The Glue catalog policy statement letting RAM share catalog resources (glue:ShareResource for
// ram.amazonaws.com), added once.
Status EnsureCatalogSharingPolicy(aws::GlueClient& glue, const std::string& region, const std::string& account);

// The subscription tracker table with its indexes and stream; its table and stream ARNs. An
// existing tracker gains the indexes it lacks, one at a time, each waited on (with `sleeper`)
// until DynamoDB has built it.
struct TrackerTable {
  std::string table_arn;
  std::string stream_arn;
};
Outcome<TrackerTable> EnsureTrackerTable(aws::DynamoDbClient& ddb, aws::Sleeper& sleeper);

// Whether the caller is a data lake administrator in its account.
Outcome<bool> CallerIsDataLakeAdmin(MeshSession& session);

}  // namespace datamesh::mesh
