// The identity-policy check every local service makes before acting: the caller's policies (and
// a session policy, if the session has one) must allow the action on the resource.
#pragma once

#include <functional>

#include "local/core/request_context.h"
#include "local/policy/policy_evaluator.h"

namespace datamesh::local {

struct AccessDeniedStyle {
  std::string code = "AccessDenied";  // "AccessDeniedException" for JSON services
  int status = 403;
};

// Called with every identity decision the local mesh makes (caller, action, resource, decision),
// to trace which permissions a workload uses: a least-privilege check compares it with the
// policies. Unset by default; set it before requests start.
using AuthorizationObserver = std::function<void(const Principal& caller, const std::string& action,
                                                 const std::string& resource, Decision decision)>;
void SetAuthorizationObserver(AuthorizationObserver observer);

// The caller's identity decision, without raising an error.
Decision IdentityDecision(RequestContext& ctx, const std::string& action, const std::string& resource,
                          const std::map<std::string, std::vector<std::string>>& extra_context = {});

// Ok when allowed; otherwise AWS's "User: ARN is not authorized to perform: ACTION on resource:
// RESOURCE" error.
Status Authorize(RequestContext& ctx, const std::string& action, const std::string& resource,
                 const AccessDeniedStyle& style = {},
                 const std::map<std::string, std::vector<std::string>>& extra_context = {});

Error AccessDeniedError(const Principal& caller, const std::string& action, const std::string& resource,
                        const AccessDeniedStyle& style, const std::string& why = "");

}  // namespace datamesh::local
