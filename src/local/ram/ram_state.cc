#include "local/ram/ram_state.h"

#include "aws/core/crypto.h"
#include "aws/core/encoding.h"
#include "aws/core/time_format.h"
#include "local/accounts/organization.h"
#include "local/core/ids.h"

namespace datamesh::local::ram {
namespace {

std::string ShareName(const std::string& resource_arn) {
  return "LakeFormation-V3-" + aws::HexEncode(aws::Sha256(resource_arn)).substr(0, 20);
}

std::string ShareArn(const std::string& owner, const std::string& region, const std::string& resource_arn) {
  return "arn:aws:ram:" + region + ":" + owner + ":resource-share/" + aws::HexEncode(aws::Sha256(owner + resource_arn)).substr(0, 8) +
         "-" + aws::HexEncode(aws::Sha256(resource_arn)).substr(0, 4) + "-" + aws::HexEncode(aws::Sha256(region + resource_arn)).substr(0, 4);
}

std::optional<Json> InvitationOf(Transaction& tx, const std::string& share_arn, const std::string& recipient) {
  for (auto& [k, inv] : tx.List(Scope::Global(), kInvitationKind)) {
    if (inv["resourceShareArn"] == share_arn && inv["receiverAccountId"] == recipient) return inv;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> ShareArnFor(Transaction& tx, const std::string& owner, const std::string& region,
                                       const std::string& resource_arn) {
  std::string arn = ShareArn(owner, region, resource_arn);
  if (tx.Get(Scope::Global(), kShareKind, arn)) return arn;
  return std::nullopt;
}

std::string ShareWith(Transaction& tx, const std::string& owner, const std::string& region,
                      const std::string& resource_arn, const std::string& recipient, aws::SystemTime now) {
  const std::string arn = ShareArn(owner, region, resource_arn);
  const std::string ts = aws::FormatIso8601(now);
  auto share = tx.Get(Scope::Global(), kShareKind, arn);
  if (!share) {
    share = Json{{"resourceShareArn", arn}, {"name", ShareName(resource_arn)}, {"owningAccountId", owner},
                 {"allowExternalPrincipals", true}, {"status", "ACTIVE"}, {"creationTime", ts},
                 {"lastUpdatedTime", ts}, {"featureSet", "STANDARD"}, {"region", region},
                 {"resources", Json::array({resource_arn})}, {"principals", Json::array()}};
  }
  Json& principals = (*share)["principals"];
  bool known = false;
  for (const auto& p : principals) known |= p == recipient;
  if (!known) {
    principals.push_back(recipient);
    (*share)["lastUpdatedTime"] = ts;
  }
  tx.Put(Scope::Global(), kShareKind, arn, *share);
  // Within an organization that shares through RAM the association is made at once, with no
  // invitation (RAM User Guide, sharing with AWS Organizations).
  if (SharedWithinOrganization(tx, owner, recipient)) return arn;
  auto inv = InvitationOf(tx, arn, recipient);
  if (!inv || (*inv)["status"] == "REJECTED") {
    const std::string inv_arn = "arn:aws:ram:" + region + ":" + owner + ":resource-share-invitation/" + NewRequestId();
    tx.Put(Scope::Global(), kInvitationKind, inv_arn,
           {{"resourceShareInvitationArn", inv_arn}, {"resourceShareName", (*share)["name"]},
            {"resourceShareArn", arn}, {"senderAccountId", owner}, {"receiverAccountId", recipient},
            {"invitationTimestamp", ts}, {"status", "PENDING"}});
  }
  return arn;
}

void Unshare(Transaction& tx, const std::string& owner, const std::string& region, const std::string& resource_arn,
             const std::string& recipient, aws::SystemTime now) {
  const std::string arn = ShareArn(owner, region, resource_arn);
  auto share = tx.Get(Scope::Global(), kShareKind, arn);
  if (!share) return;
  Json kept = Json::array();
  for (const auto& p : (*share)["principals"]) {
    if (p != recipient) kept.push_back(p);
  }
  (*share)["principals"] = kept;
  (*share)["lastUpdatedTime"] = aws::FormatIso8601(now);
  if (kept.empty()) (*share)["resources"] = Json::array();  // the resource leaves the share
  tx.Put(Scope::Global(), kShareKind, arn, *share);
  if (auto inv = InvitationOf(tx, arn, recipient)) tx.Delete(Scope::Global(), kInvitationKind, (*inv)["resourceShareInvitationArn"]);
}

bool Accepted(Transaction& tx, const std::string& owner, const std::string& region, const std::string& resource_arn,
              const std::string& recipient) {
  if (SharedWithinOrganization(tx, owner, recipient)) return true;
  auto inv = InvitationOf(tx, ShareArn(owner, region, resource_arn), recipient);
  return inv && (*inv)["status"] == "ACCEPTED";
}

std::vector<Json> AllShares(Transaction& tx) {
  std::vector<Json> out;
  for (auto& [k, v] : tx.List(Scope::Global(), kShareKind)) out.push_back(v);
  return out;
}

bool SharesResourcesOf(Transaction& tx, const std::string& owner, const std::string& region) {
  for (auto& [k, share] : tx.List(Scope::Global(), kShareKind)) {
    if (share["owningAccountId"] == owner && share.value("region", "") == region && !share["principals"].empty()) return true;
  }
  return false;
}

std::vector<Json> AllInvitations(Transaction& tx) {
  std::vector<Json> out;
  for (auto& [k, v] : tx.List(Scope::Global(), kInvitationKind)) out.push_back(v);
  return out;
}

}  // namespace datamesh::local::ram
