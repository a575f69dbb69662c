#include "local/ram/ram_service.h"

#include <algorithm>
#include <set>

#include "aws/core/time_format.h"
#include "aws/http/headers.h"
#include "local/accounts/organization.h"
#include "local/core/arn.h"
#include "local/policy/authorizer.h"
#include "local/ram/ram_state.h"

namespace datamesh::local {
namespace {

Error Fault(const std::string& code, const std::string& message) { return ServiceFault(code, message, 400); }

Json InvitationOutput(const Json& inv) {
  Json out = inv;
  out.erase("answeredClientToken");
  return out;
}

Json ShareOutput(const Json& share) {
  Json out = share;
  out.erase("resources");
  out.erase("principals");
  out.erase("region");
  return out;
}

// Paging shared by the list operations: "nextToken" is the next index.
Outcome<Json> Page(const Json& items, const Json& in, const char* name) {
  size_t start = 0;
  if (in.contains("nextToken")) {
    const std::string t = in["nextToken"];
    if (t.empty() || t.find_first_not_of("0123456789") != std::string::npos || t.size() > 9) {
      return Fault("InvalidNextTokenException", "The specified value for nextToken is not valid.");
    }
    start = std::stoul(t);
  }
  size_t max = in.value("maxResults", 500);
  Json page = Json::array();
  for (size_t i = start; i < items.size() && page.size() < max; ++i) page.push_back(items[i]);
  Json out = {{name, page}};
  if (start + page.size() < items.size()) out["nextToken"] = std::to_string(start + page.size());
  return out;
}

bool Listed(const Json& in, const char* filter, const Json& value) {
  if (!in.contains(filter)) return true;
  for (const auto& v : in[filter]) {
    if (v == value) return true;
  }
  return false;
}

Outcome<Json> FindInvitation(RequestContext& ctx, const std::string& arn) {
  auto parsed = Arn::Parse(arn);
  if (!parsed || parsed->service != "ram" || parsed->resource.rfind("resource-share-invitation/", 0) != 0) {
    return Fault("MalformedArnException", "The format of ARN " + arn + " is not valid.");
  }
  auto inv = ram::LoadInvitation(ctx.tx, arn);
  if (!inv || (*inv)["receiverAccountId"] != ctx.caller.account) {
    return Fault("ResourceShareInvitationArnNotFoundException", "ResourceShareInvitationArn " + arn + " could not be found.");
  }
  return *inv;
}

Outcome<Json> Respond(const Json& in, RequestContext& ctx, bool accept) {
  auto inv = FindInvitation(ctx, in["resourceShareInvitationArn"]);
  if (!inv.ok()) return inv.error();
  const std::string status = (*inv)["status"];
  // A retry with the clientToken of the call that answered replays that answer (idempotency).
  const std::string token = in.value("clientToken", "");
  if (!token.empty() && inv->value("answeredClientToken", "") == token && status == (accept ? "ACCEPTED" : "REJECTED")) {
    return Json{{"resourceShareInvitation", InvitationOutput(*inv)}, {"clientToken", token}};
  }
  if (status == "ACCEPTED") {
    return Fault("ResourceShareInvitationAlreadyAcceptedException", "The invitation was already accepted.");
  }
  if (status == "REJECTED") {
    return Fault("ResourceShareInvitationAlreadyRejectedException", "The invitation was already rejected.");
  }
  if (status == "EXPIRED") return Fault("ResourceShareInvitationExpiredException", "The invitation has expired.");
  (*inv)["status"] = accept ? "ACCEPTED" : "REJECTED";
  if (!token.empty()) (*inv)["answeredClientToken"] = token;
  ram::SaveInvitation(ctx.tx, *inv);
  Json out = {{"resourceShareInvitation", InvitationOutput(*inv)}};
  if (in.contains("clientToken")) out["clientToken"] = in["clientToken"];
  return out;
}

// A participant may leave a resource share (RAM User Guide, "Leaving a resource share"): only its
// own account, only a share made to it as an individual account (not within an organization that
// shares through RAM, where access is automatic), and only when the share holds no resource type
// that does not support leaving; Glue's catalogs, databases and tables (Lake Formation's shares)
// are among those.
Status RefuseLeaving(RequestContext& ctx, const Json& in, const Json& share) {
  const Json principals = in.value("principals", Json::array());
  if (in.contains("resourceArns") || principals != Json::array({ctx.caller.account})) {
    return Fault("OperationNotPermittedException",
                 "A participant may only remove its own account from a resource share, not other principals or resources.");
  }
  if (SharedWithinOrganization(ctx.tx, share["owningAccountId"], ctx.caller.account)) {
    return Fault("OperationNotPermittedException",
                 "This resource share reaches your account through your organization; only its owner can remove you.");
  }
  for (const auto& r : share["resources"]) {
    const std::string arn = r;
    if (arn.rfind("arn:aws:glue:", 0) == 0) {
      return Fault("OperationNotPermittedException",
                   "The resource share contains Glue resources (" + arn + "), a resource type that does not support "
                   "leaving a resource share; ask its owner to remove your account.");
    }
  }
  return OkStatus();
}

std::string AssociationStatus(RequestContext& ctx, const Json& share, const std::string& principal) {
  if (SharedWithinOrganization(ctx.tx, share["owningAccountId"], principal)) return "ASSOCIATED";
  if (auto inv = ram::InvitationOf(ctx.tx, share["resourceShareArn"], principal)) {
    return (*inv)["status"] == "ACCEPTED" ? "ASSOCIATED" : "ASSOCIATING";
  }
  return "ASSOCIATED";
}

// The RAM resource type of a Glue ARN ("glue:Catalog", "glue:Database", "glue:Table").
std::string ResourceTypeOf(const std::string& arn) {
  if (arn.find(":table/") != std::string::npos) return "glue:Table";
  if (arn.find(":database/") != std::string::npos) return "glue:Database";
  return "glue:Catalog";
}

// ListResources: the resources in the caller's shares (SELF) or in the shares that reached it
// (OTHER-ACCOUNTS), one entry a resource and share, with the API's filters.
Outcome<Json> ListResources(const Json& in, RequestContext& ctx) {
  const std::string owner = in["resourceOwner"];
  if (owner != "SELF" && owner != "OTHER-ACCOUNTS") {
    return Fault("InvalidParameterException", "resourceOwner must be SELF or OTHER-ACCOUNTS");
  }
  // Resource types are matched without regard to case (RAM API Reference, ListResources).
  const std::string type = in.value("resourceType", "");
  auto is_type = [&](const char* t) { return aws::EqualsIgnoreCase(type, t); };
  if (!type.empty() && !is_type("glue:Catalog") && !is_type("glue:Database") && !is_type("glue:Table")) {
    return Fault("InvalidResourceTypeException", "The specified resource type " + type + " is not valid.");
  }
  if (in.value("resourceRegionScope", "ALL") == "GLOBAL") return Page(Json::array(), in, "resources");
  const bool mine = owner == "SELF";
  Json items = Json::array();
  for (const auto& share : mine ? ram::SharesOwnedBy(ctx.tx, ctx.caller.account) : ram::SharesWith(ctx.tx, ctx.caller.account)) {
    if (share.value("region", ctx.region) != ctx.region) continue;
    if (!mine && AssociationStatus(ctx, share, ctx.caller.account) != "ASSOCIATED") continue;
    if (!Listed(in, "resourceShareArns", share["resourceShareArn"])) continue;
    if (in.contains("principal")) {
      const Json& principals = share["principals"];
      if (std::find(principals.begin(), principals.end(), in["principal"]) == principals.end()) continue;
    }
    for (const auto& r : share["resources"]) {
      const std::string arn = r;
      const std::string resource_type = ResourceTypeOf(arn);
      if (!type.empty() && !is_type(resource_type.c_str())) continue;
      if (!Listed(in, "resourceArns", r)) continue;
      items.push_back({{"arn", arn}, {"type", resource_type}, {"resourceShareArn", share["resourceShareArn"]},
                       {"status", "AVAILABLE"}, {"creationTime", share["creationTime"]},
                       {"lastUpdatedTime", share["lastUpdatedTime"]}, {"resourceRegionScope", "REGIONAL"}});
    }
  }
  return Page(items, in, "resources");
}

}  // namespace

Outcome<Json> RamService::Invoke(const std::string& operation, const Json& in, RequestContext& ctx) {
  if (auto s = Authorize(ctx, "ram:" + operation, "*", {"AccessDeniedException", 403}); !s.ok()) return s.error();
  if (operation == "GetResourceShareInvitations") {
    Json items = Json::array();
    // Named shares are looked up by name, so that the call costs what it returns.
    std::vector<Json> invitations;
    if (in.contains("resourceShareArns")) {
      for (const auto& arn : in["resourceShareArns"]) {
        for (auto& inv : ram::InvitationsTo(ctx.tx, ctx.caller.account, arn.get<std::string>())) invitations.push_back(std::move(inv));
      }
      std::sort(invitations.begin(), invitations.end(), [](const Json& a, const Json& b) {
        return a["resourceShareInvitationArn"] < b["resourceShareInvitationArn"];
      });
    } else {
      invitations = ram::InvitationsTo(ctx.tx, ctx.caller.account);
    }
    for (const auto& inv : invitations) {
      if (!Listed(in, "resourceShareInvitationArns", inv["resourceShareInvitationArn"])) continue;
      if (!Listed(in, "resourceShareArns", inv["resourceShareArn"])) continue;
      items.push_back(InvitationOutput(inv));
    }
    return Page(items, in, "resourceShareInvitations");
  }
  if (operation == "ListResources") return ListResources(in, ctx);
  if (operation == "EnableSharingWithAwsOrganization") {
    if (auto e = EnableRamSharingWithOrganization(ctx.tx, ctx.caller.account); !e.ok()) return e.error();
    return Json{{"returnValue", true}};
  }
  if (operation == "AcceptResourceShareInvitation") return Respond(in, ctx, true);
  if (operation == "RejectResourceShareInvitation") return Respond(in, ctx, false);
  if (operation == "GetResourceShares") {
    if (auto s = RefuseUnmodelled(in, {"permissionArn"}, "InvalidParameterException"); !s.ok()) return s.error();
    // Lake Formation's shares carry no tags: a tag filter matches none of them.
    if (!in.value("tagFilters", Json::array()).empty()) return Page(Json::array(), in, "resourceShares");
    const std::string owner = in["resourceOwner"];
    if (owner != "SELF" && owner != "OTHER-ACCOUNTS") {
      return Fault("InvalidParameterException", "resourceOwner must be SELF or OTHER-ACCOUNTS");
    }
    Json items = Json::array();
    const bool mine = owner == "SELF";
    std::vector<Json> shares;
    if (in.contains("resourceShareArns")) {
      std::set<std::string> named;
      for (const auto& arn : in["resourceShareArns"]) named.insert(arn.get<std::string>());
      for (const auto& arn : named) {
        auto share = ram::LoadShare(ctx.tx, arn);
        if (!share) continue;
        const Json& principals = (*share)["principals"];
        bool reaches = mine ? (*share)["owningAccountId"] == ctx.caller.account
                            : std::find(principals.begin(), principals.end(), ctx.caller.account) != principals.end();
        if (reaches) shares.push_back(std::move(*share));
      }
    } else {
      shares = mine ? ram::SharesOwnedBy(ctx.tx, ctx.caller.account) : ram::SharesWith(ctx.tx, ctx.caller.account);
    }
    for (const auto& share : shares) {
      if (share.value("region", ctx.region) != ctx.region) continue;
      if (!mine && AssociationStatus(ctx, share, ctx.caller.account) != "ASSOCIATED") continue;
      if (!Listed(in, "resourceShareArns", share["resourceShareArn"])) continue;
      if (in.contains("name") && share["name"] != in["name"]) continue;
      if (in.contains("resourceShareStatus") && share["status"] != in["resourceShareStatus"]) continue;
      items.push_back(ShareOutput(share));
    }
    return Page(items, in, "resourceShares");
  }
  if (operation == "GetResourceShareAssociations") {
    const std::string type = in["associationType"];
    if (type != "PRINCIPAL" && type != "RESOURCE") {
      return Fault("InvalidParameterException", "associationType must be PRINCIPAL or RESOURCE");
    }
    // The API reference: principal only with PRINCIPAL, resourceArn only with RESOURCE.
    if ((type == "RESOURCE" && in.contains("principal")) || (type == "PRINCIPAL" && in.contains("resourceArn"))) {
      return Fault("InvalidParameterException", type == "RESOURCE" ? "principal cannot be specified for RESOURCE associations"
                                                                     : "resourceArn cannot be specified for PRINCIPAL associations");
    }
    Json items = Json::array();
    for (const auto& share : ram::SharesOwnedBy(ctx.tx, ctx.caller.account)) {
      if (!Listed(in, "resourceShareArns", share["resourceShareArn"])) continue;
      const Json& entities = share[type == "PRINCIPAL" ? "principals" : "resources"];
      for (const auto& entity : entities) {
        if (type == "PRINCIPAL" && in.contains("principal") && in["principal"] != entity) continue;
        if (type == "RESOURCE" && in.contains("resourceArn") && in["resourceArn"] != entity) continue;
        std::string status = type == "PRINCIPAL" ? AssociationStatus(ctx, share, entity) : "ASSOCIATED";
        if (in.contains("associationStatus") && in["associationStatus"] != status) continue;
        items.push_back({{"resourceShareArn", share["resourceShareArn"]}, {"resourceShareName", share["name"]},
                         {"associatedEntity", entity}, {"associationType", type}, {"status", status},
                         {"creationTime", share["creationTime"]}, {"lastUpdatedTime", share["lastUpdatedTime"]},
                         {"external", type == "PRINCIPAL"}});
      }
    }
    return Page(items, in, "resourceShareAssociations");
  }
  if (operation == "DisassociateResourceShare") {
    const std::string arn = in["resourceShareArn"];
    auto share = ram::LoadShare(ctx.tx, arn);
    if (!share) return Fault("UnknownResourceException", "ResourceShare " + arn + " could not be found.");
    if ((*share)["owningAccountId"] != ctx.caller.account) {
      if (auto refused = RefuseLeaving(ctx, in, *share); !refused.ok()) return refused.error();
    }
    Json associations = Json::array();
    auto drop = [&](const char* field, const char* input, const char* type) {
      Json kept = Json::array();
      for (const auto& e : (*share)[field]) {
        if (Listed(in, input, e) && in.contains(input)) {
          associations.push_back({{"resourceShareArn", arn}, {"associatedEntity", e}, {"associationType", type},
                                  {"status", "DISASSOCIATING"}});
        } else {
          kept.push_back(e);
        }
      }
      (*share)[field] = kept;
    };
    drop("resources", "resourceArns", "RESOURCE");
    drop("principals", "principals", "PRINCIPAL");
    (*share)["lastUpdatedTime"] = aws::FormatIso8601(ctx.now);
    ram::SaveShare(ctx.tx, *share);
    Json out = {{"resourceShareAssociations", associations}};
    if (in.contains("clientToken")) out["clientToken"] = in["clientToken"];
    return out;
  }
  return Fault("UnknownOperationException", "Unknown operation " + operation);
}

}  // namespace datamesh::local
