#include "aws/config/ini_file.h"

#include <sstream>

namespace datamesh::aws {
namespace {
std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}
}  // namespace

Outcome<IniFile> ParseIni(const std::string& text, const std::string& origin) {
  IniFile file;
  std::istringstream in(text);
  std::string line;
  std::string section;
  std::string parent_key;  // key whose indented sub-settings follow
  int number = 0;
  auto bad = [&](const std::string& why) {
    return Error::Local("InvalidConfigFile",
                        origin + " line " + std::to_string(number) + ": " + why);
  };
  while (std::getline(in, line)) {
    ++number;
    std::string trimmed = Trim(line);
    if (trimmed.empty() || trimmed[0] == '#' || trimmed[0] == ';') continue;
    bool indented = line[0] == ' ' || line[0] == '\t';
    if (trimmed[0] == '[') {
      if (trimmed.back() != ']') return bad("unterminated section header");
      section = Trim(trimmed.substr(1, trimmed.size() - 2));
      if (section.empty()) return bad("empty section name");
      file[section];
      parent_key.clear();
      continue;
    }
    size_t eq = trimmed.find('=');
    if (eq == std::string::npos) return bad("expected 'key = value'");
    if (section.empty()) return bad("setting outside any [section]");
    std::string key = Trim(trimmed.substr(0, eq));
    std::string value = Trim(trimmed.substr(eq + 1));
    if (key.empty()) return bad("empty key");
    if (indented && !parent_key.empty()) {
      file[section][parent_key + "." + key] = value;
      continue;
    }
    file[section][key] = value;
    parent_key = value.empty() ? key : "";
  }
  return file;
}

}  // namespace datamesh::aws
