// Producer: publishing tables as data products in the mesh.
#include <re2/re2.h>

#include <set>

#include "aws/glue/glue_schedule.h"
#include "datamesh/mesh_names.h"
#include "datamesh/producer.h"
#include "mesh/bucket_policy.h"
#include "mesh/grant_reconciler.h"
#include "mesh/crawler_role.h"
#include "mesh/personas.h"

namespace datamesh {
namespace {

using mesh::Json;

// s3://bucket/prefix/ -> arn:aws:s3:::bucket/prefix, and the bucket.
Outcome<std::pair<std::string, std::string>> S3Location(const std::string& uri, const std::string& table) {
  if (uri.rfind("s3://", 0) != 0 || uri.size() <= 5) {
    return Error::Local("InvalidTable", "table " + table + " has no S3 location (StorageDescriptor.Location is '" + uri + "')");
  }
  std::string path = uri.substr(5);
  while (!path.empty() && path.back() == '/') path.pop_back();
  return std::make_pair("arn:aws:s3:::" + path, path.substr(0, path.find('/')));
}

Status Ok(const Outcome<Json>& r, std::initializer_list<const char*> tolerated = {}) {
  if (r.ok()) return OkStatus();
  for (const char* code : tolerated) {
    if (r.error().code() == code) return OkStatus();
  }
  return r.error();
}

// Batch grants whose failures are errors, never ignored.
// Grants gathered across tables and sent 20 a batch (Lake Formation's limit), under short ids unique
// in their batch; a failure is reported by what the entry was for.
class GrantBatcher {
 public:
  explicit GrantBatcher(aws::LakeFormationClient& lf) : lf_(lf) {}
  Status Add(const std::string& what, Json entry) {
    entry["Id"] = std::to_string(pending_.size());
    what_.push_back(what);
    pending_.push_back(std::move(entry));
    return pending_.size() == mesh::kMaxBatchEntries ? Flush() : OkStatus();
  }
  Status Flush() {
    if (pending_.empty()) return OkStatus();
    auto out = lf_.BatchGrantPermissions({{"Entries", pending_}});
    Json failures = out.ok() ? out->value("Failures", Json::array()) : Json::array();
    std::vector<std::string> what = std::move(what_);
    pending_ = Json::array();
    what_.clear();
    if (!out.ok()) return out.error();
    if (failures.empty()) return OkStatus();
    const Json& f = failures[0];
    const size_t i = std::stoul(f["RequestEntry"].value("Id", "0"));
    return Error(f["Error"].value("ErrorCode", "GrantFailed"),
                 "granting " + (i < what.size() ? what[i] : std::string("?")) + " failed: " + f["Error"].value("ErrorMessage", ""),
                 ErrorKind::kClient);
  }

