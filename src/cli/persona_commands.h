// Shared plumbing of the producer and consumer commands: build the persona from the credentials
// file entry it needs, run one library call, print its result or its error.
#pragma once

#include <iostream>

#include "cli/command.h"
#include "cli/output.h"

namespace datamesh::cli {

template <typename Persona, typename Call>
int RunPersona(const GlobalOptions& globals, const std::string& entry, const std::string& command,
               const std::string& title, Call call) {
  auto options = globals.MeshOptionsFor(entry);
  if (!options.ok()) return ReportError(std::cerr, options.error(), command);
  auto persona = Persona::Create(*options);
  if (!persona.ok()) return ReportError(std::cerr, persona.error(), command);
  auto out = call(*persona);
  if (!out.ok()) return ReportError(std::cerr, out.error(), command);
  return PrintResult(std::cout, AsJson(*out), globals, title);
}

// data-mesh-cli's comma-separated lists ("orders,customers") as separate entries. A comma inside
// braces, brackets or parentheses belongs to a regular expression ("t{1,3}") and does not split.
inline std::vector<std::string> SplitCommaList(const std::vector<std::string>& words) {
  std::vector<std::string> out;
  for (const auto& w : words) {
    int depth = 0;
    std::string current;
    for (char c : w) {
      if (c == '{' || c == '[' || c == '(') ++depth;
      if ((c == '}' || c == ']' || c == ')') && depth > 0) --depth;
      if (c == ',' && depth == 0) {
        if (!current.empty()) out.push_back(current);
        current.clear();
        continue;
      }
      current += c;
    }
    if (!current.empty()) out.push_back(current);
  }
  return out;
}

// Adds a flag in both spellings the CLI accepts (--kebab-case and --snake_case). `names` is a
// comma-separated list of kebab-case names without dashes ("request-id,subscription-id").
template <typename T>
CLI::Option* AddFlag(CLI::App& app, const std::string& names, T& target, const std::string& help) {
  std::string all;
  size_t start = 0;
  while (start <= names.size()) {
    size_t end = names.find(',', start);
    if (end == std::string::npos) end = names.size();
    std::string kebab = names.substr(start, end - start);
    std::string snake = kebab;
    for (auto& c : snake) {
      if (c == '-') c = '_';
    }
    all += (all.empty() ? "--" : ",--") + kebab;
    if (snake != kebab) all += ",--" + snake;
    start = end + 1;
  }
  return app.add_option(all, target, help);
}

}  // namespace datamesh::cli
