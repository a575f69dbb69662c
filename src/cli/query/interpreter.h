// Evaluates a parsed JMESPath expression (ast.h) against a JSON document.
#pragma once

#include <nlohmann/json.hpp>

#include "cli/query/ast.h"
#include "datamesh/outcome.h"

namespace datamesh::cli::query {

// The value `node` selects from `current`, or a runtime error: "invalid-type", "invalid-value",
// "invalid-arity" or "unknown-function". Recursion is bounded by the depth of the tree, which the
// parser bounds.
Outcome<nlohmann::json> Interpret(const Node& node, const nlohmann::json& current);

}  // namespace datamesh::cli::query
