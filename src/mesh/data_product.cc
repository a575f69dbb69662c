// The JSON shapes of published data products.
#include "datamesh/data_product.h"

namespace datamesh {

using nlohmann::json;

json PublishedTable::ToJson() const {
  return {{"SourceTable", source_table},
          {"TargetDatabase", target_database},
          {"TargetTable", target_table},
          {"LinkDatabase", link_database},
          {"LinkTable", link_table}};
}

json DataProducts::ToJson() const {
  json out = json::array();
  for (const auto& t : tables) out.push_back(t.ToJson());
  return {{"DatabaseName", database_name}, {"Tables", out}};
}

json DataProductTable::ToJson() const {
  return {{"Database", database}, {"TableName", table_name}, {"Location", location}};
}

json ToJson(const std::vector<DataProductTable>& tables) {
  json out = json::array();
  for (const auto& t : tables) out.push_back(t.ToJson());
  return out;
}

json ProductListing::ToJson() const {
  json out = {{"DatabaseName", database_name}, {"OwnerAccountId", owner_account_id}, {"Tables", tables},
              {"Description", description}, {"Location", location}};
  out["Domain"] = domain ? json(*domain) : json(nullptr);
  out["DataProduct"] = data_product_name ? json(*data_product_name) : json(nullptr);
  return out;
}

json ToJson(const std::vector<ProductListing>& products) {
  json out = json::array();
  for (const auto& p : products) out.push_back(p.ToJson());
  return {{"DataProducts", out}};
}

}  // namespace datamesh
