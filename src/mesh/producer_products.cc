// Producer: publishing tables as data products in the mesh.
#include <re2/re2.h>

#include <map>
#include <set>

#include "aws/glue/glue_schedule.h"
#include "datamesh/mesh_names.h"
#include "datamesh/producer.h"
#include "mesh/bucket_policy.h"
#include "mesh/grant_reconciler.h"
#include "mesh/crawler_role.h"
#include "mesh/concurrent.h"
#include "mesh/personas.h"
#include "mesh/product_catalog.h"
#include "mesh/progress.h"

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

// A grant to send, and what it is for (to name it when it fails).
struct NamedGrant {
  std::string what;
  Json entry;
};

// Sends `grants` 20 a BatchGrantPermissions (Lake Formation's limit), the batches concurrently,
// each entry under a short id unique in its batch. A failed entry is an error, never ignored, named
// by what it was for; with several, the first in `grants` order.
Status SendGrants(aws::LakeFormationClient& lf, const std::vector<NamedGrant>& grants, int concurrency) {
  const size_t batches = (grants.size() + mesh::kMaxBatchEntries - 1) / mesh::kMaxBatchEntries;
  return mesh::ForEachConcurrently(batches, concurrency, [&](size_t b) -> Status {
    const size_t first = b * mesh::kMaxBatchEntries;
    const size_t end = std::min(grants.size(), first + mesh::kMaxBatchEntries);
    Json entries = Json::array();
    for (size_t i = first; i < end; ++i) {
      Json entry = grants[i].entry;
      entry["Id"] = std::to_string(i - first);
      entries.push_back(std::move(entry));
    }
    auto out = lf.BatchGrantPermissions({{"Entries", entries}});
    if (!out.ok()) return out.error();
    std::optional<size_t> failed;
    Json error;
    for (const auto& f : out->value("Failures", Json::array())) {
      const size_t i = first + std::stoul(f["RequestEntry"].value("Id", "0"));
      if (!failed || i < *failed) {
        failed = i;
        error = f["Error"];
      }
    }
    if (!failed) return OkStatus();
    const std::string what = *failed < end ? grants[*failed].what : std::string("?");
    return Error(error.value("ErrorCode", "GrantFailed"), "granting " + what + " failed: " + error.value("ErrorMessage", ""),
                 ErrorKind::kClient);
  });
}

// A BatchGrantPermissions entry; SendGrants gives it its Id.
Json Entry(const std::string& principal, const Json& resource, const Json& permissions,
           const Json& grantable = Json::array()) {
  return {{"Principal", {{"DataLakePrincipalIdentifier", principal}}}, {"Resource", resource},
          {"Permissions", permissions}, {"PermissionsWithGrantOption", grantable}};
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
  const int concurrency = persona.mesh->max_concurrency();
  // Each crawler's grants go out (batched) before any crawler is created.
  std::vector<NamedGrant> grants;
  for (const auto& t : tables) {
    const Json table = {{"Table", {{"CatalogId", persona.mesh->mesh_account()}, {"DatabaseName", mesh_db},
                                   {"Name", t.target_table}}}};
    grants.push_back({"crawler " + t.target_table, Entry(role, table, {"ALTER", "DESCRIBE", "INSERT", "SELECT"})});
  }
  auto lf = persona.mesh->LakeFormation();
  if (auto s = SendGrants(lf, grants, concurrency); !s.ok()) return s.error();
  auto glue = persona.mesh->Glue();
  return mesh::ForEachConcurrently(tables.size(), concurrency, [&](size_t i) -> Status {
    const PublishedTable& t = tables[i];
    auto crawler = glue.CreateCrawler(
        {{"Name", mesh_db + "-" + t.target_table + "-sync"},
         {"Role", role},
         {"DatabaseName", mesh_db},
         {"Targets", {{"CatalogTargets", {{{"DatabaseName", mesh_db}, {"Tables", {t.target_table}}}}}}},
         {"Schedule", o.sync_mesh_catalog_schedule.value_or("cron(0 */4 * * ? *)")},
         {"SchemaChangePolicy", {{"UpdateBehavior", "UPDATE_IN_DATABASE"}, {"DeleteBehavior", "LOG"}}},
         {"LakeFormationConfiguration", {{"UseLakeFormationCredentials", true}}}});
    return Ok(crawler, {"AlreadyExistsException"});
  });
}

// Everything the phases of one publication share.
struct Publication {
  const CreateDataProductsOptions& o;
  mesh::PersonaSessions& persona;
  std::string producer, mesh_account, region, mesh_db;
  int concurrency;
  bool source_may_carry_tags = true;  // false: no table's LF-tags need reading
};

