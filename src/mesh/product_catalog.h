// What the mesh offers, read as anyone in the mesh may read it: the product databases of the mesh
// catalog that the read-only role sees, their tables, and each table's domain and product (its
// parameters, else the Domain and DataProduct LF-tags the caller may see: tables published by the
// Python library carry only the tags).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "aws/model/service_model.h"
#include "datamesh/data_product.h"
#include "datamesh/outcome.h"

namespace datamesh::mesh {

class MeshSession;
struct PersonaSessions;

// The Glue database parameter naming the producer of a mesh database, and the table parameters
// naming a mesh table's domain and product (beside its Domain and DataProduct LF-tags).
inline constexpr char kOwnerParameter[] = "data_mesh_owner_account";
inline constexpr char kDomainParameter[] = "data_mesh_domain";
inline constexpr char kProductParameter[] = "data_mesh_product";

// The producer of a mesh database from its Glue definition: the owner parameter datamesh writes,
// else the description both tools write ("Data products of account <id>"), else the default name's
// "-<12 digits>" suffix; "" when none says.
std::string OwnerOfProductDatabase(const aws::Json& database);

// Every product the session (the mesh's read-only role, or the manager) sees, filtered; sorted by
// database and product. `concurrency` bounds the per-database and per-table reads.
Outcome<std::vector<ProductListing>> ListProducts(MeshSession& session, const ProductFilter& filter, int concurrency);

// The same, as a producer or consumer reads it: through the mesh's read-only role.
Outcome<std::vector<ProductListing>> ListProductsAs(const PersonaSessions& persona, const ProductFilter& filter);

}  // namespace datamesh::mesh
