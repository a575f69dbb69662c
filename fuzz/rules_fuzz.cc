// A producer's rules file (YAML or JSON), as `process-requests --rules` reads it.
#include "cli/rules/rules_file.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)datamesh::cli::ParseRules(std::string(reinterpret_cast<const char*>(data), size), "fuzz.yaml");
  return 0;
}
