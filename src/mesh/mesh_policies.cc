#include "mesh/mesh_policies.h"

#include <nlohmann/json.hpp>

#include "datamesh/mesh_names.h"

namespace datamesh::mesh {
namespace {

using Json = nlohmann::json;

Json Statement(const std::string& sid, Json actions, Json resources) {
  return {{"Sid", sid}, {"Effect", "Allow"}, {"Action", std::move(actions)}, {"Resource", std::move(resources)}};
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
                             "lakeformation:UpdateLFTag"}),
                "*"),
      Statement("SharesOfOwnProducts", Json::array({"ram:GetResourceShares", "ram:GetResourceShareAssociations"}), "*"),
      // Approvals check that the consumer is named in the catalog policy (only the mesh's
      // administrator changes it).
      Statement("CatalogPolicyRead", Json::array({"glue:GetResourcePolicy"}), GlueArn(s, s.mesh_account, "catalog")),
      Statement("OwnSubscriptions",
                Json::array({"dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:Query"}),
                Json::array({TrackerArn(s), TrackerArn(s) + "/index/" + names::kOwnerIndex})),
  });
  if (crawler_role) statements.push_back(Statement("PassCrawlerRole", Json::array({"iam:PassRole"}), *crawler_role));
  (void)producer;
  return Document(statements);
}

std::string ConsumerMeshPolicyDocument(const PolicyScope& s, const std::string& consumer) {
  (void)consumer;
  // Catalog look-ups go through the read-only role; this one only keeps the consumer's subscriptions.
  return Document(Json::array({
      Statement("OwnSubscriptions",
                Json::array({"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query"}),
                Json::array({TrackerArn(s), TrackerArn(s) + "/index/" + names::kSubscriberIndex})),
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
                             "lakeformation:GetResourceLFTags", "lakeformation:GetDataAccess"}),
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
