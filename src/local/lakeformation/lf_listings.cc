// ListLFTags and ListResources: what a Lake Formation administrator inspects a data lake with; which
// LF-tags a caller may see.
#include <algorithm>
#include <set>

#include "local/lakeformation/lakeformation_service.h"
#include "local/lakeformation/lf_access.h"
#include "local/lakeformation/lf_state.h"

namespace datamesh::local::lf {
namespace {

Error Invalid(const std::string& message) { return ServiceFault("InvalidInputException", message, 400); }

Json TagOutput(const Json& tag) {
  return {{"CatalogId", tag["CatalogId"]}, {"TagKey", tag["TagKey"]}, {"TagValues", tag["TagValues"]}};
}

// One filter condition of ListResources against one registered location.
Outcome<bool> Matches(const Json& condition, const Json& location) {
  const std::string field = condition.value("Field", "");
  const std::string op = condition.value("ComparisonOperator", "");
  const Json values = condition.value("StringValueList", Json::array());
  const char* member = field == "RESOURCE_ARN" ? "ResourceArn" : field == "ROLE_ARN" ? "RoleArn" : "LastModified";
  const std::string actual = location.value(member, "");
  if (values.empty()) return Invalid("StringValueList must hold a value for " + op);
  const std::string v = values[0];
  if (op == "EQ") return actual == v;
  if (op == "NE") return actual != v;
  if (op == "CONTAINS") return actual.find(v) != std::string::npos;
  if (op == "NOT_CONTAINS") return actual.find(v) == std::string::npos;
  if (op == "BEGINS_WITH") return actual.rfind(v, 0) == 0;
  if (op == "LT") return actual < v;
  if (op == "LE") return actual <= v;
  if (op == "GT") return actual > v;
  if (op == "GE") return actual >= v;
  if (op == "IN") return std::find(values.begin(), values.end(), actual) != values.end();
  if (op == "BETWEEN") {
    if (values.size() != 2) return Invalid("BETWEEN takes two values in StringValueList");
    return actual >= v && actual <= values[1].get<std::string>();
  }
  return Invalid("Unsupported ComparisonOperator " + op);
}

}  // namespace

Outcome<Json> ListLFTags(const Json& in, RequestContext& ctx) {
  const std::string catalog = in.value("CatalogId", ctx.caller.account);
  const std::string share_type = in.value("ResourceShareType", "");
  TagVisibility visibility(ctx);
  Json items = Json::array();
  if (share_type != "FOREIGN" && catalog == ctx.caller.account) {
    const Scope scope{catalog, ctx.region};
    for (auto& [key, tag] : ctx.tx.List(scope, kTagKind)) {
      if (visibility.Sees(catalog, key, tag)) items.push_back(TagOutput(tag));
    }
  }
  if (share_type == "FOREIGN" || share_type == "ALL") {
    // Tags of other catalogs that granted this account (or the caller) a permission on them.
    for (const Scope& owner : ctx.tx.ScopesWith(kTagKind)) {
      if (owner.account == ctx.caller.account || owner.region != ctx.region) continue;
      for (auto& [key, tag] : ctx.tx.List(owner, kTagKind)) {
        if (visibility.Sees(owner.account, key, tag)) items.push_back(TagOutput(tag));
      }
    }
  }
  auto page = PageOfItems(items, in, "LFTags");
  // The model's LFTagsList holds at least one tag: an empty answer leaves the member out.
  if (page.ok() && (*page)["LFTags"].empty()) page->erase("LFTags");
  return page;
}

Outcome<Json> ListResources(const Json& in, RequestContext& ctx) {
  const Json conditions = in.value("FilterConditionList", Json::array());
  Json items = Json::array();
  for (auto& [arn, location] : ctx.tx.List({ctx.caller.account, ctx.region}, kLocationKind)) {
    bool keep = true;
    for (const auto& c : conditions) {
      auto m = Matches(c, location);
      if (!m.ok()) return m.error();
      keep &= *m;
    }
    if (keep) {
      items.push_back({{"ResourceArn", location["ResourceArn"]}, {"RoleArn", location["RoleArn"]},
                       {"LastModified", location["LastModified"]}});
    }
  }
  return PageOfItems(items, in, "ResourceInfoList");
}

}  // namespace datamesh::local::lf
