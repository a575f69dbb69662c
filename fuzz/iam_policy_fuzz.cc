// The IAM policy grammar as the local mesh reads it: identity, trust and resource policies.
#include "fuzz_input.h"
#include "local/policy/policy_document.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using datamesh::local::PolicyKind;
  datamesh::fuzz::FuzzInput in(data, size);
  static const PolicyKind kKinds[] = {PolicyKind::kIdentity, PolicyKind::kTrust, PolicyKind::kResource};
  const PolicyKind kind = kKinds[in.Byte() % 3];
  (void)datamesh::local::ParsePolicyDocument(in.Rest(), kind);
  return 0;
}
