#include "cli/command.h"

namespace datamesh::cli {

const std::vector<Command>& Commands() {
  static const std::vector<Command> commands = {
      WhoamiCommand(),
      LocalCommand(),
      InstallMeshObjectsCommand(),
      EnableAccountCommand(),
  };
  return commands;
}

}  // namespace datamesh::cli
