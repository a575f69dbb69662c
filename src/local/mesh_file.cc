#include "local/mesh_file.h"

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

}  // namespace

Outcome<std::shared_ptr<Store>> OpenMeshFile(const std::string& path) {
  auto store = Store::Open(path);
  if (!store.ok()) return store.error();
  if (auto s = Migrate(**store); !s.ok()) return s.error();
  return store;
}

}  // namespace datamesh::local
