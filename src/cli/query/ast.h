// The abstract syntax tree the parser produces and the interpreter walks.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace datamesh::cli::query {

// Deeper trees are refused at parse time, so that neither the parser, the interpreter nor the
// destructor of a tree can exhaust the stack on hostile input.
inline constexpr int kMaxNesting = 100;

enum class NodeKind {
  kIdentity,          // @, and the implicit left side of a leading projection or index
  kField,             // name: the member `name` of an object, else null
  kIndex,             // index: an element of an array (negative counts from the end), else null
  kSlice,             // start/stop/step: a slice of an array, as Python slices
  kChain,             // children applied one after the other (a.b[0].c)
  kProjection,        // [left, right]: right applied to each element of the array left yields
  kValueProjection,   // [left, right]: right applied to each value of the object left yields
  kFilterProjection,  // [left, condition, right]: kProjection of the elements passing condition
  kFlatten,           // [child]: the array child yields, with nested arrays merged one level
  kComparison,        // [left, right] compared with `comparator`
  kOr,                // [left, right]
  kAnd,               // [left, right]
  kNot,               // [child]
  kPipe,              // [left, right]: right applied to the result of left; stops projections
  kList,              // children: multi-select list
  kHash,              // children, named by `keys`: multi-select hash
  kLiteral,           // literal: a JSON literal or raw string
  kFunction,          // name(children...)
  kExpressionRef,     // &child: an expression passed unevaluated to a function
};

enum class Comparator { kEqual, kNotEqual, kLess, kLessOrEqual, kGreater, kGreaterOrEqual };

struct Node {
  explicit Node(NodeKind k) : kind(k) {}

  NodeKind kind;
  std::string name;                            // kField, kFunction
  std::vector<std::string> keys;               // kHash: one per child
  int64_t index = 0;                           // kIndex
  std::optional<int64_t> start, stop, step;    // kSlice
  Comparator comparator = Comparator::kEqual;  // kComparison
  nlohmann::json literal;                      // kLiteral
  std::vector<std::unique_ptr<Node>> children;
  int depth = 1;  // 1 + the depth of the deepest child
};

using NodePtr = std::unique_ptr<Node>;

}  // namespace datamesh::cli::query
