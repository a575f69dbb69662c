// One wire protocol's decoders, on both sides: the local mesh reading a request (which operation,
// then its input) and the client reading a response and an error, for an operation of the service
// DATAMESH_FUZZ_SERVICE (its model's protocol: iam for awsQuery, dynamodb for awsJson 1.0, glue for
// awsJson 1.1, lakeformation for restJson1, s3 for restXml).
#include "aws/model/service_model.h"
#include "aws/protocol/protocol_codec.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace datamesh::aws;
  static const ServiceModel* model = ServiceModel::Get(DATAMESH_FUZZ_SERVICE);
  static const ProtocolCodec* codec = ProtocolCodec::For(model->protocol());
  static const std::vector<std::string> operations = model->OperationNames();
  datamesh::fuzz::FuzzInput in(data, size);
  const std::string& operation = operations[in.Byte() % operations.size()];
  const uint8_t shape = in.Byte();

  HttpRequest request;
  static const char* kMethods[] = {"GET", "POST", "PUT", "DELETE", "HEAD"};
  request.method = kMethods[shape % 5];
  request.path = "/" + in.Field();
  request.query = ParseQueryString(in.Field());
  request.headers.Set("Content-Type", shape & 8 ? "application/x-www-form-urlencoded" : "application/x-amz-json-1.1");
  if (shape & 16) request.headers.Set("X-Amz-Target", model->target_prefix() + "." + operation);
  request.headers.Set("X-Amz-Meta-Fuzz", in.Field());
  const std::string body = in.Rest();
  request.body = body;
  if (auto matched = codec->MatchOperation(*model, request)) {
    auto input = codec->ParseRequest(*model, *matched, request);
    (void)input;
  }
  (void)codec->ParseRequest(*model, operation, request);

  HttpResponse response;
  response.status = shape & 32 ? 200 : 400 + shape % 100;
  response.headers.Set("x-amzn-RequestId", "r");
  response.body = body;
  (void)codec->ParseResponse(*model, operation, response);
  (void)codec->ParseError(response);
  return 0;
}
