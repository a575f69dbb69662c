// The local mesh's reading of SigV4 signatures, from headers (Authorization, X-Amz-Date,
// X-Amz-Security-Token) or from a presigned query string, before any key is looked up.
#include "fuzz_input.h"
#include "local/auth/request_authenticator.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  datamesh::fuzz::FuzzInput in(data, size);
  datamesh::aws::HttpRequest request;
  request.method = in.Byte() % 2 ? "POST" : "GET";
  const uint8_t form = in.Byte();
  request.headers.Set("Host", "localhost");
  if (form % 2 == 0) {
    request.headers.Set("Authorization", in.Field());
    request.headers.Set("X-Amz-Date", in.Field());
    if (form & 2) request.headers.Set("X-Amz-Security-Token", in.Field());
  } else {
    request.query = datamesh::aws::ParseQueryString(in.Field());
  }
  request.path = "/" + in.Field();
  request.body = in.Rest();
  auto info = datamesh::local::ReadSignatureInfo(request);
  (void)info;
  return 0;
}
