// Example source data for trying a mesh: an S3 bucket and a Glue database with a few partitioned
// tables in a producer account, created through the ordinary AWS APIs (idempotently).
#pragma once

#include <nlohmann/json.hpp>

#include "datamesh/mesh_options.h"

namespace datamesh::mesh {

// {"Bucket", "Database", "Tables": [...], "Partitions": N}
Outcome<nlohmann::json> CreateDemoSourceData(const MeshOptions& producer_admin, const std::string& database);

}  // namespace datamesh::mesh
