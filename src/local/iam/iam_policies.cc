// IAM customer managed policies and their versions (at most 5, one default).
#include "aws/core/time_format.h"
#include "local/core/arn.h"
#include "local/core/ids.h"
#include "local/iam/iam_entities.h"
#include "local/iam/iam_service.h"
#include "local/policy/authorizer.h"

namespace datamesh::local::iam {
namespace {

constexpr size_t kMaxPolicySize = 6144;
constexpr size_t kMaxVersions = 5;

const char kPolicySizeMessage[] = "Cannot exceed quota for PolicySize: 6144";

// A customer policy of the caller's account, found by ARN.
Outcome<Json> LoadPolicy(RequestContext& ctx, const std::string& arn) {
  auto parsed = Arn::Parse(arn);
  if (!parsed || parsed->service != "iam" || parsed->resource.rfind("policy/", 0) != 0) {
    return IamValidationError("ARN " + arn + " is not valid.");
  }
  if (parsed->account != ctx.caller.account) {
    return AccessDeniedError(ctx.caller, "iam:GetPolicy", arn, {}, "because the policy belongs to another account");
  }
  auto policy = LoadEntity(ctx, kinds::kPolicy, parsed->resource.substr(parsed->resource.rfind('/') + 1));
  if (!policy || (*policy)["Arn"] != arn) return NoSuchEntity("Policy " + arn + " was not found.");
  return *policy;
}

Json VersionOutput(const Json& v, bool with_document) {
  Json out = {{"VersionId", v["VersionId"]}, {"IsDefaultVersion", v["IsDefaultVersion"]}, {"CreateDate", v["CreateDate"]}};
  if (with_document) out["Document"] = v["Document"];
  return out;
}

}  // namespace

Outcome<Json> CreatePolicy(const Json& in, RequestContext& ctx) {
  const std::string name = in["PolicyName"];
  const std::string path = in.value("Path", "/");
  const std::string arn = IamArn(ctx.caller.account, "policy", path, name);
  if (auto s = Authorize(ctx, "iam:CreatePolicy", arn); !s.ok()) return s.error();
  if (LoadEntity(ctx, kinds::kPolicy, name)) {
    return EntityAlreadyExists("A policy called " + name + " already exists. Duplicate names are not allowed.");
  }
  const std::string document = in["PolicyDocument"];
  if (auto s = CheckIdentityPolicy(document, kMaxPolicySize, kPolicySizeMessage); !s.ok()) return s.error();
  auto tags = CheckTags(in);
  if (!tags.ok()) return tags.error();
  const std::string now = aws::FormatIso8601(ctx.now);
  Json policy = {{"PolicyName", name},
                 {"PolicyId", NewUniqueId("ANPA")},
                 {"Arn", arn},
                 {"Path", path},
                 {"DefaultVersionId", "v1"},
                 {"AttachmentCount", 0},
                 {"PermissionsBoundaryUsageCount", 0},
                 {"IsAttachable", true},
                 {"CreateDate", now},
                 {"UpdateDate", now},
                 {"Tags", *tags},
                 {"NextVersion", 2},
                 {"Versions", Json::array({{{"VersionId", "v1"}, {"IsDefaultVersion", true},
                                            {"CreateDate", now}, {"Document", document}}})}};
  if (in.contains("Description")) policy["Description"] = in["Description"];
  SaveEntity(ctx, kinds::kPolicy, policy, "PolicyName");
  return Json{{"Policy", PolicyOutput(policy)}};
}

Outcome<Json> GetPolicy(const Json& in, RequestContext& ctx) {
  const std::string arn = in["PolicyArn"];
  if (auto s = Authorize(ctx, "iam:GetPolicy", arn); !s.ok()) return s.error();
  if (auto aws_policy = AwsManagedPolicy(arn)) return Json{{"Policy", PolicyOutput(*aws_policy)}};
  auto policy = LoadPolicy(ctx, arn);
  if (!policy.ok()) return policy.error();
  return Json{{"Policy", PolicyOutput(*policy)}};
}

Outcome<Json> GetPolicyVersion(const Json& in, RequestContext& ctx) {
  const std::string arn = in["PolicyArn"];
  const std::string version = in["VersionId"];
  if (auto s = Authorize(ctx, "iam:GetPolicyVersion", arn); !s.ok()) return s.error();
  auto missing = [&] { return NoSuchEntity("Policy " + arn + " version " + version + " does not exist or is not attachable."); };
  if (auto aws_policy = AwsManagedPolicy(arn)) {
    if (version != "v1") return missing();
    return Json{{"PolicyVersion", {{"Document", (*aws_policy)["Document"]}, {"VersionId", "v1"},
                                   {"IsDefaultVersion", true}, {"CreateDate", (*aws_policy)["CreateDate"]}}}};
  }
  auto policy = LoadPolicy(ctx, arn);
  if (!policy.ok()) return policy.error();
  for (const auto& v : (*policy)["Versions"]) {
    if (v["VersionId"] == version) return Json{{"PolicyVersion", VersionOutput(v, true)}};
  }
  return missing();
}

Outcome<Json> CreatePolicyVersion(const Json& in, RequestContext& ctx) {
  const std::string arn = in["PolicyArn"];
  if (auto s = Authorize(ctx, "iam:CreatePolicyVersion", arn); !s.ok()) return s.error();
  auto policy = LoadPolicy(ctx, arn);
  if (!policy.ok()) return policy.error();
  const std::string document = in["PolicyDocument"];
  if (auto s = CheckIdentityPolicy(document, kMaxPolicySize, kPolicySizeMessage); !s.ok()) return s.error();
  Json& versions = (*policy)["Versions"];
  if (versions.size() >= kMaxVersions) {
    return LimitExceeded("A managed policy can have up to 5 versions. Before you create a new version, you must "
                         "delete an existing version.");
  }
  int next = policy->value("NextVersion", static_cast<int>(versions.size()) + 1);
  const std::string id = "v" + std::to_string(next);
  const std::string now = aws::FormatIso8601(ctx.now);
  bool make_default = in.value("SetAsDefault", false);
  if (make_default) {
    for (auto& v : versions) v["IsDefaultVersion"] = false;
    (*policy)["DefaultVersionId"] = id;
  }
  Json version = {{"VersionId", id}, {"IsDefaultVersion", make_default}, {"CreateDate", now}, {"Document", document}};
  versions.push_back(version);
  (*policy)["NextVersion"] = next + 1;
  (*policy)["UpdateDate"] = now;
  SaveEntity(ctx, kinds::kPolicy, *policy, "PolicyName");
  return Json{{"PolicyVersion", VersionOutput(version, false)}};
}

Outcome<Json> ListPolicyVersions(const Json& in, RequestContext& ctx) {
  const std::string arn = in["PolicyArn"];
  if (auto s = Authorize(ctx, "iam:ListPolicyVersions", arn); !s.ok()) return s.error();
  Json items = Json::array();
  if (auto aws_policy = AwsManagedPolicy(arn)) {
    items.push_back({{"VersionId", "v1"}, {"IsDefaultVersion", true}, {"CreateDate", (*aws_policy)["CreateDate"]}});
  } else {
    auto policy = LoadPolicy(ctx, arn);
    if (!policy.ok()) return policy.error();
    const Json& versions = (*policy)["Versions"];
    for (auto it = versions.rbegin(); it != versions.rend(); ++it) items.push_back(VersionOutput(*it, false));
  }
  Json out = Json::object();
  auto page = Page(items, in, out);
  if (!page.ok()) return page.error();
  out["Versions"] = *page;
  return out;
}

Outcome<Json> DeletePolicyVersion(const Json& in, RequestContext& ctx) {
  const std::string arn = in["PolicyArn"];
  const std::string version = in["VersionId"];
  if (auto s = Authorize(ctx, "iam:DeletePolicyVersion", arn); !s.ok()) return s.error();
  auto policy = LoadPolicy(ctx, arn);
  if (!policy.ok()) return policy.error();
  Json& versions = (*policy)["Versions"];
  for (size_t i = 0; i < versions.size(); ++i) {
    if (versions[i]["VersionId"] != version) continue;
    if (versions[i]["IsDefaultVersion"] == true) {
      return ServiceFault("DeleteConflict", "Cannot delete the default version of a policy.", 409);
    }
    versions.erase(versions.begin() + static_cast<long>(i));
    SaveEntity(ctx, kinds::kPolicy, *policy, "PolicyName");
    return Json::object();
  }
  return NoSuchEntity("Policy " + arn + " version " + version + " does not exist or is not deletable.");
}

}  // namespace datamesh::local::iam
