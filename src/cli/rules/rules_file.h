// A producer's rules file (YAML, or JSON, which YAML reads too):
//
//   require_reason: true          # requests that do not say why are denied
//   require_decision_notes: true  # approve/deny/modify (--rules FILE or $DATAMESH_RULES) need notes
//   max_expiry: 90d               # approvals by rule last at most this long
//   rules:                        # in order; the first that matches decides
//     - name: partners-may-describe
//       when: {permissions_within: [DESCRIBE], subscribers: ["333333333333"]}
//       decide: approve
//       expires_in: 30d
//     - name: sensitive
//       when: {table_tags: {sensitivity: high}}   # also: databases, tables (see datamesh/rules.h)
//       decide: deny
//       note: sensitive tables are decided by hand
//
// A file that does not parse, or names a field it does not know, is refused whole, with the line
// and the problem.
#pragma once

#include <string>

#include "datamesh/outcome.h"
#include "datamesh/rules.h"

namespace datamesh::cli {

Outcome<DecisionRules> ParseRules(const std::string& text, const std::string& origin);
Outcome<DecisionRules> LoadRules(const std::string& path);

}  // namespace datamesh::cli
