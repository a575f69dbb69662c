#include "cli/format/yaml_output.h"

#include <yaml-cpp/yaml.h>

#include <ostream>
#include <regex>

#include "cli/format/python_str.h"

namespace datamesh::cli::format {
namespace {

using Json = nlohmann::json;

// A string a YAML reader would take for something else (a number, a boolean, null, a date) or
// that a plain scalar cannot carry must be quoted: "111111111111" is an account id, not a number.
bool NeedsQuotes(const std::string& s) {
  static const std::regex kOtherType(
      R"(^(~|null|Null|NULL|true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|y|Y|n|N|)$|)"
      R"(^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$|^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$|)"
      R"(^0[xob][0-9a-fA-F_]+$|^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}|^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$)");
  return std::regex_search(s, kOtherType);
}

// YAML 1.1 readers (PyYAML among them) take 1e+20 for a string: a float needs its point.
std::string YamlFloat(std::string text) {
  size_t e = text.find_first_of("eE");
  if (e != std::string::npos && text.find('.') == std::string::npos) text.insert(e, ".0");
  return text;
}

void Emit(YAML::Emitter& out, const Json& v) {
  switch (v.type()) {
    case Json::value_t::object:
      out << YAML::BeginMap;
      for (auto& [k, child] : v.items()) {
        out << YAML::Key;
        if (NeedsQuotes(k)) out << YAML::SingleQuoted;
        out << k << YAML::Value;
        Emit(out, child);
      }
      out << YAML::EndMap;
      return;
    case Json::value_t::array:
      out << YAML::BeginSeq;
      for (const auto& child : v) Emit(out, child);
      out << YAML::EndSeq;
      return;
    case Json::value_t::string: {
      const auto& s = v.get_ref<const std::string&>();
      if (NeedsQuotes(s)) out << YAML::SingleQuoted;
      out << s;
      return;
    }
    case Json::value_t::null: out << YAML::Null; return;
    case Json::value_t::boolean: out << (v.get<bool>() ? "true" : "false"); return;
    case Json::value_t::number_float: out << YamlFloat(v.dump()); return;
    default: out << v.dump(); return;  // integers as JSON writes them
  }
}

}  // namespace

void WriteYaml(std::ostream& out, const nlohmann::json& value) {
  if (value.is_object() && value.empty()) return;
  if (IsScalar(value)) {
    out << value.dump() << "\n";
    return;
  }
  YAML::Emitter emitter;
  emitter.SetIndent(2);
  emitter.SetBoolFormat(YAML::TrueFalseBool);
  emitter.SetNullFormat(YAML::LowerNull);
  Emit(emitter, value);
  out << emitter.c_str() << "\n";
}

}  // namespace datamesh::cli::format
