#include "local/ram/ram_state.h"

#include "aws/core/crypto.h"
#include "aws/core/encoding.h"
#include "aws/core/time_format.h"
#include "local/accounts/organization.h"
#include "local/core/ids.h"

namespace datamesh::local::ram {
namespace {

std::string ShareArn(const std::string& owner, const std::string& region, const std::string& resource_arn) {
  return "arn:aws:ram:" + region + ":" + owner + ":resource-share/" + aws::HexEncode(aws::Sha256(owner + resource_arn)).substr(0, 8) +
         "-" + aws::HexEncode(aws::Sha256(resource_arn)).substr(0, 4) + "-" + aws::HexEncode(aws::Sha256(region + resource_arn)).substr(0, 4);
}

// Lake Formation's cross-account sharing from version 2 on "uses a single AWS RAM resource share to
// represent multiple grants between two AWS accounts" (Lake Formation Developer Guide, updating
// cross-account data sharing version settings): one share of `owner` for `recipient` carries every
// resource granted to it. Shares of one resource each (version 1) come only from older mesh files.
std::string PairShareArn(const std::string& owner, const std::string& region, const std::string& recipient) {
  const std::string h = aws::HexEncode(aws::Sha256("pair:" + owner + ":" + region + ":" + recipient));
  return "arn:aws:ram:" + region + ":" + owner + ":resource-share/" + h.substr(0, 8) + "-" + h.substr(8, 4) + "-" +
         h.substr(12, 4) + "-" + h.substr(16, 4) + "-" + h.substr(20, 12);
}

std::string PairShareName(const std::string& owner, const std::string& recipient) {
  return "LakeFormation-V4-" + aws::HexEncode(aws::Sha256(owner + ":" + recipient)).substr(0, 20);
}

// Whether the share's list `member` ("resources", "principals") holds `value`.
bool Lists(const Json& share, const char* member, const std::string& value) {
  for (const auto& v : share.value(member, Json::array())) {
    if (v == value) return true;
  }
  return false;
}

// `list` without `value`.
Json Without(const Json& list, const std::string& value) {
  Json kept = Json::array();
  for (const auto& v : list) {
    if (v != value) kept.push_back(v);
  }
  return kept;
}

constexpr char kSchema[] = R"(
  CREATE TABLE IF NOT EXISTS ram_shares (
    arn TEXT PRIMARY KEY, owner TEXT NOT NULL, region TEXT NOT NULL, doc TEXT NOT NULL) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS ram_shares_by_owner ON ram_shares (owner, region, arn);
  CREATE TABLE IF NOT EXISTS ram_share_principals (
    principal TEXT NOT NULL, share_arn TEXT NOT NULL, PRIMARY KEY (principal, share_arn)) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS ram_share_principals_by_share ON ram_share_principals (share_arn);
  CREATE TABLE IF NOT EXISTS ram_invitations (
    arn TEXT PRIMARY KEY, share_arn TEXT NOT NULL, receiver TEXT NOT NULL, doc TEXT NOT NULL) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS ram_invitations_by_share ON ram_invitations (share_arn, receiver);
  CREATE INDEX IF NOT EXISTS ram_invitations_by_receiver ON ram_invitations (receiver, arn);
)";

std::vector<Json> Documents(Sql&& s) {
  std::vector<Json> out;
  while (s.Next()) out.push_back(Json::parse(s.View(0)));
  return out;
}

void DeleteInvitation(Transaction& tx, const std::string& arn) {
  tx.Change("DELETE FROM ram_invitations WHERE arn = ?").Bind(1, arn).Run();
}

}  // namespace

void CreateTables(Transaction& tx) { tx.Define(kSchema); }

void MoveFromDocuments(Transaction& tx) {
  for (auto& [arn, share] : tx.List(Scope::Global(), "ram_share")) {
    SaveShare(tx, share);
    tx.Delete(Scope::Global(), "ram_share", arn);
  }
  for (auto& [arn, invitation] : tx.List(Scope::Global(), "ram_invitation")) {
    SaveInvitation(tx, invitation);
    tx.Delete(Scope::Global(), "ram_invitation", arn);
  }
}

