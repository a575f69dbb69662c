#include "cli/query/parser.h"

#include <algorithm>
#include <utility>

#include "cli/query/errors.h"
#include "cli/query/lexer.h"

namespace datamesh::cli::query {
namespace {

// How tightly each token binds to the expression on its left; 0 for tokens that cannot continue
// one. The order, loosest first: | || && comparisons [] * [? . ! { [ ( — which reads
// `a.b || c[0] | d` as `((a.b) || (c[0])) | d` — matches the reference implementation the AWS
// CLI uses, so that the same query selects the same data.
int BindingPower(TokenType type) {
  switch (type) {
    case TokenType::kPipe:
      return 1;
    case TokenType::kOr:
      return 2;
    case TokenType::kAnd:
      return 3;
    case TokenType::kEqual:
    case TokenType::kNotEqual:
    case TokenType::kLess:
    case TokenType::kLessOrEqual:
    case TokenType::kGreater:
    case TokenType::kGreaterOrEqual:
      return 5;
    case TokenType::kFlatten:
      return 9;
    case TokenType::kStar:
      return 20;
    case TokenType::kFilter:
      return 21;
    case TokenType::kDot:
      return 40;
    case TokenType::kNot:
      return 45;
    case TokenType::kLbrace:
      return 50;
    case TokenType::kLbracket:
      return 55;
    case TokenType::kLparen:
      return 60;
    default:
      return 0;
  }
}

// What follows a projection binds into it (is applied to each element) only if it binds at least
// this tightly: `a[*].b` projects `.b`, while `a[*] | b` and `a[*] || b` apply to the whole result.
constexpr int kProjectionStop = 10;

Comparator ComparatorOf(TokenType type) {
  switch (type) {
    case TokenType::kNotEqual:
      return Comparator::kNotEqual;
    case TokenType::kLess:
      return Comparator::kLess;
    case TokenType::kLessOrEqual:
      return Comparator::kLessOrEqual;
    case TokenType::kGreater:
      return Comparator::kGreater;
    case TokenType::kGreaterOrEqual:
      return Comparator::kGreaterOrEqual;
    default:
      return Comparator::kEqual;
  }
}

bool IsComparator(TokenType type) { return BindingPower(type) == 5; }

class Parser {
 public:
  Parser(const std::string& text, std::vector<Token> tokens)
      : text_(text), tokens_(std::move(tokens)) {}

  Outcome<NodePtr> ParseAll() {
    auto root = Expression(0);
    if (!root.ok()) return root;
    if (Current().type != TokenType::kEnd) return Unexpected(Current());
    return root;
  }

 private:
  const Token& Current() const { return tokens_[pos_]; }
  const Token& Peek(size_t ahead) const {
    return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)];
  }
  void Advance() {
    if (pos_ + 1 < tokens_.size()) ++pos_;
  }

  Error ErrorAt(const Token& token, const std::string& problem) const {
    return SyntaxError(text_, token.offset, problem);
  }
  std::string Describe(const Token& token) const {
    if (token.type == TokenType::kEnd) return "end of the expression";
    return "'" + text_.substr(token.offset, token.length) + "'";
  }
  Error Unexpected(const Token& token) const {
    return ErrorAt(token, "unexpected " + Describe(token));
  }
  // "expected ']'" at the end of the input, "expected ']' but found 'x'" elsewhere.
  Error Expected(const std::string& what) const {
    if (Current().type == TokenType::kEnd) return ErrorAt(Current(), "expected " + what);
    return ErrorAt(Current(), "expected " + what + " but found " + Describe(Current()));
  }
  Status Expect(TokenType type, const std::string& what) {
    if (Current().type != type) return Expected(what);
    Advance();
    return OkStatus();
  }

  // A node of `kind` over `children`, refused when it would make the tree too deep.
  Outcome<NodePtr> Make(NodeKind kind, std::vector<NodePtr> children = {}) {
    auto node = std::make_unique<Node>(kind);
    for (auto& child : children) Adopt(*node, std::move(child));
    if (node->depth > kMaxNesting) return TooDeep();
    return node;
  }
  static void Adopt(Node& parent, NodePtr child) {
    parent.depth = std::max(parent.depth, child->depth + 1);
    parent.children.push_back(std::move(child));
  }
  Error TooDeep() const {
    return ErrorAt(Current(),
                   "expression nested more than " + std::to_string(kMaxNesting) + " levels deep");
  }

