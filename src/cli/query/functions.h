// The built-in functions of the JMESPath specification, from abs() to values().
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/query/signatures.h"
#include "datamesh/outcome.h"

namespace datamesh::cli::query {

// Calls the built-in `name`: an "unknown-function" error if there is none, "invalid-arity" or
// "invalid-type" if the arguments do not fit it, else its result. `evaluate` applies the
// expression references that sort_by(), max_by(), min_by() and map() receive.
Outcome<nlohmann::json> CallFunction(const std::string& name,
                                     const std::vector<Argument>& arguments,
                                     const Evaluator& evaluate);

}  // namespace datamesh::cli::query
