// What the built-in functions accept: the argument a function receives, the types each parameter
// allows, and the check that raises "invalid-arity" and "invalid-type" errors.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/query/ast.h"
#include "datamesh/outcome.h"

namespace datamesh::cli::query {

// An evaluated argument, or for &expr the expression itself, evaluated by the function as needed.
struct Argument {
  nlohmann::json value;
  const Node* expression = nullptr;
};

// Evaluates an expression reference against one value (supplied by the interpreter).
using Evaluator = std::function<Outcome<nlohmann::json>(const Node&, const nlohmann::json&)>;

// Types a parameter accepts, combined with |.
enum ArgumentType : unsigned {
  kNumber = 1u << 0,
  kString = 1u << 1,
  kBoolean = 1u << 2,
  kArray = 1u << 3,
  kObject = 1u << 4,
  kNull = 1u << 5,
  kExpref = 1u << 6,
  kArrayOfNumbers = 1u << 7,  // an array whose elements are all numbers
  kArrayOfStrings = 1u << 8,  // an array whose elements are all strings
  kAnyValue = kNumber | kString | kBoolean | kArray | kObject | kNull,
};

struct Signature {
  std::vector<unsigned> parameters;  // ArgumentType sets, one per parameter
  bool variadic = false;             // the last parameter may repeat
};

// Whether `arguments` fit `signature`: an "invalid-arity" error for a wrong count, else an
// "invalid-type" error naming the first argument of a wrong type.
Status CheckArguments(const std::string& function, const Signature& signature,
                      const std::vector<Argument>& arguments);

}  // namespace datamesh::cli::query
