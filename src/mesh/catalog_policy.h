// The mesh's Glue Data Catalog resource policy, which several writers share (the RAM statement,
// one statement per consumer account, anything an operator added). Every change is a
// read-modify-write guarded by the policy's hash, retried when someone else wrote in between, and
// never duplicates a statement. Only the mesh's administrator writes it.
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

// The statement (Sid DataMeshConsumer<account>) that lets a consumer account use the mesh
// catalog objects Lake Formation tags grant it (glue:EvaluatedByLakeFormationTags), which Lake
// Formation's tag-based cross-account sharing asks of the catalog owner for every recipient. It
// opens nothing by itself: Lake Formation still decides on every object.
Json ConsumerCatalogStatement(const std::string& region, const std::string& mesh_account,
                              const std::string& consumer);

// Adds the consumer's statement, or puts it back as it should be.
Status AllowConsumerInCatalogPolicy(aws::GlueClient& glue, const std::string& region,
                                    const std::string& mesh_account, const std::string& consumer);

// Whether the policy holds the consumer's statement as it should be (read only).
Outcome<bool> ConsumerInCatalogPolicy(aws::GlueClient& glue, const std::string& region,
                                      const std::string& mesh_account, const std::string& consumer);

}  // namespace datamesh::mesh
