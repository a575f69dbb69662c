// Writes one JSON document (stdin) in an output format of the CLI, for the conformance test that
// compares the formats with the AWS CLI's own formatters.
// Usage: format_tool text|table|yaml [TITLE]
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/format/table_output.h"
#include "cli/format/text_output.h"
#include "cli/format/yaml_output.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: format_tool text|table|yaml [TITLE]\n";
    return 2;
  }
  std::string input((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  auto doc = nlohmann::json::parse(input, nullptr, false);
  if (doc.is_discarded()) {
    std::cerr << "format_tool: stdin is not JSON\n";
    return 2;
  }
  std::string format = argv[1];
  namespace f = datamesh::cli::format;
  if (format == "text") f::WriteText(std::cout, doc);
  else if (format == "table") f::WriteTable(std::cout, doc, argc > 2 ? argv[2] : "Title", 80);
  else if (format == "yaml") f::WriteYaml(std::cout, doc);
  else return 2;
  return 0;
}
