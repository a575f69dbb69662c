// The DynamoDB expression language: condition, filter and key-condition expressions, update
// expressions and projection expressions, parsed against a request's ExpressionAttributeNames and
// ExpressionAttributeValues into a small syntax tree.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "local/dynamodb/attribute_value.h"

namespace datamesh::local::ddb {

struct PathElement {
  std::string name;  // a map key (placeholders already resolved)
  int index = -1;    // >= 0: a list index
  bool is_index() const { return index >= 0; }
};
using DocumentPath = std::vector<PathElement>;
std::string PathToString(const DocumentPath& path);

struct Operand {
  enum class Kind { kPath, kValue, kSize, kIfNotExists, kListAppend, kPlus, kMinus };
  Kind kind = Kind::kValue;
  DocumentPath path;          // kPath, kSize, kIfNotExists
  Json value;                 // kValue
  std::vector<Operand> args;  // kIfNotExists (fallback), kListAppend, kPlus, kMinus
};

struct Condition {
  enum class Kind { kCompare, kBetween, kIn, kFunction, kAnd, kOr, kNot };
  Kind kind = Kind::kCompare;
  std::string op;                 // "=", "<>", "<", ..., or a function name
  std::vector<Operand> operands;  // comparison operands / function arguments
  std::vector<Condition> children;
};

struct UpdateAction {
  enum class Kind { kSet, kRemove, kAdd, kDelete };
  Kind kind = Kind::kSet;
  DocumentPath path;
  Operand value;  // not used by kRemove
};

// Resolves placeholders and records which ones were used, across all of a request's expressions.
class ExpressionContext {
 public:
  // `names` / `values`: the request's ExpressionAttributeNames / ExpressionAttributeValues
  // (null when absent). Values are checked and put in canonical form.
  static Outcome<ExpressionContext> Make(const Json& names, const Json& values);

  Outcome<Condition> ParseCondition(const std::string& text, const std::string& kind);  // kind: "ConditionExpression", ...
  Outcome<std::vector<UpdateAction>> ParseUpdate(const std::string& text);
  Outcome<std::vector<DocumentPath>> ParseProjection(const std::string& text);

  // After every expression was parsed: an error for names or values no expression used.
  Status CheckAllUsed() const;

  // Internal: used by the parser.
  Outcome<std::string> ResolveName(const std::string& token);
  Outcome<Json> ResolveValue(const std::string& token);

 private:
  Json names_ = Json::object();
  Json values_ = Json::object();
  std::set<std::string> used_names_;
  std::set<std::string> used_values_;
};

}  // namespace datamesh::local::ddb
