// Opening a local mesh file: the store, the tables each emulated service keeps its state in, and
// the migration of files written by earlier versions of datamesh.
#pragma once

#include <memory>
#include <string>

#include "local/store/store.h"

namespace datamesh::local {

// The layout this build writes. 1: everything in `resources`; 2: DynamoDB items in their own
// keyed tables with index entries.
inline constexpr int kMeshFileVersion = 2;

// Opens (creating if needed) the mesh file at `path`, bringing an older layout up to date in one
// transaction. A file from a newer datamesh is refused, unchanged.
Outcome<std::shared_ptr<Store>> OpenMeshFile(const std::string& path);

}  // namespace datamesh::local
