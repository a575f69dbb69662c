#include <cctype>
#include <map>

#include "aws/core/encoding.h"
#include "local/core/nesting.h"
#include "local/dynamodb/expression.h"
#include "local/dynamodb/reserved_words.h"

namespace datamesh::local::ddb {
namespace {

struct Token {
  enum class Type { kName, kPlaceholderName, kValue, kNumber, kPunct, kEnd };
  Type type = Type::kEnd;
  std::string text;
  size_t offset = 0;
};

Outcome<std::vector<Token>> Tokenize(const std::string& s, const std::string& kind) {
  std::vector<Token> out;
  size_t i = 0;
  auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  while (i < s.size()) {
    char c = s[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
      continue;
    }
    Token t;
    t.offset = i;
    if (c == '#' || c == ':') {
      size_t j = i + 1;
      while (j < s.size() && word(s[j])) ++j;
      if (j == i + 1) {
        return ValidationException("Invalid " + kind + ": Syntax error; token: \"" + std::string(1, c) +
                                   "\", near: \"" + s.substr(i, 8) + "\"");
      }
      t.type = c == '#' ? Token::Type::kPlaceholderName : Token::Type::kValue;
      t.text = s.substr(i, j - i);
      i = j;
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      size_t j = i;
      while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
      t.type = Token::Type::kNumber;
      t.text = s.substr(i, j - i);
      i = j;
    } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      size_t j = i;
      while (j < s.size() && word(s[j])) ++j;
      t.type = Token::Type::kName;
      t.text = s.substr(i, j - i);
      i = j;
    } else {
      static const char* kTwo[] = {"<>", "<=", ">="};
      t.type = Token::Type::kPunct;
      t.text = std::string(1, c);
      for (const char* two : kTwo) {
        if (s.compare(i, 2, two) == 0) t.text = two;
      }
      if (std::string("()[],.=<>+-").find(c) == std::string::npos) {
        return ValidationException("Invalid " + kind + ": Syntax error; token: \"" + t.text + "\", near: \"" +
                                   s.substr(i > 3 ? i - 3 : 0, 8) + "\"");
      }
      i += t.text.size();
    }
    out.push_back(t);
  }
  Token end;
  end.offset = s.size();
  out.push_back(end);
  return out;
}

bool Keyword(const Token& t, const char* word) {
  if (t.type != Token::Type::kName || t.text.size() != std::char_traits<char>::length(word)) return false;
  for (size_t i = 0; i < t.text.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(t.text[i])) != word[i]) return false;
  }
  return true;
}

const std::set<std::string>& ConditionFunctions() {
  static const std::set<std::string> f = {"attribute_exists", "attribute_not_exists", "attribute_type",
                                          "begins_with", "contains"};
  return f;
}

class Parser {
 public:
  Parser(ExpressionContext& ctx, std::vector<Token> tokens, std::string text, std::string kind)
      : ctx_(ctx), tokens_(std::move(tokens)), text_(std::move(text)), kind_(std::move(kind)) {}

  Error SyntaxError() const {
    const Token& t = Peek();
    std::string token = t.type == Token::Type::kEnd ? "<EOF>" : t.text;
    size_t from = t.offset > 6 ? t.offset - 6 : 0;
    return ValidationException("Invalid " + kind_ + ": Syntax error; token: \"" + token + "\", near: \"" +
                               text_.substr(from, t.offset - from + token.size() + 4) + "\"");
  }
  Error Invalid(const std::string& what) const { return ValidationException("Invalid " + kind_ + ": " + what); }
  Error TooDeep() const { return Invalid("The expression nests more than " + std::to_string(kMaxExpressionNesting) + " levels deep"); }

