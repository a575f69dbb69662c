// The CLI is a table of commands over the library: each entry names a command, says what it
// does, registers its own flags, and hands off to library code.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

#include "cli/global_options.h"

namespace datamesh::cli {

struct Command {
  std::string name;
  std::string summary;
  // Adds the command's flags to `sub` and returns the function that runs it (exit code).
  std::function<std::function<int()>(CLI::App& sub, const GlobalOptions& globals)> setup;
};

const std::vector<Command>& Commands();

// One factory per command file.
Command WhoamiCommand();
Command LocalCommand();
Command InstallMeshObjectsCommand();
Command EnableAccountCommand();
Command CreateDataProductCommand();
Command MigrateTablesToMeshCommand();
Command GetDataProductCommand();
Command ListPendingRequestsCommand();
Command RevokeDeletedSubscriptionsCommand();
Command ExpireSubscriptionsCommand();
Command ProcessRequestsCommand();
Command VerifySubscriptionsCommand();
Command ApproveSubscriptionCommand();
Command DenySubscriptionCommand();
Command ModifySubscriptionCommand();
Command DeleteSubscriptionCommand();
Command GetSubscriptionCommand();
Command RequestAccessCommand();
Command ImportSubscriptionCommand();
Command ListSubscriptionsCommand();
Command ListDataProductsCommand();
Command EventsCommand();
Command CompletionCommand();
Command ManCommand();

}  // namespace datamesh::cli