  // `right` applied to the result of `left`. Chains stay flat (a.b.c.d is one node with four
  // children) so that long paths do not count as nesting.
  Outcome<NodePtr> Chain(NodePtr left, NodePtr right) {
    if (left->kind == NodeKind::kIdentity) return right;
    if (left->kind != NodeKind::kChain) {
      auto chain = std::make_unique<Node>(NodeKind::kChain);
      Adopt(*chain, std::move(left));
      left = std::move(chain);
    }
    if (right->kind == NodeKind::kChain) {
      for (auto& child : right->children) Adopt(*left, std::move(child));
    } else {
      Adopt(*left, std::move(right));
    }
    if (left->depth > kMaxNesting) return TooDeep();
    return left;
  }

  Outcome<NodePtr> Binary(NodeKind kind, NodePtr left, NodePtr right) {
    std::vector<NodePtr> children;
    children.push_back(std::move(left));
    children.push_back(std::move(right));
    return Make(kind, std::move(children));
  }

  // The core of the Pratt parser: a prefix form, then infix forms for as long as the next
  // token binds more tightly than `binding_power`.
  Outcome<NodePtr> Expression(int binding_power) {
    if (recursion_ >= kMaxNesting) return TooDeep();
    ++recursion_;
    auto left = Prefix();
    while (left.ok() && BindingPower(Current().type) > binding_power) {
      left = Infix(std::move(left.value()));
    }
    --recursion_;
    return left;
  }

  Outcome<NodePtr> Prefix() {
    Token token = Current();
    Advance();
    switch (token.type) {
      case TokenType::kLiteral: {
        auto node = std::make_unique<Node>(NodeKind::kLiteral);
        node->literal = std::move(token.literal);
        return node;
      }
      case TokenType::kUnquotedIdentifier:
        return Field(token.name);
      case TokenType::kQuotedIdentifier:
        // Only bare names can call functions: "length"(@) is refused, as by the reference.
        if (Current().type == TokenType::kLparen) {
          return ErrorAt(Current(), "a quoted identifier cannot name a function");
        }
        return Field(token.name);
      case TokenType::kCurrent:
        return Make(NodeKind::kIdentity);
      case TokenType::kStar:
        return ValueProjection(Identity(), BindingPower(TokenType::kStar));
      case TokenType::kFlatten:
        return FlattenProjection(Identity());
      case TokenType::kFilter:
        return FilterProjection(Identity());
      case TokenType::kLbracket:
        return BracketPrefix();
      case TokenType::kLbrace:
        return MultiSelectHash();
      case TokenType::kLparen:
        return Parenthesized();
      case TokenType::kNot:
        return Unary(NodeKind::kNot, BindingPower(TokenType::kNot));
      // The referenced expression extends as far as possible: &a | b references `a | b`.
      case TokenType::kExpref:
        return Unary(NodeKind::kExpressionRef, 0);
      default:
        return Unexpected(token);
    }
  }

  Outcome<NodePtr> Infix(NodePtr left) {
    Token token = Current();
    Advance();
    switch (token.type) {
      case TokenType::kDot:
        if (Current().type == TokenType::kStar) {
          Advance();
          return ValueProjection(std::move(left), BindingPower(TokenType::kDot));
        }
        return DotChain(std::move(left));
      case TokenType::kLbracket:
        return BracketInfix(std::move(left));
      case TokenType::kFlatten:
        return FlattenProjection(std::move(left));
      case TokenType::kFilter:
        return FilterProjection(std::move(left));
      case TokenType::kLparen:
        return FunctionCall(std::move(left), token);
      case TokenType::kPipe:
        return BinaryInfix(NodeKind::kPipe, std::move(left), token.type);
      case TokenType::kOr:
        return BinaryInfix(NodeKind::kOr, std::move(left), token.type);
      case TokenType::kAnd:
        return BinaryInfix(NodeKind::kAnd, std::move(left), token.type);
      default:
        if (IsComparator(token.type)) return Comparison(std::move(left), token.type);
        return Unexpected(token);
    }
  }

  NodePtr Identity() { return std::make_unique<Node>(NodeKind::kIdentity); }

  Outcome<NodePtr> Field(const std::string& name) {
    auto node = std::make_unique<Node>(NodeKind::kField);
    node->name = name;
    return node;
  }

  Outcome<NodePtr> Unary(NodeKind kind, int binding_power) {
    auto operand = Expression(binding_power);
    if (!operand.ok()) return operand;
    std::vector<NodePtr> children;
    children.push_back(std::move(operand.value()));
    return Make(kind, std::move(children));
  }

  Outcome<NodePtr> BinaryInfix(NodeKind kind, NodePtr left, TokenType type) {
    auto right = Expression(BindingPower(type));
    if (!right.ok()) return right;
    return Binary(kind, std::move(left), std::move(right.value()));
  }

