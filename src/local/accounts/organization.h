// An AWS Organization in the local mesh: which accounts belong to it, and whether RAM sharing
// with it is enabled (ram:EnableSharingWithAwsOrganization, by its management account). The RAM
// User Guide: with sharing enabled, resources shared with accounts in the organization reach them
// without invitations (the association is made at once); accounts outside it get invitations.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "local/store/store.h"

namespace datamesh::local {

// Creates the organization (one per local mesh) with `management` and `members`; RAM sharing is
// off until its management account enables it.
void CreateOrganization(Transaction& tx, const std::string& management, const std::vector<std::string>& members);

// The management account enables RAM sharing with its organization. Errors as RAM answers them:
// OperationNotPermittedException when the caller manages no organization.
Status EnableRamSharingWithOrganization(Transaction& tx, const std::string& caller_account);

// Whether a share from `owner` reaches `recipient` without an invitation: both in the organization,
// and RAM sharing with it enabled.
bool SharedWithinOrganization(Transaction& tx, const std::string& owner, const std::string& recipient);

}  // namespace datamesh::local
