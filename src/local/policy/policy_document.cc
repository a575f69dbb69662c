#include "local/policy/policy_document.h"

#include <algorithm>
#include <set>

namespace datamesh::local {
namespace {

Error Malformed(const std::string& message) {
  return Error("MalformedPolicyDocument", message, ErrorKind::kClient, 400);
}

const std::set<std::string>& KnownConditionOperators() {
  static const std::set<std::string> ops = {
      "StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase",
      "StringLike", "StringNotLike", "NumericEquals", "NumericNotEquals", "NumericLessThan",
      "NumericLessThanEquals", "NumericGreaterThan", "NumericGreaterThanEquals", "DateEquals",
      "DateNotEquals", "DateLessThan", "DateLessThanEquals", "DateGreaterThan", "DateGreaterThanEquals",
      "Bool", "BinaryEquals", "IpAddress", "NotIpAddress", "ArnEquals", "ArnLike", "ArnNotEquals",
      "ArnNotLike", "Null"};
  return ops;
}

// A string or a non-empty list of strings.
Outcome<std::vector<std::string>> StringOrList(const Json& v, const std::string& field) {
  std::vector<std::string> out;
  if (v.is_string()) {
    out.push_back(v.get<std::string>());
  } else if (v.is_array() && !v.empty()) {
    for (const auto& item : v) {
      if (!item.is_string()) return Malformed("Syntax errors in policy. " + field + " must hold strings.");
      out.push_back(item.get<std::string>());
    }
  } else {
    return Malformed("Syntax errors in policy. " + field + " must be a string or a list of strings.");
  }
  return out;
}

Status CheckAction(const std::string& action) {
  if (action == "*") return OkStatus();
  size_t colon = action.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == action.size()) {
    return Malformed("Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.");
  }
  auto valid = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '*' || c == '?'; };
  for (size_t i = 0; i < action.size(); ++i) {
    if (i != colon && !valid(action[i])) return Malformed("Action " + action + " contains illegal characters");
  }
  return OkStatus();
}

Status CheckResource(const std::string& resource) {
  if (resource == "*" || resource.rfind("arn:", 0) == 0) {
    if (resource != "*" && std::count(resource.begin(), resource.end(), ':') < 5) {
      return Malformed("Resource " + resource + " must be in ARN format or \"*\".");
    }
    return OkStatus();
  }
  return Malformed("Resource " + resource + " must be in ARN format or \"*\".");
}

Outcome<PolicyPrincipals> ParsePrincipals(const Json& v) {
  PolicyPrincipals p;
  if (v.is_string()) {
    if (v != "*") return Malformed("Invalid principal in policy: " + v.dump());
    p.everyone = true;
    return p;
  }
  if (!v.is_object() || v.empty()) return Malformed("Syntax errors in policy. Principal must be \"*\" or an object.");
  for (auto& [type, value] : v.items()) {
    auto list = StringOrList(value, "Principal");
    if (!list.ok()) return list.error();
    if (type == "AWS") {
      for (const auto& a : *list) {
        if (a == "*") {
          p.everyone = true;
        } else if (!(a.size() == 12 && std::all_of(a.begin(), a.end(), ::isdigit)) &&
                   a.rfind("arn:aws:iam::", 0) != 0 && a.rfind("arn:aws:sts::", 0) != 0) {
          return Malformed("Invalid principal in policy: \"AWS\":\"" + a + "\"");
        }
        p.aws.push_back(a);
      }
    } else if (type == "Service") {
      p.services = *list;
    } else if (type == "Federated") {
      p.federated = *list;
    } else if (type == "CanonicalUser") {
      p.aws.insert(p.aws.end(), list->begin(), list->end());
    } else {
      return Malformed("Invalid principal in policy: \"" + type + "\"");
    }
  }
  return p;
}

Outcome<std::vector<ConditionClause>> ParseConditions(const Json& v) {
  if (!v.is_object()) return Malformed("Syntax errors in policy. Condition must be an object.");
  std::vector<ConditionClause> out;
  for (auto& [op, block] : v.items()) {
    std::string base = op;
    for (const char* prefix : {"ForAnyValue:", "ForAllValues:"}) {
      if (base.rfind(prefix, 0) == 0) base = base.substr(std::string(prefix).size());
    }
    if (base.size() > 8 && base.compare(base.size() - 8, 8, "IfExists") == 0) base.resize(base.size() - 8);
    if (!KnownConditionOperators().count(base)) return Malformed("Invalid Condition type : " + op);
    if (!block.is_object() || block.empty()) return Malformed("Syntax errors in policy. Condition " + op + " is empty.");
    for (auto& [key, values] : block.items()) {
      if (key.find(':') == std::string::npos) {
        return Malformed("Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.");
      }
      ConditionClause c{op, key, {}};
      if (values.is_array()) {
        for (const auto& x : values) {
          if (x.is_object() || x.is_array() || x.is_null()) return Malformed("Syntax errors in policy.");
          c.values.push_back(x.is_string() ? x.get<std::string>() : x.dump());
        }
      } else if (values.is_string() || values.is_boolean() || values.is_number()) {
        c.values.push_back(values.is_string() ? values.get<std::string>() : values.dump());
      } else {
        return Malformed("Syntax errors in policy.");
      }
      out.push_back(std::move(c));
    }
  }
  return out;
}

