#include "cli/query/interpreter.h"

#include <algorithm>
#include <vector>

#include "cli/query/errors.h"
#include "cli/query/functions.h"
#include "cli/query/values.h"

namespace datamesh::cli::query {
namespace {

using nlohmann::json;

// Names, indexes and @ only select part of the value they apply to, and so do chains of them
// (a.b[0].c). Locate() follows such steps by pointer instead of copying each intermediate value,
// which would make a path of n steps into a document cost n copies of it; anything else is
// computed into `storage`.
Outcome<const json*> Locate(const Node& node, const json& current, json& storage);

const json& Null() {
  static const json* null = new json(nullptr);
  return *null;
}

const json& FieldOf(const Node& node, const json& current) {
  if (!current.is_object()) return Null();
  auto found = current.find(node.name);
  return found == current.end() ? Null() : *found;
}

// Negative indexes count from the end; out of range is null, not an error.
const json& ElementOf(const Node& node, const json& current) {
  if (!current.is_array()) return Null();
  int64_t size = static_cast<int64_t>(current.size());
  int64_t index = node.index < 0 ? node.index + size : node.index;
  if (index < 0 || index >= size) return Null();
  return current[static_cast<size_t>(index)];
}

Outcome<const json*> LocateChain(const Node& node, const json& current, json& storage) {
  const json* at = &current;
  for (const auto& child : node.children) {
    json computed;
    auto next = Locate(*child, *at, computed);
    if (!next.ok()) return next;
    if (*next == &computed) {
      storage = std::move(computed);
      at = &storage;
    } else {
      at = *next;
    }
  }
  return at;
}

Outcome<const json*> Locate(const Node& node, const json& current, json& storage) {
  switch (node.kind) {
    case NodeKind::kIdentity:
      return &current;
    case NodeKind::kField:
      return &FieldOf(node, current);
    case NodeKind::kIndex:
      return &ElementOf(node, current);
    case NodeKind::kChain:
      return LocateChain(node, current, storage);
    default: {
      auto value = Interpret(node, current);
      if (!value.ok()) return value.error();
      storage = std::move(value.value());
      return &storage;
    }
  }
}

// A slice bound as Python resolves it: negative counts from the end, then clamped to the range
// the direction of the step can reach.
int64_t SliceBound(std::optional<int64_t> bound, int64_t size, bool forward, bool is_start) {
  int64_t lowest = forward ? 0 : -1;
  int64_t highest = forward ? size : size - 1;
  if (!bound) return (is_start == forward) ? lowest : highest;
  int64_t value = *bound < 0 ? *bound + size : *bound;  // the lexer keeps bounds > INT64_MIN
  return std::clamp(value, lowest, highest);
}

Outcome<json> Slice(const Node& node, const json& current) {
  if (!current.is_array()) return json(nullptr);
  int64_t step = node.step.value_or(1);
  if (step == 0) return Error::Local(kInvalidValue, "a slice step cannot be 0");
  int64_t size = static_cast<int64_t>(current.size());
  bool forward = step > 0;
  int64_t start = SliceBound(node.start, size, forward, true);
  int64_t stop = SliceBound(node.stop, size, forward, false);
  json out = json::array();
  for (int64_t i = start; forward ? i < stop : i > stop;) {
    out.push_back(current[static_cast<size_t>(i)]);
    // Stop before stepping past `stop`, so that steps near the int64 limits cannot overflow.
    int64_t remaining = forward ? stop - i : i - stop;
    if (remaining <= (forward ? step : -step)) break;
    i += step;
  }
  return out;
}

// The elements of an array, or for `flatten` with nested arrays merged one level
// ([1, [2, [3]]] gives 1, 2, [3]), by pointer: projections read them in place.
std::vector<const json*> ElementsOf(const json& array, bool flatten) {
  std::vector<const json*> elements;
  for (const json& element : array) {
    if (flatten && element.is_array()) {
      for (const json& inner : element) elements.push_back(&inner);
    } else {
      elements.push_back(&element);
    }
  }
  return elements;
}

// Applies `right` to each of `elements` (those that pass `condition`, when given), dropping
// null results: a projection lists what it found, not what it did not.
Outcome<json> Project(const std::vector<const json*>& elements, const Node& right,
                      const Node* condition) {
  json out = json::array();
  for (const json* element : elements) {
    if (condition != nullptr) {
      json storage;
      auto keep = Locate(*condition, *element, storage);
      if (!keep.ok()) return keep.error();
      if (!IsTruthy(**keep)) continue;
    }
    auto projected = Interpret(right, *element);
    if (!projected.ok()) return projected;
    if (!projected->is_null()) out.push_back(std::move(projected.value()));
  }
  return out;
}

// [*] and [] project over an array; `a[]` is a projection over flatten(a), whose elements are
// walked in place rather than copied into a flat list first.
Outcome<json> ListProjection(const Node& node, const json& current) {
  const Node& left = *node.children[0];
  bool flatten = left.kind == NodeKind::kFlatten;
  json storage;
  auto base = Locate(flatten ? *left.children[0] : left, current, storage);
  if (!base.ok()) return base.error();
  if (!(*base)->is_array()) return json(nullptr);
  return Project(ElementsOf(**base, flatten), *node.children[1], nullptr);
}

Outcome<json> ValueProjection(const Node& node, const json& current) {
  json storage;
  auto base = Locate(*node.children[0], current, storage);
  if (!base.ok()) return base.error();
  if (!(*base)->is_object()) return json(nullptr);
  return Project(ElementsOf(**base, false), *node.children[1], nullptr);
}

Outcome<json> FilterProjection(const Node& node, const json& current) {
  json storage;
  auto base = Locate(*node.children[0], current, storage);
  if (!base.ok()) return base.error();
  if (!(*base)->is_array()) return json(nullptr);
  return Project(ElementsOf(**base, false), *node.children[2], node.children[1].get());
}

// Only reached for a flatten outside a projection, which the parser does not build; kept so
// that every node kind evaluates.
Outcome<json> Flatten(const Node& node, const json& current) {
  json storage;
  auto base = Locate(*node.children[0], current, storage);
  if (!base.ok()) return base.error();
  if (!(*base)->is_array()) return json(nullptr);
  json out = json::array();
  for (const json* element : ElementsOf(**base, true)) out.push_back(*element);
  return out;
}

// Ordering compares two numbers, or two strings by code point: the specification has only
// numbers, but the Python implementation orders strings too and AWS CLI queries rely on it to
// compare ISO dates. Other pairs are null, except a string against a number, which Python refuses
// with an error, and so do we, rather than hide the mistake.
Outcome<json> Order(Comparator comparator, const json& left, const json& right) {
  bool numbers = left.is_number() && right.is_number();
  bool strings = left.is_string() && right.is_string();
  if (!numbers && !strings) {
    if ((left.is_number() && right.is_string()) || (left.is_string() && right.is_number())) {
      return Error::Local(kInvalidType,
                          "cannot order a " + TypeName(left) + " against a " + TypeName(right));
    }
    return json(nullptr);
  }
  int order = Compare(left, right);
  switch (comparator) {
    case Comparator::kLess:
      return json(order < 0);
    case Comparator::kLessOrEqual:
      return json(order <= 0);
    case Comparator::kGreater:
      return json(order > 0);
    default:
      return json(order >= 0);
  }
}

Outcome<json> Comparison(const Node& node, const json& current) {
  json left_storage, right_storage;
  auto left = Locate(*node.children[0], current, left_storage);
  if (!left.ok()) return left.error();
  auto right = Locate(*node.children[1], current, right_storage);
  if (!right.ok()) return right.error();
  switch (node.comparator) {
    case Comparator::kEqual:
      return json(Equal(**left, **right));
    case Comparator::kNotEqual:
      return json(!Equal(**left, **right));
    default:
      return Order(node.comparator, **left, **right);
  }
}

// a || b is a when a is truthy, else b; a && b is a when a is falsy, else b.
Outcome<json> Logical(const Node& node, const json& current, bool is_or) {
  json storage;
  auto left = Locate(*node.children[0], current, storage);
  if (!left.ok()) return left.error();
  if (IsTruthy(**left) == is_or) return **left;
  return Interpret(*node.children[1], current);
}

Outcome<json> Not(const Node& node, const json& current) {
  json storage;
  auto operand = Locate(*node.children[0], current, storage);
  if (!operand.ok()) return operand.error();
  return json(!IsTruthy(**operand));
}

Outcome<json> Pipe(const Node& node, const json& current) {
  json storage;
  auto left = Locate(*node.children[0], current, storage);
  if (!left.ok()) return left.error();
  return Interpret(*node.children[1], **left);
}

// Multi-selects of null are null rather than a list or hash of nulls.
Outcome<json> MultiSelectList(const Node& node, const json& current) {
  if (current.is_null()) return json(nullptr);
  json out = json::array();
  for (const auto& child : node.children) {
    auto element = Interpret(*child, current);
    if (!element.ok()) return element;
    out.push_back(std::move(element.value()));
  }
  return out;
}

Outcome<json> MultiSelectHash(const Node& node, const json& current) {
  if (current.is_null()) return json(nullptr);
  json out = json::object();
  for (size_t i = 0; i < node.children.size(); ++i) {
    auto value = Interpret(*node.children[i], current);
    if (!value.ok()) return value;
    out[node.keys[i]] = std::move(value.value());
  }
  return out;
}

// Arguments are evaluated before the function is looked up, as in the reference, so an error in
// an argument wins over an unknown function name.
Outcome<json> Function(const Node& node, const json& current) {
  std::vector<Argument> arguments;
  for (const auto& child : node.children) {
    Argument argument;
    if (child->kind == NodeKind::kExpressionRef) {
      argument.expression = child->children[0].get();
    } else {
      auto value = Interpret(*child, current);
      if (!value.ok()) return value;
      argument.value = std::move(value.value());
    }
    arguments.push_back(std::move(argument));
  }
  return CallFunction(node.name, arguments, Interpret);
}

}  // namespace

Outcome<json> Interpret(const Node& node, const json& current) {
  switch (node.kind) {
    case NodeKind::kIdentity:
      return current;
    case NodeKind::kField:
      return FieldOf(node, current);
    case NodeKind::kIndex:
      return ElementOf(node, current);
    case NodeKind::kSlice:
      return Slice(node, current);
    case NodeKind::kChain: {
      json storage;
      auto located = LocateChain(node, current, storage);
      if (!located.ok()) return located.error();
      return *located == &storage ? json(std::move(storage)) : **located;
    }
    case NodeKind::kProjection:
      return ListProjection(node, current);
    case NodeKind::kValueProjection:
      return ValueProjection(node, current);
    case NodeKind::kFilterProjection:
      return FilterProjection(node, current);
    case NodeKind::kFlatten:
      return Flatten(node, current);
    case NodeKind::kComparison:
      return Comparison(node, current);
    case NodeKind::kOr:
      return Logical(node, current, true);
    case NodeKind::kAnd:
      return Logical(node, current, false);
    case NodeKind::kNot:
      return Not(node, current);
    case NodeKind::kPipe:
      return Pipe(node, current);
    case NodeKind::kList:
      return MultiSelectList(node, current);
    case NodeKind::kHash:
      return MultiSelectHash(node, current);
    case NodeKind::kLiteral:
      return node.literal;
    case NodeKind::kFunction:
      return Function(node, current);
    // An expression reference means something only as a function argument; elsewhere it
    // selects nothing.
    case NodeKind::kExpressionRef:
      return json(nullptr);
  }
  return json(nullptr);
}

}  // namespace datamesh::cli::query