// What publishing one table learns on the way.
struct TableWork {
  std::string name;
  std::string bucket;
  std::vector<std::pair<std::string, std::string>> source_tags;  // the source table's LF-tags
};

// Each tag key has the values wanted among its values: one GetLFTag a key, and one CreateLFTag or
// UpdateLFTag for all the values it lacks.
Status EnsureTagValues(const Publication& p, const std::map<std::string, std::set<std::string>>& wanted) {
  std::vector<std::pair<std::string, std::set<std::string>>> keys(wanted.begin(), wanted.end());
  return mesh::ForEachConcurrently(keys.size(), p.concurrency, [&](size_t i) -> Status {
    auto lf = p.persona.mesh->LakeFormation();
    const auto& [key, values] = keys[i];
    auto tag = lf.GetLFTag({{"TagKey", key}});
    if (!tag.ok()) {
      if (tag.error().code() != "EntityNotFoundException") return tag.error();
      return Ok(lf.CreateLFTag({{"TagKey", key}, {"TagValues", Json(values)}}), {"AlreadyExistsException"});
    }
    std::set<std::string> missing = values;
    for (const auto& v : (*tag)["TagValues"]) missing.erase(v.get<std::string>());
    if (missing.empty()) return OkStatus();
    auto added = lf.UpdateLFTag({{"TagKey", key}, {"TagValuesToAdd", Json(missing)}});
    if (!added.ok() && added.error().code() == "AccessDeniedException") {
      // Producers are not data lake administrators: a tag another producer created takes new values
      // from the mesh's administrator.
      std::string list;
      for (const auto& v : missing) list += (list.empty() ? "" : " ") + v;
      return Error::Local("TagValueMissing", "the LF-tag " + key + " lacks the value(s) " + list + ", and only its creator "
                                             "or a data lake administrator of the mesh may add them: ask the mesh "
                                             "administrator to run aws lakeformation update-lf-tag --tag-key " + key +
                                             " --tag-values-to-add " + list);
    }
    return Ok(added);
  });
}

// Whether a source table may show the producer an LF-tag. A caller sees a tag on a resource only
// where it may see the tag itself ("You must have the DESCRIBE or ASSOCIATE permission on a LF-Tag
// to view it"), which is also what ListLFTags lists: when it lists none, no table can show one, and
// reading every table's tags is skipped. A role enabled before it was allowed ListLFTags reads them.
Outcome<bool> SourceMayCarryTags(aws::LakeFormationClient& lf) {
  auto listed = lf.ListLFTags({{"ResourceShareType", "ALL"}, {"MaxResults", 1}});
  if (!listed.ok()) {
    if (listed.error().code() == "AccessDeniedException") return true;
    return listed.error();
  }
  return !listed->value("LFTags", Json::array()).empty();
}

// The product's database in the mesh, tagged as the solution's.
Status CreateMeshDatabase(const Publication& p) {
  auto glue = p.persona.mesh->Glue();
  // The owner parameter lets consumers' requests find their producer (see OwnerOfProductDatabase).
  auto created = glue.CreateDatabase({{"DatabaseInput", {{"Name", p.mesh_db},
                                                         {"Description", "Data products of account " + p.producer},
                                                         {"Parameters", {{mesh::kOwnerParameter, p.producer}}},
                                                         {"CreateTableDefaultPermissions", Json::array()}}}});
  if (auto s = Ok(created, {"AlreadyExistsException"}); !s.ok()) return s.error();
  const std::string arn = "arn:aws:glue:" + p.region + ":" + p.mesh_account + ":database/" + p.mesh_db;
  return Ok(glue.TagResource({{"ResourceArn", arn}, {"TagsToAdd", {{names::kSolutionTagKey, names::kSolutionTagValue}}}}));
}

