// Test helper for the botocore cross-check: reads one JSON request per line on stdin, signs it
// with datamesh's signer, and prints one JSON result per line.
#include <iostream>
#include <nlohmann/json.hpp>

#include "aws/auth/sigv4_signer.h"
#include "aws/core/encoding.h"
#include "aws/core/time_format.h"

using namespace datamesh::aws;
using nlohmann::json;

int main() {
  std::string line;
  while (std::getline(std::cin, line)) {
    if (line.empty()) continue;
    json in = json::parse(line);
    HttpRequest req;
    req.method = in["method"];
    req.endpoint.host = in["host"];
    req.path = in["path"];
    for (auto& kv : in["query"]) req.query.emplace_back(kv[0], kv[1]);
    for (auto& kv : in["headers"]) req.headers.Add(kv[0], kv[1]);
    req.body = *Base64Decode(in["body_b64"].get<std::string>());
    Credentials creds;
    creds.access_key_id = in["access_key"];
    creds.secret_access_key = in["secret"];
    creds.session_token = in.value("token", "");
    SigningOptions opt;
    opt.region = in["region"];
    opt.service = in["service"];
    opt.time = *ParseAmzDate(in["time"].get<std::string>());
    if (in.value("s3", false)) {
      opt.normalize_path = false;
      opt.double_encode_path = false;
      opt.add_content_sha256_header = in["mode"] == "header";
      if (in["mode"] == "query") opt.payload_hash = kUnsignedPayload;
    }
    opt.expires = std::chrono::seconds(in.value("expires", 3600));
    json out;
    SigningResult r = in["mode"] == "query" ? PresignRequest(req, creds, opt)
                                            : SignRequestHeaders(req, creds, opt);
    out["canonical_request"] = r.canonical_request;
    out["signature"] = r.signature;
    out["authorization"] = req.headers.Get("Authorization").value_or("");
    out["query"] = json::array();
    for (auto& [k, v] : req.query) out["query"].push_back({k, v});
    std::cout << out.dump() << "\n";
  }
  return 0;
}
