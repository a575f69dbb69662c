// The local RAM, for the shares Lake Formation makes: invitations (read, accept, reject), shares
// and their associations, and taking resources or principals out of a share.
#pragma once

#include "local/core/local_service.h"

namespace datamesh::local {

class RamService : public LocalService {
 public:
  std::string name() const override { return "ram"; }
  std::string validation_error_code() const override { return "MissingRequiredParameterException"; }
  Outcome<Json> Invoke(const std::string& operation, const Json& input, RequestContext& ctx) override;
};

}  // namespace datamesh::local