// Copies the partitions of `name` into its mesh copy, 100 a BatchCreatePartition (Glue's limit),
// the batches concurrently; those there already are fine.
Status CopyPartitions(const Publication& p, const std::string& name) {
  auto src_glue = p.persona.local->Glue();
  auto mesh_glue = p.persona.mesh->Glue();
  auto partitions = src_glue.GetPartitionsAllPages({{"DatabaseName", p.o.source_database_name}, {"TableName", name}});
  if (!partitions.ok()) return partitions.error();
  std::vector<Json> batches;
  for (const auto& part : (*partitions)["Partitions"]) {
    Json input = {{"Values", part["Values"]}};
    for (const char* f : {"StorageDescriptor", "Parameters"}) {
      if (part.contains(f)) input[f] = part[f];
    }
    if (batches.empty() || batches.back().size() == 100) batches.push_back(Json::array());
    batches.back().push_back(std::move(input));
  }
  return mesh::ForEachConcurrently(batches.size(), p.concurrency, [&](size_t i) -> Status {
    auto out = mesh_glue.BatchCreatePartition({{"DatabaseName", p.mesh_db}, {"TableName", name}, {"PartitionInputList", batches[i]}});
    if (!out.ok()) return out.error();
    for (const auto& e : out->value("Errors", Json::array())) {
      if (e["ErrorDetail"].value("ErrorCode", "") != "AlreadyExistsException") {
        return Error(e["ErrorDetail"].value("ErrorCode", "PartitionFailed"), e["ErrorDetail"].value("ErrorMessage", ""),
                     ErrorKind::kClient);
      }
    }
    return OkStatus();
  });
}

// The mesh copy of one table: its location registered with Lake Formation, the table created (or
// refreshed when the source changed), its partitions copied, and the source's LF-tags read.
Status CopyTable(const Publication& p, const Json& source, TableWork& t) {
  t.name = source["Name"];
  auto location = S3Location(source.value("StorageDescriptor", Json::object()).value("Location", ""), t.name);
  if (!location.ok()) return location.error();
  t.bucket = location->second;
  auto mesh_lf = p.persona.mesh->LakeFormation();
  auto mesh_glue = p.persona.mesh->Glue();
  auto registered = mesh_lf.RegisterResource({{"ResourceArn", location->first}, {"UseServiceLinkedRole", true}});
  if (auto s = Ok(registered, {"AlreadyExistsException"}); !s.ok()) return s.error();

  Json input = TableInputFrom(source);
  // The product's domain and name travel with the copy as table parameters too: the LF-tags are
  // what access is granted by, but a tag shows only to those who may describe it, and anyone in
  // the mesh may read the parameters of a table whose metadata is public (list-data-products).
  if (p.o.domain) input["Parameters"][mesh::kDomainParameter] = *p.o.domain;
  if (p.o.data_product_name) input["Parameters"][mesh::kProductParameter] = *p.o.data_product_name;
  auto created = mesh_glue.CreateTable({{"DatabaseName", p.mesh_db}, {"TableInput", input}});
  if (!created.ok()) {
    if (created.error().code() != "AlreadyExistsException") return created.error();
    // Updated only when the source changed: every UpdateTable archives a table version.
    auto existing = mesh_glue.GetTable({{"DatabaseName", p.mesh_db}, {"Name", t.name}});
    if (!existing.ok()) return existing.error();
    if (TableInputFrom((*existing)["Table"]) != input) {
      if (auto s = Ok(mesh_glue.UpdateTable({{"DatabaseName", p.mesh_db}, {"TableInput", input}})); !s.ok()) return s.error();
    }
  }
  // A table without partition keys has no partitions to copy.
  if (!source.value("PartitionKeys", Json::array()).empty()) {
    if (auto s = CopyPartitions(p, t.name); !s.ok()) return s.error();
  }
  if (!p.source_may_carry_tags) return OkStatus();
  auto source_tags = p.persona.local->LakeFormation().GetResourceLFTags(
      {{"Resource", {{"Table", {{"DatabaseName", p.o.source_database_name}, {"Name", t.name}}}}}});
  if (!source_tags.ok()) return source_tags.error();  // dropping the source's tags silently would widen access
  for (const char* field : {"LFTagOnDatabase", "LFTagsOnTable"}) {
    for (const auto& tag : source_tags->value(field, Json::array())) t.source_tags.emplace_back(tag["TagKey"], tag["TagValues"][0]);
  }
  return OkStatus();
}

