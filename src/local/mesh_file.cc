#include "local/mesh_file.h"

#include <sqlite3.h>

#include <filesystem>
#include <fstream>

#include "local/dynamodb/item_store.h"
#include "local/lakeformation/lf_state.h"
#include "local/ram/ram_state.h"

namespace datamesh::local {
namespace {

// Version 1 kept DynamoDB items as documents of kind "ddb_item/<table>"; they move to the item
// tables, indexed by every index their table has.
void MoveDynamoDbItems(Transaction& tx) {
  for (const Scope& scope : tx.ScopesWith("ddb_table")) {
    for (auto& [name, description] : tx.List(scope, "ddb_table")) {
      const std::string kind = "ddb_item/" + name;
      ddb::TableSchema schema = ddb::TableSchema::FromDescription(description);
      schema.stream_arn.clear();  // moving items is not a change to them: no stream records
      ddb::ItemStore items(tx, scope, schema);
      for (auto& [key, item] : tx.List(scope, kind)) {
        items.Put(item, items.Get(item));
        tx.Delete(scope, kind, key);
      }
    }
  }
}

Status Migrate(Store& store) {
  // A file already in this layout needs nothing: checked in a read transaction, so that opening
  // the file (every CLI run does) neither waits for nor holds up a writer.
  auto current = store.Read<bool>([&](Transaction& tx) -> Outcome<bool> { return store.SchemaVersion(tx) == kMeshFileVersion; });
  if (!current.ok()) return current.error();
  if (*current) return OkStatus();
  auto done = store.Write<bool>([&](Transaction& tx) -> Outcome<bool> {
    const int version = store.SchemaVersion(tx);
    if (version > kMeshFileVersion) {
      return Error::Local("LocalMeshStore", store.path() + " was written by a newer datamesh (mesh file version " +
                                                std::to_string(version) + "; this build reads up to " +
                                                std::to_string(kMeshFileVersion) + "); use that version");
    }
    ddb::ItemStore::CreateTables(tx);
    ram::CreateTables(tx);
    lf::CreateGrantTables(tx);
    if (version < 2) MoveDynamoDbItems(tx);
    if (version < 3) ram::MoveFromDocuments(tx);
    if (version < 4) lf::MoveGrantsFromDocuments(tx);
    if (version != kMeshFileVersion) store.SetSchemaVersion(tx, kMeshFileVersion);
    return true;
  });
  if (!done.ok()) return done.error();
  return OkStatus();
}

constexpr int kLookBusyTimeoutMs = 30'000;

// The file answered, and what it holds is some other schema.
bool HoldsAnotherSchema(sqlite3* db, int rc) {
  const std::string why = sqlite3_errmsg(db);
  return rc == SQLITE_ERROR && (why.rfind("no such table", 0) == 0 || why.rfind("no such column", 0) == 0);
}

// The names of the tables an SQLite database holds, comma-separated ("" when it holds none); a
// failure to list them is put in `unreadable`.
std::string TablesOf(sqlite3* db, std::string* unreadable) {
  sqlite3_stmt* statement = nullptr;
  std::string names;
  int rc = sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name LIMIT 6", -1,
                              &statement, nullptr);
  for (int listed = 0; rc == SQLITE_OK && (rc = sqlite3_step(statement)) == SQLITE_ROW; ++listed, rc = SQLITE_OK) {
    const auto* name = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
    if (listed > 0) names += ", ";
    names += listed == 5 ? "..." : name ? name : "";
  }
  if (rc != SQLITE_DONE) *unreadable = sqlite3_errmsg(db);
  sqlite3_finalize(statement);
  return names;
}

}  // namespace

Outcome<std::shared_ptr<Store>> OpenMeshFile(const std::string& path) {
  auto store = Store::Open(path);
  if (!store.ok()) return store.error();
  if (auto s = Migrate(**store); !s.ok()) return s.error();
  return store;
}

Status CheckIsLocalMesh(const std::string& path) {
  const std::string hint = "; create one with: datamesh local init --db " + path + " --write-credentials FILE";
  const std::string elsewhere = "; give the path of a local mesh, or make one in a new file with datamesh local init";
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return Error::Local("NoLocalMesh", "no local mesh at " + path + hint);
  // An empty file is an empty SQLite database (mktemp makes such files).
  if (std::filesystem::is_regular_file(path, ec) && std::filesystem::file_size(path, ec) == 0 && !ec) {
    return Error::Local("NoLocalMesh", path + " is empty: no local mesh yet" + hint);
  }
  char header[16] = {};
  std::ifstream in(path, std::ios::binary);
  in.read(header, sizeof header);
  if (std::string(header, sizeof header) != std::string("SQLite format 3\0", 16)) {
    return Error::Local("NotALocalMesh", path + " is not a local mesh (not an SQLite database)" + elsewhere);
  }
  // Another process may be writing, checkpointing or closing the file as we look: wait for it as the
  // store itself does, and tell "not a mesh" (no accounts table) apart from "cannot read it now".
  // (Without the wait, a look that met another process's write said "not a local mesh".)
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  long long accounts = -1;
  std::string unreadable, tables;
  if (rc == SQLITE_OK) {
    sqlite3_busy_timeout(db, kLookBusyTimeoutMs);
    sqlite3_stmt* statement = nullptr;
    // The mesh's own tables and columns, and the schema version every mesh file records when it is
    // made: a table of another program that happens to be called "resources" is not a mesh.
    rc = sqlite3_prepare_v2(db,
                            "SELECT (SELECT count(*) FROM meta WHERE key = 'schema_version' AND value IS NOT NULL), "
                            "count(*) FROM resources WHERE kind = 'account' AND account IS NOT NULL AND "
                            "region IS NOT NULL AND key IS NOT NULL AND doc IS NOT NULL",
                            -1, &statement, nullptr);
    if (rc == SQLITE_OK) rc = sqlite3_step(statement);
    if (rc == SQLITE_ROW && sqlite3_column_int64(statement, 0) == 1) {
      accounts = sqlite3_column_int64(statement, 1);
    } else if (rc == SQLITE_ROW || HoldsAnotherSchema(db, rc)) {
      tables = TablesOf(db, &unreadable);
    } else {
      unreadable = sqlite3_errmsg(db);
    }
    sqlite3_finalize(statement);
  } else {
    unreadable = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  }
  sqlite3_close(db);
  if (!unreadable.empty()) return Error::Local("LocalMeshStore", "cannot read " + path + ": " + unreadable);
  if (accounts < 0 && tables.empty()) return Error::Local("NoLocalMesh", path + " is an empty SQLite database: no local mesh yet" + hint);
  if (accounts < 0) {
    return Error::Local("NotALocalMesh", path + " is an SQLite database but not a local mesh (its tables: " + tables + ")" + elsewhere);
  }
  if (accounts == 0) return Error::Local("NoLocalMesh", path + " holds no local mesh accounts yet" + hint);
  return OkStatus();
}

Status CheckMeshMayBeMade(const std::string& path) {
  auto is_mesh = CheckIsLocalMesh(path);
  if (is_mesh.ok() || is_mesh.error().code() == "NoLocalMesh") return OkStatus();
  return is_mesh;
}

}  // namespace datamesh::local
