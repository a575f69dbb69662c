#include "local/accounts/organization.h"

#include <algorithm>

#include "aws/core/crypto.h"
#include "aws/core/encoding.h"
#include "local/core/local_service.h"

namespace datamesh::local {
namespace {

constexpr char kOrganizationKind[] = "organization";
constexpr char kKey[] = "organization";

bool Member(const Json& org, const std::string& account) {
  const Json& members = org["Accounts"];
  return std::find(members.begin(), members.end(), account) != members.end();
}

}  // namespace

void CreateOrganization(Transaction& tx, const std::string& management, const std::vector<std::string>& members) {
  Json accounts = Json::array();
  for (const auto& m : members) accounts.push_back(m);
  if (!Member(Json{{"Accounts", accounts}}, management)) accounts.push_back(management);
  const std::string id = "o-" + aws::HexEncode(aws::Sha256(management)).substr(0, 10);
  tx.Put(Scope::Global(), kOrganizationKind, kKey,
         {{"Id", id}, {"ManagementAccountId", management}, {"Accounts", accounts}, {"RamSharingEnabled", false}});
}

Status EnableRamSharingWithOrganization(Transaction& tx, const std::string& caller_account) {
  auto org = tx.Get(Scope::Global(), kOrganizationKind, kKey);
  if (!org || (*org)["ManagementAccountId"] != caller_account) {
    return ServiceFault("OperationNotPermittedException",
                        "Only the management account of an organization can enable sharing with it", 400);
  }
  (*org)["RamSharingEnabled"] = true;
  tx.Put(Scope::Global(), kOrganizationKind, kKey, *org);
  return OkStatus();
}

bool SharedWithinOrganization(Transaction& tx, const std::string& owner, const std::string& recipient) {
  auto org = tx.Get(Scope::Global(), kOrganizationKind, kKey);
  return org && org->value("RamSharingEnabled", false) && Member(*org, owner) && Member(*org, recipient);
}

}  // namespace datamesh::local
