// What a workflow made and what it found in place, told from the AWS calls themselves: a Create*
// (or Register*) that succeeds made something; one refused because the thing exists found it.
// Reruns say so on stderr ("IAM role DataMeshManager already existed").
#pragma once

#include <optional>
#include <string>

#include "aws/model/service_model.h"
#include "datamesh/error.h"

namespace datamesh::mesh {

struct Change {
  bool created = false;  // else: it already existed
  std::string what;      // "IAM role DataMeshManager", "Glue table sales-222222222222.orders"
};

// The change a call's outcome tells of (`error` null on success), or nothing for calls that make
// nothing or fail otherwise.
std::optional<Change> ChangeOf(const std::string& service, const std::string& operation, const aws::Json& input,
                               const Error* error);

}  // namespace datamesh::mesh
