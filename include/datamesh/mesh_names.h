// The names a data mesh uses, shared with meshes built by the Python "AWS Data Mesh Utils"
// library, so that either tool can run a mesh the other built. Keep them exactly.
#pragma once

#include <string>

namespace datamesh::names {

inline constexpr char kIamPath[] = "/AwsDataMesh/";
inline constexpr char kManagerRole[] = "DataMeshManager";
inline constexpr char kReadOnlyRole[] = "DataMeshAdminReadOnly";
inline constexpr char kProducerRole[] = "DataMeshProducer";  // in a producer account
inline constexpr char kConsumerRole[] = "DataMeshConsumer";  // in a consumer account
inline constexpr char kProducerAccessPolicy[] = "DataMeshProducerAccess";
inline constexpr char kConsumerAccessPolicy[] = "DataMeshConsumerAccess";
inline constexpr char kReadOnlyPolicy[] = "DataMeshReadOnlyPolicy";
inline constexpr char kManagerPolicy[] = "DataMeshManagerPolicy";
inline constexpr char kTrackerTable[] = "AwsDataMeshSubscriptions";
inline constexpr char kOwnerIndex[] = "AwsDataMeshSubscriptions-Owner";
inline constexpr char kSubscriberIndex[] = "AwsDataMeshSubscriptions-Subscriber";
// datamesh's own: what awaits each producer (hash InboxOwner, present only while something does).
inline constexpr char kInboxIndex[] = "AwsDataMeshSubscriptions-Inbox";
// datamesh's own: one owner's subscriptions of one subscriber (hash OwnerPrincipal, range
// SubscriberPrincipal), what the grants between the two follow.
inline constexpr char kPairIndex[] = "AwsDataMeshSubscriptions-Pair";
inline constexpr char kSolutionTagKey[] = "Solution";
inline constexpr char kSolutionTagValue[] = "DataMeshUtils";
inline constexpr char kDomainTag[] = "Domain";
inline constexpr char kDataProductTag[] = "DataProduct";
inline constexpr char kLinkSuffix[] = "_link";

// Per-account roles and policies in the mesh account.
inline std::string ProducerAdminRole(const std::string& account) { return "DataMeshAdminProducer-" + account; }
inline std::string ConsumerAdminRole(const std::string& account) { return "DataMeshAdminConsumer-" + account; }
inline std::string ProducerPolicy(const std::string& account) { return "DataMeshProducerPolicy-" + account; }
inline std::string ConsumerPolicy(const std::string& account) { return "DataMeshConsumerPolicy-" + account; }
// Beside each role: a user of the same name and a group <RoleName>Group with Assume<RoleName>.
inline std::string GroupOf(const std::string& role) { return role + "Group"; }
inline std::string AssumePolicyOf(const std::string& role) { return "Assume" + role; }
// The mesh database for a producer database.
inline std::string MeshDatabase(const std::string& database, const std::string& producer_account) {
  return database + "-" + producer_account;
}

}  // namespace datamesh::names
