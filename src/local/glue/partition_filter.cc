#include "local/glue/partition_filter.h"

#include <cctype>
#include <vector>

#include "aws/http/headers.h"
#include "local/core/local_service.h"
#include "local/core/nesting.h"

namespace datamesh::local::glue {
namespace {

using aws::Json;

struct Token {
  enum class Type { kWord, kString, kNumber, kPunct, kEnd } type = Type::kEnd;
  std::string text;
};

Error Invalid(const std::string& why) { return ServiceFault("InvalidInputException", "Unsupported expression: " + why, 400); }

Outcome<std::vector<Token>> Lex(const std::string& s) {
  std::vector<Token> out;
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (std::isspace(static_cast<unsigned char>(c))) { ++i; continue; }
    Token t;
    if (c == '\'') {
      size_t j = i + 1;
      std::string text;
      for (; j < s.size(); ++j) {
        if (s[j] == '\'' && j + 1 < s.size() && s[j + 1] == '\'') { text += '\''; ++j; continue; }
        if (s[j] == '\'') break;
        text += s[j];
      }
      if (j >= s.size()) return Invalid("unterminated string");
      t = {Token::Type::kString, text};
      i = j + 1;
    } else if (std::isdigit(static_cast<unsigned char>(c)) || (c == '-' && i + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[i + 1])))) {
      size_t j = i + 1;
      while (j < s.size() && (std::isdigit(static_cast<unsigned char>(s[j])) || s[j] == '.')) ++j;
      t = {Token::Type::kNumber, s.substr(i, j - i)};
      i = j;
    } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == '`') {
      bool quoted = c == '`';
      size_t j = i + 1;
      while (j < s.size() && (quoted ? s[j] != '`' : (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '_'))) ++j;
      t = {Token::Type::kWord, quoted ? s.substr(i + 1, j - i - 1) : s.substr(i, j - i)};
      i = quoted ? j + 1 : j;
    } else {
      std::string two = s.substr(i, 2);
      if (two == "<>" || two == "!=" || two == "<=" || two == ">=") {
        t = {Token::Type::kPunct, two};
        i += 2;
      } else if (std::string("=<>(),").find(c) != std::string::npos) {
        t = {Token::Type::kPunct, std::string(1, c)};
        ++i;
      } else {
        return Invalid(std::string("unexpected character '") + c + "'");
      }
    }
    out.push_back(t);
  }
  out.push_back(Token{});
  return out;
}

bool IsKeyword(const Token& t, const char* word) {
  return t.type == Token::Type::kWord && aws::EqualsIgnoreCase(t.text, word);
}