  const Token& Peek(size_t ahead = 0) const { return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)]; }
  Token Next() { return tokens_[std::min(pos_++, tokens_.size() - 1)]; }
  bool AtEnd() const { return Peek().type == Token::Type::kEnd; }
  bool IsPunct(const char* p, size_t ahead = 0) const {
    return Peek(ahead).type == Token::Type::kPunct && Peek(ahead).text == p;
  }
  Status Expect(const char* p) {
    if (!IsPunct(p)) return SyntaxError();
    Next();
    return OkStatus();
  }

  // path := name ('.' name | '[' number ']')*
  Outcome<DocumentPath> ParsePath() {
    DocumentPath path;
    auto element = [&]() -> Status {
      const Token& t = Peek();
      if (t.type == Token::Type::kPlaceholderName) {
        auto name = ctx_.ResolveName(Next().text);
        if (!name.ok()) return name.error();
        path.push_back({*name});
        return OkStatus();
      }
      if (t.type == Token::Type::kName) {
        if (IsReservedWord(t.text)) return Invalid("Attribute name is a reserved keyword; reserved keyword: " + t.text);
        path.push_back({Next().text});
        return OkStatus();
      }
      return SyntaxError();
    };
    if (auto s = element(); !s.ok()) return s.error();
    for (;;) {
      if (IsPunct(".")) {
        Next();
        if (auto s = element(); !s.ok()) return s.error();
      } else if (IsPunct("[")) {
        Next();
        if (Peek().type != Token::Type::kNumber) return SyntaxError();
        std::string n = Next().text;
        if (n.size() > 9) return Invalid("List index is too large: " + n);
        path.push_back({"", std::stoi(n)});
        if (auto s = Expect("]"); !s.ok()) return s.error();
      } else {
        return path;
      }
    }
  }

  bool StartsPath() const {
    return Peek().type == Token::Type::kPlaceholderName ||
           (Peek().type == Token::Type::kName && !IsPunct("(", 1));
  }

  // operand := path | :value | size(path)   (conditions)
  Outcome<Operand> ParseConditionOperand() {
    Operand op;
    if (Peek().type == Token::Type::kValue) {
      auto v = ctx_.ResolveValue(Next().text);
      if (!v.ok()) return v.error();
      op.kind = Operand::Kind::kValue;
      op.value = *v;
      return op;
    }
    if (Peek().type == Token::Type::kName && IsPunct("(", 1)) {
      std::string fn = Next().text;
      if (fn != "size") {
        if (ConditionFunctions().count(fn)) {
          return Invalid("The function is not allowed to be used this way in an expression; function: " + fn);
        }
        return Invalid("Invalid function name; function: " + fn);
      }
      Next();
      if (!StartsPath()) return Invalid("Operator or function requires a document path; operator or function: size");
      auto p = ParsePath();
      if (!p.ok()) return p.error();
      if (auto s = Expect(")"); !s.ok()) return s.error();
      op.kind = Operand::Kind::kSize;
      op.path = *p;
      return op;
    }
    if (!StartsPath()) return SyntaxError();
    auto p = ParsePath();
    if (!p.ok()) return p.error();
    op.kind = Operand::Kind::kPath;
    op.path = *p;
    return op;
  }

  Outcome<Condition> ParseOr() {
    auto left = ParseAnd();
    if (!left.ok()) return left;
    while (Keyword(Peek(), "OR")) {
      Next();
      auto right = ParseAnd();
      if (!right.ok()) return right;
      Condition c;
      c.kind = Condition::Kind::kOr;
      c.children = {std::move(*left), std::move(*right)};
      left = std::move(c);
    }
    return left;
  }

  Outcome<Condition> ParseAnd() {
    auto left = ParseNot();
    if (!left.ok()) return left;
    while (Keyword(Peek(), "AND")) {
      Next();
      auto right = ParseNot();
      if (!right.ok()) return right;
      Condition c;
      c.kind = Condition::Kind::kAnd;
      c.children = {std::move(*left), std::move(*right)};
      left = std::move(c);
    }
    return left;
  }

  Outcome<Condition> ParseNot() {
    if (Keyword(Peek(), "NOT")) {
      Next();
      Nesting nesting(depth_);
      if (nesting.too_deep()) return TooDeep();
      auto inner = ParseNot();
      if (!inner.ok()) return inner;
      Condition c;
      c.kind = Condition::Kind::kNot;
      c.children = {std::move(*inner)};
      return c;
    }
    return ParsePrimary();
  }

  Outcome<Condition> ParseFunction() {
    std::string fn = Next().text;
    Next();  // '('
    Condition c;
    c.kind = Condition::Kind::kFunction;
    c.op = fn;
    if (!StartsPath()) return Invalid("Operator or function requires a document path; operator or function: " + fn);
    auto p = ParsePath();
    if (!p.ok()) return p.error();
    Operand path;
    path.kind = Operand::Kind::kPath;
    path.path = *p;
    c.operands.push_back(path);
    size_t want = fn == "attribute_exists" || fn == "attribute_not_exists" ? 1 : 2;
    while (IsPunct(",")) {
      Next();
      auto o = ParseConditionOperand();
      if (!o.ok()) return o.error();
      c.operands.push_back(*o);
    }
    if (auto s = Expect(")"); !s.ok()) return s.error();
    if (c.operands.size() != want) {
      return Invalid("Incorrect number of operands for operator or function; operator or function: " + fn +
                     ", number of operands: " + std::to_string(c.operands.size()));
    }
    if (fn == "attribute_type") {
      const Operand& t = c.operands[1];
      static const std::set<std::string> kTypes = {"S", "SS", "N", "NS", "B", "BS", "BOOL", "NULL", "L", "M"};
      if (t.kind != Operand::Kind::kValue || TypeOf(t.value) != "S") {
        return Invalid("Incorrect operand type for operator or function; operator or function: attribute_type, operand type: " +
                       (t.kind == Operand::Kind::kValue ? TypeOf(t.value) : std::string("path")));
      }
      if (!kTypes.count(t.value["S"].get<std::string>())) {
        return Invalid("Invalid attribute type name found in type condition: " + t.value["S"].get<std::string>() +
                       ". Valid types: S, SS, N, NS, B, BS, BOOL, NULL, L, M");
      }
    }
    if (fn == "begins_with" && c.operands[1].kind == Operand::Kind::kValue) {
      std::string type = TypeOf(c.operands[1].value);
      if (type != "S" && type != "B") {
        return Invalid("Incorrect operand type for operator or function; operator or function: begins_with, operand type: " + type);
      }
    }
    return c;
  }

  Outcome<Condition> ParsePrimary() {
    if (IsPunct("(")) {
      Next();
      Nesting nesting(depth_);
      if (nesting.too_deep()) return TooDeep();
      auto inner = ParseOr();
      if (!inner.ok()) return inner;
      if (auto s = Expect(")"); !s.ok()) return s.error();
      return inner;
    }
    if (Peek().type == Token::Type::kName && IsPunct("(", 1) && ConditionFunctions().count(Peek().text)) {
      return ParseFunction();
    }
    if (Peek().type == Token::Type::kName && IsPunct("(", 1) && Peek().text != "size") {
      return Invalid("Invalid function name; function: " + Peek().text);
    }
    auto left = ParseConditionOperand();
    if (!left.ok()) return left.error();
    Condition c;
    if (Keyword(Peek(), "BETWEEN")) {
      Next();
      auto low = ParseConditionOperand();
      if (!low.ok()) return low.error();
      if (!Keyword(Peek(), "AND")) return SyntaxError();
      Next();
      auto high = ParseConditionOperand();
      if (!high.ok()) return high.error();
      c.kind = Condition::Kind::kBetween;
      c.op = "BETWEEN";
      c.operands = {*left, *low, *high};
      if (low->kind == Operand::Kind::kValue && high->kind == Operand::Kind::kValue) {
        auto order = CompareValues(low->value, high->value);
        if (order && *order > 0) {
          return Invalid("The BETWEEN operator requires upper bound to be greater than or equal to lower bound; "
                         "lower bound operand: AttributeValue: " + low->value.dump() +
                         ", upper bound operand: AttributeValue: " + high->value.dump());
        }
      }
      return c;
    }
    if (Keyword(Peek(), "IN")) {
      Next();
      if (auto s = Expect("("); !s.ok()) return s.error();
      c.kind = Condition::Kind::kIn;
      c.op = "IN";
      c.operands.push_back(*left);
      for (;;) {
        auto o = ParseConditionOperand();
        if (!o.ok()) return o.error();
        c.operands.push_back(*o);
        if (IsPunct(",")) {
          Next();
          continue;
        }
        break;
      }
      if (auto s = Expect(")"); !s.ok()) return s.error();
      if (c.operands.size() > 101) return Invalid("The IN operator is provided with too many operands; number of operands: " + std::to_string(c.operands.size() - 1));
      return c;
    }
    static const std::set<std::string> kComparators = {"=", "<>", "<", "<=", ">", ">="};
    if (Peek().type != Token::Type::kPunct || !kComparators.count(Peek().text)) return SyntaxError();
    c.kind = Condition::Kind::kCompare;
    c.op = Next().text;
    auto right = ParseConditionOperand();
    if (!right.ok()) return right.error();
    c.operands = {*left, *right};
    if (c.op != "=" && c.op != "<>") {
      for (const auto& o : c.operands) {
        if (o.kind == Operand::Kind::kValue) {
          std::string type = TypeOf(o.value);
          if (type != "S" && type != "N" && type != "B") {
            return Invalid("Incorrect operand type for operator or function; operator or function: " + c.op +
                           ", operand type: " + type);
          }
        }
      }
    }
    return c;
  }

  // Update operands: path | :value | if_not_exists(path, operand) | list_append(operand, operand)
  Outcome<Operand> ParseUpdateOperand() {
    if (Peek().type == Token::Type::kName && IsPunct("(", 1)) {
      std::string fn = Next().text;
      Next();
      Operand op;
      if (fn == "if_not_exists") {
        if (!StartsPath()) return Invalid("Operator or function requires a document path; operator or function: if_not_exists");
        auto p = ParsePath();
        if (!p.ok()) return p.error();
        if (auto s = Expect(","); !s.ok()) return s.error();
        auto fallback = ParseUpdateOperand();
        if (!fallback.ok()) return fallback;
        op.kind = Operand::Kind::kIfNotExists;
        op.path = *p;
        op.args = {*fallback};
      } else if (fn == "list_append") {
        auto a = ParseUpdateOperand();
        if (!a.ok()) return a;
        if (auto s = Expect(","); !s.ok()) return s.error();
        auto b = ParseUpdateOperand();
        if (!b.ok()) return b;
        op.kind = Operand::Kind::kListAppend;
        op.args = {*a, *b};
      } else {
        return Invalid("Invalid function name; function: " + fn);
      }
      if (auto s = Expect(")"); !s.ok()) return s.error();
      return op;
    }
    if (Peek().type == Token::Type::kValue) {
      auto v = ctx_.ResolveValue(Next().text);
      if (!v.ok()) return v.error();
      Operand op;
      op.value = *v;
      return op;
    }
    if (!StartsPath()) return SyntaxError();
    auto p = ParsePath();
    if (!p.ok()) return p.error();
    Operand op;
    op.kind = Operand::Kind::kPath;
    op.path = *p;
    return op;
  }

  Outcome<std::vector<UpdateAction>> ParseUpdate() {
    std::vector<UpdateAction> actions;
    std::set<std::string> seen_clauses;
    while (!AtEnd()) {
      std::string clause;
      for (const char* k : {"SET", "REMOVE", "ADD", "DELETE"}) {
        if (Keyword(Peek(), k)) clause = k;
      }
      if (clause.empty()) return SyntaxError();
      Next();
      if (!seen_clauses.insert(clause).second) {
        return Invalid("The \"" + clause + "\" section can only be used once in an update expression;");
      }
      for (;;) {
        UpdateAction a;
        auto path = ParsePath();
        if (!path.ok()) return path.error();
        a.path = *path;
        if (clause == "SET") {
          a.kind = UpdateAction::Kind::kSet;
          if (auto s = Expect("="); !s.ok()) return s.error();
          auto left = ParseUpdateOperand();
          if (!left.ok()) return left.error();
          if (IsPunct("+") || IsPunct("-")) {
            bool plus = Next().text == "+";
            auto right = ParseUpdateOperand();
            if (!right.ok()) return right.error();
            Operand arith;
            arith.kind = plus ? Operand::Kind::kPlus : Operand::Kind::kMinus;
            arith.args = {*left, *right};
            a.value = arith;
          } else {
            a.value = *left;
          }
        } else if (clause == "REMOVE") {
          a.kind = UpdateAction::Kind::kRemove;
        } else {
          a.kind = clause == "ADD" ? UpdateAction::Kind::kAdd : UpdateAction::Kind::kDelete;
          if (Peek().type != Token::Type::kValue) return SyntaxError();
          auto v = ParseUpdateOperand();
          if (!v.ok()) return v.error();
          a.value = *v;
          std::string type = TypeOf(a.value.value);
          bool ok = clause == "ADD" ? (type == "N" || type == "SS" || type == "NS" || type == "BS")
                                    : (type == "SS" || type == "NS" || type == "BS");
          if (!ok) {
            static const std::map<std::string, std::string> kNames = {
                {"S", "STRING"}, {"N", "NUMBER"}, {"B", "BINARY"}, {"BOOL", "BOOLEAN"}, {"NULL", "NULL"},
                {"L", "LIST"}, {"M", "MAP"}, {"SS", "SET"}, {"NS", "SET"}, {"BS", "SET"}};
            return Invalid("Incorrect operand type for operator or function; operator: " + clause +
                           ", operand type: " + kNames.at(type));
          }
        }
        actions.push_back(std::move(a));
        if (IsPunct(",")) {
          Next();
          continue;
        }
        break;
      }
    }
    if (actions.empty()) return SyntaxError();
    // No two actions may touch the same document path or one inside the other.
    for (size_t i = 0; i < actions.size(); ++i) {
      for (size_t j = i + 1; j < actions.size(); ++j) {
        const auto& a = actions[i].path;
        const auto& b = actions[j].path;
        size_t n = std::min(a.size(), b.size());
        bool prefix = true;
        for (size_t k = 0; k < n && prefix; ++k) prefix = a[k].name == b[k].name && a[k].index == b[k].index;
        if (prefix) {
          return Invalid(std::string(a.size() == b.size() ? "Two document paths conflict with each other"
                                                          : "Two document paths overlap with each other") +
                         "; must remove or rewrite one of these paths; path one: " + PathToString(a) +
                         ", path two: " + PathToString(b));
        }
      }
    }
    return actions;
  }

  Outcome<std::vector<DocumentPath>> ParseProjection() {
    std::vector<DocumentPath> out;
    for (;;) {
      auto p = ParsePath();
      if (!p.ok()) return p.error();
      out.push_back(*p);
      if (IsPunct(",")) {
        Next();
        continue;
      }
      break;
    }
    if (!AtEnd()) return SyntaxError();
    return out;
  }

 private:
  ExpressionContext& ctx_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
  int depth_ = 0;
  std::string text_;
  std::string kind_;
};

}  // namespace

