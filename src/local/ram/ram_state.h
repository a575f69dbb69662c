// RAM resource shares and invitations as Lake Formation creates them for cross-account grants:
// one share per shared catalog resource of an owner account, listing the recipient accounts,
// each with an invitation that starts PENDING.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "aws/core/clock.h"
#include "aws/model/service_model.h"
#include "local/store/store.h"

namespace datamesh::local::ram {

using aws::Json;

inline constexpr char kShareKind[] = "ram_share";            // global: key = share ARN
inline constexpr char kInvitationKind[] = "ram_invitation";  // global: key = invitation ARN

// Adds `resource_arn` to a share of `owner` for `recipient`, creating the share and a PENDING
// invitation when needed. Returns the share's ARN.
std::string ShareWith(Transaction& tx, const std::string& owner, const std::string& region,
                      const std::string& resource_arn, const std::string& recipient, aws::SystemTime now);

// Removes `recipient` from the share of `resource_arn`, and the resource from the share once no
// recipient is left.
void Unshare(Transaction& tx, const std::string& owner, const std::string& region, const std::string& resource_arn,
             const std::string& recipient, aws::SystemTime now);

// The share ARN for a resource of `owner`, if one exists.
std::optional<std::string> ShareArnFor(Transaction& tx, const std::string& owner, const std::string& region,
                                       const std::string& resource_arn);

// Whether `recipient` accepted the invitation of the share holding `resource_arn`.
bool Accepted(Transaction& tx, const std::string& owner, const std::string& region, const std::string& resource_arn,
              const std::string& recipient);

std::vector<Json> AllShares(Transaction& tx);
// Whether `owner` shares any catalog resource of `region` with another account.
bool SharesResourcesOf(Transaction& tx, const std::string& owner, const std::string& region);
std::vector<Json> AllInvitations(Transaction& tx);

}  // namespace datamesh::local::ram
