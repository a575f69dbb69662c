// Example source data for trying a mesh: an S3 bucket and a Glue database with a few partitioned
// tables in a producer account, created through the ordinary AWS APIs (idempotently).
#pragma once

#include <nlohmann/json.hpp>

#include "datamesh/mesh_options.h"

namespace datamesh::mesh {

// How much example data: the three named tables (orders, customers, products) with three monthly
// partitions each, or, with `tables` set, that many generated tables (t00001, ...) of
// `partitions` partitions each, for trying a mesh at scale.
struct DemoDataShape {
  int tables = 0;      // 0: the three named tables
  int partitions = 3;  // per table, 1..1000
};

// {"Bucket", "Database", "Tables": [...], "Partitions": N}
Outcome<nlohmann::json> CreateDemoSourceData(const MeshOptions& producer_admin, const std::string& database,
                                             const DemoDataShape& shape = {});

}  // namespace datamesh::mesh
