// Test helper for the codec cross-check: reads {"service", "operation", "input"} JSON lines on
// stdin, serializes each request with datamesh's protocol codecs, prints the HTTP request as JSON.
#include <iostream>

#include "aws/core/encoding.h"
#include "aws/protocol/param_validator.h"
#include "aws/protocol/protocol_codec.h"

using namespace datamesh::aws;
using datamesh::Outcome;

int main() {
  std::string line;
  while (std::getline(std::cin, line)) {
    if (line.empty()) continue;
    Json in = Json::parse(line);
    const ServiceModel* model = ServiceModel::Get(in["service"].get<std::string>());
    Json out;
    const std::string op = in["operation"];
    auto valid = ValidateInput(*model, model->InputShape(*model->FindOperation(op)), in["input"]);
    auto req = valid.ok() ? ProtocolCodec::For(model->protocol())->SerializeRequest(*model, op, in["input"])
                          : Outcome<HttpRequest>(valid.error());
    if (!req.ok()) {
      out["error"] = req.error().ToString();
    } else {
      out["method"] = req->method;
      out["path"] = req->path;
      out["query"] = Json::array();
      for (auto& [k, v] : req->query) out["query"].push_back(Json::array({k, v}));
      out["headers"] = Json::array();
      for (auto& [k, v] : req->headers) out["headers"].push_back(Json::array({k, v}));
      out["body_b64"] = Base64Encode(req->body);
    }
    std::cout << out.dump() << "\n";
  }
  return 0;
}
