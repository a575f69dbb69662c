// The error kinds a JMESPath query can fail with, named as the JMESPath specification names them,
// and the one place that formats the position of a syntax error.
#pragma once

#include <string>
#include <string_view>

#include "datamesh/error.h"

namespace datamesh::cli::query {

// Error codes (Error::code()) of the errors this module returns.
inline constexpr char kSyntaxError[] = "syntax";
inline constexpr char kInvalidType[] = "invalid-type";
inline constexpr char kInvalidValue[] = "invalid-value";
inline constexpr char kInvalidArity[] = "invalid-arity";
inline constexpr char kUnknownFunction[] = "unknown-function";

// The 1-based column of byte `offset` in `text`, counted in characters rather than bytes so that
// a caret under the expression lines up even when it contains non-ASCII names.
inline size_t ColumnOf(std::string_view text, size_t offset) {
  size_t column = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++column;
  }
  return column;
}

// "Bad value for --query <text>: at column N: <problem>", the way the AWS CLI words a query it
// cannot parse, so that scripts grepping for it keep working.
inline Error SyntaxError(std::string_view text, size_t offset, std::string_view problem) {
  return Error::Local(kSyntaxError, "Bad value for --query " + std::string(text) + ": at column " +
                                        std::to_string(ColumnOf(text, offset)) + ": " +
                                        std::string(problem));
}

}  // namespace datamesh::cli::query
