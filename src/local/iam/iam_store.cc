#include "local/iam/iam_store.h"

#include <algorithm>
#include <map>

#include "aws/core/crypto.h"
#include "aws/core/encoding.h"
#include "aws/core/time_format.h"
#include "aws/http/headers.h"
#include "local/core/arn.h"

namespace datamesh::local {
namespace {

struct ManagedPolicy {
  const char* path;
  const char* document;
};

// The AWS managed policies the mesh and its set-up use, with their effective permissions.
const std::map<std::string, ManagedPolicy>& AwsPolicies() {
  static const std::map<std::string, ManagedPolicy> policies = {
      {"AdministratorAccess",
       {"/", R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})"}},
      {"ReadOnlyAccess",
       {"/", R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:Get*","iam:List*","sts:GetCallerIdentity","s3:Get*","s3:List*","glue:Get*","glue:Search*","lakeformation:Get*","lakeformation:List*","lakeformation:Describe*","ram:Get*","ram:List*","dynamodb:Describe*","dynamodb:Get*","dynamodb:Query","dynamodb:Scan"],"Resource":"*"}]})"}},
      {"AWSLakeFormationDataAdmin",
       {"/", R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["lakeformation:*","glue:*","iam:ListRoles","iam:ListUsers","iam:ListGroups","iam:GetRole","iam:GetRolePolicy","ram:*","s3:ListAllMyBuckets","s3:GetBucketLocation"],"Resource":"*"},{"Effect":"Deny","Action":["lakeformation:PutDataLakeSettings"],"Resource":"*"}]})"}},
      {"AWSLakeFormationCrossAccountManager",
       {"/", R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ram:CreateResourceShare","ram:AssociateResourceShare","ram:DisassociateResourceShare","ram:UpdateResourceShare","ram:DeleteResourceShare","ram:GetResourceShares","ram:GetResourceShareInvitations","ram:AcceptResourceShareInvitation","ram:RejectResourceShareInvitation","ram:GetResourceShareAssociations","glue:PutResourcePolicy","glue:DeleteResourcePolicy","glue:GetResourcePolicy"],"Resource":"*"}]})"}},
      {"aws-service-role/AWSLakeFormationDataAccessServiceRolePolicy",
       {"/aws-service-role/", R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:ListAllMyBuckets","s3:GetObject","s3:PutObject","s3:DeleteObject","s3:ListBucket","s3:GetBucketLocation"],"Resource":"*"}]})"}},
  };
  return policies;
}

std::vector<PolicyDocument> ParseAll(const std::vector<std::string>& texts) {
  std::vector<PolicyDocument> out;
  for (const auto& t : texts) {
    auto doc = ParsePolicyDocument(t, PolicyKind::kIdentity);
    if (doc.ok()) out.push_back(std::move(*doc));
  }
  return out;
}

void CollectPolicies(Transaction& tx, const Json& entity, std::vector<std::string>& texts) {
  for (const auto& arn : entity.value("AttachedPolicies", Json::array())) {
    if (auto doc = ManagedPolicyDocument(tx, arn.get<std::string>())) texts.push_back(*doc);
  }
  const Json inline_policies = entity.value("InlinePolicies", Json::object());  // items() must not outlive it
  for (auto& [name, doc] : inline_policies.items()) texts.push_back(doc.get<std::string>());
}

// A fixed id derived from the name, so that AWS managed policies keep one id everywhere.
std::string StableId(const std::string& prefix, const std::string& name) {
  std::string hex = aws::HexEncode(aws::Sha256(name));
  for (auto& c : hex) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return prefix + hex.substr(0, 17);
}

}  // namespace

std::optional<Json> AwsManagedPolicy(const std::string& arn) {
  const std::string prefix = "arn:aws:iam::aws:policy/";
  if (arn.rfind(prefix, 0) != 0) return std::nullopt;
  auto it = AwsPolicies().find(arn.substr(prefix.size()));
  if (it == AwsPolicies().end()) return std::nullopt;
  std::string name = it->first.substr(it->first.rfind('/') + 1);
  return Json{{"PolicyName", name},
              {"PolicyId", StableId("ANPA", name)},
              {"Arn", arn},
              {"Path", it->second.path},
              {"DefaultVersionId", "v1"},
              {"AttachmentCount", 0},
              {"IsAttachable", true},
              {"CreateDate", "2015-02-06T18:39:46Z"},
              {"UpdateDate", "2015-02-06T18:39:46Z"},
              {"Document", it->second.document}};
}

std::vector<Json> AwsManagedPolicies() {
  std::vector<Json> out;
  for (const auto& [name, policy] : AwsPolicies()) out.push_back(*AwsManagedPolicy("arn:aws:iam::aws:policy/" + name));
  std::sort(out.begin(), out.end(), [](const Json& a, const Json& b) { return a["PolicyName"] < b["PolicyName"]; });
  return out;
}

