// The embedded local mesh (part of datamesh::local): an emulator of the AWS behaviour the mesh
// needs, several accounts in one SQLite file, reached in process. A program that wants it links
// datamesh::local and hands it to the workflows through their options; one that does not links
// neither SQLite nor the HTTP server.
#pragma once

#include <string>

#include "datamesh/mesh_options.h"

namespace datamesh {

// Points `options` at the local mesh in the SQLite file `path` (made by `datamesh local init`):
// every request goes to it in process, signed and checked as AWS would. An error names a missing
// file, a file that is not a local mesh (or of a newer datamesh), or an endpoint_url already set.
Status UseLocalMesh(MeshOptions& options, const std::string& path);

}  // namespace datamesh
