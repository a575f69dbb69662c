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
// mesh's tables and at least one account (what `local init` makes). Refused, with an error that
// says which, so that a mistyped name is not silently served as a new, empty mesh:
//   NoLocalMesh     nothing is there yet that a mesh could not be made in: no file, an empty file
//                   or database, or a mesh whose making stopped before its first account;
//   NotALocalMesh   something else is there (another kind of file, another program's database),
//                   which `local init` must never add a mesh to;
//   LocalMeshStore  the file cannot be read now.
Status CheckIsLocalMesh(const std::string& path);

// Whether a mesh may be made in `path`: OkStatus when it holds none yet or already holds one;
// the error of CheckIsLocalMesh otherwise.
Status CheckMeshMayBeMade(const std::string& path);

}  // namespace datamesh::local