  Outcome<NodePtr> Comparison(NodePtr left, TokenType type) {
    auto node = BinaryInfix(NodeKind::kComparison, std::move(left), type);
    if (node.ok()) node.value()->comparator = ComparatorOf(type);
    return node;
  }

  Outcome<NodePtr> Parenthesized() {
    auto inner = Expression(0);
    if (!inner.ok()) return inner;
    auto closed = Expect(TokenType::kRparen, "')'");
    if (!closed.ok()) return closed.error();
    return inner;
  }

  // What a projection applies to each element: the rest of the path, or nothing (identity)
  // when the next token ends the projection.
  Outcome<NodePtr> ProjectionRight(int binding_power) {
    TokenType next = Current().type;
    if (BindingPower(next) < kProjectionStop) return Identity();
    if (next == TokenType::kLbracket || next == TokenType::kFilter) {
      return Expression(binding_power);
    }
    if (next == TokenType::kDot) {
      Advance();
      return DotRight(binding_power);
    }
    return Expected("'.', '[' or the end of the projection");
  }

  Outcome<NodePtr> Projection(NodeKind kind, std::vector<NodePtr> children, int binding_power) {
    auto right = ProjectionRight(binding_power);
    if (!right.ok()) return right;
    children.push_back(std::move(right.value()));
    return Make(kind, std::move(children));
  }

  Outcome<NodePtr> ValueProjection(NodePtr left, int binding_power) {
    std::vector<NodePtr> children;
    children.push_back(std::move(left));
    return Projection(NodeKind::kValueProjection, std::move(children), binding_power);
  }

  Outcome<NodePtr> ListProjection(NodePtr left) {
    std::vector<NodePtr> children;
    children.push_back(std::move(left));
    return Projection(NodeKind::kProjection, std::move(children), BindingPower(TokenType::kStar));
  }

  Outcome<NodePtr> FlattenProjection(NodePtr left) {
    std::vector<NodePtr> inner;
    inner.push_back(std::move(left));
    auto flatten = Make(NodeKind::kFlatten, std::move(inner));
    if (!flatten.ok()) return flatten;
    std::vector<NodePtr> children;
    children.push_back(std::move(flatten.value()));
    return Projection(NodeKind::kProjection, std::move(children),
                      BindingPower(TokenType::kFlatten));
  }

  // After "[?": the condition, "]", then what is projected onto the elements that pass.
  Outcome<NodePtr> FilterProjection(NodePtr left) {
    auto condition = Expression(0);
    if (!condition.ok()) return condition;
    auto closed = Expect(TokenType::kRbracket, "']'");
    if (!closed.ok()) return closed.error();
    std::vector<NodePtr> children;
    children.push_back(std::move(left));
    children.push_back(std::move(condition.value()));
    return Projection(NodeKind::kFilterProjection, std::move(children),
                      BindingPower(TokenType::kFilter));
  }

  // After ".": a name, a function call, "*", a multi-select list or a multi-select hash.
  Outcome<NodePtr> DotRight(int binding_power) {
    switch (Current().type) {
      case TokenType::kUnquotedIdentifier:
      case TokenType::kQuotedIdentifier:
      case TokenType::kStar:
        return Expression(binding_power);
      case TokenType::kLbracket:
        Advance();
        return MultiSelectList();
      case TokenType::kLbrace:
        Advance();
        return MultiSelectHash();
      default:
        return Expected("a name, '*', '[' or '{' after '.'");
    }
  }

  Outcome<NodePtr> DotChain(NodePtr left) {
    auto right = DotRight(BindingPower(TokenType::kDot));
    if (!right.ok()) return right;
    return Chain(std::move(left), std::move(right.value()));
  }

  // "[" at the start of an expression: an index or slice of the current node, "[*]", or a
  // multi-select list.
  Outcome<NodePtr> BracketPrefix() {
    TokenType next = Current().type;
    if (next == TokenType::kNumber || next == TokenType::kColon) {
      return IndexOrSlice(Identity());
    }
    if (next == TokenType::kStar && Peek(1).type == TokenType::kRbracket) {
      Advance();
      Advance();
      return ListProjection(Identity());
    }
    return MultiSelectList();
  }

  // "[" after an expression: an index, a slice or "[*]" (a multi-select list cannot follow).
  Outcome<NodePtr> BracketInfix(NodePtr left) {
    TokenType next = Current().type;
    if (next == TokenType::kNumber || next == TokenType::kColon) {
      return IndexOrSlice(std::move(left));
    }
    if (next == TokenType::kStar) {
      Advance();
      auto closed = Expect(TokenType::kRbracket, "']'");
      if (!closed.ok()) return closed.error();
      return ListProjection(std::move(left));
    }
    if (next == TokenType::kEnd) return Expected("']'");
    return Expected("a number, ':' or '*' after '['");
  }

