// Shell completion scripts and man pages, generated from the command table itself (the CLI11 tree
// every command registers its flags on), so that they can never disagree with what the CLI takes.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace datamesh::cli {

// One command as the documents show it: its path ("local serve"), what it does, and its flags.
struct CommandDoc {
  struct Flag {
    std::vector<std::string> names;  // "--table-name-regex", "--table_name_regex"
    std::string help;
    bool takes_value = false;
    bool required = false;
  };
  std::vector<std::string> path;
  std::string summary;
  std::vector<Flag> flags;  // its own
  std::vector<std::string> subcommands;
};

// Every command under `root`, depth first; the first entry is the root itself (global flags).
std::vector<CommandDoc> DescribeCommands(const CLI::App& root);

std::string BashCompletion(const std::vector<CommandDoc>& docs);
std::string ZshCompletion(const std::vector<CommandDoc>& docs);
std::string FishCompletion(const std::vector<CommandDoc>& docs);

// A man page (roff) for the command at `index` of `docs`: datamesh(1) for the root, which also
// lists the global options, and datamesh-<path>(1) for the others.
std::string ManPage(const std::vector<CommandDoc>& docs, size_t index, const std::string& version);
// The file name of that page: "datamesh.1", "datamesh-local-serve.1".
std::string ManPageName(const CommandDoc& doc);

}  // namespace datamesh::cli
