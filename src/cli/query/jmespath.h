// JMESPath (https://jmespath.org/specification.html) for the CLI's --query option: compile an
// expression once, evaluate it against the JSON result of a command.
//
// Semantics follow the specification and, where the specification leaves room, the Python
// implementation the AWS CLI uses, so that a query selects the same data here as there: strings
// order with < and >, to_string() writes JSON as Python does, and functions check their
// arguments when called.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "datamesh/outcome.h"

namespace datamesh::cli::query {

struct Node;

// A compiled JMESPath expression. Cheap to copy; immutable, so it may be evaluated concurrently.
class Expression {
 public:
  // The text it was compiled from.
  const std::string& text() const { return text_; }

 private:
  friend Outcome<Expression> Compile(const std::string& text);
  friend Outcome<nlohmann::json> Evaluate(const Expression& expression, const nlohmann::json& data);

  Expression(std::string text, std::shared_ptr<const Node> root)
      : text_(std::move(text)), root_(std::move(root)) {}

  std::string text_;
  std::shared_ptr<const Node> root_;
};

// Compiles `text`. A syntax error is an Error with code "syntax" whose message names the column
// and the problem, e.g. "Bad value for --query foo[: at column 5: expected ']'".
Outcome<Expression> Compile(const std::string& text);

// Evaluates `expression` against `data`. Runtime errors are Errors with the code the
// specification names: "invalid-type", "invalid-value", "invalid-arity" or "unknown-function".
Outcome<nlohmann::json> Evaluate(const Expression& expression, const nlohmann::json& data);

}  // namespace datamesh::cli::query
