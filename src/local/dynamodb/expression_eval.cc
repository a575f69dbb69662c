#include "local/dynamodb/expression_eval.h"

#include "aws/core/encoding.h"
#include "local/dynamodb/ddb_number.h"

namespace datamesh::local::ddb {
namespace {

std::optional<Json> OperandValue(const Operand& o, const Json& item) {
  switch (o.kind) {
    case Operand::Kind::kValue:
      return o.value;
    case Operand::Kind::kPath:
      return ResolvePath(item, o.path);
    case Operand::Kind::kSize: {
      auto v = ResolvePath(item, o.path);
      if (!v) return std::nullopt;
      std::string type = TypeOf(*v);
      const Json& x = (*v)[type];
      size_t n;
      if (type == "S") n = x.get<std::string>().size();
      else if (type == "B") n = BinaryOf(*v).size();
      else if (type == "L" || type == "M" || type == "SS" || type == "NS" || type == "BS") n = x.size();
      else return std::nullopt;
      return Json{{"N", std::to_string(n)}};
    }
    default:
      return std::nullopt;
  }
}

bool Compare(const std::string& op, const std::optional<Json>& a, const std::optional<Json>& b) {
  if (!a || !b) return false;
  if (op == "=") return ValuesEqual(*a, *b);
  if (op == "<>") return !ValuesEqual(*a, *b);
  auto c = CompareValues(*a, *b);
  if (!c) return false;
  if (op == "<") return *c < 0;
  if (op == "<=") return *c <= 0;
  if (op == ">") return *c > 0;
  return *c >= 0;
}

bool SetContains(const std::string& type, const Json& set, const Json& element) {
  for (const auto& e : set) {
    Json wrapped = {{type.substr(0, 1), e}};
    if (ValuesEqual(wrapped, element)) return true;
  }
  return false;
}

bool Function(const Condition& c, const Json& item) {
  auto target = ResolvePath(item, c.operands[0].path);
  if (c.op == "attribute_exists") return target.has_value();
  if (c.op == "attribute_not_exists") return !target.has_value();
  auto arg = OperandValue(c.operands[1], item);
  if (!target || !arg) return false;
  if (c.op == "attribute_type") return TypeOf(*target) == (*arg)["S"].get<std::string>();
  std::string tt = TypeOf(*target), at = TypeOf(*arg);
  if (c.op == "begins_with") {
    if (tt != at || (tt != "S" && tt != "B")) return false;
    std::string t = tt == "S" ? (*target)["S"].get<std::string>() : BinaryOf(*target);
    std::string a = at == "S" ? (*arg)["S"].get<std::string>() : BinaryOf(*arg);
    return t.rfind(a, 0) == 0;
  }
  // contains
  if (tt == "S" && at == "S") return (*target)["S"].get<std::string>().find((*arg)["S"].get<std::string>()) != std::string::npos;
  if (tt == "B" && at == "B") {
    return BinaryOf(*target).find(BinaryOf(*arg)) != std::string::npos;
  }
  if ((tt == "SS" || tt == "NS" || tt == "BS") && at == tt.substr(0, 1)) return SetContains(tt, (*target)[tt], *arg);
  if (tt == "L") {
    for (const auto& e : (*target)["L"]) {
      if (ValuesEqual(e, *arg)) return true;
    }
  }
  return false;
}

Error UpdateTypeError() {
  return ValidationException("An operand in the update expression has an incorrect data type");
}

// The value of a SET operand, computed from the item as it was before the update.
Outcome<Json> UpdateValue(const Operand& o, const Json& item) {
  switch (o.kind) {
    case Operand::Kind::kValue:
      return o.value;
    case Operand::Kind::kPath: {
      auto v = ResolvePath(item, o.path);
      if (!v) {
        return ValidationException("The provided expression refers to an attribute that does not exist in the item");
      }
      return *v;
    }
    case Operand::Kind::kIfNotExists: {
      auto v = ResolvePath(item, o.path);
      if (v) return *v;
      return UpdateValue(o.args[0], item);
    }
    case Operand::Kind::kListAppend: {
      auto a = UpdateValue(o.args[0], item);
      if (!a.ok()) return a;
      auto b = UpdateValue(o.args[1], item);
      if (!b.ok()) return b;
      if (TypeOf(*a) != "L" || TypeOf(*b) != "L") return UpdateTypeError();
      Json out = (*a)["L"];
      for (const auto& e : (*b)["L"]) out.push_back(e);
      return Json{{"L", out}};
    }
    case Operand::Kind::kPlus:
    case Operand::Kind::kMinus: {
      auto a = UpdateValue(o.args[0], item);
      if (!a.ok()) return a;
      auto b = UpdateValue(o.args[1], item);
      if (!b.ok()) return b;
      if (TypeOf(*a) != "N" || TypeOf(*b) != "N") return UpdateTypeError();
      auto x = *Number::Parse((*a)["N"]);
      auto y = *Number::Parse((*b)["N"]);
      auto r = o.kind == Operand::Kind::kPlus ? x.Add(y) : x.Subtract(y);
      if (!r.ok()) return r.error();
      return Json{{"N", r->ToString()}};
    }
    case Operand::Kind::kSize:
      break;
  }
  return UpdateTypeError();
}

Error InvalidDocumentPath() {
  return ValidationException("The document path provided in the update expression is invalid for update");
}

// The container holding the last element of `path`, created nowhere: parents must exist.
Outcome<Json*> Parent(Json& item, const DocumentPath& path) {
  Json* node = &item;  // a map of attributes (the item itself)
  bool at_item = true;
  for (size_t i = 0; i + 1 < path.size(); ++i) {
    const PathElement& e = path[i];
    Json* next = nullptr;
    if (e.is_index()) {
      if (at_item || TypeOf(*node) != "L" || e.index >= static_cast<int>((*node)["L"].size())) return InvalidDocumentPath();
      next = &(*node)["L"][e.index];
    } else if (at_item) {
      if (!node->contains(e.name)) return InvalidDocumentPath();
      next = &(*node)[e.name];
    } else {
      if (TypeOf(*node) != "M" || !(*node)["M"].contains(e.name)) return InvalidDocumentPath();
      next = &(*node)["M"][e.name];
    }
    node = next;
    at_item = false;
  }
  return node;
}

Status SetAt(Json& item, const DocumentPath& path, const Json& value) {
  auto parent = Parent(item, path);
  if (!parent.ok()) return parent.error();
  const PathElement& last = path.back();
  Json& p = **parent;
  bool parent_is_item = path.size() == 1;
  if (last.is_index()) {
    if (parent_is_item || TypeOf(p) != "L") return InvalidDocumentPath();
    Json& list = p["L"];
    if (last.index >= static_cast<int>(list.size())) list.push_back(value);  // past the end: appended
    else list[last.index] = value;
  } else if (parent_is_item) {
    p[last.name] = value;
  } else {
    if (TypeOf(p) != "M") return InvalidDocumentPath();
    p["M"][last.name] = value;
  }
  return OkStatus();
}

void RemoveAt(Json& item, const DocumentPath& path) {
  auto parent = Parent(item, path);
  if (!parent.ok()) return;  // removing what is not there changes nothing
  const PathElement& last = path.back();
  Json& p = **parent;
  if (path.size() == 1) {
    p.erase(last.name);
  } else if (last.is_index()) {
    if (TypeOf(p) == "L" && last.index < static_cast<int>(p["L"].size())) p["L"].erase(last.index);
  } else if (TypeOf(p) == "M") {
    p["M"].erase(last.name);
  }
}

Json ProjectInto(const Json& source, const DocumentPath& path, size_t depth, Json target) {
  // `source` is a value (or the item when depth == 0); `target` the projection so far.
  const PathElement& e = path[depth];
  bool last = depth + 1 == path.size();
  if (depth == 0) {
    if (!source.contains(e.name)) return target;
    if (last) {
      target[e.name] = source[e.name];
    } else {
      Json sub = target.contains(e.name) ? target[e.name] : Json();
      Json next = ProjectInto(source[e.name], path, depth + 1, sub);
      if (!next.is_null()) target[e.name] = next;
    }
    return target;
  }
  std::string type = TypeOf(source);
  if (e.is_index()) {
    if (type != "L" || e.index >= static_cast<int>(source["L"].size())) return target;
    // Projected list elements keep their order; their positions are compacted.
    Json out = target.is_null() ? Json{{"L", Json::array()}} : target;
    Json element = last ? source["L"][e.index] : ProjectInto(source["L"][e.index], path, depth + 1, Json());
    if (!element.is_null()) out["L"].push_back(element);
    return out;
  }
  if (type != "M" || !source["M"].contains(e.name)) return target;
  Json out = target.is_null() ? Json{{"M", Json::object()}} : target;
  if (last) {
    out["M"][e.name] = source["M"][e.name];
  } else {
    Json sub = out["M"].contains(e.name) ? out["M"][e.name] : Json();
    Json next = ProjectInto(source["M"][e.name], path, depth + 1, sub);
    if (!next.is_null()) out["M"][e.name] = next;
  }
  return out;
}

}  // namespace

std::optional<Json> ResolvePath(const Json& item, const DocumentPath& path) {
  if (path.empty() || path[0].is_index() || !item.contains(path[0].name)) return std::nullopt;
  const Json* node = &item[path[0].name];
  for (size_t i = 1; i < path.size(); ++i) {
    const PathElement& e = path[i];
    std::string type = TypeOf(*node);
    if (e.is_index()) {
      if (type != "L" || e.index >= static_cast<int>((*node)["L"].size())) return std::nullopt;
      node = &(*node)["L"][e.index];
    } else {
      if (type != "M" || !(*node)["M"].contains(e.name)) return std::nullopt;
      node = &(*node)["M"][e.name];
    }
  }
  return *node;
}

bool EvaluateCondition(const Condition& c, const Json& item) {
  switch (c.kind) {
    case Condition::Kind::kAnd:
      return EvaluateCondition(c.children[0], item) && EvaluateCondition(c.children[1], item);
    case Condition::Kind::kOr:
      return EvaluateCondition(c.children[0], item) || EvaluateCondition(c.children[1], item);
    case Condition::Kind::kNot:
      return !EvaluateCondition(c.children[0], item);
    case Condition::Kind::kCompare:
      return Compare(c.op, OperandValue(c.operands[0], item), OperandValue(c.operands[1], item));
    case Condition::Kind::kBetween: {
      auto v = OperandValue(c.operands[0], item);
      return Compare(">=", v, OperandValue(c.operands[1], item)) && Compare("<=", v, OperandValue(c.operands[2], item));
    }
    case Condition::Kind::kIn: {
      auto v = OperandValue(c.operands[0], item);
      for (size_t i = 1; i < c.operands.size(); ++i) {
        if (Compare("=", v, OperandValue(c.operands[i], item))) return true;
      }
      return false;
    }
    case Condition::Kind::kFunction:
      return Function(c, item);
  }
  return false;
}

Outcome<Json> ApplyUpdate(const std::vector<UpdateAction>& actions, const Json& item,
                          const std::set<std::string>& key_names) {
  for (const auto& a : actions) {
    if (key_names.count(a.path[0].name)) {
      return ValidationException("One or more parameter values were invalid: Cannot update attribute " +
                                 a.path[0].name + ". This attribute is part of the key");
    }
  }
  // Every SET value is computed from the item as it was before any action.
  std::vector<std::optional<Json>> values;
  for (const auto& a : actions) {
    if (a.kind != UpdateAction::Kind::kSet) {
      values.emplace_back();
      continue;
    }
    auto v = UpdateValue(a.value, item);
    if (!v.ok()) return v.error();
    values.emplace_back(*v);
  }
  Json out = item;
  for (size_t i = 0; i < actions.size(); ++i) {
    const UpdateAction& a = actions[i];
    switch (a.kind) {
      case UpdateAction::Kind::kSet:
        if (auto s = SetAt(out, a.path, *values[i]); !s.ok()) return s.error();
        break;
      case UpdateAction::Kind::kRemove:
        RemoveAt(out, a.path);
        break;
      case UpdateAction::Kind::kAdd:
      case UpdateAction::Kind::kDelete: {
        const Json& operand = a.value.value;
        std::string type = TypeOf(operand);
        auto current = ResolvePath(item, a.path);
        if (!current) {
          if (a.kind == UpdateAction::Kind::kDelete) break;  // nothing to delete from
          if (auto s = SetAt(out, a.path, operand); !s.ok()) return s.error();
          break;
        }
        if (TypeOf(*current) != type) return UpdateTypeError();
        if (type == "N") {
          auto sum = Number::Parse((*current)["N"])->Add(*Number::Parse(operand["N"]));
          if (!sum.ok()) return sum.error();
          if (auto s = SetAt(out, a.path, Json{{"N", sum->ToString()}}); !s.ok()) return s.error();
          break;
        }
        Json elements = Json::array();
        if (a.kind == UpdateAction::Kind::kAdd) {
          elements = (*current)[type];
          for (const auto& e : operand[type]) {
            if (!SetContains(type, elements, Json{{type.substr(0, 1), e}})) elements.push_back(e);
          }
        } else {
          for (const auto& e : (*current)[type]) {
            if (!SetContains(type, operand[type], Json{{type.substr(0, 1), e}})) elements.push_back(e);
          }
        }
        if (elements.empty()) {
          RemoveAt(out, a.path);  // DynamoDB has no empty sets: the attribute goes away
        } else if (auto s = SetAt(out, a.path, Json{{type, elements}}); !s.ok()) {
          return s.error();
        }
        break;
      }
    }
  }
  return out;
}

Json ProjectItem(const Json& item, const std::vector<DocumentPath>& paths) {
  Json out = Json::object();
  for (const auto& p : paths) out = ProjectInto(item, p, 0, out);
  return out;
}

}  // namespace datamesh::local::ddb
