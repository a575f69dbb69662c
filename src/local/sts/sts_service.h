// The local STS: who the caller is, and AssumeRole with the role's trust policy evaluated, the
// caller's own policies consulted across accounts, and expiring temporary credentials.
#pragma once

#include "local/core/local_service.h"

namespace datamesh::local {

class StsService : public LocalService {
 public:
  std::string name() const override { return "sts"; }
  std::string validation_error_code() const override { return "ValidationError"; }
  Outcome<Json> Invoke(const std::string& operation, const Json& input, RequestContext& ctx) override;

 private:
  Outcome<Json> AssumeRole(const Json& in, RequestContext& ctx);
};

}  // namespace datamesh::local
