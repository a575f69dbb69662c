#include "local/lakeformation/lakeformation_service.h"

#include "local/lakeformation/lf_access.h"

#include <algorithm>
#include <map>

#include "aws/core/time_format.h"
#include "local/core/arn.h"
#include "local/iam/iam_service.h"
#include "local/lakeformation/lf_grants.h"
#include "local/policy/authorizer.h"
#include "local/ram/ram_state.h"

namespace datamesh::local {

Outcome<Json> LakeFormationService::Invoke(const std::string& operation, const Json& input, RequestContext& ctx) {
  using Handler = Outcome<Json> (*)(const Json&, RequestContext&);
  static const std::map<std::string, Handler> handlers = {
      {"GetDataLakeSettings", lf::GetDataLakeSettings}, {"PutDataLakeSettings", lf::PutDataLakeSettings},
      {"GrantPermissions", lf::GrantPermissions},       {"RevokePermissions", lf::RevokePermissions},
      {"BatchGrantPermissions", lf::BatchGrantPermissions}, {"BatchRevokePermissions", lf::BatchRevokePermissions},
      {"ListPermissions", lf::ListPermissions},         {"RegisterResource", lf::RegisterResource},
      {"DeregisterResource", lf::DeregisterResource},   {"DescribeResource", lf::DescribeResource},
      {"CreateLFTag", lf::CreateLFTag},                 {"GetLFTag", lf::GetLFTag},
      {"UpdateLFTag", lf::UpdateLFTag},                 {"AddLFTagsToResource", lf::AddLFTagsToResource},
      {"GetResourceLFTags", lf::GetResourceLFTags},     {"ListLFTags", lf::ListLFTags},
      {"ListResources", lf::ListResources}};
  auto it = handlers.find(operation);
  if (it == handlers.end()) return ServiceFault("UnknownOperationException", "Unknown operation " + operation, 400);
  // Every Lake Formation action needs the matching IAM permission first.
  if (auto s = Authorize(ctx, "lakeformation:" + operation, "*", {"AccessDeniedException", 400}); !s.ok()) return s.error();
  return it->second(input, ctx);
}

namespace lf {
namespace {

Error Invalid(const std::string& message) { return ServiceFault("InvalidInputException", message, 400); }
Error NotFound(const std::string& message) { return ServiceFault("EntityNotFoundException", message, 400); }
Scope Own(const RequestContext& ctx) { return {ctx.caller.account, ctx.region}; }

Status CheckOwnCatalog(const RequestContext& ctx, const Json& in) {
  if (in.contains("CatalogId") && in["CatalogId"] != ctx.caller.account) {
    return ServiceFault("AccessDeniedException", "Cross-account access to the data lake settings of " +
                                                     in["CatalogId"].get<std::string>() + " is not allowed.", 400);
  }
  return OkStatus();
}

Status CheckSettings(const Json& settings) {
  for (const auto& admin : settings.value("DataLakeAdmins", Json::array())) {
    std::string id = admin.value("DataLakePrincipalIdentifier", "");
    auto arn = Arn::Parse(id);
    if (!arn || arn->service != "iam" || (arn->resource.rfind("user/", 0) != 0 && arn->resource.rfind("role/", 0) != 0)) {
      return Invalid("Invalid data lake administrator: " + id + ". Administrators must be IAM users or roles.");
    }
  }
  for (const char* field : {"CreateDatabaseDefaultPermissions", "CreateTableDefaultPermissions"}) {
    for (const auto& p : settings.value(field, Json::array())) {
      std::string id = p["Principal"].value("DataLakePrincipalIdentifier", "");
      Json perms = p.value("Permissions", Json::array());
      if (id != kIamAllowedPrincipals || perms != Json::array({"ALL"})) {
        return Invalid(std::string(field) + " may only grant ALL to IAM_ALLOWED_PRINCIPALS, or be empty.");
      }
    }
  }
  return OkStatus();
}

Json PermissionEntry(RequestContext& ctx, const Grant& g) {
  Json e = {{"Principal", {{"DataLakePrincipalIdentifier", g.principal}}},
            {"Resource", g.resource.ToJson()},
            {"Permissions", Json(g.permissions)},
            {"PermissionsWithGrantOption", Json(g.grantable)}};
  if (IsAccountId(g.principal) && g.principal != g.resource.catalog) {
    if (auto share = ram::ShareArnFor(ctx.tx, g.resource.catalog, ctx.region, g.resource.GlueArn(ctx.region), g.principal)) {
      e["AdditionalDetails"] = {{"ResourceShare", Json::array({*share})}};
    }
  }
  return e;
}

std::string ResourceTypeOf(const CatalogResource& r) {
  switch (r.kind) {
    case CatalogResource::Kind::kCatalog: return "CATALOG";
    case CatalogResource::Kind::kDatabase: return "DATABASE";
    case CatalogResource::Kind::kTable:
    case CatalogResource::Kind::kTableWildcard:
    case CatalogResource::Kind::kColumns: return "TABLE";
    case CatalogResource::Kind::kDataLocation: return "DATA_LOCATION";
    case CatalogResource::Kind::kLfTag: return "LF_TAG";
  }
  return "";
}

// BatchGrantPermissions and BatchRevokePermissions take "a list of up to 20 entries" (their API
// references); the service models carry no maximum, so the service is what refuses more.
constexpr size_t kMaxBatchEntries = 20;

Outcome<Json> Batch(const Json& in, RequestContext& ctx, bool grant) {
  if (in.value("Entries", Json::array()).size() > kMaxBatchEntries) {
    return Invalid("Entries has " + std::to_string(in["Entries"].size()) + " entries; a batch takes at most " +
                   std::to_string(kMaxBatchEntries));
  }
  Json failures = Json::array();
  const std::string catalog = in.value("CatalogId", ctx.caller.account);
  for (const auto& entry : in["Entries"]) {
    auto request = ReadGrantRequest(entry, catalog);
    Status s = request.ok() ? (grant ? ApplyGrant(ctx, *request) : ApplyRevoke(ctx, *request)) : Status(request.error());
    if (!s.ok()) {
      failures.push_back({{"RequestEntry", entry}, {"Error", {{"ErrorCode", s.error().code()}, {"ErrorMessage", s.error().message()}}}});
    }
  }
  Json out = Json::object();
  if (!failures.empty()) out["Failures"] = failures;
  return out;
}

bool IsS3Arn(const std::string& arn) { return arn.rfind("arn:aws:s3:::", 0) == 0 && arn.size() > 13; }

constexpr char kResourceTagsKind[] = "lf_resource_tags";

}  // namespace

Outcome<Json> PageOfItems(const Json& items, const Json& in, const char* list_name) {
  size_t start = 0;
  if (in.contains("NextToken")) {
    const std::string t = in["NextToken"];
    if (t.empty() || t.find_first_not_of("0123456789") != std::string::npos || t.size() > 9) return Invalid("Invalid NextToken");
    start = std::stoul(t);
  }
  const size_t max = in.value("MaxResults", 100);
  Json page = Json::array();
  for (size_t i = start; i < items.size() && page.size() < max; ++i) page.push_back(items[i]);
  Json out = {{list_name, page}};
  if (start + page.size() < items.size()) out["NextToken"] = std::to_string(start + page.size());
  return out;
}

Outcome<Json> GetDataLakeSettings(const Json& in, RequestContext& ctx) {
  if (auto s = CheckOwnCatalog(ctx, in); !s.ok()) return s.error();
  return Json{{"DataLakeSettings", LoadSettings(ctx.tx, Own(ctx))}};
}

Outcome<Json> PutDataLakeSettings(const Json& in, RequestContext& ctx) {
  if (auto s = CheckOwnCatalog(ctx, in); !s.ok()) return s.error();
  const Json& settings = in["DataLakeSettings"];
  if (auto s = CheckSettings(settings); !s.ok()) return s.error();
  // The whole settings object is replaced, as in AWS.
  SaveSettings(ctx.tx, Own(ctx), settings);
  return Json::object();
}

Outcome<Json> GrantPermissions(const Json& in, RequestContext& ctx) {
  auto request = ReadGrantRequest(in, in.value("CatalogId", ctx.caller.account));
  if (!request.ok()) return request.error();
  if (auto s = ApplyGrant(ctx, *request); !s.ok()) return s.error();
  return Json::object();
}

Outcome<Json> RevokePermissions(const Json& in, RequestContext& ctx) {
  auto request = ReadGrantRequest(in, in.value("CatalogId", ctx.caller.account));
  if (!request.ok()) return request.error();
  if (auto s = ApplyRevoke(ctx, *request); !s.ok()) return s.error();
  return Json::object();
}

Outcome<Json> BatchGrantPermissions(const Json& in, RequestContext& ctx) { return Batch(in, ctx, true); }
Outcome<Json> BatchRevokePermissions(const Json& in, RequestContext& ctx) { return Batch(in, ctx, false); }

Outcome<Json> ListPermissions(const Json& in, RequestContext& ctx) {
  // Related permissions (those implied on other resources) are not modelled.
  if (in.value("IncludeRelated", "FALSE") == "TRUE") return Invalid("IncludeRelated TRUE is not supported by the local mesh");
  std::optional<std::string> principal;
  if (in.contains("Principal")) principal = in["Principal"].value("DataLakePrincipalIdentifier", "");
  std::optional<CatalogResource> resource;
  if (in.contains("Resource")) {
    auto r = ReadResource(in["Resource"], in.value("CatalogId", ctx.caller.account));
    if (!r.ok()) return r.error();
    resource = *r;
  }
  const std::string type = in.value("ResourceType", "");
  Access access(ctx);
  bool admin = access.IsAdmin();
  auto ids = PrincipalIdentifiers(ctx.caller);
  Json items = Json::array();
  // Read only the grants the filters can match: those on the resource's database or table, or
  // the principal's.
  std::vector<Grant> candidates =
      resource ? GrantsWithin(ctx.tx, Own(ctx), resource->catalog, resource->database, resource->table)
      : principal ? GrantsOf(ctx.tx, Own(ctx), *principal)
                  : LoadGrants(ctx.tx, Own(ctx));
  for (const auto& g : candidates) {
    if (principal && g.principal != *principal) continue;
    if (!type.empty() && ResourceTypeOf(g.resource) != type) continue;
    if (resource) {
      bool same = g.resource.Key() == resource->Key();
      bool columns_of_table = resource->kind == CatalogResource::Kind::kTable &&
                              g.resource.kind == CatalogResource::Kind::kColumns &&
                              g.resource.catalog == resource->catalog && g.resource.database == resource->database &&
                              g.resource.table == resource->table;
      if (!same && !columns_of_table) continue;
    }
    // Callers see every grant when they administer the data lake or may grant on the resource,
    // and otherwise only their own.
    bool own = std::find(ids.begin(), ids.end(), g.principal) != ids.end();
    if (!admin && !own && access.Grantable(g.resource).empty()) continue;
    items.push_back(PermissionEntry(ctx, g));
  }
  return PageOfItems(items, in, "PrincipalResourcePermissions");
}

Outcome<Json> RegisterResource(const Json& in, RequestContext& ctx) {
  const std::string arn = in["ResourceArn"];
  if (!IsS3Arn(arn)) return Invalid("Invalid resource ARN: " + arn + ". Only Amazon S3 locations can be registered.");
  std::string role = in.value("RoleArn", "");
  if (in.value("UseServiceLinkedRole", false)) {
    // Lake Formation creates its service-linked role on first use ("Using service-linked roles
    // for Lake Formation", Developer Guide).
    auto linked = iam::EnsureServiceLinkedRole(ctx, "lakeformation.amazonaws.com");
    if (!linked.ok()) return linked.error();
    role = *linked;
  } else if (role.empty()) {
    return Invalid("Either RoleArn or UseServiceLinkedRole must be specified.");
  } else if (auto s = Authorize(ctx, "iam:PassRole", role, {"AccessDeniedException", 400}); !s.ok()) {
    return s.error();
  }
  if (ctx.tx.Get(Own(ctx), kLocationKind, arn)) {
    return ServiceFault("AlreadyExistsException", "Resource is already registered", 400);
  }
  ctx.tx.Put(Own(ctx), kLocationKind, arn,
             {{"ResourceArn", arn}, {"RoleArn", role}, {"LastModified", aws::FormatIso8601(ctx.now)},
              {"WithFederation", in.value("WithFederation", false)}, {"HybridAccessEnabled", in.value("HybridAccessEnabled", false)},
              {"RegisteredBy", ctx.caller.is_role_session() ? ctx.caller.role_arn : ctx.caller.arn}});
  // Whoever registers a location may use it and grant its use.
  CatalogResource location;
  location.kind = CatalogResource::Kind::kDataLocation;
  location.catalog = ctx.caller.account;
  location.location = arn;
  for (const auto& id : PrincipalIdentifiers(ctx.caller)) {
    SaveGrant(ctx.tx, Own(ctx), Grant{id, location, {"DATA_LOCATION_ACCESS"}, {"DATA_LOCATION_ACCESS"}});
  }
  return Json::object();
}

Outcome<Json> DeregisterResource(const Json& in, RequestContext& ctx) {
  const std::string arn = in["ResourceArn"];
  auto registered = ctx.tx.Get(Own(ctx), kLocationKind, arn);
  auto ids = PrincipalIdentifiers(ctx.caller);
  bool registrant = registered && std::find(ids.begin(), ids.end(), registered->value("RegisteredBy", "")) != ids.end();
  if (registered && !registrant && !Access(ctx).IsAdmin()) {
    return ServiceFault("AccessDeniedException", "Only data lake administrators or the registrant can deregister a location.", 400);
  }
  if (!ctx.tx.Delete(Own(ctx), kLocationKind, arn)) return NotFound("Resource " + arn + " is not registered.");
  return Json::object();
}

Outcome<Json> DescribeResource(const Json& in, RequestContext& ctx) {
  const std::string arn = in["ResourceArn"];
  auto r = ctx.tx.Get(Own(ctx), kLocationKind, arn);
  if (!r) return NotFound("Resource " + arn + " is not registered.");
  return Json{{"ResourceInfo", *r}};
}

Outcome<Json> CreateLFTag(const Json& in, RequestContext& ctx) {
  if (auto s = CheckOwnCatalog(ctx, in); !s.ok()) return s.error();
  Access access(ctx);
  if (!access.IsAdmin() && !access.OnCatalog(ctx.caller.account).count("CREATE_LF_TAG")) {
    return ServiceFault("AccessDeniedException", "Insufficient Lake Formation permission(s): Required Create LF-Tag on Catalog", 400);
  }
  const std::string key = in["TagKey"];
  if (ctx.tx.Get(Own(ctx), kTagKind, key)) return ServiceFault("AlreadyExistsException", "Tag key already exists", 400);
  std::set<std::string> values;
  for (const auto& v : in["TagValues"]) values.insert(v);
  // The creator keeps implicit permissions on its tag (to change and drop it), as in AWS.
  ctx.tx.Put(Own(ctx), kTagKind, key, {{"CatalogId", ctx.caller.account}, {"TagKey", key}, {"TagValues", Json(values)},
                                       {"CreatedBy", PrincipalIdentifiers(ctx.caller)}});
  return Json::object();
}

Outcome<Json> GetLFTag(const Json& in, RequestContext& ctx) {
  const std::string catalog = in.value("CatalogId", ctx.caller.account);
  auto tag = ctx.tx.Get({catalog, ctx.region}, kTagKind, in["TagKey"]);
  if (!tag) return NotFound("Tag key does not exist");
  return Json{{"CatalogId", (*tag)["CatalogId"]}, {"TagKey", (*tag)["TagKey"]}, {"TagValues", (*tag)["TagValues"]}};
}

Outcome<Json> UpdateLFTag(const Json& in, RequestContext& ctx) {
  if (auto s = CheckOwnCatalog(ctx, in); !s.ok()) return s.error();
  auto tag = ctx.tx.Get(Own(ctx), kTagKind, in["TagKey"]);
  if (!tag) return NotFound("Tag key does not exist");
  bool creator = false;
  for (const auto& id : PrincipalIdentifiers(ctx.caller)) {
    for (const auto& c : tag->value("CreatedBy", Json::array())) creator |= c == id;
  }
  if (!creator && !Access(ctx).IsAdmin()) {
    return ServiceFault("AccessDeniedException", "Insufficient Lake Formation permission(s): Required Alter on LF-Tag", 400);
  }
  std::set<std::string> values;
  for (const auto& v : (*tag)["TagValues"]) values.insert(v);
  for (const auto& v : in.value("TagValuesToAdd", Json::array())) values.insert(v);
  for (const auto& v : in.value("TagValuesToDelete", Json::array())) values.erase(v);
  if (values.empty()) return Invalid("An LF-tag must keep at least one value.");
  (*tag)["TagValues"] = values;
  ctx.tx.Put(Own(ctx), kTagKind, in["TagKey"], *tag);
  return Json::object();
}

Outcome<Json> AddLFTagsToResource(const Json& in, RequestContext& ctx) {
  auto resource = ReadResource(in["Resource"], in.value("CatalogId", ctx.caller.account));
  if (!resource.ok()) return resource.error();
  Access access(ctx);
  bool may = access.IsAdmin() || !access.Grantable(*resource).empty();
  Json failures = Json::array();
  auto stored = ctx.tx.Get({resource->catalog, ctx.region}, kResourceTagsKind, resource->Key()).value_or(
      Json{{"Resource", resource->ToJson()}, {"Tags", Json::object()}});
  for (const auto& t : in["LFTags"]) {
    const std::string key = t["TagKey"];
    auto fail = [&](const std::string& code, const std::string& message) {
      failures.push_back({{"LFTag", t}, {"Error", {{"ErrorCode", code}, {"ErrorMessage", message}}}});
    };
    auto tag = ctx.tx.Get({t.value("CatalogId", resource->catalog), ctx.region}, kTagKind, key);
    if (!may) { fail("AccessDeniedException", "Insufficient Lake Formation permission(s) to associate LF-tags"); continue; }
    if (!tag) { fail("EntityNotFoundException", "Tag key does not exist"); continue; }
    if (t["TagValues"].size() != 1) { fail("InvalidInputException", "A resource takes exactly one value per LF-tag key"); continue; }
    bool known = false;
    for (const auto& v : (*tag)["TagValues"]) known |= v == t["TagValues"][0];
    if (!known) { fail("InvalidInputException", "Tag value " + t["TagValues"][0].get<std::string>() + " is not a value of " + key); continue; }
    stored["Tags"][key] = t["TagValues"][0];
  }
  ctx.tx.Put({resource->catalog, ctx.region}, kResourceTagsKind, resource->Key(), stored);
  Json out = Json::object();
  if (!failures.empty()) out["Failures"] = failures;
  return out;
}

Outcome<Json> GetResourceLFTags(const Json& in, RequestContext& ctx) {
  auto resource = ReadResource(in["Resource"], in.value("CatalogId", ctx.caller.account));
  if (!resource.ok()) return resource.error();
  // Only the tags the caller may see (TagVisibility): a resource shows no more than ListLFTags.
  TagVisibility visibility(ctx);
  auto tags_of = [&](const CatalogResource& r) {
    Json out = Json::array();
    if (auto stored = ctx.tx.Get({r.catalog, ctx.region}, kResourceTagsKind, r.Key())) {
      for (auto& [k, v] : (*stored)["Tags"].items()) {
        auto tag = ctx.tx.Get({r.catalog, ctx.region}, kTagKind, k);
        if (!visibility.Sees(r.catalog, k, tag.value_or(Json::object()))) continue;
        out.push_back({{"CatalogId", r.catalog}, {"TagKey", k}, {"TagValues", Json::array({v})}});
      }
    }
    return out;
  };
  Json out = Json::object();
  if (resource->kind == CatalogResource::Kind::kDatabase) {
    out["LFTagOnDatabase"] = tags_of(*resource);
  } else if (resource->kind == CatalogResource::Kind::kTable) {
    out["LFTagOnDatabase"] = tags_of(DatabaseResource(resource->catalog, resource->database));
    out["LFTagsOnTable"] = tags_of(*resource);
  } else {
    return Invalid("LF-tags can be read on databases and tables.");
  }
  // The model's LFTagsList holds at least one tag: an empty list leaves its member out.
  for (const char* member : {"LFTagOnDatabase", "LFTagsOnTable"}) {
    if (out.contains(member) && out[member].empty()) out.erase(member);
  }
  return out;
}

}  // namespace lf
}  // namespace datamesh::local
