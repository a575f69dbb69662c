// One AWS service of the local mesh: its state and rules over the store, apart from any wire
// format. The handler parses requests with the shared protocol codecs and calls Invoke.
#pragma once

#include <string>

#include "aws/model/service_model.h"
#include "local/core/request_context.h"

namespace datamesh::local {

using aws::Json;

class LocalService {
 public:
  virtual ~LocalService() = default;
  // The model name: "iam", "sts", "s3", ...
  virtual std::string name() const = 0;
  // The code this service answers malformed parameters with (e.g. "ValidationError").
  virtual std::string validation_error_code() const = 0;
  // Runs one operation of the model with its parsed, validated input. Errors carry the
  // service's own codes and HTTP statuses. Runs inside a store transaction that is rolled back
  // when an error is returned.
  virtual Outcome<Json> Invoke(const std::string& operation, const Json& input, RequestContext& ctx) = 0;
};

// A service error with its HTTP status.
inline Error ServiceFault(std::string code, std::string message, int status = 400) {
  return Error(std::move(code), std::move(message), status >= 500 ? ErrorKind::kTransient : ErrorKind::kClient,
               status);
}

// Refuses, with the service's validation error, a request member the local mesh does not model
// (rather than ignoring it silently): the first of `members` present in `in`.
inline Status RefuseUnmodelled(const Json& in, std::initializer_list<const char*> members, const std::string& code,
                               int status = 400) {
  for (const char* m : members) {
    if (in.contains(m)) return ServiceFault(code, std::string(m) + " is not supported by the local mesh", status);
  }
  return OkStatus();
}

}  // namespace datamesh::local
