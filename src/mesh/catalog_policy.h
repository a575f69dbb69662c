// The mesh's Glue Data Catalog resource policy, which several writers share (the mesh admin's RAM
// statement, one statement per consumer account, anything an operator added). Every change is a
// read-modify-write guarded by the policy's hash, retried when someone else wrote in between, and
// never duplicates a statement.
#pragma once

#include <functional>
#include <string>

#include "aws/glue/glue_client.h"
#include "datamesh/outcome.h"

namespace datamesh::mesh {

using aws::Json;

// Applies `edit` to the policy's statements (an empty list when there is no policy). `edit`
// answers whether it changed anything; nothing is written when it did not.
Status EditCatalogPolicy(aws::GlueClient& glue, const std::function<bool(Json& statements)>& edit);

// Where a consumer account's statement (Sid DataMeshConsumer<account>) lets it use the catalog
// objects Lake Formation tags grant it (glue:EvaluatedByLakeFormationTags), as Lake Formation's
// tag-based cross-account sharing asks of the catalog owner.
struct ConsumerCatalogAccess {
  std::string region;
  std::string mesh_account;
  std::string consumer;
  std::string database;
};

// Adds the database (and its tables) to the consumer's statement, creating the statement.
Status AllowConsumerCatalogAccess(aws::GlueClient& glue, const ConsumerCatalogAccess& access);
// Takes the database (and its tables) out of the consumer's statement; the statement goes when
// nothing but the catalog is left in it.
Status RemoveConsumerCatalogAccess(aws::GlueClient& glue, const ConsumerCatalogAccess& access);

}  // namespace datamesh::mesh
