#include "local/policy/authorizer.h"

#include <mutex>

#include "local/iam/iam_store.h"

namespace datamesh::local {
namespace {

std::mutex observer_mu;
AuthorizationObserver observer;

Decision Observed(const Principal& caller, const std::string& action, const std::string& resource, Decision d) {
  std::lock_guard<std::mutex> lock(observer_mu);
  if (observer) observer(caller, action, resource, d);
  return d;
}

}  // namespace

void SetAuthorizationObserver(AuthorizationObserver o) {
  std::lock_guard<std::mutex> lock(observer_mu);
  observer = std::move(o);
}

Decision IdentityDecision(RequestContext& ctx, const std::string& action, const std::string& resource,
                          const std::map<std::string, std::vector<std::string>>& extra_context) {
  RequestFacts facts;
  facts.action = action;
  facts.resource = resource;
  facts.caller = &ctx.caller;
  facts.context = GlobalConditionKeys(ctx.caller);
  for (auto& [k, v] : extra_context) facts.context[aws::ToLower(k)] = v;
  Decision d = EvaluateIdentityPolicies(IdentityPoliciesOf(ctx.tx, ctx.caller), facts);
  if (d == Decision::kAllow) {
    // A permissions boundary, like a session policy, only narrows what the policies allow.
    if (auto boundary = PermissionsBoundaryOf(ctx.tx, ctx.caller)) {
      Decision b = EvaluateIdentityPolicies({*boundary}, facts);
      if (b != Decision::kAllow) {
        return Observed(ctx.caller, action, resource, b == Decision::kDeny ? Decision::kDeny : Decision::kNotApplicable);
      }
    }
  }
  if (d == Decision::kAllow && !ctx.caller.session_policy.empty()) {
    // A session policy can only narrow what the role's own policies allow.
    auto session = ParsePolicyDocument(ctx.caller.session_policy, PolicyKind::kIdentity);
    if (!session.ok()) return Observed(ctx.caller, action, resource, Decision::kNotApplicable);
    Decision s = EvaluateIdentityPolicies({*session}, facts);
    if (s != Decision::kAllow) {
      return Observed(ctx.caller, action, resource, s == Decision::kDeny ? Decision::kDeny : Decision::kNotApplicable);
    }
  }
  return Observed(ctx.caller, action, resource, d);
}

Error AccessDeniedError(const Principal& caller, const std::string& action, const std::string& resource,
                        const AccessDeniedStyle& style, const std::string& why) {
  std::string message = "User: " + caller.arn + " is not authorized to perform: " + action +
                        " on resource: " + resource;
  if (!why.empty()) message += " " + why;
  return Error(style.code, message, ErrorKind::kClient, style.status);
}

Status Authorize(RequestContext& ctx, const std::string& action, const std::string& resource,
                 const AccessDeniedStyle& style,
                 const std::map<std::string, std::vector<std::string>>& extra_context) {
  Decision d = IdentityDecision(ctx, action, resource, extra_context);
  if (d == Decision::kAllow) return OkStatus();
  return AccessDeniedError(ctx.caller, action, resource, style,
                           d == Decision::kDeny ? "with an explicit deny in an identity-based policy"
                                                : "because no identity-based policy allows the " + action + " action");
}

}  // namespace datamesh::local
