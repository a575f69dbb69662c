// Query and Scan: key conditions, indexes and their projections, ordering, Limit and paging,
// filters, projections and COUNT.
#include <algorithm>
#include <functional>

#include "local/dynamodb/consumed_capacity.h"
#include "local/dynamodb/dynamodb_service.h"
#include "local/dynamodb/expression_eval.h"

namespace datamesh::local::ddb {
namespace {

struct ReadPlan {
  TableRef table;
  const IndexSchema* index = nullptr;
  KeyPair keys;  // of the index when there is one
  std::optional<Condition> filter;
  std::optional<std::vector<DocumentPath>> projection;
  bool count_only = false;
};

// Splits a key condition into its ANDed parts.
void Conjuncts(const Condition& c, std::vector<const Condition*>& out) {
  if (c.kind == Condition::Kind::kAnd) {
    Conjuncts(c.children[0], out);
    Conjuncts(c.children[1], out);
  } else {
    out.push_back(&c);
  }
}

// The attribute a key condition part constrains, with its checks.
Outcome<std::string> KeyConditionAttribute(const Condition& c, const ReadPlan& plan) {
  auto unsupported = [] { return ValidationException("Query key condition not supported"); };
  bool comparison = c.kind == Condition::Kind::kCompare && c.op != "<>";
  bool between = c.kind == Condition::Kind::kBetween;
  bool prefix = c.kind == Condition::Kind::kFunction && c.op == "begins_with";
  if (!comparison && !between && !prefix) return unsupported();
  const Operand& left = c.operands[0];
  if (left.kind != Operand::Kind::kPath || left.path.size() != 1 || left.path[0].is_index()) return unsupported();
  for (size_t i = 1; i < c.operands.size(); ++i) {
    if (c.operands[i].kind != Operand::Kind::kValue) return unsupported();
  }
  const std::string name = left.path[0].name;
  if (name != plan.keys.hash && name != plan.keys.range) {
    return ValidationException("Query condition missed key schema element: " +
                               (plan.keys.range.empty() ? plan.keys.hash : plan.keys.range));
  }
  if (name == plan.keys.hash && !(comparison && c.op == "=")) return unsupported();
  const std::string type = plan.table.schema.attribute_types.at(name);
  for (size_t i = 1; i < c.operands.size(); ++i) {
    if (TypeOf(c.operands[i].value) != type) {
      return ValidationException("One or more parameter values were invalid: Condition parameter type does not match schema type");
    }
  }
  return name;
}

Status CheckKeyCondition(const Condition& condition, const ReadPlan& plan) {
  std::vector<const Condition*> parts;
  Conjuncts(condition, parts);
  if (parts.size() > 2) return ValidationException("Query key condition not supported");
  std::set<std::string> seen;
  for (const Condition* p : parts) {
    auto name = KeyConditionAttribute(*p, plan);
    if (!name.ok()) return name.error();
    if (!seen.insert(*name).second) return ValidationException("KeyConditionExpressions must only contain one condition per key");
  }
  if (!seen.count(plan.keys.hash)) {
    return ValidationException("Query condition missed key schema element: " + plan.keys.hash);
  }
  return OkStatus();
}

// An item as an index holds it (nullopt when the item lacks the index's keys).
std::optional<Json> IndexView(const ReadPlan& plan, Json item) {
  if (!plan.index) return item;
  for (const std::string& k : {plan.keys.hash, plan.keys.range}) {
    if (!k.empty() && !item.contains(k)) return std::nullopt;
  }
  if (plan.index->projection == "ALL") return item;
  Json view = plan.table.schema.KeyOf(item);
  for (const std::string& k : {plan.keys.hash, plan.keys.range}) {
    if (!k.empty()) view[k] = item[k];
  }
  for (const auto& a : plan.index->non_key_attributes) {
    if (item.contains(a)) view[a] = item[a];
  }
  return view;
}

// The LastEvaluatedKey of an item: the table's key, plus the index's key for index reads.
Json EvaluatedKey(const ReadPlan& plan, const Json& item) {
  Json key = plan.table.schema.KeyOf(item);
  for (const std::string& k : {plan.keys.hash, plan.keys.range}) {
    if (!k.empty() && item.contains(k)) key[k] = item[k];
  }
  return key;
}

Outcome<ReadPlan> Prepare(const Json& in, RequestContext& ctx, const std::string& action, ExpressionContext& exprs) {
  for (const char* legacy : {"KeyConditions", "QueryFilter", "ScanFilter", "AttributesToGet", "ConditionalOperator"}) {
    if (in.contains(legacy)) {
      return ValidationException(std::string("The legacy parameter ") + legacy +
                                 " is not supported by the local mesh; use the expression parameters instead");
    }
  }
  std::string index_name = in.value("IndexName", "");
  auto table = AuthorizedTable(ctx, action, in, index_name);
  if (!table.ok()) return table.error();
  ReadPlan plan{*table, nullptr, table->schema.keys, std::nullopt, std::nullopt, false};
  if (!index_name.empty()) {
    plan.index = plan.table.schema.FindIndex(index_name);
    if (!plan.index) {
      return ValidationException("The table does not have the specified index: " + index_name);
    }
    plan.keys = plan.index->keys;
    if (in.value("ConsistentRead", false)) {
      return ValidationException("Consistent reads are not supported on global secondary indexes");
    }
  }
  if (in.contains("FilterExpression")) {
    auto f = exprs.ParseCondition(in["FilterExpression"], "FilterExpression");
    if (!f.ok()) return f.error();
    plan.filter = *f;
  }
  std::string select = in.value("Select", "");
  if (in.contains("ProjectionExpression")) {
    if (!select.empty() && select != "SPECIFIC_ATTRIBUTES") {
      return ValidationException("Cannot specify the ProjectionExpression when choosing to get " + select);
    }
    auto p = exprs.ParseProjection(in["ProjectionExpression"]);
    if (!p.ok()) return p.error();
    plan.projection = *p;
  } else if (select == "SPECIFIC_ATTRIBUTES") {
    return ValidationException("SPECIFIC_ATTRIBUTES requires a ProjectionExpression");
  }
  if (select == "ALL_PROJECTED_ATTRIBUTES" && !plan.index) {
    return ValidationException("ALL_PROJECTED_ATTRIBUTES can be used only when querying or scanning an index");
  }
  if (select == "ALL_ATTRIBUTES" && plan.index && plan.index->projection != "ALL") {
    return ValidationException("One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not "
                               "supported for global secondary index " + plan.index->name +
                               " because its projection type is not ALL");
  }
  plan.count_only = select == "COUNT";
  return plan;
}

// The most a Query or Scan reads before it ends its page, filtered out or not ("Query" and
// "Scan" in the DynamoDB API Reference: "a maximum of 1 MB of data").
constexpr size_t kMaxPageBytes = 1024 * 1024;

// Reads `range` from ExclusiveStartKey on, applying Limit, the 1 MB page limit, the filter and
// the projection, into the response. `wanted` drops items the read does not cover (another
// segment of a parallel Scan) without counting them.
Outcome<Json> Page(const Json& in, const ReadPlan& plan, ReadRange range, RequestContext& ctx,
                   const std::function<bool(const Json&)>& wanted) {
  if (in.contains("ExclusiveStartKey")) {
    auto key = CanonicalItem(in["ExclusiveStartKey"]);
    if (!key.ok()) return key.error();
    if (auto s = plan.table.schema.CheckKey(plan.table.schema.KeyOf(*key)); !s.ok()) {
      return ValidationException("The provided starting key is invalid: " + s.error().message());
    }
    range.start_after = *key;
  }
  const size_t limit = static_cast<size_t>(std::max(0, in.value("Limit", 0)));
  Json items = Json::array();
  size_t scanned = 0, count = 0, bytes = 0;
  std::optional<Json> last;
  Items(ctx, plan.table).Read(range, [&](Json item) {
    if (!wanted(item)) return true;
    ++scanned;
    bytes += ItemSize(item);  // what is read is paid for, filtered out or not
    // A page that ends at Limit or at 1 MB says where it ended, even when nothing follows, as
    // DynamoDB does.
    const bool page_full = (limit > 0 && scanned == limit) || bytes >= kMaxPageBytes;
    if (page_full) last = EvaluatedKey(plan, item);
    auto view = IndexView(plan, std::move(item));
    if (view && (!plan.filter || EvaluateCondition(*plan.filter, *view))) {
      ++count;
      if (!plan.count_only) items.push_back(plan.projection ? ProjectItem(*view, *plan.projection) : std::move(*view));
    }
    return !page_full;
  });
  Json out = {{"Count", count}, {"ScannedCount", scanned}};
  if (!plan.count_only) out["Items"] = items;
  if (last) out["LastEvaluatedKey"] = *last;
  const std::string index = plan.index ? plan.index->name : "";
  if (auto c = ReadCapacity(in, plan.table.schema, bytes, in.value("ConsistentRead", false), index)) {
    out["ConsumedCapacity"] = *c;
  }
  return out;
}

// The sort-key range a validated key condition selects, and the partition it names.
void KeyRange(const Condition& condition, const ReadPlan& plan, ReadRange& range) {
  std::vector<const Condition*> parts;
  Conjuncts(condition, parts);
  for (const Condition* c : parts) {
    const std::string& name = c->operands[0].path[0].name;
    auto bytes = [&](size_t i) { return OrderedKeyBytes(c->operands[i].value); };
    if (name == plan.keys.hash) {
      range.hash = bytes(1);
      continue;
    }
    if (c->kind == Condition::Kind::kBetween) {
      range.lower = KeyBound{bytes(1), true};
      range.upper = KeyBound{bytes(2), true};
    } else if (c->kind == Condition::Kind::kFunction) {  // begins_with
      std::string prefix = bytes(1);
      range.lower = KeyBound{prefix, true};
      // Everything that starts with the prefix sorts below its successor: the prefix with its last
      // byte that can grow grown by one (none for a prefix of 0xFF bytes).
      while (!prefix.empty() && static_cast<unsigned char>(prefix.back()) == 0xff) prefix.pop_back();
      if (!prefix.empty()) {
        prefix.back() = static_cast<char>(static_cast<unsigned char>(prefix.back()) + 1);
        range.upper = KeyBound{prefix, false};
      }
    } else if (c->op == "=") {
      range.lower = range.upper = KeyBound{bytes(1), true};
    } else if (c->op == "<" || c->op == "<=") {
      range.upper = KeyBound{bytes(1), c->op == "<="};
    } else {
      range.lower = KeyBound{bytes(1), c->op == ">="};
    }
  }
}

}  // namespace

Outcome<Json> Query(const Json& in, RequestContext& ctx) {
  auto exprs = ExpressionContext::Make(in.value("ExpressionAttributeNames", Json()),
                                       in.value("ExpressionAttributeValues", Json()));
  if (!exprs.ok()) return exprs.error();
  auto plan = Prepare(in, ctx, "dynamodb:Query", *exprs);
  if (!plan.ok()) return plan.error();
  if (!in.contains("KeyConditionExpression")) {
    return ValidationException("Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.");
  }
  auto key_condition = exprs->ParseCondition(in["KeyConditionExpression"], "KeyConditionExpression");
  if (!key_condition.ok()) return key_condition.error();
  if (auto s = CheckKeyCondition(*key_condition, *plan); !s.ok()) return s.error();
  if (auto s = exprs->CheckAllUsed(); !s.ok()) return s.error();
  if (plan->filter) {
    std::function<Status(const Condition&)> no_keys = [&](const Condition& c) -> Status {
      for (const auto& o : c.operands) {
        if ((o.kind == Operand::Kind::kPath || o.kind == Operand::Kind::kSize) && !o.path.empty() &&
            (o.path[0].name == plan->keys.hash || o.path[0].name == plan->keys.range)) {
          return ValidationException("Filter Expression can only contain non-primary key attributes: Primary key attribute: " +
                                     o.path[0].name);
        }
      }
      for (const auto& child : c.children) {
        if (auto s = no_keys(child); !s.ok()) return s;
      }
      return OkStatus();
    };
    if (auto s = no_keys(*plan->filter); !s.ok()) return s.error();
  }

  ReadRange range;
  range.index = plan->index;
  range.forward = in.value("ScanIndexForward", true);
  KeyRange(*key_condition, *plan, range);
  // The range is exact; the condition is checked again as a guard on the encoding.
  return Page(in, *plan, std::move(range), ctx,
              [&](const Json& item) { return EvaluateCondition(*key_condition, item); });
}

Outcome<Json> Scan(const Json& in, RequestContext& ctx) {
  auto exprs = ExpressionContext::Make(in.value("ExpressionAttributeNames", Json()),
                                       in.value("ExpressionAttributeValues", Json()));
  if (!exprs.ok()) return exprs.error();
  auto plan = Prepare(in, ctx, "dynamodb:Scan", *exprs);
  if (!plan.ok()) return plan.error();
  if (auto s = exprs->CheckAllUsed(); !s.ok()) return s.error();
  int total = in.value("TotalSegments", 1);
  int segment = in.value("Segment", 0);
  if (in.contains("Segment") != in.contains("TotalSegments")) {
    return ValidationException("The TotalSegments parameter is required but was not present in the request when Segment parameter is present");
  }
  if (segment >= total) {
    return ValidationException("The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: " +
                               std::to_string(segment) + " is not less than TotalSegments: " + std::to_string(total));
  }
  // Scan order: the table's (or index's) key order, stable across pages; a segment is the
  // items whose partition key hashes to it.
  ReadRange range;
  range.index = plan->index;
  const std::string hash = plan->table.schema.keys.hash;
  return Page(in, *plan, std::move(range), ctx, [&](const Json& item) {
    return total <= 1 || static_cast<int>(std::hash<std::string>{}(OrderedKeyBytes(item[hash])) % total) == segment;
  });
}

}  // namespace datamesh::local::ddb