// A SQL LIKE pattern: % any run, _ one character. Matched greedily with one point to return to
// (the last %), so the time is at most pattern times text: a pattern of many %s, which recursion
// would try in every split (found by fuzz/partition_filter_fuzz), costs no more than one.
bool Like(const std::string& pattern, const std::string& text) {
  size_t p = 0, t = 0;
  size_t star = std::string::npos, resume = 0;  // the last % seen, and where its run ends in text
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '%') {
      star = p++;
      resume = t;
    } else if (p < pattern.size() && (pattern[p] == '_' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (star != std::string::npos) {
      p = star + 1;  // let the last % take one more character and try again from there
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '%') ++p;
  return p == pattern.size();
}

class Node : public PartitionFilter {
 public:
  enum class Kind { kAnd, kOr, kNot, kCompare, kBetween, kIn, kLike };
  Kind kind = Kind::kCompare;
  std::vector<std::shared_ptr<Node>> children;
  size_t key = 0;
  bool numeric = false;
  std::string op;
  std::vector<std::string> literals;

  int Compare(const std::string& a, const std::string& b) const {
    if (numeric) {
      try {
        double x = std::stod(a), y = std::stod(b);
        return x < y ? -1 : x > y ? 1 : 0;
      } catch (...) {
      }
    }
    return a < b ? -1 : a > b ? 1 : 0;
  }

  bool Matches(const Json& values) const override {
    switch (kind) {
      case Kind::kAnd: return children[0]->Matches(values) && children[1]->Matches(values);
      case Kind::kOr: return children[0]->Matches(values) || children[1]->Matches(values);
      case Kind::kNot: return !children[0]->Matches(values);
      default: break;
    }
    if (key >= values.size()) return false;
    const std::string v = values[key];
    if (kind == Kind::kBetween) return Compare(v, literals[0]) >= 0 && Compare(v, literals[1]) <= 0;
    if (kind == Kind::kIn) {
      for (const auto& l : literals) {
        if (Compare(v, l) == 0) return true;
      }
      return false;
    }
    if (kind == Kind::kLike) return Like(literals[0], v);
    int c = Compare(v, literals[0]);
    if (op == "=") return c == 0;
    if (op == "<>" || op == "!=") return c != 0;
    if (op == "<") return c < 0;
    if (op == "<=") return c <= 0;
    if (op == ">") return c > 0;
    return c >= 0;
  }
};

class Parser {
 public:
  Parser(std::vector<Token> tokens, const Json& keys) : tokens_(std::move(tokens)), keys_(keys) {}

  Outcome<std::shared_ptr<Node>> Or() {
    auto left = And();
    if (!left.ok()) return left;
    while (IsKeyword(Peek(), "OR")) {
      ++pos_;
      auto right = And();
      if (!right.ok()) return right;
      left = Combine(Node::Kind::kOr, *left, *right);
    }
    return left;
  }
  bool AtEnd() const { return Peek().type == Token::Type::kEnd; }

 private:
  const Token& Peek() const { return tokens_[std::min(pos_, tokens_.size() - 1)]; }
  static std::shared_ptr<Node> Combine(Node::Kind kind, std::shared_ptr<Node> a, std::shared_ptr<Node> b) {
    auto n = std::make_shared<Node>();
    n->kind = kind;
    n->children = {std::move(a), std::move(b)};
    return n;
  }

  Outcome<std::shared_ptr<Node>> And() {
    auto left = Not();
    if (!left.ok()) return left;
    while (IsKeyword(Peek(), "AND")) {
      ++pos_;
      auto right = Not();
      if (!right.ok()) return right;
      left = Combine(Node::Kind::kAnd, *left, *right);
    }
    return left;
  }

  Outcome<std::shared_ptr<Node>> Not() {
    if (IsKeyword(Peek(), "NOT")) {
      ++pos_;
      Nesting nesting(depth_);
      if (nesting.too_deep()) return Invalid("the expression nests more than " + std::to_string(kMaxExpressionNesting) + " levels deep");
      auto inner = Not();
      if (!inner.ok()) return inner;
      auto n = std::make_shared<Node>();
      n->kind = Node::Kind::kNot;
      n->children = {*inner};
      return n;
    }
    return Primary();
  }

  Outcome<std::string> Literal() {
    const Token& t = Peek();
    if (t.type != Token::Type::kString && t.type != Token::Type::kNumber) return Invalid("expected a value near '" + t.text + "'");
    ++pos_;
    return t.text;
  }

  Outcome<std::shared_ptr<Node>> Primary() {
    if (Peek().type == Token::Type::kPunct && Peek().text == "(") {
      ++pos_;
      Nesting nesting(depth_);
      if (nesting.too_deep()) return Invalid("the expression nests more than " + std::to_string(kMaxExpressionNesting) + " levels deep");
      auto inner = Or();
      if (!inner.ok()) return inner;
      if (Peek().text != ")") return Invalid("expected ')'");
      ++pos_;
      return inner;
    }
    if (Peek().type != Token::Type::kWord) return Invalid("expected a partition key near '" + Peek().text + "'");
    const std::string name = tokens_[pos_++].text;
    auto n = std::make_shared<Node>();
    bool found = false;
    for (size_t i = 0; i < keys_.size(); ++i) {
      if (aws::EqualsIgnoreCase(keys_[i]["Name"].get<std::string>(), name)) {
        n->key = i;
        std::string type = aws::ToLower(keys_[i].value("Type", "string"));
        n->numeric = type == "int" || type == "bigint" || type == "smallint" || type == "tinyint" ||
                     type == "double" || type == "float" || type.rfind("decimal", 0) == 0;
        found = true;
      }
    }
    if (!found) return Invalid(name + " is not a partition key");
    if (IsKeyword(Peek(), "BETWEEN")) {
      ++pos_;
      auto lo = Literal();
      if (!lo.ok()) return lo.error();
      if (!IsKeyword(Peek(), "AND")) return Invalid("BETWEEN needs AND");
      ++pos_;
      auto hi = Literal();
      if (!hi.ok()) return hi.error();
      n->kind = Node::Kind::kBetween;
      n->literals = {*lo, *hi};
      return n;
    }
    if (IsKeyword(Peek(), "IN")) {
      ++pos_;
      if (Peek().text != "(") return Invalid("IN needs a list");
      ++pos_;
      n->kind = Node::Kind::kIn;
      for (;;) {
        auto v = Literal();
        if (!v.ok()) return v.error();
        n->literals.push_back(*v);
        if (Peek().text == ",") { ++pos_; continue; }
        break;
      }
      if (Peek().text != ")") return Invalid("expected ')'");
      ++pos_;
      return n;
    }
    if (IsKeyword(Peek(), "LIKE")) {
      ++pos_;
      auto v = Literal();
      if (!v.ok()) return v.error();
      n->kind = Node::Kind::kLike;
      n->literals = {*v};
      return n;
    }
    static const std::vector<std::string> kOps = {"=", "<>", "!=", "<", "<=", ">", ">="};
    if (Peek().type != Token::Type::kPunct || std::find(kOps.begin(), kOps.end(), Peek().text) == kOps.end()) {
      return Invalid("expected a comparison after " + name);
    }
    n->op = tokens_[pos_++].text;
    auto v = Literal();
    if (!v.ok()) return v.error();
    n->literals = {*v};
    return n;
  }

  std::vector<Token> tokens_;
  size_t pos_ = 0;
  int depth_ = 0;
  const Json& keys_;
};

}  // namespace

Outcome<std::shared_ptr<PartitionFilter>> PartitionFilter::Parse(const std::string& expression, const Json& keys) {
  auto tokens = Lex(expression);
  if (!tokens.ok()) return tokens.error();
  Parser p(*tokens, keys);
  auto node = p.Or();
  if (!node.ok()) return node.error();
  if (!p.AtEnd()) return Invalid("unexpected text after the expression");
  return std::shared_ptr<PartitionFilter>(*node);
}

}  // namespace datamesh::local::glue
