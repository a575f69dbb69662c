#include "cli/command.h"

namespace datamesh::cli {

const std::vector<Command>& Commands() {
  static const std::vector<Command> commands = {
      WhoamiCommand(),
      LocalCommand(),
      InstallMeshObjectsCommand(),
      EnableAccountCommand(),
      CreateDataProductCommand(),
      MigrateTablesToMeshCommand(),
      GetDataProductCommand(),
      ListPendingRequestsCommand(),
      RevokeDeletedSubscriptionsCommand(),
      ExpireSubscriptionsCommand(),
      ProcessRequestsCommand(),
      VerifySubscriptionsCommand(),
      ApproveSubscriptionCommand(),
      DenySubscriptionCommand(),
      ModifySubscriptionCommand(),
      DeleteSubscriptionCommand(),
      GetSubscriptionCommand(),
      RequestAccessCommand(),
      ImportSubscriptionCommand(),
      ListSubscriptionsCommand(),
      ListDataProductsCommand(),
      EventsCommand(),
      CompletionCommand(),
      ManCommand(),
  };
  return commands;
}

}  // namespace datamesh::cli