std::string PathToString(const DocumentPath& path) {
  std::string out = "[";
  for (size_t i = 0; i < path.size(); ++i) {
    if (i) out += ", ";
    out += path[i].is_index() ? "[" + std::to_string(path[i].index) + "]" : path[i].name;
  }
  return out + "]";
}

Outcome<ExpressionContext> ExpressionContext::Make(const Json& names, const Json& values) {
  ExpressionContext ctx;
  if (!names.is_null()) {
    if (names.empty()) return ValidationException("ExpressionAttributeNames must not be empty");
    ctx.names_ = names;
  }
  if (!values.is_null()) {
    if (values.empty()) return ValidationException("ExpressionAttributeValues must not be empty");
    for (auto& [k, v] : values.items()) {
      if (k.size() < 2 || k[0] != ':') {
        return ValidationException("ExpressionAttributeValues contains invalid key: Syntax error; key: \"" + k + "\"");
      }
      auto c = CanonicalValue(v);
      if (!c.ok()) {
        return ValidationException("ExpressionAttributeValues contains invalid value: " + c.error().message() +
                                   " for key " + k);
      }
      ctx.values_[k] = *c;
    }
  }
  for (auto& [k, v] : ctx.names_.items()) {
    if (k.size() < 2 || k[0] != '#') {
      return ValidationException("ExpressionAttributeNames contains invalid key: Syntax error; key: \"" + k + "\"");
    }
  }
  return ctx;
}

