// Data products as a producer publishes and reads them. Each type's ToJson gives the JSON shape
// the seeds document.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace datamesh {

// One table published into the mesh, and the resource link that points the producer back at it.
struct PublishedTable {
  std::string source_table;     // the producer's table
  std::string target_database;  // the mesh database holding the copy
  std::string target_table;
  std::string link_database;  // the producer-side database holding the link
  std::string link_table;

  // {"SourceTable", "TargetDatabase", "TargetTable", "LinkDatabase", "LinkTable"}
  nlohmann::json ToJson() const;
  bool operator==(const PublishedTable&) const = default;
};

// What create_data_products and migrate_tables_to_mesh answer.
struct DataProducts {
  std::string database_name;  // the mesh database
  std::vector<PublishedTable> tables;

  // {"DatabaseName", "Tables": [...]}
  nlohmann::json ToJson() const;
  bool operator==(const DataProducts&) const = default;
};

// One table of a data product, as get_data_product lists it.
struct DataProductTable {
  std::string database;
  std::string table_name;
  std::string location;  // S3 URI of the data

  // {"Database", "TableName", "Location"}
  nlohmann::json ToJson() const;
  bool operator==(const DataProductTable&) const = default;
};

// [{"Database", "TableName", "Location"}...]
nlohmann::json ToJson(const std::vector<DataProductTable>& tables);

}  // namespace datamesh
