// Verifies the SigV4 signature of a request received by the local mesh (Authorization header or
// presigned query), with the same signing code as the client, and says who sent it.
#pragma once

#include "aws/core/clock.h"
#include "aws/http/http_request.h"
#include "local/core/principal.h"
#include "local/store/store.h"

namespace datamesh::local {

struct SignatureInfo {
  std::string access_key_id;
  std::string date;     // yyyymmdd of the credential scope
  std::string region;
  std::string service;  // the signing name
  std::vector<std::string> signed_headers;
  std::string signature;
  std::string amz_date;      // X-Amz-Date
  bool presigned = false;
  long long expires = 0;     // presigned: X-Amz-Expires
};

// What the request says about its signature, without checking it. nullopt: no SigV4 at all.
// An error: SigV4 that is not well formed (IncompleteSignature).
Outcome<std::optional<SignatureInfo>> ReadSignatureInfo(const aws::HttpRequest& request);

// `service`: the model name the request addresses (decides the error codes).
Outcome<Principal> Authenticate(const aws::HttpRequest& request, const std::string& service,
                                Transaction& tx, aws::SystemTime now);

}  // namespace datamesh::local
