// IAM users, groups and access keys.
#include "aws/core/time_format.h"
#include "local/core/arn.h"
#include "local/core/ids.h"
#include "local/iam/iam_entities.h"
#include "local/iam/iam_service.h"
#include "local/policy/authorizer.h"

namespace datamesh::local::iam {
namespace {

constexpr size_t kMaxGroupsPerUser = 10;
constexpr size_t kMaxAccessKeysPerUser = 2;

std::string ArnOf(RequestContext& ctx, const char* kind, const char* type, const std::string& name) {
  auto entity = LoadEntity(ctx, kind, name);
  return entity ? (*entity)["Arn"].get<std::string>() : IamArn(ctx.caller.account, type, "/", name);
}

// The user an operation is about: the named one, or the caller when no name is given.
Outcome<std::string> TargetUser(const Json& in, RequestContext& ctx) {
  if (in.contains("UserName")) return in["UserName"].get<std::string>();
  if (ctx.caller.is_role_session()) {
    return IamValidationError("Must specify userName when calling with non-User credentials");
  }
  return ctx.caller.name;
}

}  // namespace

Outcome<Json> CreateUser(const Json& in, RequestContext& ctx) {
  const std::string name = in["UserName"];
  const std::string path = in.value("Path", "/");
  const std::string arn = IamArn(ctx.caller.account, "user", path, name);
  if (auto s = Authorize(ctx, "iam:CreateUser", arn); !s.ok()) return s.error();
  if (LoadEntity(ctx, kinds::kUser, name)) return EntityAlreadyExists("User with name " + name + " already exists.");
  auto tags = CheckTags(in);
  if (!tags.ok()) return tags.error();
  Json user = {{"Path", path},
               {"UserName", name},
               {"UserId", NewUniqueId("AIDA")},
               {"Arn", arn},
               {"CreateDate", aws::FormatIso8601(ctx.now)},
               {"Tags", *tags},
               {"Groups", Json::array()},
               {"AttachedPolicies", Json::array()},
               {"InlinePolicies", Json::object()}};
  if (in.contains("PermissionsBoundary")) {
    if (!ManagedPolicyDocument(ctx.tx, in["PermissionsBoundary"])) {
      return InvalidInput("Scope ARN: " + in["PermissionsBoundary"].get<std::string>() + " does not exist or is not attachable.");
    }
    user["PermissionsBoundary"] = {{"PermissionsBoundaryType", "PermissionsBoundaryPolicy"}, {"PermissionsBoundaryArn", in["PermissionsBoundary"]}};
  }
  SaveEntity(ctx, kinds::kUser, user, "UserName");
  return Json{{"User", UserOutput(user)}};
}

Outcome<Json> GetUser(const Json& in, RequestContext& ctx) {
  auto name = TargetUser(in, ctx);
  if (!name.ok()) return name.error();
  if (auto s = Authorize(ctx, "iam:GetUser", ArnOf(ctx, kinds::kUser, "user", *name)); !s.ok()) return s.error();
  auto user = LoadEntity(ctx, kinds::kUser, *name);
  if (!user) return NoSuchEntity("The user with name " + *name + " cannot be found.");
  return Json{{"User", UserOutput(*user)}};
}

Outcome<Json> CreateGroup(const Json& in, RequestContext& ctx) {
  const std::string name = in["GroupName"];
  const std::string path = in.value("Path", "/");
  const std::string arn = IamArn(ctx.caller.account, "group", path, name);
  if (auto s = Authorize(ctx, "iam:CreateGroup", arn); !s.ok()) return s.error();
  if (LoadEntity(ctx, kinds::kGroup, name)) return EntityAlreadyExists("Group with name " + name + " already exists.");
  Json group = {{"Path", path},
                {"GroupName", name},
                {"GroupId", NewUniqueId("AGPA")},
                {"Arn", arn},
                {"CreateDate", aws::FormatIso8601(ctx.now)},
                {"Users", Json::array()},
                {"AttachedPolicies", Json::array()},
                {"InlinePolicies", Json::object()}};
  SaveEntity(ctx, kinds::kGroup, group, "GroupName");
  return Json{{"Group", GroupOutput(group)}};
}

Outcome<Json> GetGroup(const Json& in, RequestContext& ctx) {
  const std::string name = in["GroupName"];
  if (auto s = Authorize(ctx, "iam:GetGroup", ArnOf(ctx, kinds::kGroup, "group", name)); !s.ok()) return s.error();
  auto group = LoadEntity(ctx, kinds::kGroup, name);
  if (!group) return NoSuchEntity("The group with name " + name + " cannot be found.");
  Json users = Json::array();
  for (const auto& u : (*group)["Users"]) {
    if (auto user = LoadEntity(ctx, kinds::kUser, u.get<std::string>())) users.push_back(UserOutput(*user));
  }
  Json out = Json::object();
  auto page = Page(users, in, out);
  if (!page.ok()) return page.error();
  out["Group"] = GroupOutput(*group);
  out["Users"] = *page;
  return out;
}

Outcome<Json> AddUserToGroup(const Json& in, RequestContext& ctx) {
  const std::string group_name = in["GroupName"];
  const std::string user_name = in["UserName"];
  if (auto s = Authorize(ctx, "iam:AddUserToGroup", ArnOf(ctx, kinds::kGroup, "group", group_name)); !s.ok()) {
    return s.error();
  }
  auto group = LoadEntity(ctx, kinds::kGroup, group_name);
  if (!group) return NoSuchEntity("The group with name " + group_name + " cannot be found.");
  auto user = LoadEntity(ctx, kinds::kUser, user_name);
  if (!user) return NoSuchEntity("The user with name " + user_name + " cannot be found.");
  Json& groups = (*user)["Groups"];
  for (const auto& g : groups) {
    if (NameKey(g) == NameKey(group_name)) return Json::object();  // already a member
  }
  if (groups.size() >= kMaxGroupsPerUser) return LimitExceeded("Cannot exceed quota for GroupsPerUser: 10");
  groups.push_back((*group)["GroupName"]);
  (*group)["Users"].push_back((*user)["UserName"]);
  SaveEntity(ctx, kinds::kUser, *user, "UserName");
  SaveEntity(ctx, kinds::kGroup, *group, "GroupName");
  return Json::object();
}

Outcome<Json> AttachGroupPolicy(const Json& in, RequestContext& ctx) {
  const std::string name = in["GroupName"];
  if (auto s = Authorize(ctx, "iam:AttachGroupPolicy", ArnOf(ctx, kinds::kGroup, "group", name)); !s.ok()) {
    return s.error();
  }
  auto group = LoadEntity(ctx, kinds::kGroup, name);
  if (!group) return NoSuchEntity("The group with name " + name + " cannot be found.");
  if (auto s = AttachManagedPolicy(ctx, *group, in["PolicyArn"], "PoliciesPerGroup"); !s.ok()) return s.error();
  SaveEntity(ctx, kinds::kGroup, *group, "GroupName");
  return Json::object();
}

Outcome<Json> CreateAccessKey(const Json& in, RequestContext& ctx) {
  auto name = TargetUser(in, ctx);
  if (!name.ok()) return name.error();
  if (auto s = Authorize(ctx, "iam:CreateAccessKey", ArnOf(ctx, kinds::kUser, "user", *name)); !s.ok()) {
    return s.error();
  }
  auto user = LoadEntity(ctx, kinds::kUser, *name);
  if (!user) return NoSuchEntity("The user with name " + *name + " cannot be found.");
  Json keys = user->value("AccessKeys", Json::array());
  if (keys.size() >= kMaxAccessKeysPerUser) return LimitExceeded("Cannot exceed quota for AccessKeysPerUser: 2");
  Json key = {{"UserName", (*user)["UserName"]},
              {"AccessKeyId", NewAccessKeyId("AKIA")},
              {"Status", "Active"},
              {"SecretAccessKey", NewSecretAccessKey()},
              {"CreateDate", aws::FormatIso8601(ctx.now)}};
  Json stored = key;
  stored["Account"] = ctx.caller.account;
  ctx.tx.Put(Scope::Global(), kinds::kAccessKey, key["AccessKeyId"], stored);
  keys.push_back(key["AccessKeyId"]);
  (*user)["AccessKeys"] = keys;
  SaveEntity(ctx, kinds::kUser, *user, "UserName");
  return Json{{"AccessKey", key}};
}

}  // namespace datamesh::local::iam
