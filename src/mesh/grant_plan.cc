#include "mesh/grant_plan.h"

#include <algorithm>

namespace datamesh::mesh {
namespace {

Json TableResource(const std::string& mesh, const std::string& key) {
  return {{"Table", {{"CatalogId", mesh}, {"DatabaseName", DatabaseOfKey(key)}, {"Name", TableOfKey(key)}}}};
}

Json DatabaseResource(const std::string& mesh, const std::string& database) {
  return {{"Database", {{"CatalogId", mesh}, {"Name", database}}}};
}

Json Entry(const std::string& id, const std::string& principal, const Json& resource,
           const std::set<std::string>& permissions, const std::set<std::string>& grantable) {
  return {{"Id", id},
          {"Principal", {{"DataLakePrincipalIdentifier", principal}}},
          {"Resource", resource},
          {"Permissions", Json(permissions)},
          {"PermissionsWithGrantOption", Json(grantable)}};
}

std::set<std::string> Minus(const std::set<std::string>& a, const std::set<std::string>& b) {
  std::set<std::string> out;
  for (const auto& x : a) {
    if (!b.count(x)) out.insert(x);
  }
  return out;
}

}  // namespace

ConsumerAccess DesiredAccessOf(const std::vector<Subscription>& active, const std::set<std::string>& products) {
  // Lake Formation does not count grants: what two subscriptions need is one grant, the union.
  ConsumerAccess desired;
  for (const auto& s : active) {
    for (const auto& arn : s.granted_table_arns) {
      const std::string key = TableKeyOfArn(arn);
      if (key.empty() || !products.count(DatabaseOfKey(key))) continue;
      auto& t = desired.tables[key];
      t.permissions.insert(s.permitted_grants.begin(), s.permitted_grants.end());
      t.grantable.insert(s.grantable_grants.begin(), s.grantable_grants.end());
      desired.databases.insert(DatabaseOfKey(key));
    }
  }
  return desired;
}

void CompareAccess(AccessDrift& d) {
  std::set<std::string> keys;
  for (const auto& [k, v] : d.desired.tables) keys.insert(k);
  for (const auto& [k, v] : d.held.tables) keys.insert(k);
  d.tables.clear();
  for (const auto& k : keys) {
    auto w = d.desired.tables.find(k);
    auto h = d.held.tables.find(k);
    const TableAccess want = w == d.desired.tables.end() ? TableAccess{} : w->second;
    const TableAccess have = h == d.held.tables.end() ? TableAccess{} : h->second;
    if (!(want == have)) d.tables.push_back(k);
  }
  d.databases = Differing(d.desired.databases, d.held.databases);
}

GrantChanges PlanGrantChanges(const AccessDrift& d, const std::string& mesh) {
  GrantChanges out;
  static const TableAccess kNone;
  for (const auto& key : d.tables) {
    auto want_it = d.desired.tables.find(key);
    auto have_it = d.held.tables.find(key);
    const TableAccess& want = want_it == d.desired.tables.end() ? kNone : want_it->second;
    const TableAccess& have = have_it == d.held.tables.end() ? kNone : have_it->second;
    auto add = Minus(want.permissions, have.permissions);
    auto add_options = Minus(want.grantable, have.grantable);
    if (!add.empty() || !add_options.empty()) {
      // A grant option travels with its permission (granting a held permission again is harmless).
      std::set<std::string> perms = add;
      perms.insert(add_options.begin(), add_options.end());
      out.grants.push_back(Entry("grant:" + key, d.consumer, TableResource(mesh, key), perms, add_options));
    }
    auto drop = Minus(have.permissions, want.permissions);
    auto drop_options = Minus(have.grantable, want.grantable);
    // A revoke names grant options only beside their permissions; options alone go apart.
    std::set<std::string> with, alone;
    for (const auto& o : drop_options) (drop.count(o) ? with : alone).insert(o);
    if (!drop.empty()) out.revokes.push_back(Entry("revoke:" + key, d.consumer, TableResource(mesh, key), drop, with));
    if (!alone.empty()) out.revokes.push_back(Entry("options:" + key, d.consumer, TableResource(mesh, key), {}, alone));
  }
  for (const auto& db : d.databases) {
    Json entry = Entry("database:" + db, d.consumer, DatabaseResource(mesh, db), {"DESCRIBE"}, {});
    (d.desired.databases.count(db) ? out.grants : out.revokes).push_back(entry);
  }
  return out;
}

std::vector<std::string> Differing(const std::set<std::string>& a, const std::set<std::string>& b) {
  std::vector<std::string> out;
  for (const auto& x : a) {
    if (!b.count(x)) out.push_back(x);
  }
  for (const auto& x : b) {
    if (!a.count(x)) out.push_back(x);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string DatabaseOfKey(const std::string& key) { return key.substr(0, key.find('/')); }
std::string TableOfKey(const std::string& key) { return key.substr(key.find('/') + 1); }

std::string TableKeyOfArn(const std::string& arn) {
  // arn:aws:glue:<region>:<account>:table/<database>/<table>
  const std::string marker = ":table/";
  auto at = arn.find(marker);
  if (arn.rfind("arn:", 0) != 0 || at == std::string::npos) return "";
  std::string key = arn.substr(at + marker.size());
  auto slash = key.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == key.size()) return "";
  return key;
}

}  // namespace datamesh::mesh
