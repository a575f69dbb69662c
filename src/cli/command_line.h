// The command line read once before CLI11 parses it, for the AWS CLI's answers to mistakes: the
// command path it names, `help` in place of a command or after one, a command that does not
// exist ("Invalid choice ..., maybe you meant ..."), and flags no command knows. Values are never
// repeated in these messages: a mistyped flag's value may be a secret.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

namespace datamesh::cli {

struct CommandLine {
  std::vector<std::string> path;           // e.g. {"local", "serve"}
  bool help = false;                        // `datamesh help`, `datamesh CMD help`
  std::optional<std::string> invalid;       // a command word that names no command
  std::vector<std::string> unknown_flags;   // flag names only, without their values
  size_t unexpected_values = 0;             // positional words no command takes
};

CommandLine ScanCommandLine(const CLI::App& app, int argc, const char* const* argv);

// The closest names to `word` among `candidates`, best first (edit distance, then prefix).
std::vector<std::string> Suggestions(const std::string& word, const std::vector<std::string>& candidates);

// The app (or subcommand) a path names.
const CLI::App* Find(const CLI::App& app, const std::vector<std::string>& path);

// Every long flag name ("--region") the app at `path` takes, its parents' included.
std::vector<std::string> FlagsAt(const CLI::App& app, const std::vector<std::string>& path);

// Names of the subcommands of `app`.
std::vector<std::string> SubcommandNames(const CLI::App& app);

// The words with `separator` between them.
std::string Joined(const std::vector<std::string>& words, const std::string& separator);

}  // namespace datamesh::cli
