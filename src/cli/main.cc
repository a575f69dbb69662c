// datamesh: run a data mesh on AWS Lake Formation. The command table lives in commands.cc.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/command.h"
#include "cli/command_line.h"
#include "cli/output.h"
#include "cli/progress_display.h"

namespace {

using namespace datamesh::cli;

std::string Usage(const std::vector<std::string>& path) {
  std::string command = path.empty() ? "datamesh" : "datamesh " + Joined(path, " ");
  return "usage: " + command + " [options] " + (path.empty() ? "<command> " : "") +
         "[parameters]\nTo see help text, you can run:\n\n  datamesh help\n  datamesh <command> help\n\n";
}

// The mistakes the AWS CLI answers before parsing: a command that does not exist, a missing
// command, flags no command takes, words no command takes. Returns the exit code, or nothing.
std::optional<int> AnswerMistakes(const CLI::App& app, const CommandLine& line) {
  const std::string where = line.path.empty() ? "datamesh" : "datamesh " + Joined(line.path, " ");
  const CLI::App* at = Find(app, line.path);
  if (line.invalid) {
    std::cerr << Usage(line.path) << where << ": error: argument command: Invalid choice: '" << *line.invalid << "'";
    auto close = Suggestions(*line.invalid, SubcommandNames(*at));
    if (!close.empty()) std::cerr << ", maybe you meant:\n\n  * " << Joined(close, "\n  * ");
    else std::cerr << ", valid choices are:\n\n  " << Joined(SubcommandNames(*at), "\n  ");
    std::cerr << "\n";
    return kExitUsage;
  }
  if (line.help) return std::nullopt;
  if (!line.unknown_flags.empty()) {
    std::cerr << Usage(line.path) << where << ": error: Unknown options: " << Joined(line.unknown_flags, ", ");
    for (const auto& flag : line.unknown_flags) {
      auto close = Suggestions(flag, FlagsAt(app, line.path));
      if (!close.empty()) std::cerr << "\n  " << flag << ": maybe you meant " << Joined(close, " or ");
    }
    std::cerr << "\n";
    return kExitUsage;
  }
  if (line.unexpected_values > 0) {
    std::cerr << Usage(line.path) << where << ": error: " << line.unexpected_values
              << " unexpected value(s) that no option takes (not repeated here: they may be secrets)\n";
    return kExitUsage;
  }
  if (!at->get_subcommands([](const CLI::App*) { return true; }).empty()) {
    std::cerr << Usage(line.path) << where << ": error: the following arguments are required: command\n";
    return kExitUsage;
  }
  return std::nullopt;
}

}  // namespace

int main(int argc, char** argv) {
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

  CommandLine line = ScanCommandLine(app, argc, argv);
  bool asks_version = false;
  for (int i = 1; i < argc; ++i) {
    std::string word = argv[i];
    asks_version |= word == "--version";
    line.help |= word == "--help" || word == "-h";
  }
  if (!asks_version) {
    if (auto code = AnswerMistakes(app, line)) return *code;
    if (line.help) {
      std::vector<std::string> parents(line.path.begin(), line.path.end() - (line.path.empty() ? 0 : 1));
      std::cout << Find(app, line.path)->help(line.path.empty() ? "" : Joined(parents, " ").insert(0, parents.empty() ? "datamesh" : "datamesh "));
      return kExitOk;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }
  if (auto resolved = globals.Resolve(); !resolved.ok()) return ReportError(std::cerr, resolved.error(), "");
  globals.ApplyLogLevel();
  if (!run) return kExitUsage;
  int code = run();
  if (code == kExitOk && !globals.quiet) SummarizeChanges();
  return code;
}