 private:
  aws::LakeFormationClient& lf_;
  Json pending_ = Json::array();
  std::vector<std::string> what_;
};

// A BatchGrantPermissions entry; GrantBatcher gives it its Id.
Json Entry(const std::string& principal, const Json& resource, const Json& permissions,
           const Json& grantable = Json::array()) {
  return {{"Principal", {{"DataLakePrincipalIdentifier", principal}}}, {"Resource", resource},
          {"Permissions", permissions}, {"PermissionsWithGrantOption", grantable}};
}

// The tag key exists in the mesh with `value` among its values.
Status EnsureLfTagValue(aws::LakeFormationClient& lf, const std::string& key, const std::string& value) {
  auto tag = lf.GetLFTag({{"TagKey", key}});
  if (!tag.ok()) {
    if (tag.error().code() != "EntityNotFoundException") return tag.error();
    return Ok(lf.CreateLFTag({{"TagKey", key}, {"TagValues", {value}}}), {"AlreadyExistsException"});
  }
  for (const auto& v : (*tag)["TagValues"]) {
    if (v == value) return OkStatus();
  }
  auto added = lf.UpdateLFTag({{"TagKey", key}, {"TagValuesToAdd", {value}}});
  if (!added.ok() && added.error().code() == "AccessDeniedException") {
    // Producers are not data lake administrators: a tag another producer created takes new values
    // from the mesh's administrator.
    return Error::Local("TagValueMissing", "the LF-tag " + key + " has no value '" + value + "', and only its creator or a "
                                           "data lake administrator of the mesh may add one: ask the mesh administrator to run "
                                           "aws lakeformation update-lf-tag --tag-key " + key + " --tag-values-to-add " + value);
  }
  return Ok(added);
}

Json TableInputFrom(const Json& source) {
  Json input = Json::object();
  for (const char* field : {"Name", "Description", "Owner", "Retention", "StorageDescriptor", "PartitionKeys",
                            "TableType", "Parameters", "ViewOriginalText", "ViewExpandedText"}) {
    if (source.contains(field)) input[field] = source[field];
  }
  return input;
}

// A migration replaces each original by a link to its mesh copy in two steps; one interrupted in
// between left the table only in the mesh. Links those mesh copies (this producer's, matching
// `pattern`) that have neither an original nor a link in `database` any more.
Outcome<std::vector<PublishedTable>> RelinkInterruptedMigrations(const std::string& database, const re2::RE2* pattern,
                                                                 const Json& producer_tables,
                                                                 mesh::PersonaSessions& persona) {
  std::vector<PublishedTable> relinked;
  auto mesh_tables = persona.mesh->Glue().GetTablesAllPages({{"DatabaseName", database}});
  if (!mesh_tables.ok()) {
    if (mesh_tables.error().code() == "EntityNotFoundException") return relinked;  // nothing migrated yet
    return mesh_tables.error();
  }
  std::set<std::string> present;
  for (const auto& t : producer_tables) present.insert(t["Name"].get<std::string>());
  const std::string creator = ":assumed-role/" + names::ProducerAdminRole(persona.account) + "/";
  auto glue = persona.local->Glue();
  for (const auto& t : (*mesh_tables)["TableList"]) {
    const std::string name = t["Name"];
    if (present.count(name) || (pattern && !re2::RE2::FullMatch(name, *pattern))) continue;
    if (t.value("CreatedBy", "").find(creator) == std::string::npos) continue;  // another producer's
    auto linked = glue.CreateTable({{"DatabaseName", database},
                                    {"TableInput", {{"Name", name},
                                                    {"TargetTable", {{"CatalogId", persona.mesh->mesh_account()},
                                                                     {"DatabaseName", database}, {"Name", name}}}}}});
    if (auto s = Ok(linked, {"AlreadyExistsException"}); !s.ok()) return s.error();
    relinked.push_back({name, database, name, database, name});
  }
  return relinked;
}

// With a crawler role: one crawler per product table keeps the mesh copy's schema and partitions
// in sync. Glue crawls a catalog table with Lake Formation credentials one table per crawler, from
// the table's own account, so each runs in the mesh account as the (mesh-account) crawler role,
// which is granted what it needs on its table.
Status EnsureSyncCrawlers(const CreateDataProductsOptions& o, const std::string& mesh_db,
                          const std::vector<PublishedTable>& tables, mesh::PersonaSessions& persona) {
  if (!o.sync_mesh_crawler_role_arn) return OkStatus();
  const std::string& role = *o.sync_mesh_crawler_role_arn;
  auto glue = persona.mesh->Glue();
  auto lf = persona.mesh->LakeFormation();
  for (const auto& t : tables) {
    const Json table = {{"Table", {{"CatalogId", persona.mesh->mesh_account()}, {"DatabaseName", mesh_db},
                                   {"Name", t.target_table}}}};
    GrantBatcher grant(lf);
    if (auto s = grant.Add("crawler " + t.target_table, Entry(role, table, {"ALTER", "DESCRIBE", "INSERT", "SELECT"}));
        !s.ok()) {
      return s.error();
    }
    if (auto s = grant.Flush(); !s.ok()) return s.error();
    auto crawler = glue.CreateCrawler(
        {{"Name", mesh_db + "-" + t.target_table + "-sync"},
         {"Role", role},
         {"DatabaseName", mesh_db},
         {"Targets", {{"CatalogTargets", {{{"DatabaseName", mesh_db}, {"Tables", {t.target_table}}}}}}},
         {"Schedule", o.sync_mesh_catalog_schedule.value_or("cron(0 */4 * * ? *)")},
         {"SchemaChangePolicy", {{"UpdateBehavior", "UPDATE_IN_DATABASE"}, {"DeleteBehavior", "LOG"}}},
         {"LakeFormationConfiguration", {{"UseLakeFormationCredentials", true}}}});
    if (auto s = Ok(crawler, {"AlreadyExistsException"}); !s.ok()) return s.error();
  }
  return OkStatus();
}

}  // namespace

Outcome<Producer> Producer::Create(MeshOptions options) {
  auto session = mesh::MeshSession::Create(options);
  if (!session.ok()) return session.error();
  return Producer(*session);
}

Outcome<DataProducts> Producer::CreateDataProducts(const CreateDataProductsOptions& o) { return Publish(o, false); }

Outcome<DataProducts> Producer::MigrateTablesToMesh(CreateDataProductsOptions o) {
  o.expose_data_mesh_db_name = o.source_database_name;
  o.use_original_table_name = true;
  return Publish(o, true);
}

Outcome<DataProducts> Producer::Publish(const CreateDataProductsOptions& o, bool replace_originals) {
  if (o.source_database_name.empty()) return Error::Local("InvalidArgument", "source_database_name is required");
  std::unique_ptr<re2::RE2> pattern;
  if (o.table_name_regex) {
    re2::RE2::Options options;
    options.set_log_errors(false);
    pattern = std::make_unique<re2::RE2>(*o.table_name_regex, options);
    if (!pattern->ok()) {
      return Error::Local("InvalidArgument", "table_name_regex '" + *o.table_name_regex +
                                                 "' is not a valid regular expression: " + pattern->error());
    }
  }
  if (o.sync_mesh_catalog_schedule && !aws::IsValidGlueSchedule(*o.sync_mesh_catalog_schedule)) {
    return Error::Local("InvalidArgument", "sync_mesh_catalog_schedule '" + *o.sync_mesh_catalog_schedule +
                                               "' is not a Glue schedule: cron(minutes hours day-of-month month day-of-week year)");
  }
  if (o.sync_mesh_crawler_role_arn) {
    if (auto s = mesh::CheckMeshCrawlerRole(*o.sync_mesh_crawler_role_arn, session_->mesh_account(),
                                            "sync_mesh_crawler_role_arn");
        !s.ok()) {
      return s.error();
    }
  }
  auto persona = mesh::ProducerSessions(session_);
  if (!persona.ok()) return persona.error();
  const std::string producer = persona->account, mesh_account = session_->mesh_account(), region = session_->region();
  auto src_glue = persona->local->Glue();
  auto mesh_glue = persona->mesh->Glue();
  auto mesh_lf = persona->mesh->LakeFormation();

  if (auto db = src_glue.GetDatabase({{"Name", o.source_database_name}}); !db.ok()) return db.error();
  auto tables = src_glue.GetTablesAllPages({{"DatabaseName", o.source_database_name}});
  if (!tables.ok()) return tables.error();
  std::vector<Json> selected;
  std::vector<PublishedTable> migrated;  // a migration's rerun: originals already replaced by links
  for (const auto& t : (*tables)["TableList"]) {
    const std::string name = t["Name"];
    if (pattern && !re2::RE2::FullMatch(name, *pattern)) continue;
    if (!t.contains("TargetTable")) {
      selected.push_back(t);
    } else if (replace_originals && t["TargetTable"].value("CatalogId", "") == session_->mesh_account()) {
      const std::string target = t["TargetTable"]["Name"];
      migrated.push_back({target, o.source_database_name, target, o.source_database_name, name});
    }
  }
  if (replace_originals) {
    auto relinked = RelinkInterruptedMigrations(o.source_database_name, pattern.get(), (*tables)["TableList"], *persona);
    if (!relinked.ok()) return relinked.error();
    migrated.insert(migrated.end(), relinked->begin(), relinked->end());
  }
  if (selected.empty() && !migrated.empty()) {
    if (auto s = EnsureSyncCrawlers(o, o.source_database_name, migrated, *persona); !s.ok()) return s.error();
    return DataProducts{o.source_database_name, migrated};
  }
  // Every product needs its data in S3: check them all before the mesh is touched.
  for (const auto& t : selected) {
    auto location = S3Location(t.value("StorageDescriptor", Json::object()).value("Location", ""), t["Name"]);
    if (!location.ok()) return location.error();
  }
  if (selected.empty()) {
    return Error::Local("NoMatchingTables", "no table of database " + o.source_database_name +
                                                (o.table_name_regex ? " matches '" + *o.table_name_regex + "'" : " exists"));
  }
  // The product's tag values before the mesh changes: a value the producer may not add stops it here.
  if (o.domain) {
    if (auto s = EnsureLfTagValue(mesh_lf, names::kDomainTag, *o.domain); !s.ok()) return s.error();
  }
  if (o.data_product_name) {
    if (auto s = EnsureLfTagValue(mesh_lf, names::kDataProductTag, *o.data_product_name); !s.ok()) return s.error();
  }
  const std::string mesh_db = o.expose_data_mesh_db_name.value_or(names::MeshDatabase(o.source_database_name, producer));
  auto created_db = mesh_glue.CreateDatabase({{"DatabaseInput", {{"Name", mesh_db},
                                                                 {"Description", "Data products of account " + producer},
                                                                 {"CreateTableDefaultPermissions", Json::array()}}}});
  if (auto s = Ok(created_db, {"AlreadyExistsException"}); !s.ok()) return s.error();
  const std::string glue_prefix = "arn:aws:glue:" + region + ":" + mesh_account + ":";
  const Json solution_tag = {{names::kSolutionTagKey, names::kSolutionTagValue}};
  if (auto s = Ok(mesh_glue.TagResource({{"ResourceArn", glue_prefix + "database/" + mesh_db}, {"TagsToAdd", solution_tag}}));
      !s.ok()) {
    return s.error();
  }

  const std::string manager = "arn:aws:iam::" + mesh_account + ":role" + names::kIamPath + names::kManagerRole;
  const std::string read_only = "arn:aws:iam::" + mesh_account + ":role" + names::kIamPath + names::kReadOnlyRole;
  const Json all_table = {"ALL", "ALTER", "DELETE", "DESCRIBE", "DROP", "INSERT", "SELECT"};
  const Json db_resource = {{"Database", {{"CatalogId", mesh_account}, {"Name", mesh_db}}}};
  std::set<std::string> buckets;
  std::set<std::pair<std::string, std::string>> ensured_tags;  // each LF-tag value is ensured once a run
  GrantBatcher grants(mesh_lf);
  std::vector<PublishedTable> result_tables;
  auto src_lf = persona->local->LakeFormation();
  auto s3 = persona->local->S3();

  for (const auto& source : selected) {
    const std::string name = source["Name"];
    auto location = S3Location(source.value("StorageDescriptor", Json::object()).value("Location", ""), name);
    if (!location.ok()) return location.error();
    auto registered = mesh_lf.RegisterResource({{"ResourceArn", location->first}, {"UseServiceLinkedRole", true}});
    if (auto s = Ok(registered, {"AlreadyExistsException"}); !s.ok()) return s.error();
    buckets.insert(location->second);

    // The mesh copy of the table, refreshed when it exists.
    Json input = TableInputFrom(source);
    auto created = mesh_glue.CreateTable({{"DatabaseName", mesh_db}, {"TableInput", input}});
    if (!created.ok()) {
      if (created.error().code() != "AlreadyExistsException") return created.error();
      // Updated only when the source changed: every UpdateTable archives a table version.
      auto existing = mesh_glue.GetTable({{"DatabaseName", mesh_db}, {"Name", name}});
      if (!existing.ok()) return existing.error();
      if (TableInputFrom((*existing)["Table"]) != input) {
        if (auto s = Ok(mesh_glue.UpdateTable({{"DatabaseName", mesh_db}, {"TableInput", input}})); !s.ok()) return s.error();
      }
    }
    if (auto s = Ok(mesh_glue.TagResource({{"ResourceArn", glue_prefix + "table/" + mesh_db + "/" + name},
                                           {"TagsToAdd", solution_tag}}));
        !s.ok()) {
      return s.error();
    }
    auto partitions = src_glue.GetPartitionsAllPages({{"DatabaseName", o.source_database_name}, {"TableName", name}});
    if (!partitions.ok()) return partitions.error();
    Json batch = Json::array();
    auto flush = [&]() -> Status {
      if (batch.empty()) return OkStatus();
      auto out = mesh_glue.BatchCreatePartition({{"DatabaseName", mesh_db}, {"TableName", name}, {"PartitionInputList", batch}});
      batch = Json::array();
      if (!out.ok()) return out.error();
      for (const auto& e : out->value("Errors", Json::array())) {
        if (e["ErrorDetail"].value("ErrorCode", "") != "AlreadyExistsException") {
          return Error(e["ErrorDetail"].value("ErrorCode", "PartitionFailed"), e["ErrorDetail"].value("ErrorMessage", ""),
                       ErrorKind::kClient);
        }
      }
      return OkStatus();
    };
    for (const auto& p : (*partitions)["Partitions"]) {
      Json pi = {{"Values", p["Values"]}};
      for (const char* f : {"StorageDescriptor", "Parameters"}) {
        if (p.contains(f)) pi[f] = p[f];
      }
      batch.push_back(pi);
      if (batch.size() == 100) {
        if (auto s = flush(); !s.ok()) return s.error();
      }
    }
    if (auto s = flush(); !s.ok()) return s.error();

    const Json table_resource = {{"Table", {{"CatalogId", mesh_account}, {"DatabaseName", mesh_db}, {"Name", name}}}};
    std::vector<std::pair<std::string, Json>> entries = {
        {"producer-table " + name, Entry(producer, table_resource, all_table, all_table)},
        {"manager-table " + name, Entry(manager, table_resource, {"DESCRIBE", "SELECT", "DROP"})}};
    if (result_tables.empty()) {  // the database's grants, once
      entries.push_back({"producer-database", Entry(producer, db_resource, {"CREATE_TABLE", "DESCRIBE"})});
      entries.push_back({"producer-role-database", Entry(persona->mesh_role_arn, db_resource, {"ALL"})});
    }
    if (o.create_public_metadata) entries.push_back({"public-metadata " + name, Entry(read_only, table_resource, {"DESCRIBE"})});
    for (auto& [what, entry] : entries) {
      if (auto s = grants.Add(what, std::move(entry)); !s.ok()) return s.error();
    }

    // Tags: the source's LF-tags, and the product's domain and name.
    std::vector<std::pair<std::string, std::string>> tags;
    auto source_tags = src_lf.GetResourceLFTags({{"Resource", {{"Table", {{"DatabaseName", o.source_database_name}, {"Name", name}}}}}});
    if (!source_tags.ok()) return source_tags.error();  // dropping the source's tags silently would widen access
    for (const char* field : {"LFTagOnDatabase", "LFTagsOnTable"}) {
      for (const auto& t : source_tags->value(field, Json::array())) tags.emplace_back(t["TagKey"], t["TagValues"][0]);
    }
    if (o.domain) tags.emplace_back(names::kDomainTag, *o.domain);
    if (o.data_product_name) tags.emplace_back(names::kDataProductTag, *o.data_product_name);
    Json lf_tags = Json::array();
    for (const auto& [key, value] : tags) {
      if (ensured_tags.insert({key, value}).second) {
        if (auto s = EnsureLfTagValue(mesh_lf, key, value); !s.ok()) return s.error();
      }
      lf_tags.push_back({{"TagKey", key}, {"TagValues", {value}}});
    }
    if (!lf_tags.empty()) {
      auto added = mesh_lf.AddLFTagsToResource({{"Resource", table_resource}, {"LFTags", lf_tags}});
      if (!added.ok()) return added.error();
      if (added->contains("Failures") && !(*added)["Failures"].empty()) {
        return Error::Local("TaggingFailed", (*added)["Failures"][0]["Error"].value("ErrorMessage", "LF-tag failed"));
      }
    }
    const std::string link = o.use_original_table_name ? name : name + o.expose_table_references_with_suffix;
    result_tables.push_back({name, mesh_db, name, mesh_db, link});
  }

  // The last grants go out before anything that needs them (the producer's shares below).
  if (auto s = grants.Flush(); !s.ok()) return s.error();
  for (const auto& bucket : buckets) {
    // The mesh account's Lake Formation role reads the data on the consumers' behalf.
    const std::string lf_role = "arn:aws:iam::" + mesh_account +
                                ":role/aws-service-role/lakeformation.amazonaws.com/AWSServiceRoleForLakeFormationDataAccess";
    if (auto s = mesh::AllowBucketRead(s3, bucket, "DataMeshLakeFormationRead" + mesh_account, lf_role); !s.ok()) return s.error();
  }

  // The producer account accepts the shares of its own products, then links to them.
  auto ram = persona->local->Ram();
  // The shares of the product's tables. One listing per table: Lake Formation's ListPermissions is
  // asked with a resource whenever it is asked for a principal.
  std::set<std::string> shares;
  for (const auto& t : result_tables) {
    auto perms = mesh_lf.ListPermissions({{"Principal", {{"DataLakePrincipalIdentifier", producer}}},
                                          {"Resource", {{"Table", {{"CatalogId", mesh_account}, {"DatabaseName", mesh_db},
                                                                   {"Name", t.target_table}}}}}});
    if (!perms.ok()) return perms.error();
    for (const auto& p : (*perms)["PrincipalResourcePermissions"]) {
      if (p.contains("AdditionalDetails")) {
        for (const auto& arn : p["AdditionalDetails"].value("ResourceShare", Json::array())) shares.insert(arn);
      }
    }
  }
  if (auto s = mesh::AcceptShareInvitations(ram, *session_->sleeper(), shares); !s.ok()) return s.error();
  auto created_link_db = src_glue.CreateDatabase({{"DatabaseInput", {{"Name", mesh_db}}}});
  if (auto s = Ok(created_link_db, {"AlreadyExistsException"}); !s.ok()) return s.error();
  for (const auto& t : result_tables) {
    if (replace_originals) {
      // The mesh copy is now the master: the original gives way to a link of the same name.
      auto original = src_glue.GetTable({{"DatabaseName", mesh_db}, {"Name", t.link_table}});
      if (original.ok() && !(*original)["Table"].contains("TargetTable")) {
        if (auto s = Ok(src_glue.DeleteTable({{"DatabaseName", mesh_db}, {"Name", t.link_table}})); !s.ok()) return s.error();
      }
    }
    auto linked = src_glue.CreateTable({{"DatabaseName", mesh_db},
                                        {"TableInput", {{"Name", t.link_table},
                                                        {"TargetTable", {{"CatalogId", mesh_account}, {"DatabaseName", mesh_db},
                                                                         {"Name", t.target_table}}}}}});
    if (auto s = Ok(linked, {"AlreadyExistsException"}); !s.ok()) return s.error();
  }

  result_tables.insert(result_tables.end(), migrated.begin(), migrated.end());
  if (auto s = EnsureSyncCrawlers(o, mesh_db, result_tables, *persona); !s.ok()) return s.error();
  return DataProducts{mesh_db, result_tables};
}

Outcome<std::vector<DataProductTable>> Producer::GetDataProduct(const std::string& database_name, const std::string& table_name_regex) {
  auto persona = mesh::ProducerSessions(session_);
  if (!persona.ok()) return persona.error();
  re2::RE2::Options options;
  options.set_log_errors(false);
  re2::RE2 pattern(table_name_regex, options);
  if (!pattern.ok()) {
    return Error::Local("InvalidArgument", "table_name_regex '" + table_name_regex + "' is not a valid regular expression: " +
                                               pattern.error());
  }
  auto tables = persona->mesh->Glue().GetTablesAllPages({{"DatabaseName", database_name}});
  if (!tables.ok()) return tables.error();
  std::vector<DataProductTable> out;
  for (const auto& t : (*tables)["TableList"]) {
    if (!re2::RE2::FullMatch(t["Name"].get<std::string>(), pattern)) continue;
    out.push_back({database_name, t["Name"], t.value("StorageDescriptor", Json::object()).value("Location", "")});
  }
  return out;
}

}  // namespace datamesh
