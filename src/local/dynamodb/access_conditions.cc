#include "local/dynamodb/access_conditions.h"

#include <set>

#include "local/dynamodb/expression.h"

namespace datamesh::local::ddb {
namespace {

using Names = std::set<std::string>;

void AddPath(const DocumentPath& path, Names& out) {
  if (!path.empty()) out.insert(path[0].name);
}

void AddOperand(const Operand& o, Names& out) {
  AddPath(o.path, out);
  for (const auto& a : o.args) AddOperand(a, out);
}

void AddCondition(const Condition& c, Names& out) {
  for (const auto& o : c.operands) AddOperand(o, out);
  for (const auto& child : c.children) AddCondition(child, out);
}

// The names of every expression the request carries (best effort: one that does not parse adds
// nothing). `key_condition`: set to the parsed KeyConditionExpression, when there is one.
Names ExpressionNames(const Json& in, std::optional<Condition>* key_condition) {
  Names out;
  auto exprs = ExpressionContext::Make(in.value("ExpressionAttributeNames", Json()),
                                       in.value("ExpressionAttributeValues", Json()));
  if (!exprs.ok()) return out;
  for (const char* kind : {"ConditionExpression", "FilterExpression", "KeyConditionExpression"}) {
    if (!in.contains(kind) || !in[kind].is_string()) continue;
    auto c = exprs->ParseCondition(in[kind], kind);
    if (!c.ok()) continue;
    AddCondition(*c, out);
    if (key_condition && std::string(kind) == "KeyConditionExpression") *key_condition = *c;
  }
  if (in.contains("UpdateExpression") && in["UpdateExpression"].is_string()) {
    if (auto actions = exprs->ParseUpdate(in["UpdateExpression"]); actions.ok()) {
      for (const auto& a : *actions) {
        AddPath(a.path, out);
        AddOperand(a.value, out);
      }
    }
  }
  if (in.contains("ProjectionExpression") && in["ProjectionExpression"].is_string()) {
    if (auto paths = exprs->ParseProjection(in["ProjectionExpression"]); paths.ok()) {
      for (const auto& p : *paths) AddPath(p, out);
    }
  }
  return out;
}

// A key attribute value as IAM compares it: the string, the number's text, the binary's base64.
std::optional<std::string> KeyText(const Json& value) {
  if (!value.is_object() || value.size() != 1) return std::nullopt;
  for (const char* type : {"S", "N", "B"}) {
    auto it = value.find(type);
    if (it != value.end() && it->is_string()) return it->get<std::string>();
  }
  return std::nullopt;
}

// The value a key condition gives the partition key `hash` ("hash = :v" among its conjuncts).
std::optional<std::string> HashValue(const Condition& c, const std::string& hash) {
  if (c.kind == Condition::Kind::kAnd) {
    for (const auto& child : c.children) {
      if (auto v = HashValue(child, hash)) return v;
    }
    return std::nullopt;
  }
  if (c.kind != Condition::Kind::kCompare || c.op != "=" || c.operands.size() != 2)
    return std::nullopt;
  const Operand& l = c.operands[0];
  const Operand& r = c.operands[1];
  if (l.kind == Operand::Kind::kPath && l.path.size() == 1 && l.path[0].name == hash &&
      r.kind == Operand::Kind::kValue) {
    return KeyText(r.value);
  }
  return std::nullopt;
}

}  // namespace

ConditionKeys AccessConditionKeys(const std::string& operation, const Json& in,
                                  const TableSchema* schema) {
  static const Names kItemWrites = {"PutItem", "UpdateItem", "DeleteItem"};
  static const Names kItemOps = {"PutItem", "UpdateItem", "DeleteItem", "GetItem"};
  static const Names kReads = {"GetItem", "Query", "Scan"};
  ConditionKeys keys;
  if (!kItemOps.count(operation) && !kReads.count(operation)) return keys;
  if (!in.is_object()) return keys;

  std::optional<Condition> key_condition;
  Names attributes = ExpressionNames(in, &key_condition);
  const char* item_field = operation == "PutItem" ? "Item" : "Key";
  if (kItemOps.count(operation) && in.contains(item_field) && in[item_field].is_object()) {
    for (auto& [name, value] : in[item_field].items()) attributes.insert(name);
  }
  if (!attributes.empty()) keys["dynamodb:attributes"] = {attributes.begin(), attributes.end()};

  const std::string index = in.value("IndexName", "");
  const IndexSchema* index_schema = schema && !index.empty() ? schema->FindIndex(index) : nullptr;
  if (schema) {
    std::optional<std::string> leading;
    if (kItemOps.count(operation) && in.contains(item_field) && in[item_field].is_object() &&
        in[item_field].contains(schema->keys.hash)) {
      leading = KeyText(in[item_field][schema->keys.hash]);
    } else if (operation == "Query" && key_condition) {
      leading =
          HashValue(*key_condition, index_schema ? index_schema->keys.hash : schema->keys.hash);
    }
    if (leading) keys["dynamodb:leadingkeys"] = {*leading};
  }

  if (kReads.count(operation)) {
    std::string select = in.value("Select", "");
    if (select.empty()) {
      select = in.contains("ProjectionExpression") ? "SPECIFIC_ATTRIBUTES"
               : index.empty()                     ? "ALL_ATTRIBUTES"
                                                   : "ALL_PROJECTED_ATTRIBUTES";
    }
    keys["dynamodb:select"] = {select};
  }
  if (kItemWrites.count(operation))
    keys["dynamodb:returnvalues"] = {in.value("ReturnValues", "NONE")};
  keys["dynamodb:returnconsumedcapacity"] = {in.value("ReturnConsumedCapacity", "NONE")};
  return keys;
}

}  // namespace datamesh::local::ddb
