// Glue tags, the catalog resource policy, and crawlers.
#include <sstream>

#include "aws/core/crypto.h"
#include "aws/core/encoding.h"
#include "aws/core/time_format.h"
#include "aws/http/headers.h"
#include "aws/glue/glue_schedule.h"
#include "local/core/arn.h"
#include "local/glue/glue_service.h"
#include "local/policy/authorizer.h"
#include "local/policy/policy_document.h"
#include "local/ram/ram_state.h"

namespace datamesh::local::glue {
namespace {

constexpr char kPolicyKind[] = "glue_policy";
constexpr char kCrawlerKind[] = "glue_crawler";

struct TaggedResource {
  std::string kind;
  std::string key;
  Scope scope;
};

Outcome<TaggedResource> FindTagged(RequestContext& ctx, const std::string& arn_text) {
  auto arn = Arn::Parse(arn_text);
  if (!arn || arn->service != "glue") return InvalidInput("Invalid ARN: " + arn_text);
  Scope scope{arn->account, arn->region};
  const std::string& r = arn->resource;
  TaggedResource t{"", "", scope};
  if (r.rfind("database/", 0) == 0) {
    t = {kDatabaseKind, aws::ToLower(r.substr(9)), scope};
  } else if (r.rfind("crawler/", 0) == 0) {
    t = {kCrawlerKind, r.substr(8), scope};
  } else {
    // Tables among them: Glue tags connections, databases, crawlers, jobs and the like, not tables
    // ("AWS tags in AWS Glue", AWS Glue Developer Guide).
    return InvalidInput("Tagging is not supported for " + arn_text);
  }
  if (!ctx.tx.Get(scope, t.kind, t.key)) return EntityNotFound("Resource " + arn_text + " not found.");
  return t;
}

std::string PolicyHash(const std::string& policy) { return aws::Base64Encode(aws::Md5(policy)); }

}  // namespace

Outcome<Json> TagResource(const Json& in, RequestContext& ctx) {
  const std::string arn = in["ResourceArn"];
  if (auto s = AuthorizeGlue(ctx, "glue:TagResource", arn); !s.ok()) return s.error();
  auto t = FindTagged(ctx, arn);
  if (!t.ok()) return t.error();
  Json doc = *ctx.tx.Get(t->scope, t->kind, t->key);
  Json tags = doc.value("Tags", Json::object());
  for (auto& [k, v] : in["TagsToAdd"].items()) tags[k] = v;
  if (tags.size() > 50) return InvalidInput("The number of tags exceeds the limit of 50.");
  doc["Tags"] = tags;
  ctx.tx.Put(t->scope, t->kind, t->key, doc);
  return Json::object();
}

Outcome<Json> GetTags(const Json& in, RequestContext& ctx) {
  const std::string arn = in["ResourceArn"];
  if (auto s = AuthorizeGlue(ctx, "glue:GetTags", arn); !s.ok()) return s.error();
  auto t = FindTagged(ctx, arn);
  if (!t.ok()) return t.error();
  return Json{{"Tags", ctx.tx.Get(t->scope, t->kind, t->key)->value("Tags", Json::object())}};
}

namespace {
// The local mesh keeps one resource policy an account: its catalog's. A ResourceArn naming another
// catalog, or a database or table, is refused rather than answered with the caller's own.
Status CheckCatalogPolicyArn(const RequestContext& ctx, const std::string& arn) {
  if (arn == "arn:aws:glue:" + ctx.region + ":" + ctx.caller.account + ":catalog") return OkStatus();
  return InvalidInput("ResourceArn " + arn + ": the local mesh keeps resource policies only on the caller's own catalog");
}
}  // namespace

Outcome<Json> GetResourcePolicy(const Json& in, RequestContext& ctx) {
  const std::string arn = in.value("ResourceArn", "arn:aws:glue:" + ctx.region + ":" + ctx.caller.account + ":catalog");
  if (auto s = CheckCatalogPolicyArn(ctx, arn); !s.ok()) return s.error();
  if (auto s = AuthorizeGlue(ctx, "glue:GetResourcePolicy", arn); !s.ok()) return s.error();
  auto policy = ctx.tx.Get(CatalogScope(ctx, ctx.caller.account), kPolicyKind, "catalog");
  if (!policy) return EntityNotFound("Policy not found");
  return *policy;
}

Outcome<Json> PutResourcePolicy(const Json& in, RequestContext& ctx) {
  const std::string arn = in.value("ResourceArn", "arn:aws:glue:" + ctx.region + ":" + ctx.caller.account + ":catalog");
  if (auto s = CheckCatalogPolicyArn(ctx, arn); !s.ok()) return s.error();
  if (auto s = AuthorizeGlue(ctx, "glue:PutResourcePolicy", arn); !s.ok()) return s.error();
  const std::string text = in["PolicyInJson"];
  if (auto doc = ParsePolicyDocument(text, PolicyKind::kResource); !doc.ok()) {
    return InvalidInput("Invalid policy: " + doc.error().message());
  }
  const Scope scope = CatalogScope(ctx, ctx.caller.account);
  auto current = ctx.tx.Get(scope, kPolicyKind, "catalog");
  // Once the catalog's objects are shared through RAM (Lake Formation cross-account grants), AWS
  // saves a catalog policy only when the caller acknowledges both ways of granting.
  if (in.value("EnableHybrid", "FALSE") != "TRUE" && ram::SharesResourcesOf(ctx.tx, ctx.caller.account, ctx.region)) {
    return InvalidInput("This catalog has cross-account grants made through AWS RAM; set EnableHybrid to TRUE to "
                        "save a resource policy beside them");
  }
  const std::string exists = in.value("PolicyExistsCondition", "NONE");
  auto failed = [](const std::string& why) { return ServiceFault("ConditionCheckFailureException", why, 400); };
  if (exists == "MUST_EXIST" && !current) return failed("The resource policy does not exist.");
  if (exists == "NOT_EXIST" && current) return failed("A resource policy already exists.");
  if (in.contains("PolicyHashCondition")) {
    if (!current || (*current)["PolicyHash"] != in["PolicyHashCondition"]) {
      return failed("The policy hash condition does not match the current policy.");
    }
  }
  const std::string now = aws::FormatIso8601(ctx.now);
  Json policy = {{"PolicyInJson", text}, {"PolicyHash", PolicyHash(text)},
                 {"CreateTime", current ? (*current)["CreateTime"] : Json(now)}, {"UpdateTime", now}};
  ctx.tx.Put(scope, kPolicyKind, "catalog", policy);
  return Json{{"PolicyHash", policy["PolicyHash"]}};
}

Outcome<Json> DeleteResourcePolicy(const Json& in, RequestContext& ctx) {
  const std::string arn = in.value("ResourceArn", "arn:aws:glue:" + ctx.region + ":" + ctx.caller.account + ":catalog");
  if (auto s = CheckCatalogPolicyArn(ctx, arn); !s.ok()) return s.error();
  if (auto s = AuthorizeGlue(ctx, "glue:DeleteResourcePolicy", arn); !s.ok()) return s.error();
  const Scope scope = CatalogScope(ctx, ctx.caller.account);
  auto current = ctx.tx.Get(scope, kPolicyKind, "catalog");
  if (!current) return EntityNotFound("Policy not found");
  if (in.contains("PolicyHashCondition") && (*current)["PolicyHash"] != in["PolicyHashCondition"]) {
    return ServiceFault("ConditionCheckFailureException", "The policy hash condition does not match the current policy.", 400);
  }
  ctx.tx.Delete(scope, kPolicyKind, "catalog");
  return Json::object();
}

Outcome<Json> CreateCrawler(const Json& in, RequestContext& ctx) {
  const std::string name = in["Name"];
  const std::string arn = "arn:aws:glue:" + ctx.region + ":" + ctx.caller.account + ":crawler/" + name;
  if (auto s = AuthorizeGlue(ctx, "glue:CreateCrawler", arn); !s.ok()) return s.error();
  std::string role = in["Role"];
  const std::string role_arn = role.rfind("arn:", 0) == 0 ? role : IamArn(ctx.caller.account, "role", "/", role);
  // A role is passed to a service only within its own account.
  if (auto parsed = Arn::Parse(role_arn); !parsed || parsed->service != "iam") {
    return InvalidInput("Invalid role: " + role);
  } else if (parsed->account != ctx.caller.account) {
    return ServiceFault("AccessDeniedException", "Cross-account pass role is not allowed.", 400);
  }
  // Handing a role to a service needs iam:PassRole on it.
  if (auto s = Authorize(ctx, "iam:PassRole", role_arn, {"AccessDeniedException", 400}, {{"iam:PassedToService", {"glue.amazonaws.com"}}});
      !s.ok()) {
    return s.error();
  }
  const Scope scope = CatalogScope(ctx, ctx.caller.account);
  if (ctx.tx.Get(scope, kCrawlerKind, name)) return AlreadyExists("Crawler with name " + name + " has already been created");
  if (in.contains("Schedule")) {
    if (!aws::IsValidGlueSchedule(in["Schedule"])) return InvalidInput("Invalid schedule expression: " + in["Schedule"].get<std::string>());
  }
  const std::string now = aws::FormatIso8601(ctx.now);
  Json c = in;
  c.erase("Tags");
  c["State"] = "READY";
  c["CreationTime"] = c["LastUpdated"] = now;
  c["Version"] = 1;
  c["CrawlElapsedTime"] = 0;
  if (in.contains("Schedule")) c["Schedule"] = {{"ScheduleExpression", in["Schedule"]}, {"State", "SCHEDULED"}};
  if (in.contains("Tags")) c["Tags"] = in["Tags"];
  ctx.tx.Put(scope, kCrawlerKind, name, c);
  return Json::object();
}

Outcome<Json> GetCrawler(const Json& in, RequestContext& ctx) {
  const std::string name = in["Name"];
  const std::string arn = "arn:aws:glue:" + ctx.region + ":" + ctx.caller.account + ":crawler/" + name;
  if (auto s = AuthorizeGlue(ctx, "glue:GetCrawler", arn); !s.ok()) return s.error();
  auto c = ctx.tx.Get(CatalogScope(ctx, ctx.caller.account), kCrawlerKind, name);
  if (!c) return EntityNotFound("Crawler entry with name " + name + " does not exist");
  Json out = *c;
  out.erase("Tags");
  return Json{{"Crawler", out}};
}

Outcome<Json> GetCrawlers(const Json& in, RequestContext& ctx) {
  // GetCrawlers has no resource type in the Service Authorization Reference: "*".
  if (auto s = AuthorizeGlue(ctx, "glue:GetCrawlers", "*"); !s.ok()) return s.error();
  return KeyPageOf(ctx, CatalogScope(ctx, ctx.caller.account), kCrawlerKind, "", in, "Crawlers",
                   [](Json crawler) -> std::optional<Json> {
                     crawler.erase("Tags");
                     return crawler;
                   });
}

}  // namespace datamesh::local::glue
