#include "cli/query/jmespath.h"

#include <exception>

#include "cli/query/ast.h"
#include "cli/query/errors.h"
#include "cli/query/interpreter.h"
#include "cli/query/parser.h"

namespace datamesh::cli::query {

// Nothing below is expected to throw (every nlohmann access is type-checked first), but a
// command must never die on a query: should something throw anyway (or memory run out), it
// becomes an error like any other.
Outcome<Expression> Compile(const std::string& text) {
  try {
    auto root = Parse(text);
    if (!root.ok()) return root.error();
    return Expression(text, std::shared_ptr<const Node>(std::move(root.value())));
  } catch (const std::exception& e) {
    return SyntaxError(text, 0, std::string("cannot compile: ") + e.what());
  }
}

Outcome<nlohmann::json> Evaluate(const Expression& expression, const nlohmann::json& data) {
  try {
    return Interpret(*expression.root_, data);
  } catch (const std::exception& e) {
    return Error::Local(kInvalidValue, std::string("cannot evaluate the query: ") + e.what());
  }
}

}  // namespace datamesh::cli::query