  // After "[" when a number or ':' follows: "[n]" indexes `left`; "[start:stop:step]" slices it
  // and, being a projection, applies what follows to each element of the slice.
  Outcome<NodePtr> IndexOrSlice(NodePtr left) {
    if (Current().type == TokenType::kNumber && Peek(1).type == TokenType::kRbracket) {
      auto index = std::make_unique<Node>(NodeKind::kIndex);
      index->index = Current().number;
      Advance();
      Advance();
      return Chain(std::move(left), std::move(index));
    }
    auto slice = Slice();
    if (!slice.ok()) return slice;
    auto sliced = Chain(std::move(left), std::move(slice.value()));
    if (!sliced.ok()) return sliced;
    return ListProjection(std::move(sliced.value()));
  }

  // start? ':' stop? (':' step?)? ']' — each part an optional number.
  Outcome<NodePtr> Slice() {
    std::optional<int64_t> parts[3];
    int part = 0;
    while (true) {
      if (Current().type == TokenType::kNumber) {
        parts[part] = Current().number;
        Advance();
      }
      if (Current().type == TokenType::kRbracket) break;
      if (Current().type != TokenType::kColon) return Expected(part < 2 ? "':' or ']'" : "']'");
      if (part == 2) return ErrorAt(Current(), "a slice has at most three parts");
      ++part;
      Advance();
    }
    Advance();
    auto node = std::make_unique<Node>(NodeKind::kSlice);
    node->start = parts[0];
    node->stop = parts[1];
    node->step = parts[2];
    return node;
  }

  // After "[" opening a list: expression (',' expression)* ']'.
  Outcome<NodePtr> MultiSelectList() {
    std::vector<NodePtr> elements;
    while (true) {
      auto element = Expression(0);
      if (!element.ok()) return element;
      elements.push_back(std::move(element.value()));
      if (Current().type == TokenType::kRbracket) break;
      auto comma = Expect(TokenType::kComma, "',' or ']'");
      if (!comma.ok()) return comma.error();
    }
    Advance();
    return Make(NodeKind::kList, std::move(elements));
  }

  // After "{": key ':' expression (',' key ':' expression)* '}'.
  Outcome<NodePtr> MultiSelectHash() {
    std::vector<std::string> keys;
    std::vector<NodePtr> values;
    while (true) {
      TokenType type = Current().type;
      if (type != TokenType::kUnquotedIdentifier && type != TokenType::kQuotedIdentifier) {
        return Expected("a key name");
      }
      keys.push_back(Current().name);
      Advance();
      auto colon = Expect(TokenType::kColon, "':'");
      if (!colon.ok()) return colon.error();
      auto value = Expression(0);
      if (!value.ok()) return value;
      values.push_back(std::move(value.value()));
      if (Current().type == TokenType::kRbrace) break;
      auto comma = Expect(TokenType::kComma, "',' or '}'");
      if (!comma.ok()) return comma.error();
    }
    Advance();
    auto node = Make(NodeKind::kHash, std::move(values));
    if (node.ok()) node.value()->keys = std::move(keys);
    return node;
  }

  // name '(' (expression (',' expression)*)? ')'. Whether the function exists and accepts these
  // arguments is checked when it is called, as the reference does: a call that is never reached
  // (projected over an empty list) is no error.
  Outcome<NodePtr> FunctionCall(NodePtr callee, const Token& paren) {
    if (callee->kind != NodeKind::kField) return ErrorAt(paren, "only a name can be called");
    std::vector<NodePtr> arguments;
    if (Current().type == TokenType::kRparen) {
      Advance();
    } else {
      while (true) {
        auto argument = Expression(0);
        if (!argument.ok()) return argument;
        arguments.push_back(std::move(argument.value()));
        if (Current().type == TokenType::kRparen) break;
        auto comma = Expect(TokenType::kComma, "',' or ')'");
        if (!comma.ok()) return comma.error();
      }
      Advance();
    }
    auto node = Make(NodeKind::kFunction, std::move(arguments));
    if (node.ok()) node.value()->name = callee->name;
    return node;
  }

  const std::string& text_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
  int recursion_ = 0;
};

}  // namespace

Outcome<NodePtr> Parse(const std::string& text) {
  auto tokens = Tokenize(text);
  if (!tokens.ok()) return tokens.error();
  if (tokens->size() == 1) return SyntaxError(text, 0, "the expression is empty");
  return Parser(text, std::move(tokens.value())).ParseAll();
}

}  // namespace datamesh::cli::query
