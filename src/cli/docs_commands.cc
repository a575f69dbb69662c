// datamesh completion bash|zsh|fish, and datamesh man: the shell completion scripts and the man
// pages, generated from the command table (cmake installs both from the build).
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/command.h"
#include "cli/command_docs.h"
#include "cli/output.h"

namespace datamesh::cli {

Command CompletionCommand() {
  return {"completion", "Print the shell completion script for bash, zsh or fish (e.g. source <(datamesh completion bash))",
          [](CLI::App& sub, const GlobalOptions&) -> std::function<int()> {
            auto shell = std::make_shared<std::string>();
            sub.add_option("shell", *shell, "bash, zsh or fish")->required()->check(CLI::IsMember({"bash", "zsh", "fish"}));
            const CLI::App* root = sub.get_parent();
            return [shell, root] {
              auto docs = DescribeCommands(*root);
              std::cout << (*shell == "bash" ? BashCompletion(docs) : *shell == "zsh" ? ZshCompletion(docs) : FishCompletion(docs));
              return kExitOk;
            };
          }};
}

Command ManCommand() {
  return {"man", "Write the man pages (datamesh.1 and one per command) into a folder, or print datamesh(1)",
          [](CLI::App& sub, const GlobalOptions&) -> std::function<int()> {
            auto dir = std::make_shared<std::string>();
            sub.add_option("--output-dir,--output_dir", *dir, "The folder to write every page into");
            const CLI::App* root = sub.get_parent();
            return [dir, root] {
              auto docs = DescribeCommands(*root);
              if (dir->empty()) {
                std::cout << ManPage(docs, 0, DATAMESH_VERSION);
                return kExitOk;
              }
              std::error_code ec;
              std::filesystem::create_directories(*dir, ec);
              for (size_t i = 0; i < docs.size(); ++i) {
                const auto path = std::filesystem::path(*dir) / ManPageName(docs[i]);
                std::ofstream out(path);
                out << ManPage(docs, i, DATAMESH_VERSION);
                if (!out) {
                  return ReportError(std::cerr, Error::Local("WriteFailed", "cannot write " + path.string()), "man");
                }
              }
              return kExitOk;
            };
          }};
}

}  // namespace datamesh::cli
