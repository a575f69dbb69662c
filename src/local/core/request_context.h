// Everything a local service needs to answer one request.
#pragma once

#include <string>

#include "aws/core/clock.h"
#include "aws/http/http_request.h"
#include "local/core/principal.h"
#include "local/store/store.h"

namespace datamesh::local {

struct RequestContext {
  const aws::HttpRequest& request;
  Principal caller;
  std::string region;  // from the credential scope
  Transaction& tx;
  aws::SystemTime now;
  std::string request_id;
};

}  // namespace datamesh::local
