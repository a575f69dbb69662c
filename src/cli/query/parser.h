// Parses a JMESPath expression into an AST (ast.h) by top-down operator precedence (Pratt).
#pragma once

#include <string>

#include "cli/query/ast.h"
#include "datamesh/outcome.h"

namespace datamesh::cli::query {

// The tree of `text`, or a "syntax" error naming the column and the problem. Trees nested more
// than kMaxNesting levels deep are refused as syntax errors too.
Outcome<NodePtr> Parse(const std::string& text);

}  // namespace datamesh::cli::query
