#include "local/server/local_transport.h"

#include "local/mesh_file.h"

namespace datamesh::local {

Outcome<std::shared_ptr<aws::HttpTransport>> OpenInProcessTransport(const std::string& path) {
  auto store = OpenMeshFile(path);
  if (!store.ok()) return store.error();
  auto handler = std::make_shared<MeshHandler>(*store, aws::Clock::System());
  return std::shared_ptr<aws::HttpTransport>(std::make_shared<LocalTransport>(handler));
}

}  // namespace datamesh::local
