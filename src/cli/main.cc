// datamesh: run a data mesh on AWS Lake Formation. The command table lives in commands.cc.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/command.h"
#include "cli/output.h"

int main(int argc, char** argv) {
  using namespace datamesh::cli;
  CLI::App app{"datamesh: build and run a data mesh on AWS Lake Formation", "datamesh"};
  app.set_version_flag("--version", std::string("datamesh ") + DATAMESH_VERSION);
  app.require_subcommand(1);
  app.fallthrough();  // global options may follow the command name, as in the AWS CLI
  GlobalOptions globals;
  globals.Register(app);

  std::function<int()> run;
  for (const auto& command : Commands()) {
    CLI::App* sub = app.add_subcommand(command.name, command.summary);
    auto handler = command.setup(*sub, globals);
    sub->callback([&run, handler]() { run = handler; });
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }
  globals.ApplyLogLevel();
  return run ? run() : kExitUsage;
}
