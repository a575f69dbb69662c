// Glue tags, the catalog resource policy, and crawlers.
#include <sstream>

#include "aws/core/crypto.h"
#include "aws/core/encoding.h"
#include "aws/core/time_format.h"
#include "aws/http/headers.h"
#include "local/core/arn.h"
#include "local/glue/glue_service.h"
#include "local/policy/authorizer.h"
#include "local/policy/policy_document.h"

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
  } else if (r.rfind("table/", 0) == 0) {
    t = {kTableKind, aws::ToLower(r.substr(6)), scope};
  } else if (r.rfind("crawler/", 0) == 0) {
    t = {kCrawlerKind, r.substr(8), scope};
  } else {
    return InvalidInput("Tagging is not supported for " + arn_text);
  }
  if (!ctx.tx.Get(scope, t.kind, t.key)) return EntityNotFound("Resource " + arn_text + " not found.");
  return t;
}

std::string PolicyHash(const std::string& policy) { return aws::Base64Encode(aws::Md5(policy)); }

// One value of a cron field: a number in [lo, hi], a month or day name, or L/W/# forms where
// the field allows them.
bool CronValue(const std::string& v, int lo, int hi, bool names_month, bool names_day, bool allow_lw) {
  static const char* kMonths[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
  static const char* kDays[] = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};
  if (v.empty()) return false;
  if (v.find_first_not_of("0123456789") == std::string::npos) {
    if (v.size() > 4) return false;
    int n = std::stoi(v);
    return n >= lo && n <= hi;
  }
  if (names_month) {
    for (const char* m : kMonths) if (v == m) return true;
  }
  if (names_day) {
    for (const char* d : kDays) if (v == d) return true;
  }
  if (allow_lw && (v == "L" || v == "W" || v == "LW")) return true;
  if (allow_lw && v.size() > 1 && (v.back() == 'L' || v.back() == 'W')) {
    return CronValue(v.substr(0, v.size() - 1), lo, hi, names_month, names_day, false);
  }
  if (names_day && v.find('#') != std::string::npos) {
    std::string n = v.substr(v.find('#') + 1);
    return CronValue(v.substr(0, v.find('#')), lo, hi, false, true, false) && n.size() == 1 && n[0] >= '1' && n[0] <= '5';
  }
  return false;
}

// Glue's six-field cron: minutes hours day-of-month month day-of-week year, with '?' in one of
// the two day fields; each field a list of values, ranges and steps.
bool ValidCronField(const std::string& field, int lo, int hi, bool names_month, bool names_day, bool allow_q,
                    bool allow_lw) {
  if (field == "*") return true;
  if (field == "?") return allow_q;
  std::stringstream list(field);
  std::string item;
  while (std::getline(list, item, ',')) {
    std::string range = item;
    size_t slash = item.find('/');
    if (slash != std::string::npos) {
      range = item.substr(0, slash);
      std::string step = item.substr(slash + 1);
      if (step.empty() || step.find_first_not_of("0123456789") != std::string::npos) return false;
    }
    if (range == "*") continue;
    size_t dash = range.find('-');
    bool ok = dash != std::string::npos
                  ? CronValue(range.substr(0, dash), lo, hi, names_month, names_day, false) &&
                        CronValue(range.substr(dash + 1), lo, hi, names_month, names_day, false)
                  : CronValue(range, lo, hi, names_month, names_day, allow_lw);
    if (!ok) return false;
  }
  return true;
}

Status CheckSchedule(const std::string& expression) {
  auto bad = [&] { return InvalidInput("Invalid schedule expression: " + expression); };
  if (expression.rfind("cron(", 0) != 0 || expression.back() != ')') return bad();
  std::stringstream in(expression.substr(5, expression.size() - 6));
  std::vector<std::string> f;
  std::string field;
  while (in >> field) f.push_back(field);
  if (f.size() != 6) return bad();
  bool dom_q = f[2] == "?", dow_q = f[4] == "?";
  if (dom_q == dow_q) return bad();  // exactly one of the day fields is '?'
  bool ok = ValidCronField(f[0], 0, 59, false, false, false, false) && ValidCronField(f[1], 0, 23, false, false, false, false) &&
            ValidCronField(f[2], 1, 31, false, false, true, true) && ValidCronField(f[3], 1, 12, true, false, false, false) &&
            ValidCronField(f[4], 1, 7, false, true, true, true) && ValidCronField(f[5], 1970, 2199, false, false, false, false);
  return ok ? OkStatus() : bad();
}

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

Outcome<Json> GetResourcePolicy(const Json& in, RequestContext& ctx) {
  const std::string arn = in.value("ResourceArn", "arn:aws:glue:" + ctx.region + ":" + ctx.caller.account + ":catalog");
  if (auto s = AuthorizeGlue(ctx, "glue:GetResourcePolicy", arn); !s.ok()) return s.error();
  auto policy = ctx.tx.Get(CatalogScope(ctx, ctx.caller.account), kPolicyKind, "catalog");
  if (!policy) return EntityNotFound("Policy not found");
  return *policy;
}

Outcome<Json> PutResourcePolicy(const Json& in, RequestContext& ctx) {
  const std::string arn = in.value("ResourceArn", "arn:aws:glue:" + ctx.region + ":" + ctx.caller.account + ":catalog");
  if (auto s = AuthorizeGlue(ctx, "glue:PutResourcePolicy", arn); !s.ok()) return s.error();
  const std::string text = in["PolicyInJson"];
  if (auto doc = ParsePolicyDocument(text, PolicyKind::kResource); !doc.ok()) {
    return InvalidInput("Invalid policy: " + doc.error().message());
  }
  const Scope scope = CatalogScope(ctx, ctx.caller.account);
  auto current = ctx.tx.Get(scope, kPolicyKind, "catalog");
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

Outcome<Json> CreateCrawler(const Json& in, RequestContext& ctx) {
  const std::string name = in["Name"];
  const std::string arn = "arn:aws:glue:" + ctx.region + ":" + ctx.caller.account + ":crawler/" + name;
  if (auto s = AuthorizeGlue(ctx, "glue:CreateCrawler", arn); !s.ok()) return s.error();
  std::string role = in["Role"];
  const std::string role_arn = role.rfind("arn:", 0) == 0 ? role : IamArn(ctx.caller.account, "role", "/", role);
  // Handing a role to a service needs iam:PassRole on it.
  if (auto s = Authorize(ctx, "iam:PassRole", role_arn, {"AccessDeniedException", 400}, {{"iam:PassedToService", {"glue.amazonaws.com"}}});
      !s.ok()) {
    return s.error();
  }
  const Scope scope = CatalogScope(ctx, ctx.caller.account);
  if (ctx.tx.Get(scope, kCrawlerKind, name)) return AlreadyExists("Crawler with name " + name + " has already been created");
  if (in.contains("Schedule")) {
    if (auto s = CheckSchedule(in["Schedule"]); !s.ok()) return s.error();
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

}  // namespace datamesh::local::glue
