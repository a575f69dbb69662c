// --query's JMESPath: an expression (the first line) compiled and evaluated against a document (the
// rest, as JSON, or a fixed one when it is not JSON).
#include <nlohmann/json.hpp>

#include "cli/query/jmespath.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  const size_t newline = input.find('\n');
  const std::string expression = input.substr(0, newline);
  nlohmann::json document = nlohmann::json::parse(newline == std::string::npos ? "" : input.substr(newline + 1), nullptr,
                                                  false, true);
  if (document.is_discarded()) {
    document = {{"a", {{"b", {1, 2, 3}}, {"c", "text"}}}, {"list", {{{"x", 1}}, {{"x", -2.5}}, {{"y", nullptr}}}}};
  }
  auto compiled = datamesh::cli::query::Compile(expression);
  if (compiled.ok()) (void)datamesh::cli::query::Evaluate(*compiled, document);
  return 0;
}