Outcome<PolicyStatement> ParseStatement(const Json& s, PolicyKind kind) {
  if (!s.is_object()) return Malformed("Syntax errors in policy. Each statement must be an object.");
  static const std::set<std::string> kFields = {"Sid", "Effect", "Action", "NotAction", "Resource",
                                                "NotResource", "Principal", "NotPrincipal", "Condition"};
  for (auto& [k, v] : s.items()) {
    if (!kFields.count(k)) return Malformed("Syntax errors in policy. Unknown field " + k + ".");
  }
  PolicyStatement st;
  if (s.contains("Sid")) {
    if (!s["Sid"].is_string()) return Malformed("Syntax errors in policy. Sid must be a string.");
    st.sid = s["Sid"];
    if (kind == PolicyKind::kIdentity &&
        !std::all_of(st.sid.begin(), st.sid.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)); })) {
      return Malformed("Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*");
    }
  }
  if (!s.contains("Effect")) return Malformed("Missing required field Effect");
  if (s["Effect"] != "Allow" && s["Effect"] != "Deny") return Malformed("Invalid effect: " + s["Effect"].dump());
  st.allow = s["Effect"] == "Allow";

  bool has_action = s.contains("Action"), has_not_action = s.contains("NotAction");
  if (has_action == has_not_action) {
    return Malformed(has_action ? "Statement can not have both Action and NotAction" : "Missing required field Action");
  }
  auto actions = StringOrList(s[has_action ? "Action" : "NotAction"], "Action");
  if (!actions.ok()) return actions.error();
  for (const auto& a : *actions) {
    if (auto c = CheckAction(a); !c.ok()) return c.error();
  }
  st.actions = *actions;
  st.not_action = has_not_action;

  bool has_resource = s.contains("Resource"), has_not_resource = s.contains("NotResource");
  if (has_resource && has_not_resource) return Malformed("Statement can not have both Resource and NotResource");
  st.has_resource = has_resource || has_not_resource;
  if (kind == PolicyKind::kTrust && st.has_resource) return Malformed("Has prohibited field Resource");
  if (kind != PolicyKind::kTrust && !st.has_resource) return Malformed("Policy statement must contain resources.");
  if (st.has_resource) {
    auto resources = StringOrList(s[has_resource ? "Resource" : "NotResource"], "Resource");
    if (!resources.ok()) return resources.error();
    for (const auto& r : *resources) {
      if (auto c = CheckResource(r); !c.ok()) return c.error();
    }
    st.resources = *resources;
    st.not_resource = has_not_resource;
  }

  bool has_principal = s.contains("Principal"), has_not_principal = s.contains("NotPrincipal");
  st.has_principal = has_principal || has_not_principal;
  if (kind == PolicyKind::kIdentity && st.has_principal) {
    return Malformed("Policy document should not specify a principal.");
  }
  if (kind != PolicyKind::kIdentity) {
    if (!st.has_principal) return Malformed("Missing required field Principal");
    if (has_principal && has_not_principal) return Malformed("Statement can not have both Principal and NotPrincipal");
    auto p = ParsePrincipals(s[has_principal ? "Principal" : "NotPrincipal"]);
    if (!p.ok()) return p.error();
    st.principals = *p;
    st.not_principal = has_not_principal;
  }
  if (s.contains("Condition")) {
    auto c = ParseConditions(s["Condition"]);
    if (!c.ok()) return c.error();
    st.conditions = *c;
  }
  return st;
}

}  // namespace

size_t PolicySizeWithoutWhitespace(const std::string& text) {
  return std::count_if(text.begin(), text.end(), [](unsigned char c) { return !std::isspace(c); });
}

Outcome<PolicyDocument> ParsePolicyDocument(const std::string& text, PolicyKind kind) {
  Json j = Json::parse(text, nullptr, false);
  if (j.is_discarded()) return Malformed("Syntax errors in policy.");
  if (!j.is_object()) return Malformed("Syntax errors in policy. The policy must be a JSON object.");
  for (auto& [k, v] : j.items()) {
    if (k != "Version" && k != "Statement" && k != "Id") return Malformed("Syntax errors in policy. Unknown field " + k + ".");
  }
  PolicyDocument doc;
  // A Version that is not a string is refused, not converted (fuzz/iam_policy_fuzz found
  // {"Version": 15508} throwing out of the parser).
  if (j.contains("Version") && !j["Version"].is_string()) return Malformed("The policy must contain a valid version string");
  doc.version = j.value("Version", "2008-10-17");
  if (doc.version != "2012-10-17" && doc.version != "2008-10-17") {
    return Malformed("The policy must contain a valid version string");
  }
  if (!j.contains("Statement")) return Malformed("Missing required field Statement");
  const Json& statements = j["Statement"];
  if (statements.is_object()) {
    auto st = ParseStatement(statements, kind);
    if (!st.ok()) return st.error();
    doc.statements.push_back(std::move(*st));
  } else if (statements.is_array() && !statements.empty()) {
    std::set<std::string> sids;
    for (const auto& s : statements) {
      auto st = ParseStatement(s, kind);
      if (!st.ok()) return st.error();
      if (!st->sid.empty() && !sids.insert(st->sid).second) {
        return Malformed("Statement IDs (SID) in a single policy must be unique");
      }
      doc.statements.push_back(std::move(*st));
    }
  } else {
    return Malformed("Syntax errors in policy. Statement must be an object or a non-empty list.");
  }
  return doc;
}

}  // namespace datamesh::local
