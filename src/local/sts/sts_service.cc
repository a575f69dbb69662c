#include "local/sts/sts_service.h"

#include "aws/core/time_format.h"
#include "local/core/arn.h"
#include "local/core/ids.h"
#include "local/iam/iam_store.h"
#include "local/policy/authorizer.h"

namespace datamesh::local {
namespace {

constexpr int kDefaultDuration = 3600;
constexpr int kRoleChainingLimit = 3600;
constexpr size_t kMaxPackedPolicySize = 2048;

Error Validation(const std::string& message) { return ServiceFault("ValidationError", message, 400); }

}  // namespace

Outcome<Json> StsService::Invoke(const std::string& operation, const Json& input, RequestContext& ctx) {
  if (operation == "GetCallerIdentity") {
    // Always allowed, whatever the caller's policies say.
    return Json{{"UserId", ctx.caller.user_id}, {"Account", ctx.caller.account}, {"Arn", ctx.caller.arn}};
  }
  if (operation == "AssumeRole") return AssumeRole(input, ctx);
  return ServiceFault("InvalidAction", "Could not find operation " + operation, 400);
}

Outcome<Json> StsService::AssumeRole(const Json& in, RequestContext& ctx) {
  // Managed session policies, session tags, MFA and source identity are not modelled.
  if (auto s = RefuseUnmodelled(in, {"PolicyArns", "Tags", "TransitiveTagKeys", "SerialNumber", "TokenCode", "SourceIdentity"},
                                "ValidationError");
      !s.ok()) {
    return s.error();
  }
  const std::string role_arn = in["RoleArn"];
  const std::string session = in["RoleSessionName"];
  auto denied = [&](const std::string& why) {
    return AccessDeniedError(ctx.caller, "sts:AssumeRole", role_arn, {}, why);
  };
  auto arn = Arn::Parse(role_arn);
  if (!arn || arn->service != "iam" || arn->resource.rfind("role/", 0) != 0 || !IsAccountId(arn->account)) {
    return Validation("1 validation error detected: Value '" + role_arn +
                      "' at 'roleArn' failed to satisfy constraint: Member must be a valid role ARN");
  }
  std::string role_name = arn->resource.substr(arn->resource.rfind('/') + 1);
  auto role = ctx.tx.Get(IamScope(arn->account), kinds::kRole, aws::ToLower(role_name));
  // AWS does not reveal whether a role exists: a missing role is refused like an untrusted one.
  if (!role || (*role)["Arn"] != role_arn) return denied("");

  auto trust = ParsePolicyDocument((*role)["AssumeRolePolicyDocument"], PolicyKind::kTrust);
  if (!trust.ok()) return denied("");
  RequestFacts facts;
  facts.action = "sts:AssumeRole";
  facts.resource = role_arn;
  facts.caller = &ctx.caller;
  facts.context = GlobalConditionKeys(ctx.caller);
  facts.context["sts:rolesessionname"] = {session};
  if (in.contains("ExternalId")) facts.context["sts:externalid"] = {in["ExternalId"].get<std::string>()};
  ResourcePolicyResult trusted = EvaluateResourcePolicy(*trust, facts);
  if (trusted.decision != Decision::kAllow) return denied("");

  // A trust policy that names the caller itself suffices within the account; otherwise the
  // caller's own identity policies must allow sts:AssumeRole on the role too.
  Decision identity = IdentityDecision(ctx, "sts:AssumeRole", role_arn,
                                       {{"sts:RoleSessionName", {session}}});
  bool same_account = arn->account == ctx.caller.account;
  bool allowed = identity == Decision::kAllow ||
                 (same_account && trusted.match == PrincipalMatch::kSpecific && identity != Decision::kDeny);
  if (!allowed) return denied("");

  int max_duration = role->value("MaxSessionDuration", 3600);
  int duration = in.value("DurationSeconds", kDefaultDuration);
  if (ctx.caller.is_role_session() && duration > kRoleChainingLimit) {
    return Validation("The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.");
  }
  if (duration > max_duration) {
    return Validation("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
  }
  std::string session_policy = in.value("Policy", "");
  if (!session_policy.empty()) {
    auto parsed = ParsePolicyDocument(session_policy, PolicyKind::kIdentity);
    if (!parsed.ok()) return ServiceFault("MalformedPolicyDocument", parsed.error().message(), 400);
    if (PolicySizeWithoutWhitespace(session_policy) > kMaxPackedPolicySize) {
      return ServiceFault("PackedPolicyTooLarge", "Packed policy consumes more than 100% of the allotted space.", 400);
    }
  }

  const std::string key = NewAccessKeyId("ASIA");
  const std::string expiration = aws::FormatIso8601(ctx.now + std::chrono::seconds(duration));
  const std::string assumed_arn = "arn:aws:sts::" + arn->account + ":assumed-role/" + role_name + "/" + session;
  const std::string assumed_id = (*role)["RoleId"].get<std::string>() + ":" + session;
  Json credentials = {{"AccessKeyId", key},
                      {"SecretAccessKey", NewSecretAccessKey()},
                      {"SessionToken", NewSessionToken()},
                      {"Expiration", expiration}};
  Json stored = credentials;
  stored["Account"] = arn->account;
  stored["RoleArn"] = role_arn;
  stored["RoleName"] = (*role)["RoleName"];
  stored["SessionName"] = session;
  stored["AssumedRoleArn"] = assumed_arn;
  stored["AssumedRoleId"] = assumed_id;
  stored["SourceIdentity"] = ctx.caller.arn;
  if (!session_policy.empty()) stored["Policy"] = session_policy;
  ctx.tx.Put(Scope::Global(), kinds::kSession, key, stored);

  Json out = {{"Credentials", credentials}, {"AssumedRoleUser", {{"AssumedRoleId", assumed_id}, {"Arn", assumed_arn}}}};
  if (!session_policy.empty()) {
    out["PackedPolicySize"] = static_cast<int>(100 * PolicySizeWithoutWhitespace(session_policy) / kMaxPackedPolicySize);
  }
  return out;
}

}  // namespace datamesh::local
