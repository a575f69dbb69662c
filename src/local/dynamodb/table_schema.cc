#include "local/dynamodb/table_schema.h"

#include <set>

#include "local/core/ids.h"

namespace datamesh::local::ddb {
namespace {

Error Invalid(const std::string& what) {
  return ValidationException("One or more parameter values were invalid: " + what);
}

Outcome<KeyPair> ReadKeySchema(const Json& schema, const std::string& where) {
  KeyPair keys;
  if (!schema.is_array() || schema.empty() || schema.size() > 2) {
    return ValidationException("1 validation error detected: Value at '" + where +
                               "' failed to satisfy constraint: Member must have length less than or equal to 2");
  }
  for (const auto& k : schema) {
    const std::string type = k.value("KeyType", "");
    if (type == "HASH") {
      if (!keys.hash.empty()) return Invalid("Too many hash keys specified for " + where + ".  Maximum number allowed: 1");
      keys.hash = k["AttributeName"];
    } else if (type == "RANGE") {
      if (!keys.range.empty()) return Invalid("Too many range keys specified for " + where + ".  Maximum number allowed: 1");
      keys.range = k["AttributeName"];
    }
  }
  if (keys.hash.empty()) return Invalid("Hash Key not specified in " + where);
  if (schema[0].value("KeyType", "") != "HASH") return Invalid("Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
  if (keys.hash == keys.range) return Invalid("Both the Hash Key and the Range Key element in the KeySchema have the same name");
  return keys;
}

Status CheckThroughput(const Json& in, const std::string& billing, const std::string& where) {
  bool has = in.contains("ProvisionedThroughput");
  if (billing == "PAY_PER_REQUEST" && has) {
    return Invalid("Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
  }
  if (billing == "PROVISIONED" && !has) {
    return Invalid("ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED" +
                   (where.empty() ? std::string() : ": " + where));
  }
  return OkStatus();
}

Json ThroughputDescription(const Json& in) {
  Json t = {{"NumberOfDecreasesToday", 0}, {"ReadCapacityUnits", 0}, {"WriteCapacityUnits", 0}};
  if (in.contains("ProvisionedThroughput")) {
    t["ReadCapacityUnits"] = in["ProvisionedThroughput"]["ReadCapacityUnits"];
    t["WriteCapacityUnits"] = in["ProvisionedThroughput"]["WriteCapacityUnits"];
  }
  return t;
}

}  // namespace

TableSchema TableSchema::FromDescription(const Json& d) {
  TableSchema t;
  t.name = d["TableName"];
  t.arn = d["TableArn"];
  t.keys = *ReadKeySchema(d["KeySchema"], "KeySchema");
  for (const auto& a : d["AttributeDefinitions"]) t.attribute_types[a["AttributeName"]] = a["AttributeType"];
  for (const auto& g : d.value("GlobalSecondaryIndexes", Json::array())) {
    IndexSchema i;
    i.name = g["IndexName"];
    i.keys = *ReadKeySchema(g["KeySchema"], "IndexName");
    i.projection = g["Projection"].value("ProjectionType", "ALL");
    for (const auto& n : g["Projection"].value("NonKeyAttributes", Json::array())) i.non_key_attributes.push_back(n);
    i.arn = g["IndexArn"];
    t.indexes.push_back(i);
  }
  if (d.contains("StreamSpecification") && d["StreamSpecification"].value("StreamEnabled", false)) {
    t.stream_arn = d.value("LatestStreamArn", "");
    t.stream_view_type = d["StreamSpecification"].value("StreamViewType", "");
  }
  return t;
}

const IndexSchema* TableSchema::FindIndex(const std::string& name) const {
  for (const auto& i : indexes) {
    if (i.name == name) return &i;
  }
  return nullptr;
}

Json TableSchema::KeyOf(const Json& item) const {
  Json key = {{keys.hash, item[keys.hash]}};
  if (!keys.range.empty()) key[keys.range] = item[keys.range];
  return key;
}

Status TableSchema::CheckItemKeys(const Json& item) const {
  for (const std::string& k : {keys.hash, keys.range}) {
    if (k.empty()) continue;
    if (!item.contains(k)) return Invalid("Missing the key " + k + " in the item");
    std::string want = attribute_types.at(k), got = TypeOf(item[k]);
    if (want != got) return Invalid("Type mismatch for key " + k + " expected: " + want + " actual: " + got);
    if ((got == "S" && item[k]["S"].get<std::string>().empty()) || (got == "B" && BinaryOf(item[k]).empty())) {
      return ValidationException("One or more parameter values are not valid. The AttributeValue for a key attribute "
                                 "cannot contain an empty " + std::string(got == "S" ? "string" : "binary") +
                                 " value. Key: " + k);
    }
  }
  for (const auto& index : indexes) {
    for (const std::string& k : {index.keys.hash, index.keys.range}) {
      if (k.empty() || !item.contains(k)) continue;
      std::string want = attribute_types.at(k), got = TypeOf(item[k]);
      if (want != got) {
        return Invalid("Type mismatch for Index Key " + k + " Expected: " + want + " Actual: " + got +
                       " IndexName: " + index.name);
      }
    }
  }
  return OkStatus();
}

Status TableSchema::CheckKey(const Json& key) const {
  size_t want = keys.range.empty() ? 1 : 2;
  if (!key.is_object() || key.size() != want || !key.contains(keys.hash) ||
      (!keys.range.empty() && !key.contains(keys.range))) {
    return ValidationException("The provided key element does not match the schema");
  }
  for (auto& [name, value] : key.items()) {
    if (TypeOf(value) != attribute_types.at(name)) {
      return ValidationException("The provided key element does not match the schema");
    }
  }
  return OkStatus();
}

Outcome<Json> NewTableDescription(const Json& in, const std::string& account, const std::string& region,
                                  const std::string& now_iso) {
  const std::string name = in["TableName"];
  // Local secondary indexes and customer managed encryption are not modelled; refusing them is
  // better than a table that silently lacks them.
  if (in.contains("LocalSecondaryIndexes")) return Invalid("LocalSecondaryIndexes are not supported by the local mesh");
  if (in.contains("SSESpecification") && in["SSESpecification"].value("Enabled", false)) {
    return Invalid("SSESpecification with Enabled true (a KMS key) is not supported by the local mesh");
  }
  auto keys = ReadKeySchema(in["KeySchema"], "KeySchema");
  if (!keys.ok()) return keys.error();
  const std::string billing = in.value("BillingMode", "PROVISIONED");
  if (auto s = CheckThroughput(in, billing, ""); !s.ok()) return s.error();

  std::map<std::string, std::string> defined;
  for (const auto& a : in["AttributeDefinitions"]) {
    if (!defined.emplace(a["AttributeName"], a["AttributeType"]).second) {
      return Invalid("Cannot have two attributes with the same name");
    }
  }
  std::set<std::string> used = {keys->hash};
  if (!keys->range.empty()) used.insert(keys->range);

  const std::string arn = "arn:aws:dynamodb:" + region + ":" + account + ":table/" + name;
  Json gsis = Json::array();
  std::set<std::string> index_names;
  for (const auto& g : in.value("GlobalSecondaryIndexes", Json::array())) {
    const std::string index = g["IndexName"];
    if (!index_names.insert(index).second) return Invalid("Duplicate index name: " + index);
    auto gkeys = ReadKeySchema(g["KeySchema"], "GlobalSecondaryIndex " + index);
    if (!gkeys.ok()) return gkeys.error();
    used.insert(gkeys->hash);
    if (!gkeys->range.empty()) used.insert(gkeys->range);
    const Json& projection = g["Projection"];
    const std::string type = projection.value("ProjectionType", "");
    if (type.empty()) return Invalid("Unknown ProjectionType: null");
    bool has_non_key = projection.contains("NonKeyAttributes");
    if (type == "INCLUDE" && !has_non_key) return Invalid("ProjectionType is INCLUDE, but NonKeyAttributes is not specified");
    if (type != "INCLUDE" && has_non_key) {
      return Invalid("ProjectionType is " + type + ", but NonKeyAttributes is specified");
    }
    if (auto s = CheckThroughput(g, billing, "IndexName: " + index); !s.ok()) return s.error();
    Json desc = {{"IndexName", index}, {"KeySchema", g["KeySchema"]}, {"Projection", projection},
                 {"IndexStatus", "ACTIVE"}, {"ProvisionedThroughput", ThroughputDescription(g)},
                 {"IndexSizeBytes", 0}, {"ItemCount", 0}, {"IndexArn", arn + "/index/" + index}};
    gsis.push_back(desc);
  }
  std::string missing;
  for (const auto& k : used) {
    if (!defined.count(k)) missing += (missing.empty() ? "" : ", ") + k;
  }
  if (!missing.empty()) {
    std::string all;
    for (const auto& [k, v] : defined) all += (all.empty() ? "" : ", ") + k;
    return Invalid("Some index key attributes are not defined in AttributeDefinitions. Keys: [" + missing +
                   "], AttributeDefinitions: [" + all + "]");
  }
  if (defined.size() != used.size()) {
    return Invalid("Number of attributes in KeySchema does not exactly match number of attributes defined in "
                   "AttributeDefinitions");
  }

  Json d = {{"TableName", name},
            {"TableArn", arn},
            {"TableId", NewRequestId()},
            {"TableStatus", "ACTIVE"},
            {"CreationDateTime", now_iso},
            {"KeySchema", in["KeySchema"]},
            {"AttributeDefinitions", in["AttributeDefinitions"]},
            {"ProvisionedThroughput", ThroughputDescription(in)},
            {"TableSizeBytes", 0},
            {"ItemCount", 0},
            {"DeletionProtectionEnabled", false}};
  if (billing == "PAY_PER_REQUEST") {
    d["BillingModeSummary"] = {{"BillingMode", "PAY_PER_REQUEST"}, {"LastUpdateToPayPerRequestDateTime", now_iso}};
  }
  if (!gsis.empty()) d["GlobalSecondaryIndexes"] = gsis;
  if (in.contains("TableClass")) d["TableClassSummary"] = {{"TableClass", in["TableClass"]}};
  if (in.contains("StreamSpecification")) {
    const Json& stream = in["StreamSpecification"];
    bool enabled = stream.value("StreamEnabled", false);
    if (enabled && !stream.contains("StreamViewType")) {
      return Invalid("StreamViewType must be specified when StreamEnabled is true");
    }
    if (!enabled && stream.contains("StreamViewType")) {
      return Invalid("StreamViewType cannot be specified when StreamEnabled is false");
    }
    if (enabled) {
      std::string label = now_iso.substr(0, 19);
      if (label.size() == 19) label += ".000";
      d["StreamSpecification"] = stream;
      d["LatestStreamLabel"] = label;
      d["LatestStreamArn"] = arn + "/stream/" + label;
    }
  }
  return d;
}

}  // namespace datamesh::local::ddb
