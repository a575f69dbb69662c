#include <filesystem>

#include "datamesh/local_mesh.h"
#include "local/server/local_transport.h"

namespace datamesh {

Status UseLocalMesh(MeshOptions& options, const std::string& path) {
  if (options.endpoint_url) return Error::Local("InvalidArgument", "a local mesh and endpoint_url cannot be used together");
  if (!std::filesystem::exists(path)) return Error::Local("NoLocalMesh", "no local mesh at " + path);
  auto transport = local::OpenInProcessTransport(path);
  if (!transport.ok()) return transport.error();
  options.transport = *transport;
  options.endpoint_url = local::kInProcessEndpoint;
  return OkStatus();
}

}  // namespace datamesh