// Each mesh table carries its source's LF-tags and the product's domain and name; the values the
// source's tags need are ensured first, once for all tables.
Status TagTables(const Publication& p, const std::vector<TableWork>& work,
                 const std::map<std::string, std::set<std::string>>& product_tags) {
  std::map<std::string, std::set<std::string>> source_values;
  for (const auto& t : work) {
    for (const auto& [key, value] : t.source_tags) {
      auto it = product_tags.find(key);
      if (it == product_tags.end() || !it->second.count(value)) source_values[key].insert(value);
    }
  }
  if (auto s = EnsureTagValues(p, source_values); !s.ok()) return s.error();
  return mesh::ForEachConcurrently(work.size(), p.concurrency, [&](size_t i) -> Status {
    const TableWork& t = work[i];
    Json lf_tags = Json::array();
    for (const auto& [key, value] : t.source_tags) lf_tags.push_back({{"TagKey", key}, {"TagValues", {value}}});
    if (p.o.domain) lf_tags.push_back({{"TagKey", names::kDomainTag}, {"TagValues", {*p.o.domain}}});
    if (p.o.data_product_name) lf_tags.push_back({{"TagKey", names::kDataProductTag}, {"TagValues", {*p.o.data_product_name}}});
    if (lf_tags.empty()) return OkStatus();
    const Json table = {{"Table", {{"CatalogId", p.mesh_account}, {"DatabaseName", p.mesh_db}, {"Name", t.name}}}};
    auto added = p.persona.mesh->LakeFormation().AddLFTagsToResource({{"Resource", table}, {"LFTags", lf_tags}});
    if (!added.ok()) return added.error();
    if (added->contains("Failures") && !(*added)["Failures"].empty()) {
      return Error::Local("TaggingFailed", (*added)["Failures"][0]["Error"].value("ErrorMessage", "LF-tag failed"));
    }
    return OkStatus();
  });
}

// The producer's grants on its product: the database's once, then each table's.
std::vector<NamedGrant> ProductGrants(const Publication& p, const std::vector<TableWork>& work) {
  const std::string manager = "arn:aws:iam::" + p.mesh_account + ":role" + names::kIamPath + names::kManagerRole;
  const std::string read_only = "arn:aws:iam::" + p.mesh_account + ":role" + names::kIamPath + names::kReadOnlyRole;
  const Json all_table = {"ALL", "ALTER", "DELETE", "DESCRIBE", "DROP", "INSERT", "SELECT"};
  const Json db_resource = {{"Database", {{"CatalogId", p.mesh_account}, {"Name", p.mesh_db}}}};
  std::vector<NamedGrant> grants = {
      {"producer-database", Entry(p.producer, db_resource, {"CREATE_TABLE", "DESCRIBE"})},
      {"producer-role-database", Entry(p.persona.mesh_role_arn, db_resource, {"ALL"})}};
  for (const auto& t : work) {
    const Json table = {{"Table", {{"CatalogId", p.mesh_account}, {"DatabaseName", p.mesh_db}, {"Name", t.name}}}};
    grants.push_back({"producer-table " + t.name, Entry(p.producer, table, all_table, all_table)});
    grants.push_back({"manager-table " + t.name, Entry(manager, table, {"DESCRIBE", "SELECT", "DROP"})});
    if (p.o.create_public_metadata) grants.push_back({"public-metadata " + t.name, Entry(read_only, table, {"DESCRIBE"})});
  }
  return grants;
}

// The producer account accepts the shares carrying its product. Lake Formation carries the grants
// between two accounts in one RAM share (cross-account sharing from version 2 on), so the shares of
// the database and of one table name them; no need to ask table by table.
Status AcceptProductShares(const Publication& p, const mesh::MeshSession& session, const std::vector<TableWork>& work) {
  std::vector<Json> resources = {{{"Database", {{"CatalogId", p.mesh_account}, {"Name", p.mesh_db}}}}};
  if (!work.empty()) {
    resources.push_back({{"Table", {{"CatalogId", p.mesh_account}, {"DatabaseName", p.mesh_db}, {"Name", work[0].name}}}});
  }
  std::vector<std::set<std::string>> found(resources.size());
  auto listed = mesh::ForEachConcurrently(resources.size(), p.concurrency, [&](size_t i) -> Status {
    auto perms = p.persona.mesh->LakeFormation().ListPermissions(
        {{"Principal", {{"DataLakePrincipalIdentifier", p.producer}}}, {"Resource", resources[i]}});
    if (!perms.ok()) return perms.error();
    for (const auto& e : (*perms)["PrincipalResourcePermissions"]) {
      for (const auto& arn : e.value("AdditionalDetails", Json::object()).value("ResourceShare", Json::array())) found[i].insert(arn);
    }
    return OkStatus();
  });
  if (!listed.ok()) return listed.error();
  std::set<std::string> shares;
  for (const auto& f : found) shares.insert(f.begin(), f.end());
  auto ram = p.persona.local->Ram();
  return mesh::AcceptShareInvitations(ram, *session.sleeper(), shares, &session);
}

