// Glue tables (and table resource links) and their partitions, governed by Lake Formation.
#include <re2/re2.h>

#include "aws/core/time_format.h"
#include "aws/http/headers.h"
#include "local/glue/glue_service.h"
#include "local/glue/partition_filter.h"
#include "local/lakeformation/lf_grants.h"

namespace datamesh::local::glue {
namespace {

std::string Lower(const Json& v) { return aws::ToLower(v.get<std::string>()); }

Json TableOutput(const Json& t) {
  Json out = t;
  out.erase("Tags");
  return out;
}

// What GetTable answers for a table: a resource link shows its target's definition when the
// caller may see the target, keeping its own name and TargetTable.
Json Resolved(RequestContext& ctx, const Json& table) {
  Json out = TableOutput(table);
  if (!table.contains("TargetTable")) return out;
  const Json& target = table["TargetTable"];
  const std::string catalog = target.value("CatalogId", ctx.caller.account);
  const std::string db = Lower(target["DatabaseName"]);
  const std::string name = Lower(target["Name"]);
  auto t = ctx.tx.Get(CatalogScope(ctx, catalog), kTableKind, db + "/" + name);
  if (!t || lf::Access(ctx).OnTable(catalog, db, name).empty()) return out;
  for (const char* field : {"StorageDescriptor", "PartitionKeys", "TableType", "Parameters", "Owner", "Description"}) {
    if (t->contains(field)) out[field] = (*t)[field];
  }
  return out;
}

Status Require(RequestContext& ctx, const std::string& catalog, const std::string& db, const std::string& table,
               const std::string& permission) {
  if (lf::Access(ctx).OnTable(catalog, db, table).count(permission)) return OkStatus();
  return ServiceFault("AccessDeniedException", "Insufficient Lake Formation permission(s) on " + table +
                                                   " (Database name: " + db + ", Table Name: " + table + ")", 400);
}

std::string PartitionKey(const std::string& db, const std::string& table, const Json& values) {
  return db + "/" + table + "/" + values.dump();
}

// Checks a partition against its table and stores it; an error for duplicates or bad values.
Status StorePartition(RequestContext& ctx, const std::string& catalog, const std::string& db, const std::string& table,
                      const Json& table_doc, const Json& input) {
  const Json& values = input["Values"];
  size_t keys = table_doc.value("PartitionKeys", Json::array()).size();
  if (values.size() != keys) {
    return InvalidInput("The number of partition keys do not match the number of partition values");
  }
  const std::string key = PartitionKey(db, table, values);
  if (ctx.tx.Get(CatalogScope(ctx, catalog), kPartitionKind, key)) return AlreadyExists("Partition already exists.");
  Json p = input;
  p["DatabaseName"] = db;
  p["TableName"] = table;
  p["CatalogId"] = catalog;
  p["CreationTime"] = aws::FormatIso8601(ctx.now);
  ctx.tx.Put(CatalogScope(ctx, catalog), kPartitionKind, key, p);
  return OkStatus();
}

// The table a partition operation addresses, once IAM allows `action` and Lake Formation grants
// one of `permissions` on it.
// Where a database of the caller's catalog leads: a database resource link leads to its target
// ("Resource link handling in AWS Glue APIs": GetTable, GetTables and GetPartitions on a database
// link reach the target database; the caller needs IAM and Lake Formation permissions on both,
// DESCRIBE being what the link itself requires).
Status FollowDatabaseLink(RequestContext& ctx, const std::string& action, std::string& catalog, std::string& db) {
  if (catalog != ctx.caller.account) return OkStatus();
  auto database = ctx.tx.Get(CatalogScope(ctx, catalog), kDatabaseKind, db);
  if (!database || !database->contains("TargetDatabase")) return OkStatus();
  if (lf::Access(ctx).OnDatabase(catalog, db).empty()) return InsufficientLakeFormation("Required Describe on " + db);
  const Json& target = (*database)["TargetDatabase"];
  catalog = target.value("CatalogId", catalog);
  db = Lower(target.value("DatabaseName", db));
  return AuthorizeGlue(ctx, action, DatabaseArn(ctx, catalog, db));
}

struct PartitionTarget {
  std::string catalog, db, table;
  Json doc;
};
Outcome<PartitionTarget> PartitionTable(RequestContext& ctx, const Json& in, const std::string& action,
                                        std::initializer_list<const char*> permissions) {
  PartitionTarget t{CatalogOf(ctx, in), Lower(in["DatabaseName"]), Lower(in["TableName"]), Json()};
  if (auto s = AuthorizeGlue(ctx, action, TableArn(ctx, t.catalog, t.db, t.table)); !s.ok()) return s.error();
  if (action == "glue:GetPartitions") {
    if (auto s = FollowDatabaseLink(ctx, action, t.catalog, t.db); !s.ok()) return s.error();
  }
  auto doc = LoadTable(ctx, t.catalog, t.db, t.table);
  if (!doc.ok()) return doc.error();
  t.doc = std::move(*doc);
  auto held = lf::Access(ctx).OnTable(t.catalog, t.db, t.table);
  for (const char* p : permissions) {
    if (held.count(p)) return t;
  }
  return Require(ctx, t.catalog, t.db, t.table, *permissions.begin()).error();
}

}  // namespace

Outcome<Json> CreateTable(const Json& in, RequestContext& ctx) {
  const std::string catalog = CatalogOf(ctx, in);
  const std::string db = Lower(in["DatabaseName"]);
  const Json& input = in["TableInput"];
  const std::string name = Lower(input["Name"]);
  if (auto s = AuthorizeGlue(ctx, "glue:CreateTable", TableArn(ctx, catalog, db, name)); !s.ok()) return s.error();
  auto database = LoadDatabase(ctx, catalog, db);
  if (!database.ok()) return database.error();
  if (!lf::Access(ctx).OnDatabase(catalog, db).count("CREATE_TABLE")) {
    return InsufficientLakeFormation("Required Create Table on " + db);
  }
  if (ctx.tx.Get(CatalogScope(ctx, catalog), kTableKind, db + "/" + name)) return AlreadyExists("Table already exists.");
  if (input.contains("TargetTable")) {
    const Json& target = input["TargetTable"];
    if (!target.contains("DatabaseName") || !target.contains("Name")) {
      return InvalidInput("TargetTable must name a DatabaseName and a Name");
    }
  }
  Json t = input;
  t["Name"] = name;
  t["DatabaseName"] = db;
  t["CatalogId"] = catalog;
  t["CreateTime"] = t["UpdateTime"] = aws::FormatIso8601(ctx.now);
  t["CreatedBy"] = ctx.caller.arn;
  t["IsRegisteredWithLakeFormation"] = false;
  t["VersionId"] = "0";
  if (!t.contains("TableType") && input.contains("TargetTable")) t["TableType"] = "EXTERNAL_TABLE";
  ctx.tx.Put(CatalogScope(ctx, catalog), kTableKind, db + "/" + name, t);
  lf::GrantCreatorAndDefaults(ctx, lf::TableResource(catalog, db, name),
                              input.contains("TargetTable") ? Json::array()
                                                            : database->value("CreateTableDefaultPermissions", Json::array()));
  return Json::object();
}

Outcome<Json> GetTable(const Json& in, RequestContext& ctx) {
  std::string catalog = CatalogOf(ctx, in);
  std::string db = Lower(in["DatabaseName"]);
  const std::string name = Lower(in["Name"]);
  if (auto s = AuthorizeGlue(ctx, "glue:GetTable", TableArn(ctx, catalog, db, name)); !s.ok()) return s.error();
  if (auto s = FollowDatabaseLink(ctx, "glue:GetTable", catalog, db); !s.ok()) return s.error();
  auto t = LoadTable(ctx, catalog, db, name);
  if (!t.ok()) return t.error();
  if (lf::Access(ctx).OnTable(catalog, db, name).empty()) return Require(ctx, catalog, db, name, "DESCRIBE").error();
  return Json{{"Table", Resolved(ctx, *t)}};
}

Outcome<Json> GetTables(const Json& in, RequestContext& ctx) {
  std::string catalog = CatalogOf(ctx, in);
  std::string db = Lower(in["DatabaseName"]);
  if (auto s = AuthorizeGlue(ctx, "glue:GetTables", DatabaseArn(ctx, catalog, db)); !s.ok()) return s.error();
  if (auto s = FollowDatabaseLink(ctx, "glue:GetTables", catalog, db); !s.ok()) return s.error();
  if (auto d = LoadDatabase(ctx, catalog, db); !d.ok()) return d.error();
  std::unique_ptr<re2::RE2> pattern;
  if (in.contains("Expression")) {
    re2::RE2::Options options;
    options.set_log_errors(false);
    pattern = std::make_unique<re2::RE2>(in["Expression"].get<std::string>(), options);
    if (!pattern->ok()) return InvalidInput("Invalid Expression: " + pattern->error());
  }
  lf::Access access(ctx);
  return KeyPageOf(ctx, CatalogScope(ctx, catalog), kTableKind, db + "/", in, "TableList",
                   [&](Json t) -> std::optional<Json> {
                     const std::string name = t["Name"];
                     if (pattern && !re2::RE2::FullMatch(name, *pattern)) return std::nullopt;
                     if (access.OnTable(catalog, db, name).empty()) return std::nullopt;
                     return Resolved(ctx, t);
                   });
}

Outcome<Json> UpdateTable(const Json& in, RequestContext& ctx) {
  const std::string catalog = CatalogOf(ctx, in);
  const std::string db = Lower(in["DatabaseName"]);
  const Json& input = in["TableInput"];
  const std::string name = Lower(input["Name"]);
  if (auto s = AuthorizeGlue(ctx, "glue:UpdateTable", TableArn(ctx, catalog, db, name)); !s.ok()) return s.error();
  auto t = LoadTable(ctx, catalog, db, name);
  if (!t.ok()) return t.error();
  if (auto s = Require(ctx, catalog, db, name, "ALTER"); !s.ok()) return s.error();
  if (in.contains("VersionId") && in["VersionId"] != (*t)["VersionId"]) {
    return ServiceFault("ConcurrentModificationException", "Update table failed due to concurrent modifications.", 400);
  }
  Json updated = input;
  updated["Name"] = name;
  updated["DatabaseName"] = db;
  updated["CatalogId"] = catalog;
  for (const char* kept : {"CreateTime", "CreatedBy", "IsRegisteredWithLakeFormation", "Tags"}) {
    if (t->contains(kept)) updated[kept] = (*t)[kept];
  }
  updated["UpdateTime"] = aws::FormatIso8601(ctx.now);
  updated["VersionId"] = std::to_string(std::stoll((*t).value("VersionId", "0")) + 1);
  ctx.tx.Put(CatalogScope(ctx, catalog), kTableKind, db + "/" + name, updated);
  return Json::object();
}

Outcome<Json> DeleteTable(const Json& in, RequestContext& ctx) {
  const std::string catalog = CatalogOf(ctx, in);
  const std::string db = Lower(in["DatabaseName"]);
  const std::string name = Lower(in["Name"]);
  if (auto s = AuthorizeGlue(ctx, "glue:DeleteTable", TableArn(ctx, catalog, db, name)); !s.ok()) return s.error();
  auto t = LoadTable(ctx, catalog, db, name);
  if (!t.ok()) return t.error();
  if (auto s = Require(ctx, catalog, db, name, "DROP"); !s.ok()) return s.error();
  const Scope scope = CatalogScope(ctx, catalog);
  for (auto& [key, p] : ctx.tx.List(scope, kPartitionKind, db + "/" + name + "/")) ctx.tx.Delete(scope, kPartitionKind, key);
  ctx.tx.Delete(scope, kTableKind, db + "/" + name);  // for a link, only the link goes
  lf::ForgetResourceGrants(ctx, catalog, db, name);
  return Json::object();
}

Outcome<Json> CreatePartition(const Json& in, RequestContext& ctx) {
  auto t = PartitionTable(ctx, in, "glue:CreatePartition", {"INSERT"});
  if (!t.ok()) return t.error();
  if (auto s = StorePartition(ctx, t->catalog, t->db, t->table, t->doc, in["PartitionInput"]); !s.ok()) return s.error();
  return Json::object();
}

Outcome<Json> BatchCreatePartition(const Json& in, RequestContext& ctx) {
  auto t = PartitionTable(ctx, in, "glue:BatchCreatePartition", {"INSERT"});
  if (!t.ok()) return t.error();
  Json errors = Json::array();
  for (const auto& p : in["PartitionInputList"]) {
    auto s = StorePartition(ctx, t->catalog, t->db, t->table, t->doc, p);
    if (!s.ok()) {
      errors.push_back({{"PartitionValues", p["Values"]},
                        {"ErrorDetail", {{"ErrorCode", s.error().code()}, {"ErrorMessage", s.error().message()}}}});
    }
  }
  Json out = Json::object();
  if (!errors.empty()) out["Errors"] = errors;
  return out;
}

Outcome<Json> GetPartitions(const Json& in, RequestContext& ctx) {
  auto t = PartitionTable(ctx, in, "glue:GetPartitions", {"SELECT", "DESCRIBE"});
  if (!t.ok()) return t.error();
  std::shared_ptr<PartitionFilter> filter;
  if (in.contains("Expression")) {
    auto f = PartitionFilter::Parse(in["Expression"], t->doc.value("PartitionKeys", Json::array()));
    if (!f.ok()) return f.error();
    filter = *f;
  }
  // Segment splits the partitions for parallel readers: each partition is in exactly one segment.
  const int total = in.contains("Segment") ? in["Segment"].value("TotalSegments", 1) : 1;
  const int segment = in.contains("Segment") ? in["Segment"].value("SegmentNumber", 0) : 0;
  if (segment < 0 || segment >= total) return InvalidInput("SegmentNumber must be less than TotalSegments");
  const bool without_columns = in.value("ExcludeColumnSchema", false);
  return KeyPageOf(ctx, CatalogScope(ctx, t->catalog), kPartitionKind, t->db + "/" + t->table + "/", in, "Partitions",
                   [&](Json p) -> std::optional<Json> {
                     if (filter && !filter->Matches(p["Values"])) return std::nullopt;
                     if (total > 1 && static_cast<int>(std::hash<std::string>{}(p["Values"].dump()) % total) != segment) {
                       return std::nullopt;
                     }
                     if (without_columns && p.contains("StorageDescriptor")) p["StorageDescriptor"].erase("Columns");
                     return p;
                   });
}

}  // namespace datamesh::local::glue
