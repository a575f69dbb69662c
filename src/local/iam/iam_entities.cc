#include "local/iam/iam_entities.h"

#include <set>

#include "aws/http/headers.h"
#include "local/core/arn.h"

namespace datamesh::local::iam {

std::string NameKey(const std::string& name) { return aws::ToLower(name); }

std::optional<Json> LoadEntity(RequestContext& ctx, const char* kind, const std::string& name) {
  return ctx.tx.Get(IamScope(ctx.caller.account), kind, NameKey(name));
}

void SaveEntity(RequestContext& ctx, const char* kind, const Json& doc, const char* name_field) {
  ctx.tx.Put(IamScope(ctx.caller.account), kind, NameKey(doc[name_field]), doc);
}

namespace {
Json Pick(const Json& doc, std::initializer_list<const char*> fields) {
  Json out = Json::object();
  for (const char* f : fields) {
    if (doc.contains(f) && !doc[f].is_null()) out[f] = doc[f];
  }
  return out;
}
}  // namespace

Json RoleOutput(const Json& role) {
  Json out = Pick(role, {"Path", "RoleName", "RoleId", "Arn", "CreateDate", "AssumeRolePolicyDocument",
                         "Description", "MaxSessionDuration", "PermissionsBoundary", "RoleLastUsed"});
  if (role.contains("Tags") && !role["Tags"].empty()) out["Tags"] = role["Tags"];
  return out;
}

Json UserOutput(const Json& user) {
  Json out = Pick(user, {"Path", "UserName", "UserId", "Arn", "CreateDate", "PermissionsBoundary"});
  if (user.contains("Tags") && !user["Tags"].empty()) out["Tags"] = user["Tags"];
  return out;
}

Json GroupOutput(const Json& group) { return Pick(group, {"Path", "GroupName", "GroupId", "Arn", "CreateDate"}); }

Json PolicyOutput(const Json& policy) {
  Json out = Pick(policy, {"PolicyName", "PolicyId", "Arn", "Path", "DefaultVersionId", "AttachmentCount",
                           "PermissionsBoundaryUsageCount", "IsAttachable", "Description", "CreateDate",
                           "UpdateDate"});
  if (policy.contains("Tags") && !policy["Tags"].empty()) out["Tags"] = policy["Tags"];
  return out;
}

Error NoSuchEntity(const std::string& message) { return ServiceFault("NoSuchEntity", message, 404); }
Error EntityAlreadyExists(const std::string& message) { return ServiceFault("EntityAlreadyExists", message, 409); }
Error LimitExceeded(const std::string& message) { return ServiceFault("LimitExceeded", message, 409); }
Error InvalidInput(const std::string& message) { return ServiceFault("InvalidInput", message, 400); }
Error IamValidationError(const std::string& message) { return ServiceFault("ValidationError", message, 400); }

Status CheckIdentityPolicy(const std::string& text, size_t max_size, const std::string& limit_message) {
  auto doc = ParsePolicyDocument(text, PolicyKind::kIdentity);
  if (!doc.ok()) return doc.error();
  if (PolicySizeWithoutWhitespace(text) > max_size) return LimitExceeded(limit_message);
  return OkStatus();
}

Status CheckTrustPolicy(RequestContext& ctx, const std::string& text) {
  auto doc = ParsePolicyDocument(text, PolicyKind::kTrust);
  if (!doc.ok()) return doc.error();
  if (PolicySizeWithoutWhitespace(text) > 2048) {
    return LimitExceeded("Cannot exceed quota for ACLSizePerRole: 2048");
  }
  for (const auto& s : doc->statements) {
    for (const auto& p : s.principals.aws) {
      auto arn = Arn::Parse(p);
      if (!arn || arn->service != "iam") continue;  // account ids, :root, and sessions are fine
      const std::string& r = arn->resource;
      if (r == "root") continue;
      const char* kind = r.rfind("role/", 0) == 0 ? kinds::kRole : r.rfind("user/", 0) == 0 ? kinds::kUser : nullptr;
      std::string name = r.substr(r.rfind('/') + 1);
      auto entity = kind ? ctx.tx.Get(IamScope(arn->account), kind, NameKey(name)) : std::nullopt;
      if (!entity || (*entity)["Arn"] != p) {
        return ServiceFault("MalformedPolicyDocument", "Invalid principal in policy: \"AWS\":\"" + p + "\"", 400);
      }
    }
  }
  return OkStatus();
}

Outcome<Json> Page(const Json& items, const Json& input, Json& out) {
  size_t start = 0;
  if (input.contains("Marker")) {
    const std::string m = input["Marker"];
    if (m.empty() || m.find_first_not_of("0123456789") != std::string::npos || m.size() > 9 ||
        std::stoul(m) > items.size()) {
      return IamValidationError("Invalid Marker.");
    }
    start = std::stoul(m);
  }
  size_t max = input.value("MaxItems", 100);
  Json page = Json::array();
  for (size_t i = start; i < items.size() && page.size() < max; ++i) page.push_back(items[i]);
  bool truncated = start + page.size() < items.size();
  out["IsTruncated"] = truncated;
  if (truncated) out["Marker"] = std::to_string(start + page.size());
  return page;
}

Outcome<Json> CheckTags(const Json& input) {
  Json tags = input.value("Tags", Json::array());
  if (tags.size() > 50) return LimitExceeded("The number of tags has reached the maximum limit.");
  std::set<std::string> keys;
  for (const auto& t : tags) {
    if (!keys.insert(aws::ToLower(t["Key"].get<std::string>())).second) {
      return InvalidInput("Duplicate tag keys found. Please note that Tag keys are case insensitive.");
    }
  }
  return tags;
}

std::string CallerArn(RequestContext& ctx, const std::string& kind, const std::string& path,
                      const std::string& name) {
  return IamArn(ctx.caller.account, kind, path, name);
}

}  // namespace datamesh::local::iam
