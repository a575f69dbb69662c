#include "cli/rules/rules_file.h"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <set>
#include <sstream>

#include "datamesh/events.h"

namespace datamesh::cli {
namespace {

// A problem at a node of the file, as "rules.yaml:7: ...".
class Problem {
 public:
  explicit Problem(std::string origin) : origin_(std::move(origin)) {}
  Error At(const YAML::Node& node, const std::string& what) const {
    return Error::Local("InvalidRules", origin_ + ":" + std::to_string(node.Mark().line + 1) + ": " + what);
  }

 private:
  std::string origin_;
};

std::string Joined(const std::set<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : ", ") + w;
  return out;
}

Status OnlyKnownFields(const YAML::Node& map, const std::set<std::string>& known, const std::string& where,
                       const Problem& p) {
  if (!map.IsMap()) return p.At(map, where + " must be a mapping");
  for (const auto& field : map) {
    const std::string key = field.first.as<std::string>();
    if (!known.count(key)) {
      return p.At(field.first, "unknown field '" + key + "' in " + where + " (known: " + Joined(known) + ")");
    }
  }
  return OkStatus();
}

Outcome<std::string> Text(const YAML::Node& node, const std::string& what, const Problem& p) {
  if (!node.IsScalar()) return p.At(node, what + " must be a single value");
  return node.as<std::string>();
}

Outcome<std::set<std::string>> Words(const YAML::Node& node, const std::string& what, const Problem& p) {
  if (!node.IsSequence()) return p.At(node, what + " must be a list");
  std::set<std::string> out;
  for (const auto& e : node) {
    auto t = Text(e, "each entry of " + what, p);
    if (!t.ok()) return t.error();
    out.insert(*t);
  }
  return out;
}

Outcome<std::chrono::seconds> Duration(const YAML::Node& node, const std::string& what, const Problem& p) {
  auto t = Text(node, what, p);
  if (!t.ok()) return t.error();
  auto d = ParseDuration(*t);
  if (!d.ok()) return p.At(node, what + ": " + d.error().message());
  if (auto problem = ExpirySpanProblem(*d)) return p.At(node, what + " " + *problem);
  return *d;
}

Outcome<DecisionRule> RuleFrom(const YAML::Node& node, size_t index, const Problem& p) {
  const std::string where = "rule " + std::to_string(index + 1);
  if (auto s = OnlyKnownFields(node, {"name", "when", "decide", "expires_in", "note"}, where, p); !s.ok()) return s.error();
  DecisionRule r;
  if (!node["name"]) return p.At(node, where + " has no name");
  auto name = Text(node["name"], "name", p);
  if (!name.ok()) return name.error();
  r.name = *name;
  if (!node["decide"]) return p.At(node, "rule " + r.name + " has no decide (approve or deny)");
  auto decide = Text(node["decide"], "decide", p);
  if (!decide.ok()) return decide.error();
  if (*decide != "approve" && *decide != "deny") {
    return p.At(node["decide"], "decide must be approve or deny, not '" + *decide + "'");
  }
  r.decision = *decide == "approve" ? DecisionRule::Decision::kApprove : DecisionRule::Decision::kDeny;
  if (node["note"]) {
    auto note = Text(node["note"], "note", p);
    if (!note.ok()) return note.error();
    r.note = *note;
  }
  if (node["expires_in"]) {
    if (r.decision == DecisionRule::Decision::kDeny) return p.At(node["expires_in"], "expires_in is for approvals");
    auto d = Duration(node["expires_in"], "expires_in", p);
    if (!d.ok()) return d.error();
    r.expires_in = *d;
  }
  if (const YAML::Node when = node["when"]) {
    if (auto s = OnlyKnownFields(when, {"permissions_within", "subscribers", "databases", "tables", "table_tags"},
                                 "the when of rule " + r.name, p);
        !s.ok()) {
      return s.error();
    }
    struct {
      const char* key;
      std::optional<std::set<std::string>>* into;
    } lists[] = {{"permissions_within", &r.permissions_within},
                 {"subscribers", &r.subscribers},
                 {"databases", &r.databases},
                 {"tables", &r.tables}};
    for (auto& l : lists) {
      if (!when[l.key]) continue;
      auto words = Words(when[l.key], l.key, p);
      if (!words.ok()) return words.error();
      *l.into = *words;
    }
    if (const YAML::Node tags = when["table_tags"]) {
      if (!tags.IsMap()) return p.At(tags, "table_tags must map tag keys to values");
      for (const auto& t : tags) {
        auto value = Text(t.second, "the value of table tag " + t.first.as<std::string>(), p);
        if (!value.ok()) return value.error();
        r.table_tags[t.first.as<std::string>()] = *value;
      }
    }
  }
  return r;
}

}  // namespace

Outcome<DecisionRules> ParseRules(const std::string& text, const std::string& origin) {
  Problem p(origin);
  YAML::Node doc;
  try {
    doc = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    return Error::Local("InvalidRules", origin + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  try {
    if (!doc.IsMap()) return Error::Local("InvalidRules", origin + ": the rules file must be a mapping (rules: [...])");
    if (auto s = OnlyKnownFields(doc, {"require_reason", "require_decision_notes", "max_expiry", "rules"}, "the rules file", p);
        !s.ok()) {
      return s.error();
    }
    DecisionRules rules;
    for (auto [key, into] : {std::pair<const char*, bool*>{"require_reason", &rules.require_reason},
                             std::pair<const char*, bool*>{"require_decision_notes", &rules.require_decision_notes}}) {
      if (!doc[key]) continue;
      auto t = Text(doc[key], key, p);
      if (!t.ok()) return t.error();
      if (*t != "true" && *t != "false") return p.At(doc[key], std::string(key) + " must be true or false");
      *into = *t == "true";
    }
    if (doc["max_expiry"]) {
      auto d = Duration(doc["max_expiry"], "max_expiry", p);
      if (!d.ok()) return d.error();
      rules.max_expiry = *d;
    }
    if (const YAML::Node list = doc["rules"]) {
      if (!list.IsSequence()) return p.At(list, "rules must be a list");
      std::set<std::string> names;
      for (size_t i = 0; i < list.size(); ++i) {
        auto r = RuleFrom(list[i], i, p);
        if (!r.ok()) return r.error();
        if (!names.insert(r->name).second) return p.At(list[i], "two rules are named " + r->name);
        rules.rules.push_back(std::move(*r));
      }
    }
    return rules;
  } catch (const YAML::Exception& e) {
    return Error::Local("InvalidRules", origin + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
}

Outcome<DecisionRules> LoadRules(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Error::Local("InvalidRules", "cannot read rules file " + path);
  std::stringstream text;
  text << in.rdbuf();
  return ParseRules(text.str(), path);
}

}  // namespace datamesh::cli