std::optional<Json> LoadShare(Transaction& tx, const std::string& arn) {
  Sql s = tx.Query("SELECT doc FROM ram_shares WHERE arn = ?");
  s.Bind(1, arn);
  if (!s.Next()) return std::nullopt;
  return Json::parse(s.View(0));
}

void SaveShare(Transaction& tx, const Json& share) {
  const std::string arn = share["resourceShareArn"];
  tx.Change("INSERT OR REPLACE INTO ram_shares VALUES (?, ?, ?, ?)")
      .Bind(1, arn)
      .Bind(2, share["owningAccountId"].get<std::string>())
      .Bind(3, share.value("region", ""))
      .Bind(4, share.dump())
      .Run();
  tx.Change("DELETE FROM ram_share_principals WHERE share_arn = ?").Bind(1, arn).Run();
  for (const auto& p : share["principals"]) {
    tx.Change("INSERT OR IGNORE INTO ram_share_principals VALUES (?, ?)").Bind(1, p.get<std::string>()).Bind(2, arn).Run();
  }
}

std::vector<Json> SharesOwnedBy(Transaction& tx, const std::string& owner) {
  return Documents(std::move(tx.Query("SELECT doc FROM ram_shares WHERE owner = ? ORDER BY arn").Bind(1, owner)));
}

std::vector<Json> SharesWith(Transaction& tx, const std::string& principal) {
  return Documents(std::move(tx.Query("SELECT s.doc FROM ram_share_principals p JOIN ram_shares s ON s.arn = p.share_arn "
                                      "WHERE p.principal = ? ORDER BY p.share_arn")
                                 .Bind(1, principal)));
}

std::optional<Json> LoadInvitation(Transaction& tx, const std::string& arn) {
  Sql s = tx.Query("SELECT doc FROM ram_invitations WHERE arn = ?");
  s.Bind(1, arn);
  if (!s.Next()) return std::nullopt;
  return Json::parse(s.View(0));
}

void SaveInvitation(Transaction& tx, const Json& invitation) {
  tx.Change("INSERT OR REPLACE INTO ram_invitations VALUES (?, ?, ?, ?)")
      .Bind(1, invitation["resourceShareInvitationArn"].get<std::string>())
      .Bind(2, invitation["resourceShareArn"].get<std::string>())
      .Bind(3, invitation["receiverAccountId"].get<std::string>())
      .Bind(4, invitation.dump())
      .Run();
}

std::optional<Json> InvitationOf(Transaction& tx, const std::string& share_arn, const std::string& recipient) {
  // A rejected invitation stays beside the one that replaced it; the live one answers.
  std::optional<Json> found;
  Sql s = tx.Query("SELECT doc FROM ram_invitations WHERE share_arn = ? AND receiver = ? ORDER BY arn");
  s.Bind(1, share_arn).Bind(2, recipient);
  while (s.Next()) {
    Json inv = Json::parse(s.View(0));
    if (!found || (*found)["status"] == "REJECTED") found = std::move(inv);
  }
  return found;
}

std::vector<Json> InvitationsTo(Transaction& tx, const std::string& receiver, const std::string& share_arn) {
  if (!share_arn.empty()) {
    return Documents(std::move(tx.Query("SELECT doc FROM ram_invitations WHERE share_arn = ? AND receiver = ? ORDER BY arn")
                                   .Bind(1, share_arn)
                                   .Bind(2, receiver)));
  }
  return Documents(std::move(tx.Query("SELECT doc FROM ram_invitations WHERE receiver = ? ORDER BY arn").Bind(1, receiver)));
}

std::optional<std::string> ShareArnFor(Transaction& tx, const std::string& owner, const std::string& region,
                                       const std::string& resource_arn, const std::string& recipient) {
  const std::string pair = PairShareArn(owner, region, recipient);
  if (auto share = LoadShare(tx, pair); share && Lists(*share, "resources", resource_arn)) return pair;
  const std::string single = ShareArn(owner, region, resource_arn);
  if (auto share = LoadShare(tx, single); share && Lists(*share, "principals", recipient)) return single;
  return std::nullopt;
}