std::optional<std::string> ManagedPolicyDocument(Transaction& tx, const std::string& arn) {
  if (auto aws = AwsManagedPolicy(arn)) return (*aws)["Document"].get<std::string>();
  auto parsed = Arn::Parse(arn);
  if (!parsed || parsed->service != "iam" || parsed->resource.rfind("policy/", 0) != 0) return std::nullopt;
  std::string name = parsed->resource.substr(parsed->resource.rfind('/') + 1);
  auto policy = tx.Get(IamScope(parsed->account), kinds::kPolicy, aws::ToLower(name));
  if (!policy || (*policy)["Arn"] != arn) return std::nullopt;
  for (const auto& v : (*policy)["Versions"]) {
    if (v["VersionId"] == (*policy)["DefaultVersionId"]) return v["Document"].get<std::string>();
  }
  return std::nullopt;
}

std::vector<PolicyDocument> IdentityPoliciesOf(Transaction& tx, const Principal& caller) {
  std::vector<std::string> texts;
  const Scope scope = IamScope(caller.account);
  if (caller.is_role_session()) {
    if (auto role = tx.Get(scope, kinds::kRole, aws::ToLower(caller.name))) CollectPolicies(tx, *role, texts);
  } else if (auto user = tx.Get(scope, kinds::kUser, aws::ToLower(caller.name))) {
    CollectPolicies(tx, *user, texts);
    for (const auto& g : user->value("Groups", Json::array())) {
      if (auto group = tx.Get(scope, kinds::kGroup, aws::ToLower(g.get<std::string>()))) CollectPolicies(tx, *group, texts);
    }
  }
  return ParseAll(texts);
}

std::optional<PolicyDocument> PermissionsBoundaryOf(Transaction& tx, const Principal& caller) {
  const Scope scope = IamScope(caller.account);
  auto entity = caller.is_role_session() ? tx.Get(scope, kinds::kRole, aws::ToLower(caller.name))
                                         : tx.Get(scope, kinds::kUser, aws::ToLower(caller.name));
  if (!entity || !entity->contains("PermissionsBoundary")) return std::nullopt;
  const std::string arn = (*entity)["PermissionsBoundary"].value("PermissionsBoundaryArn", "");
  static const char* kNothing = R"({"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]})";
  auto text = ManagedPolicyDocument(tx, arn);
  auto doc = ParsePolicyDocument(text ? *text : kNothing, PolicyKind::kIdentity);
  if (!doc.ok()) doc = ParsePolicyDocument(kNothing, PolicyKind::kIdentity);
  return *doc;
}

std::optional<KeyOwner> FindKeyOwner(Transaction& tx, const std::string& access_key_id) {
  if (auto key = tx.Get(Scope::Global(), kinds::kAccessKey, access_key_id)) {
    auto user = tx.Get(IamScope((*key)["Account"]), kinds::kUser, aws::ToLower((*key)["UserName"].get<std::string>()));
    if (!user) return std::nullopt;  // the user was deleted
    KeyOwner owner;
    owner.secret = (*key)["SecretAccessKey"];
    owner.active = key->value("Status", "Active") == "Active";
    owner.principal.type = Principal::Type::kUser;
    owner.principal.account = (*key)["Account"];
    owner.principal.arn = (*user)["Arn"];
    owner.principal.user_id = (*user)["UserId"];
    owner.principal.name = (*user)["UserName"];
    owner.principal.access_key_id = access_key_id;
    return owner;
  }
  if (auto s = tx.Get(Scope::Global(), kinds::kSession, access_key_id)) {
    KeyOwner owner;
    owner.secret = (*s)["SecretAccessKey"];
    owner.session_token = (*s)["SessionToken"];
    owner.expires = aws::ParseIso8601((*s)["Expiration"].get<std::string>());
    owner.principal.type = Principal::Type::kAssumedRole;
    owner.principal.account = (*s)["Account"];
    owner.principal.arn = (*s)["AssumedRoleArn"];
    owner.principal.user_id = (*s)["AssumedRoleId"];
    owner.principal.name = (*s)["RoleName"];
    owner.principal.role_arn = (*s)["RoleArn"];
    owner.principal.session_name = (*s)["SessionName"];
    owner.principal.session_policy = s->value("Policy", "");
    owner.principal.access_key_id = access_key_id;
    return owner;
  }
  return std::nullopt;
}

bool AccountExists(Transaction& tx, const std::string& account) {
  return tx.Get(Scope::Global(), kinds::kAccount, account).has_value();
}

}  // namespace datamesh::local