// The producer's own catalog links to the mesh copies (a migration first drops each original).
Status LinkTables(const Publication& p, const std::vector<PublishedTable>& tables, bool replace_originals,
                  const std::function<void(size_t)>& on_done) {
  auto src_glue = p.persona.local->Glue();
  auto created_link_db = src_glue.CreateDatabase({{"DatabaseInput", {{"Name", p.mesh_db}}}});
  if (auto s = Ok(created_link_db, {"AlreadyExistsException"}); !s.ok()) return s.error();
  return mesh::ForEachConcurrently(tables.size(), p.concurrency, [&](size_t i) -> Status {
    const PublishedTable& t = tables[i];
    auto glue = p.persona.local->Glue();
    if (replace_originals) {
      // The mesh copy is now the master: the original gives way to a link of the same name.
      auto original = glue.GetTable({{"DatabaseName", p.mesh_db}, {"Name", t.link_table}});
      if (original.ok() && !(*original)["Table"].contains("TargetTable")) {
        if (auto s = Ok(glue.DeleteTable({{"DatabaseName", p.mesh_db}, {"Name", t.link_table}})); !s.ok()) return s.error();
      }
    }
    auto linked = glue.CreateTable({{"DatabaseName", p.mesh_db},
                                    {"TableInput", {{"Name", t.link_table},
                                                    {"TargetTable", {{"CatalogId", p.mesh_account}, {"DatabaseName", p.mesh_db},
                                                                     {"Name", t.target_table}}}}}});
    return Ok(linked, {"AlreadyExistsException"});
  }, on_done);
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
  const std::string mesh_db = o.expose_data_mesh_db_name.value_or(names::MeshDatabase(o.source_database_name, producer));
  Publication p{o, *persona, producer, mesh_account, region, mesh_db, session_->max_concurrency()};
  auto src_lf = persona->local->LakeFormation();
  auto may_carry_tags = SourceMayCarryTags(src_lf);
  if (!may_carry_tags.ok()) return may_carry_tags.error();
  p.source_may_carry_tags = *may_carry_tags;
  mesh::Progress progress(*session_, replace_originals ? "migrate-tables-to-mesh" : "create-data-product");

  // The product's tag values before the mesh changes: a value the producer may not add stops it here.
  std::map<std::string, std::set<std::string>> product_tags;
  if (o.domain) product_tags[names::kDomainTag].insert(*o.domain);
  if (o.data_product_name) product_tags[names::kDataProductTag].insert(*o.data_product_name);
  if (auto s = EnsureTagValues(p, product_tags); !s.ok()) return s.error();
  if (auto s = CreateMeshDatabase(p); !s.ok()) return s.error();

  std::vector<TableWork> work(selected.size());
  progress.Begin("publishing tables", selected.size());
  auto copied = mesh::ForEachConcurrently(
      selected.size(), p.concurrency, [&](size_t i) { return CopyTable(p, selected[i], work[i]); },
      [&](size_t done) { progress.Advance(done); });
  if (!copied.ok()) return copied.error();
  progress.End();

  progress.Begin("tagging and granting");
  if (auto s = TagTables(p, work, product_tags); !s.ok()) return s.error();
  // The grants go out before anything that needs them (the producer's shares below).
  auto mesh_lf = persona->mesh->LakeFormation();
  if (auto s = SendGrants(mesh_lf, ProductGrants(p, work), p.concurrency); !s.ok()) return s.error();
  std::set<std::string> buckets;
  for (const auto& t : work) buckets.insert(t.bucket);
  auto s3 = persona->local->S3();
  for (const auto& bucket : buckets) {
    // The mesh account's Lake Formation role reads the data on the consumers' behalf. Bucket
    // policies are read, changed and written back: one at a time.
    const std::string lf_role = "arn:aws:iam::" + mesh_account +
                                ":role/aws-service-role/lakeformation.amazonaws.com/AWSServiceRoleForLakeFormationDataAccess";
    if (auto s = mesh::AllowBucketRead(s3, bucket, "DataMeshLakeFormationRead" + mesh_account, lf_role); !s.ok()) return s.error();
  }
  progress.End();

  progress.Begin("accepting the product's shares");
  if (auto s = AcceptProductShares(p, *session_, work); !s.ok()) return s.error();
  progress.End();

  std::vector<PublishedTable> result_tables;
  for (const auto& t : work) {
    const std::string link = o.use_original_table_name ? t.name : t.name + o.expose_table_references_with_suffix;
    result_tables.push_back({t.name, mesh_db, t.name, mesh_db, link});
  }
  progress.Begin("linking tables", result_tables.size());
  if (auto s = LinkTables(p, result_tables, replace_originals, [&](size_t done) { progress.Advance(done); }); !s.ok()) {
    return s.error();
  }
  progress.End();

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