std::string ShareWith(Transaction& tx, const std::string& owner, const std::string& region,
                      const std::string& resource_arn, const std::string& recipient, aws::SystemTime now) {
  const std::string arn = PairShareArn(owner, region, recipient);
  const std::string ts = aws::FormatIso8601(now);
  auto share = LoadShare(tx, arn);
  if (!share) {
    share = Json{{"resourceShareArn", arn}, {"name", PairShareName(owner, recipient)}, {"owningAccountId", owner},
                 {"allowExternalPrincipals", true}, {"status", "ACTIVE"}, {"creationTime", ts},
                 {"lastUpdatedTime", ts}, {"featureSet", "STANDARD"}, {"region", region},
                 {"resources", Json::array()}, {"principals", Json::array({recipient})}};
  }
  if (!Lists(*share, "resources", resource_arn)) {
    (*share)["resources"].push_back(resource_arn);
    (*share)["lastUpdatedTime"] = ts;
    SaveShare(tx, *share);
  }
  // Within an organization that shares through RAM the association is made at once, with no
  // invitation (RAM User Guide, sharing with AWS Organizations).
  if (SharedWithinOrganization(tx, owner, recipient)) return arn;
  // One invitation a share: resources added to a share already accepted need none.
  auto inv = InvitationOf(tx, arn, recipient);
  if (!inv || (*inv)["status"] == "REJECTED") {
    const std::string inv_arn = "arn:aws:ram:" + region + ":" + owner + ":resource-share-invitation/" + NewRequestId();
    SaveInvitation(tx, {{"resourceShareInvitationArn", inv_arn}, {"resourceShareName", (*share)["name"]},
                        {"resourceShareArn", arn}, {"senderAccountId", owner}, {"receiverAccountId", recipient},
                        {"invitationTimestamp", ts}, {"status", "PENDING"}});
  }
  return arn;
}

void Unshare(Transaction& tx, const std::string& owner, const std::string& region, const std::string& resource_arn,
             const std::string& recipient, aws::SystemTime now) {
  const std::string ts = aws::FormatIso8601(now);
  if (auto share = LoadShare(tx, PairShareArn(owner, region, recipient)); share && Lists(*share, "resources", resource_arn)) {
    (*share)["resources"] = Without((*share)["resources"], resource_arn);
    (*share)["lastUpdatedTime"] = ts;
    SaveShare(tx, *share);  // the share and its invitation stay for the account's next grant
  }
  // A share of the resource alone (an older mesh file's): the account leaves it.
  const std::string single = ShareArn(owner, region, resource_arn);
  auto share = LoadShare(tx, single);
  if (!share || !Lists(*share, "principals", recipient)) return;
  const Json kept = Without((*share)["principals"], recipient);
  (*share)["principals"] = kept;
  (*share)["lastUpdatedTime"] = ts;
  if (kept.empty()) (*share)["resources"] = Json::array();  // the resource leaves the share
  SaveShare(tx, *share);
  if (auto inv = InvitationOf(tx, single, recipient)) DeleteInvitation(tx, (*inv)["resourceShareInvitationArn"]);
}

bool Accepted(Transaction& tx, const std::string& owner, const std::string& region, const std::string& resource_arn,
              const std::string& recipient) {
  if (SharedWithinOrganization(tx, owner, recipient)) return true;
  auto share = ShareArnFor(tx, owner, region, resource_arn, recipient);
  if (!share) return false;
  auto inv = InvitationOf(tx, *share, recipient);
  return inv && (*inv)["status"] == "ACCEPTED";
}

bool SharesResourcesOf(Transaction& tx, const std::string& owner, const std::string& region) {
  Sql s = tx.Query("SELECT doc FROM ram_shares WHERE owner = ? AND region = ?");
  s.Bind(1, owner).Bind(2, region);
  while (s.Next()) {
    const Json share = Json::parse(s.View(0));
    if (!share["principals"].empty() && !share["resources"].empty()) return true;
  }
  return false;
}

}  // namespace datamesh::local::ram
