#include "mesh/product_catalog.h"

#include <algorithm>
#include <map>
#include <mutex>
#include <re2/re2.h>

#include "datamesh/mesh_names.h"
#include "mesh/concurrent.h"
#include "mesh/mesh_session.h"
#include "mesh/personas.h"

namespace datamesh::mesh {
namespace {

using aws::Json;

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The one value of an LF-tag on a table, from GetResourceLFTags' LFTagsOnTable.
std::optional<std::string> TagValue(const Json& tags, const std::string& key) {
  for (const auto& t : tags) {
    if (t.value("TagKey", "") == key && !t.value("TagValues", Json::array()).empty()) return t["TagValues"][0].get<std::string>();
  }
  return std::nullopt;
}

// The longest folder prefix the locations share ("s3://bucket/sales/").
std::string CommonFolder(const std::vector<std::string>& locations) {
  if (locations.empty()) return "";
  std::string prefix = locations[0];
  for (const auto& l : locations) {
    size_t n = 0;
    while (n < prefix.size() && n < l.size() && prefix[n] == l[n]) ++n;
    prefix.resize(n);
  }
  if (locations.size() == 1) return prefix;
  size_t slash = prefix.rfind('/');
  return slash == std::string::npos || slash < 5 ? prefix : prefix.substr(0, slash + 1);
}

std::optional<std::string> StringParameter(const Json& params, const char* key) {
  if (params.contains(key) && params[key].is_string()) return params[key].get<std::string>();
  return std::nullopt;
}

struct TableSeen {
  Json table;  // Glue's definition
  std::optional<std::string> domain, product;
};

bool Mentions(const ProductListing& p, const std::vector<TableSeen>& tables, const std::string& needle) {
  auto has = [&](const std::string& text) { return Lower(text).find(needle) != std::string::npos; };
  if (has(p.database_name) || has(p.description) || has(p.domain.value_or("")) || has(p.data_product_name.value_or(""))) {
    return true;
  }
  for (const auto& t : tables) {
    if (has(t.table.value("Name", "")) || has(t.table.value("Description", ""))) return true;
    for (const auto& c : t.table.value("StorageDescriptor", Json::object()).value("Columns", Json::array())) {
      if (has(c.value("Name", "")) || has(c.value("Comment", ""))) return true;
    }
  }
  return false;
}

// The products of one database: its tables grouped by their DataProduct tag.
std::vector<ProductListing> ProductsOf(const Json& database, const std::vector<TableSeen>& tables, const ProductFilter& filter) {
  std::map<std::pair<std::string, std::string>, std::vector<const TableSeen*>> groups;
  for (const auto& t : tables) groups[{t.product.value_or(""), t.domain.value_or("")}].push_back(&t);
  std::vector<ProductListing> out;
  for (const auto& [key, members] : groups) {
    ProductListing p;
    p.database_name = database.value("Name", "");
    p.owner_account_id = OwnerOfProductDatabase(database);
    p.description = database.value("Description", "");
    if (!key.first.empty()) p.data_product_name = key.first;
    if (!key.second.empty()) p.domain = key.second;
    std::vector<std::string> locations;
    std::vector<TableSeen> seen;
    for (const TableSeen* t : members) {
      p.tables.push_back(t->table.value("Name", ""));
      std::string location = t->table.value("StorageDescriptor", Json::object()).value("Location", "");
      if (!location.empty()) locations.push_back(location);
      seen.push_back(*t);
    }
    p.location = CommonFolder(locations);
    if (filter.domain && p.domain != filter.domain) continue;
    if (filter.owner_account_id && p.owner_account_id != *filter.owner_account_id) continue;
    if (filter.search && !Mentions(p, seen, Lower(*filter.search))) continue;
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace

std::string OwnerOfProductDatabase(const Json& database) {
  const Json params = database.value("Parameters", Json::object());
  if (params.contains(kOwnerParameter) && params[kOwnerParameter].is_string()) return params[kOwnerParameter];
  std::string account;
  static const re2::RE2 kDescription(R"(Data products of account (\d{12}))");
  if (re2::RE2::PartialMatch(database.value("Description", ""), kDescription, &account)) return account;
  static const re2::RE2 kSuffix(R"(.*-(\d{12}))");
  if (re2::RE2::FullMatch(database.value("Name", ""), kSuffix, &account)) return account;
  return "";
}

Outcome<std::vector<ProductListing>> ListProducts(MeshSession& session, const ProductFilter& filter, int concurrency) {
  auto glue = session.Glue();
  auto databases = glue.GetDatabasesAllPages({{"CatalogId", session.mesh_account()}});
  if (!databases.ok()) return databases.error();
  std::vector<Json> candidates;
  for (const auto& d : (*databases)["DatabaseList"]) {
    // Resource links and databases no owner can be named for are not products.
    if (d.contains("TargetDatabase")) continue;
    if (filter.owner_account_id && OwnerOfProductDatabase(d) != *filter.owner_account_id) continue;
    candidates.push_back(d);
  }
  std::vector<std::vector<ProductListing>> found(candidates.size());
  auto read = ForEachConcurrently(candidates.size(), concurrency, [&](size_t i) -> Status {
    const std::string name = candidates[i].value("Name", "");
    auto tables = session.Glue().GetTablesAllPages({{"CatalogId", session.mesh_account()}, {"DatabaseName", name}});
    if (!tables.ok()) return tables.error();
    std::vector<TableSeen> seen;
    for (const auto& t : (*tables)["TableList"]) {
      if (t.contains("TargetTable")) continue;
      const Json params = t.value("Parameters", Json::object());
      seen.push_back({t, StringParameter(params, kDomainParameter), StringParameter(params, kProductParameter)});
    }
    auto tagged = ForEachConcurrently(seen.size(), concurrency, [&](size_t k) -> Status {
      if (seen[k].domain || seen[k].product) return OkStatus();  // the parameters say it already
      auto tags = session.LakeFormation().GetResourceLFTags(
          {{"CatalogId", session.mesh_account()},
           {"Resource", {{"Table", {{"CatalogId", session.mesh_account()}, {"DatabaseName", name},
                                    {"Name", seen[k].table.value("Name", "")}}}}}});
      if (!tags.ok()) {
        // Tags the caller may not see are not an error: the product is listed without them.
        if (tags.error().code() == "AccessDeniedException") return OkStatus();
        return tags.error();
      }
      const Json on_table = tags->value("LFTagsOnTable", Json::array());
      seen[k].domain = TagValue(on_table, names::kDomainTag);
      seen[k].product = TagValue(on_table, names::kDataProductTag);
      return OkStatus();
    });
    if (!tagged.ok()) return tagged.error();
    if (!seen.empty()) found[i] = ProductsOf(candidates[i], seen, filter);
    return OkStatus();
  });
  if (!read.ok()) return read.error();
  std::vector<ProductListing> all;
  for (auto& f : found) all.insert(all.end(), f.begin(), f.end());
  std::sort(all.begin(), all.end(), [](const ProductListing& a, const ProductListing& b) {
    return std::tie(a.database_name, a.data_product_name, a.domain) < std::tie(b.database_name, b.data_product_name, b.domain);
  });
  return all;
}

Outcome<std::vector<ProductListing>> ListProductsAs(const PersonaSessions& persona, const ProductFilter& filter) {
  auto read_only = ReadOnlySession(persona);
  if (!read_only.ok()) return read_only.error();
  return ListProducts(**read_only, filter, persona.local->max_concurrency());
}

}  // namespace datamesh::mesh
