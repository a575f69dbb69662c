// RAM resource shares and invitations as Lake Formation creates them for cross-account grants:
// one share per shared catalog resource of an owner account, listing the recipient accounts,
// each with an invitation that starts PENDING. Shares and invitations live in their own tables,
// indexed by owner, by principal, and by share and receiver, so that finding a share or an
// invitation costs the same in a mesh with ten shares as in one with ten thousand.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "aws/core/clock.h"
#include "aws/model/service_model.h"
#include "local/store/store.h"

namespace datamesh::local::ram {

using aws::Json;

void CreateTables(Transaction& tx);
// Files of version 2 and earlier kept shares and invitations as documents: they move to the tables.
void MoveFromDocuments(Transaction& tx);

std::optional<Json> LoadShare(Transaction& tx, const std::string& arn);
void SaveShare(Transaction& tx, const Json& share);
// In share ARN order.
std::vector<Json> SharesOwnedBy(Transaction& tx, const std::string& owner);
std::vector<Json> SharesWith(Transaction& tx, const std::string& principal);

std::optional<Json> LoadInvitation(Transaction& tx, const std::string& arn);
void SaveInvitation(Transaction& tx, const Json& invitation);
// The invitation of `recipient` to a share, if there is one.
std::optional<Json> InvitationOf(Transaction& tx, const std::string& share_arn, const std::string& recipient);
// In invitation ARN order; with `share_arn`, only the invitations to that share.
std::vector<Json> InvitationsTo(Transaction& tx, const std::string& receiver, const std::string& share_arn = "");

// Adds `resource_arn` to the share of `owner` for `recipient` (one share an account pair, as Lake
// Formation's cross-account sharing does from version 2 on), creating the share and a PENDING
// invitation when needed. Returns the share's ARN.
std::string ShareWith(Transaction& tx, const std::string& owner, const std::string& region,
                      const std::string& resource_arn, const std::string& recipient, aws::SystemTime now);

// `resource_arn` leaves the share of `owner` for `recipient`; the share and its invitation stay.
// (A share of that resource alone, from an older mesh file, loses `recipient`.)
void Unshare(Transaction& tx, const std::string& owner, const std::string& region, const std::string& resource_arn,
             const std::string& recipient, aws::SystemTime now);

// The share carrying a resource of `owner` to `recipient`, if there is one.
std::optional<std::string> ShareArnFor(Transaction& tx, const std::string& owner, const std::string& region,
                                       const std::string& resource_arn, const std::string& recipient);

// Whether `recipient` accepted the invitation of the share holding `resource_arn`.
bool Accepted(Transaction& tx, const std::string& owner, const std::string& region, const std::string& resource_arn,
              const std::string& recipient);

// Whether `owner` shares any catalog resource of `region` with another account.
bool SharesResourcesOf(Transaction& tx, const std::string& owner, const std::string& region);

}  // namespace datamesh::local::ram
