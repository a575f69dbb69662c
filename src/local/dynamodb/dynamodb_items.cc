// PutItem, GetItem, UpdateItem and DeleteItem.
#include <set>

#include "local/dynamodb/consumed_capacity.h"
#include "local/dynamodb/dynamodb_service.h"
#include "local/dynamodb/expression_eval.h"

namespace datamesh::local::ddb {
namespace {

constexpr size_t kMaxItemSize = 400 * 1024;

Error ConditionFailed() {
  return ServiceFault("ConditionalCheckFailedException", "The conditional request failed", 400);
}

// Legacy parameters predate expressions; the local mesh supports expressions only.
Status RefuseLegacy(const Json& in, std::initializer_list<const char*> names) {
  for (const char* n : names) {
    if (in.contains(n)) {
      return ValidationException(std::string("The legacy parameter ") + n +
                                 " is not supported by the local mesh; use the expression parameters instead");
    }
  }
  return OkStatus();
}

Outcome<ExpressionContext> ContextFor(const Json& in) {
  return ExpressionContext::Make(in.value("ExpressionAttributeNames", Json()),
                                 in.value("ExpressionAttributeValues", Json()));
}

// The optional ConditionExpression of a write, parsed.
Outcome<std::optional<Condition>> WriteCondition(ExpressionContext& ctx, const Json& in) {
  if (!in.contains("ConditionExpression")) return std::optional<Condition>();
  auto c = ctx.ParseCondition(in["ConditionExpression"], "ConditionExpression");
  if (!c.ok()) return c.error();
  return std::optional(std::move(*c));
}

// Every placeholder must be used when expressions are given; none may be given otherwise.
Status CheckPlaceholders(const ExpressionContext& exprs, const Json& in, bool any_expression) {
  if (any_expression) return exprs.CheckAllUsed();
  if (in.contains("ExpressionAttributeNames")) {
    return ValidationException("ExpressionAttributeNames can only be specified when using expressions");
  }
  if (in.contains("ExpressionAttributeValues")) {
    return ValidationException("ExpressionAttributeValues can only be specified when using expressions");
  }
  return OkStatus();
}

// The ConditionExpression of a PutItem or DeleteItem (the only expression they take), checked.
Outcome<std::optional<Condition>> SoleWriteCondition(const Json& in) {
  auto exprs = ContextFor(in);
  if (!exprs.ok()) return exprs.error();
  auto condition = WriteCondition(*exprs, in);
  if (!condition.ok()) return condition;
  if (auto s = CheckPlaceholders(*exprs, in, condition->has_value()); !s.ok()) return s.error();
  return condition;
}

Status CheckReturnValues(const Json& in, std::initializer_list<const char*> allowed) {
  std::string v = in.value("ReturnValues", "NONE");
  std::string list;
  for (const char* a : allowed) {
    if (v == a) return OkStatus();
    list += (list.empty() ? "" : ", ") + std::string(a);
  }
  return ValidationException("ReturnValues can only be " + list + " for this operation");
}

std::optional<Json> LoadItem(RequestContext& ctx, const TableRef& t, const Json& key) {
  return Items(ctx, t).Get(key);
}

Status CheckSize(const Json& item) {
  if (ItemSize(item) > kMaxItemSize) return ValidationException("Item size has exceeded the maximum allowed size");
  return OkStatus();
}

std::set<std::string> TopLevelNames(const std::vector<UpdateAction>& actions) {
  std::set<std::string> names;
  for (const auto& a : actions) names.insert(a.path[0].name);
  return names;
}

}  // namespace

Outcome<Json> PutItem(const Json& in, RequestContext& ctx) {
  if (auto s = RefuseLegacy(in, {"Expected", "ConditionalOperator"}); !s.ok()) return s.error();
  auto t = AuthorizedTable(ctx, "dynamodb:PutItem", in);
  if (!t.ok()) return t.error();
  if (auto s = CheckReturnValues(in, {"NONE", "ALL_OLD"}); !s.ok()) return s.error();
  auto item = CanonicalItem(in["Item"]);
  if (!item.ok()) return item.error();
  if (auto s = t->schema.CheckItemKeys(*item); !s.ok()) return s.error();
  if (auto s = CheckSize(*item); !s.ok()) return s.error();
  auto condition = SoleWriteCondition(in);
  if (!condition.ok()) return condition.error();
  auto old = LoadItem(ctx, *t, *item);
  if (*condition && !EvaluateCondition(**condition, old.value_or(Json::object()))) return ConditionFailed();
  Items(ctx, *t).Put(*item, old);
  Json out = Json::object();
  if (in.value("ReturnValues", "NONE") == "ALL_OLD" && old) out["Attributes"] = *old;
  if (auto c = WriteCapacity(in, t->schema, old, *item)) out["ConsumedCapacity"] = *c;
  return out;
}

Outcome<Json> GetItem(const Json& in, RequestContext& ctx) {
  if (auto s = RefuseLegacy(in, {"AttributesToGet"}); !s.ok()) return s.error();
  auto t = AuthorizedTable(ctx, "dynamodb:GetItem", in);
  if (!t.ok()) return t.error();
  auto key = CanonicalItem(in["Key"]);
  if (!key.ok()) return key.error();
  if (auto s = t->schema.CheckKey(*key); !s.ok()) return s.error();
  auto exprs = ContextFor(in);
  if (!exprs.ok()) return exprs.error();
  std::optional<std::vector<DocumentPath>> projection;
  if (in.contains("ProjectionExpression")) {
    auto p = exprs->ParseProjection(in["ProjectionExpression"]);
    if (!p.ok()) return p.error();
    projection = *p;
  }
  if (auto s = CheckPlaceholders(*exprs, in, projection.has_value()); !s.ok()) return s.error();
  auto item = LoadItem(ctx, *t, *key);
  Json out = Json::object();
  if (item) out["Item"] = projection ? ProjectItem(*item, *projection) : *item;
  if (auto c = ReadCapacity(in, t->schema, item ? ItemSize(*item) : 0, in.value("ConsistentRead", false))) {
    out["ConsumedCapacity"] = *c;
  }
  return out;
}

Outcome<Json> UpdateItem(const Json& in, RequestContext& ctx) {
  if (auto s = RefuseLegacy(in, {"AttributeUpdates", "Expected", "ConditionalOperator"}); !s.ok()) return s.error();
  auto t = AuthorizedTable(ctx, "dynamodb:UpdateItem", in);
  if (!t.ok()) return t.error();
  if (auto s = CheckReturnValues(in, {"NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"}); !s.ok()) {
    return s.error();
  }
  auto key = CanonicalItem(in["Key"]);
  if (!key.ok()) return key.error();
  if (auto s = t->schema.CheckKey(*key); !s.ok()) return s.error();
  auto exprs = ContextFor(in);
  if (!exprs.ok()) return exprs.error();
  std::vector<UpdateAction> actions;
  if (in.contains("UpdateExpression")) {
    auto a = exprs->ParseUpdate(in["UpdateExpression"]);
    if (!a.ok()) return a.error();
    actions = *a;
  }
  auto condition = WriteCondition(*exprs, in);
  if (!condition.ok()) return condition.error();
  if (auto s = CheckPlaceholders(*exprs, in, !actions.empty() || *condition); !s.ok()) return s.error();

  auto old = LoadItem(ctx, *t, *key);
  if (*condition && !EvaluateCondition(**condition, old.value_or(Json::object()))) return ConditionFailed();
  // UpdateItem creates the item when it is missing, starting from its key.
  Json base = old.value_or(*key);
  std::set<std::string> key_names = {t->schema.keys.hash};
  if (!t->schema.keys.range.empty()) key_names.insert(t->schema.keys.range);
  auto updated = ApplyUpdate(actions, base, key_names);
  if (!updated.ok()) return updated.error();
  if (auto s = t->schema.CheckItemKeys(*updated); !s.ok()) return s.error();
  if (auto s = CheckSize(*updated); !s.ok()) return s.error();
  Items(ctx, *t).Put(*updated, old);

  const std::string rv = in.value("ReturnValues", "NONE");
  Json out = Json::object();
  if (auto c = WriteCapacity(in, t->schema, old, *updated)) out["ConsumedCapacity"] = *c;
  if (rv == "ALL_OLD" && old) out["Attributes"] = *old;
  if (rv == "ALL_NEW") out["Attributes"] = *updated;
  if (rv == "UPDATED_OLD" || rv == "UPDATED_NEW") {
    const Json& source = rv == "UPDATED_OLD" ? old.value_or(Json::object()) : *updated;
    Json attrs = Json::object();
    for (const auto& name : TopLevelNames(actions)) {
      if (source.contains(name)) attrs[name] = source[name];
    }
    if (!attrs.empty()) out["Attributes"] = attrs;
  }
  return out;
}

Outcome<Json> DeleteItem(const Json& in, RequestContext& ctx) {
  if (auto s = RefuseLegacy(in, {"Expected", "ConditionalOperator"}); !s.ok()) return s.error();
  auto t = AuthorizedTable(ctx, "dynamodb:DeleteItem", in);
  if (!t.ok()) return t.error();
  if (auto s = CheckReturnValues(in, {"NONE", "ALL_OLD"}); !s.ok()) return s.error();
  auto key = CanonicalItem(in["Key"]);
  if (!key.ok()) return key.error();
  if (auto s = t->schema.CheckKey(*key); !s.ok()) return s.error();
  auto condition = SoleWriteCondition(in);
  if (!condition.ok()) return condition.error();
  auto old = LoadItem(ctx, *t, *key);
  if (*condition && !EvaluateCondition(**condition, old.value_or(Json::object()))) return ConditionFailed();
  if (old) Items(ctx, *t).Delete(*old);
  Json out = Json::object();
  if (in.value("ReturnValues", "NONE") == "ALL_OLD" && old) out["Attributes"] = *old;
  if (auto c = WriteCapacity(in, t->schema, old, std::nullopt)) out["ConsumedCapacity"] = *c;
  return out;
}

}  // namespace datamesh::local::ddb
