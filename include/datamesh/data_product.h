// Data products as a producer publishes and reads them. Each type's ToJson gives the JSON shape
// the seeds document.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
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

// What the mesh offers, as anyone in it may read it (through the mesh's read-only role): one
// entry per product, the tables of one mesh database that carry the same DataProduct tag.
struct ProductListing {
  std::string database_name;     // the mesh database
  std::string owner_account_id;  // the producer ("" when the database does not say)
  std::optional<std::string> domain;             // the tables' Domain LF-tag
  std::optional<std::string> data_product_name;  // the tables' DataProduct LF-tag
  std::vector<std::string> tables;
  std::string description;  // the mesh database's
  std::string location;     // the S3 prefix the tables' data share

  // {"DatabaseName", "OwnerAccountId", "Domain", "DataProduct", "Tables", "Description", "Location"}
  nlohmann::json ToJson() const;
  bool operator==(const ProductListing&) const = default;
};

// Which products to list; unset fields match everything.
struct ProductFilter {
  std::optional<std::string> domain;            // exact
  std::optional<std::string> owner_account_id;  // exact
  std::optional<std::string> search;            // case-insensitive, in names, descriptions, domain, product, columns
};

// {"DataProducts": [...]}
nlohmann::json ToJson(const std::vector<ProductListing>& products);

}  // namespace datamesh
