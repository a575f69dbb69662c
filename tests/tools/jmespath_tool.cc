// Test helper for the JMESPath conformance test: reads {"expression": "...", "data": <json>}
// lines on stdin and answers each with one line, {"result": <json>} or {"error": "<code>"}.
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/query/jmespath.h"

using nlohmann::json;

namespace {

json Answer(const std::string& line) {
  json request = json::parse(line, nullptr, false);
  if (!request.is_object() || !request.contains("expression") ||
      !request["expression"].is_string()) {
    return {{"error", "bad-request"}};
  }
  auto expression = datamesh::cli::query::Compile(request["expression"].get<std::string>());
  if (!expression.ok()) return {{"error", expression.error().code()}};
  auto result = datamesh::cli::query::Evaluate(*expression, request.value("data", json()));
  if (!result.ok()) return {{"error", result.error().code()}};
  return {{"result", *result}};
}

}  // namespace

int main() {
  std::string line;
  while (std::getline(std::cin, line)) {
    if (line.empty()) continue;
    // ASCII only, so that no reader splits an answer at U+2028 and the like.
    std::cout << Answer(line).dump(-1, ' ', true, json::error_handler_t::replace) << "\n";
  }
  return 0;
}
