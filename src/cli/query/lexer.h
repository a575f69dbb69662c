// Splits a JMESPath expression into tokens.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "datamesh/outcome.h"

namespace datamesh::cli::query {

enum class TokenType {
  kEnd,
  kDot,             // .
  kStar,            // *
  kComma,           // ,
  kColon,           // :
  kCurrent,         // @
  kLparen,          // (
  kRparen,          // )
  kLbrace,          // {
  kRbrace,          // }
  kLbracket,        // [
  kRbracket,        // ]
  kFlatten,         // []
  kFilter,          // [?
  kPipe,            // |
  kOr,              // ||
  kAnd,             // &&
  kExpref,          // &
  kNot,             // !
  kEqual,           // ==
  kNotEqual,        // !=
  kLess,            // <
  kLessOrEqual,     // <=
  kGreater,         // >
  kGreaterOrEqual,  // >=
  kUnquotedIdentifier,
  kQuotedIdentifier,
  kNumber,
  kLiteral,  // `json` or 'raw string'
};

struct Token {
  TokenType type = TokenType::kEnd;
  size_t offset = 0;  // byte offset of the token in the expression
  size_t length = 0;  // bytes of the expression the token spans
  std::string name;   // identifiers, decoded
  // kNumber, saturated to the int64 range (such indexes are out of range anyway).
  int64_t number = 0;
  nlohmann::json literal;  // kLiteral
};

// The tokens of `text`, ending with a kEnd token; a syntax error for characters no token starts
// with, unterminated quotes and malformed JSON.
Outcome<std::vector<Token>> Tokenize(const std::string& text);

}  // namespace datamesh::cli::query