Outcome<std::string> ExpressionContext::ResolveName(const std::string& token) {
  if (!names_.contains(token)) {
    return ValidationException("An expression attribute name used in the document path is not defined; "
                               "attribute name: " + token);
  }
  used_names_.insert(token);
  return names_[token].get<std::string>();
}

Outcome<Json> ExpressionContext::ResolveValue(const std::string& token) {
  if (!values_.contains(token)) {
    return ValidationException("An expression attribute value used in expression is not defined; attribute value: " +
                               token);
  }
  used_values_.insert(token);
  return values_[token];
}

Outcome<Condition> ExpressionContext::ParseCondition(const std::string& text, const std::string& kind) {
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
    return ValidationException("Invalid " + kind + ": The expression can not be empty;");
  }
  auto tokens = Tokenize(text, kind);
  if (!tokens.ok()) return tokens.error();
  Parser p(*this, *tokens, text, kind);
  auto c = p.ParseOr();
  if (!c.ok()) return c;
  if (!p.AtEnd()) return p.SyntaxError();
  return c;
}

Outcome<std::vector<UpdateAction>> ExpressionContext::ParseUpdate(const std::string& text) {
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
    return ValidationException("Invalid UpdateExpression: The expression can not be empty;");
  }
  auto tokens = Tokenize(text, "UpdateExpression");
  if (!tokens.ok()) return tokens.error();
  Parser p(*this, *tokens, text, "UpdateExpression");
  return p.ParseUpdate();
}

Outcome<std::vector<DocumentPath>> ExpressionContext::ParseProjection(const std::string& text) {
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
    return ValidationException("Invalid ProjectionExpression: The expression can not be empty;");
  }
  auto tokens = Tokenize(text, "ProjectionExpression");
  if (!tokens.ok()) return tokens.error();
  Parser p(*this, *tokens, text, "ProjectionExpression");
  return p.ParseProjection();
}

Status ExpressionContext::CheckAllUsed() const {
  std::string unused;
  for (auto& [k, v] : names_.items()) {
    if (!used_names_.count(k)) unused += (unused.empty() ? "" : ", ") + k;
  }
  if (!unused.empty()) {
    return ValidationException("Value provided in ExpressionAttributeNames unused in expressions: keys: {" + unused + "}");
  }
  for (auto& [k, v] : values_.items()) {
    if (!used_values_.count(k)) unused += (unused.empty() ? "" : ", ") + k;
  }
  if (!unused.empty()) {
    return ValidationException("Value provided in ExpressionAttributeValues unused in expressions: keys: {" + unused + "}");
  }
  return OkStatus();
}

}  // namespace datamesh::local::ddb
