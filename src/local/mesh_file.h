// Opening a local mesh file: the store, the tables each emulated service keeps its state in, and
// the migration of files written by earlier versions of datamesh.
#pragma once

#include <memory>
#include <string>

#include "local/store/store.h"

namespace datamesh::local {

// The layout this build writes. 1: everything in `resources`; 2: DynamoDB items in their own
// keyed tables with index entries; 3: RAM shares and invitations in tables indexed by owner,
// principal and receiver; 4: Lake Formation grants in a table indexed by principal and by
// database and table; 5: RAM share principals indexed by share too.
inline constexpr int kMeshFileVersion = 5;

// Opens (creating if needed) the mesh file at `path`, bringing an older layout up to date in one
// transaction. A file from a newer datamesh is refused, unchanged.
Outcome<std::shared_ptr<Store>> OpenMeshFile(const std::string& path);

// Checks, without changing anything, that `path` holds a local mesh: an SQLite database with the
// mesh's tables and at least one account (what `local init` makes). A missing file, another kind
// of file or someone else's database is refused with an error (NoLocalMesh) that says which, so
// that a mistyped name is not silently served as a new, empty mesh.
Status CheckIsLocalMesh(const std::string& path);

}  // namespace datamesh::local
