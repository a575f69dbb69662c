#include "mesh/mesh_policies.h"

#include <nlohmann/json.hpp>

#include "datamesh/mesh_names.h"
#include "mesh/tracker_attributes.h"

namespace datamesh::mesh {
namespace {

using Json = nlohmann::json;

Json Statement(const std::string& sid, Json actions, Json resources) {
  return {{"Sid", sid}, {"Effect", "Allow"}, {"Action", std::move(actions)}, {"Resource", std::move(resources)}};
}

constexpr char kLeadingKeys[] = "dynamodb:LeadingKeys";
constexpr char kAttributes[] = "dynamodb:Attributes";

// DynamoDB fine-grained access control ("Using IAM policy conditions for fine-grained access
// control"): conditions on the item keys and attributes a request reaches.
Json Conditioned(Json statement, Json condition) {
  statement["Condition"] = std::move(condition);
  return statement;
}

std::string Document(Json statements) { return Json{{"Version", "2012-10-17"}, {"Statement", std::move(statements)}}.dump(); }

std::string GlueArn(const PolicyScope& s, const std::string& account, const std::string& what) {
  return "arn:aws:glue:" + s.region + ":" + account + ":" + what;
}

Json CatalogResources(const PolicyScope& s, const std::string& account) {
  return Json::array({GlueArn(s, account, "catalog"), GlueArn(s, account, "database/*"), GlueArn(s, account, "table/*")});
}

std::string TrackerArn(const PolicyScope& s) {
  return "arn:aws:dynamodb:" + s.region + ":" + s.mesh_account + ":table/" + names::kTrackerTable;
}

// Items the Python library wrote have ids of another form (UUIDs) that name no account: they may
// be read by id, never written.
Json LegacySubscriptionsRead(const PolicyScope& s) {
  return Conditioned(Statement("LegacySubscriptionsRead", Json::array({"dynamodb:GetItem"}), TrackerArn(s)),
                     {{"ForAllValues:StringNotLike", {{kLeadingKeys, Json::array({tracker::AnySubscriptionKeyPattern()})}}},
                      {"Null", {{kLeadingKeys, "false"}}}});
}

std::string MeshRoleArn(const PolicyScope& s, const std::string& role) {
  return "arn:aws:iam::" + s.mesh_account + ":role" + names::kIamPath + role;
}

const Json kCatalogRead = Json::array({"glue:GetDatabase", "glue:GetDatabases", "glue:GetTable", "glue:GetTables",
                                       "glue:GetPartitions", "glue:GetTags"});

}  // namespace

std::string ManagerPolicyDocument(const PolicyScope& s) {
  return Document(Json::array({
      Statement("LakeFormationAdministration", Json::array({"lakeformation:*"}), "*"),
      Statement("MeshCatalog",
                Json::array({"glue:CreateDatabase", "glue:UpdateDatabase", "glue:DeleteDatabase", "glue:CreateTable",
                             "glue:UpdateTable", "glue:DeleteTable", "glue:CreatePartition", "glue:BatchCreatePartition",
                             "glue:GetResourcePolicy", "glue:PutResourcePolicy", "glue:TagResource", "glue:GetDatabase",
                             "glue:GetDatabases", "glue:GetTable", "glue:GetTables", "glue:GetPartitions", "glue:GetTags"}),
                CatalogResources(s, s.mesh_account)),
      Statement("ResourceShares",
                Json::array({"ram:GetResourceShares", "ram:GetResourceShareInvitations", "ram:GetResourceShareAssociations",
                             "ram:DisassociateResourceShare"}),
                "*"),
      Statement("SubscriptionTracker",
                Json::array({"dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem",
                             "dynamodb:Query", "dynamodb:Scan"}),
                Json::array({TrackerArn(s), TrackerArn(s) + "/index/*"})),
      Statement("MeshRolesRead", Json::array({"iam:GetRole", "iam:GetRolePolicy", "iam:ListAttachedRolePolicies"}),
                "arn:aws:iam::" + s.mesh_account + ":role" + names::kIamPath + "*"),
  }));
}

std::string ReadOnlyPolicyDocument(const PolicyScope& s) {
  return Document(Json::array({
      Statement("CatalogRead", kCatalogRead, CatalogResources(s, s.mesh_account)),
      Statement("PermissionsRead", Json::array({"lakeformation:ListPermissions", "lakeformation:GetResourceLFTags",
                                                "lakeformation:GetLFTag", "lakeformation:GetDataAccess"}),
                "*"),
      Statement("TrackerRead", Json::array({"dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:Query"}),
                Json::array({TrackerArn(s), TrackerArn(s) + "/index/*"})),
      // The tracker's changes as events (datamesh events): what TrackerRead shows, as it changes.
      Statement("TrackerEvents",
                Json::array({"dynamodb:DescribeStream", "dynamodb:GetShardIterator", "dynamodb:GetRecords"}),
                TrackerArn(s) + "/stream/*"),
  }));
}

std::string ProducerMeshPolicyDocument(const PolicyScope& s, const std::string& producer,
                                       const std::optional<std::string>& crawler_role) {
  Json statements = Json::array({
      Statement("MeshCatalogForProducts",
                Json::array({"glue:CreateDatabase", "glue:CreateTable", "glue:UpdateTable", "glue:BatchCreatePartition",
                             "glue:TagResource", "glue:GetTable", "glue:GetTables", "glue:CreateCrawler"}),
                Json::array({GlueArn(s, s.mesh_account, "catalog"), GlueArn(s, s.mesh_account, "database/*"),
                             GlueArn(s, s.mesh_account, "table/*"), GlueArn(s, s.mesh_account, "crawler/*")})),
      Statement("GrantOnOwnProducts",
                Json::array({"lakeformation:BatchGrantPermissions", "lakeformation:BatchRevokePermissions",
                             "lakeformation:ListPermissions", "lakeformation:RegisterResource",
                             "lakeformation:AddLFTagsToResource", "lakeformation:GetLFTag", "lakeformation:CreateLFTag",
                             "lakeformation:UpdateLFTag", "lakeformation:GetResourceLFTags"}),
                "*"),
      Statement("SharesOfOwnProducts", Json::array({"ram:GetResourceShares", "ram:GetResourceShareAssociations"}), "*"),
      // Approvals check that the consumer is named in the catalog policy (only the mesh's
      // administrator changes it).
      Statement("CatalogPolicyRead", Json::array({"glue:GetResourcePolicy"}), GlueArn(s, s.mesh_account, "catalog")),
      // The tracker: only subscriptions to its own products (their ids start with its account),
      // found through the Owner, Inbox and Pair indexes under its account alone. BatchGetItem
      // carries every key's partition value in dynamodb:LeadingKeys, so ForAllValues holds it to
      // the same items (the Developer Guide's fine-grained access control example allows
      // BatchGetItem under the same condition as GetItem).
      Conditioned(Statement("OwnSubscriptions",
                            Json::array({"dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:UpdateItem"}), TrackerArn(s)),
                  {{"ForAllValues:StringLike", {{kLeadingKeys, Json::array({tracker::OwnerKeyPattern(producer)})}}},
                   {"Null", {{kLeadingKeys, "false"}}}}),
      LegacySubscriptionsRead(s),
      Conditioned(Statement("OwnSubscriptionIndexes", Json::array({"dynamodb:Query"}),
                            Json::array({TrackerArn(s) + "/index/" + names::kOwnerIndex,
                                         TrackerArn(s) + "/index/" + names::kInboxIndex,
                                         TrackerArn(s) + "/index/" + names::kPairIndex})),
                  {{"ForAllValues:StringEquals", {{kLeadingKeys, Json::array({producer})}}},
                   {"Null", {{kLeadingKeys, "false"}}}}),
  });
  if (crawler_role) statements.push_back(Statement("PassCrawlerRole", Json::array({"iam:PassRole"}), *crawler_role));
  return Document(statements);
}

std::string ConsumerMeshPolicyDocument(const PolicyScope& s, const std::string& consumer) {
  // Catalog look-ups go through the read-only role; this one only keeps the consumer's requests:
  // items whose id names it as subscriber, and of those only the request's attributes (never the
  // producer's decision). No PutItem or DeleteItem: they would replace or remove the whole item.
  const Json own_keys = Json::array({tracker::SubscriberKeyPattern(consumer)});
  return Document(Json::array({
      Conditioned(Statement("OwnSubscriptionsRead", Json::array({"dynamodb:GetItem"}), TrackerArn(s)),
                  {{"ForAllValues:StringLike", {{kLeadingKeys, own_keys}}}, {"Null", {{kLeadingKeys, "false"}}}}),
      LegacySubscriptionsRead(s),
      Conditioned(Statement("OwnRequestsWrite", Json::array({"dynamodb:UpdateItem"}), TrackerArn(s)),
                  {{"ForAllValues:StringLike", {{kLeadingKeys, own_keys}}},
                   {"ForAllValues:StringEquals", {{kAttributes, Json(tracker::SubscriberAttributes())}}},
                   {"Null", {{kLeadingKeys, "false"}, {kAttributes, "false"}}}}),
      Conditioned(Statement("OwnSubscriptionsIndex", Json::array({"dynamodb:Query"}),
                            TrackerArn(s) + "/index/" + names::kSubscriberIndex),
                  {{"ForAllValues:StringEquals", {{kLeadingKeys, Json::array({consumer})}}},
                   {"Null", {{kLeadingKeys, "false"}}}}),
  }));
}

std::string ProducerAccessPolicyDocument(const PolicyScope& s, const std::string& producer,
                                         const std::optional<std::string>& crawler_role) {
  Json statements = Json::array({
      Statement("AssumeMeshRoles", Json::array({"sts:AssumeRole"}),
                Json::array({MeshRoleArn(s, names::ProducerAdminRole(producer)), MeshRoleArn(s, names::kReadOnlyRole)})),
      Statement("OwnCatalog",
                Json::array({"glue:GetDatabase", "glue:GetDatabases", "glue:GetTable", "glue:GetTables",
                             "glue:GetPartitions", "glue:GetTags", "glue:CreateDatabase", "glue:CreateTable",
                             "glue:DeleteTable", "glue:DeleteDatabase"}),
                CatalogResources(s, producer)),
      Statement("MeshCatalogLinks", kCatalogRead, CatalogResources(s, s.mesh_account)),
      Statement("LakeFormationInAccount",
                Json::array({"lakeformation:GetDataLakeSettings", "lakeformation:ListPermissions",
                             "lakeformation:GrantPermissions", "lakeformation:RevokePermissions",
                             "lakeformation:GetResourceLFTags", "lakeformation:ListLFTags",
                             "lakeformation:GetDataAccess"}),
                "*"),
      Statement("AcceptProductShares",
                Json::array({"ram:GetResourceShareInvitations", "ram:AcceptResourceShareInvitation", "ram:GetResourceShares"}),
                "*"),
      Statement("BucketPolicies", Json::array({"s3:GetBucketPolicy", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy"}),
                "arn:aws:s3:::*"),
  });
  if (crawler_role) statements.push_back(Statement("PassCrawlerRole", Json::array({"iam:PassRole"}), *crawler_role));
  return Document(statements);
}

std::string ConsumerAccessPolicyDocument(const PolicyScope& s, const std::string& consumer) {
  return Document(Json::array({
      Statement("AssumeMeshRoles", Json::array({"sts:AssumeRole"}),
                Json::array({MeshRoleArn(s, names::ConsumerAdminRole(consumer)), MeshRoleArn(s, names::kReadOnlyRole)})),
      Statement("LinksInAccount",
                Json::array({"glue:GetDatabase", "glue:GetDatabases", "glue:GetTable", "glue:GetTables",
                             "glue:GetPartitions", "glue:CreateDatabase", "glue:CreateTable", "glue:DeleteTable"}),
                CatalogResources(s, consumer)),
      Statement("SharedCatalogRead", kCatalogRead, CatalogResources(s, s.mesh_account)),
      Statement("LakeFormationInAccount",
                Json::array({"lakeformation:GetDataLakeSettings", "lakeformation:ListPermissions",
                             "lakeformation:GrantPermissions", "lakeformation:RevokePermissions",
                             "lakeformation:GetDataAccess"}),
                "*"),
      Statement("AcceptSubscriptionShares",
                Json::array({"ram:GetResourceShareInvitations", "ram:AcceptResourceShareInvitation", "ram:GetResourceShares"}),
                "*"),
  }));
}

}  // namespace datamesh::mesh
