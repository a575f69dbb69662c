// Who made a request to the local mesh, once its signature has been verified.
#pragma once

#include <string>

namespace datamesh::local {

struct Principal {
  enum class Type { kUser, kAssumedRole };
  Type type = Type::kUser;
  std::string account;
  std::string arn;        // user ARN, or arn:aws:sts::<acct>:assumed-role/<role>/<session>
  std::string user_id;    // AIDA..., or AROA...:<session>
  std::string name;       // user name, or role name
  std::string role_arn;   // for assumed roles: the IAM role's ARN (with its path)
  std::string session_name;
  std::string access_key_id;
  std::string session_policy;  // for sessions made with a Policy parameter

  bool is_role_session() const { return type == Type::kAssumedRole; }
};

}  // namespace datamesh::local
