// Installs the mesh objects in the mesh account and prints the manager role: enough of the public
// API to show that a program outside datamesh builds, links and runs against the installed package.
// Usage: install_mesh CREDENTIALS_FILE ENDPOINT_URL      (mesh_only)
//        install_mesh CREDENTIALS_FILE LOCAL_MESH_FILE   (with_local)
#include <datamesh/admin.h>
#ifdef WITH_LOCAL_MESH
#include <datamesh/local_mesh.h>
#endif

#include <fstream>
#include <iostream>

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: " << argv[0] << " CREDENTIALS_FILE ENDPOINT_URL|LOCAL_MESH_FILE\n";
    return 2;
  }
  std::ifstream in(argv[1]);
  const auto file = nlohmann::json::parse(in);
  auto credentials = datamesh::AwsCredentials::FromJson(file["Mesh"], "Mesh");
  if (!credentials.ok()) {
    std::cerr << credentials.error().ToString() << "\n";
    return 1;
  }
  datamesh::MeshOptions options;
  options.data_mesh_account_id = credentials->account_id;
  options.use_credentials = *credentials;
#ifdef WITH_LOCAL_MESH
  if (auto s = datamesh::UseLocalMesh(options, argv[2]); !s.ok()) {
    std::cerr << s.error().ToString() << "\n";
    return 1;
  }
#else
  options.endpoint_url = argv[2];
#endif
  auto admin = datamesh::Admin::Create(options);
  if (!admin.ok()) {
    std::cerr << admin.error().ToString() << "\n";
    return 1;
  }
  auto objects = admin->InitializeMeshAccount();
  if (!objects.ok()) {
    std::cerr << objects.error().ToString() << "\n";
    return 1;
  }
  std::cout << objects->manager_role_arn << "\n";
  return 0;
}
