#include "cli/command.h"

namespace datamesh::cli {

const std::vector<Command>& Commands() {
  static const std::vector<Command> commands = {
      WhoamiCommand(),
      LocalCommand(),
  };
  return commands;
}

}  // namespace datamesh::cli
