// datamesh whoami: the identity the configured credentials act as (STS GetCallerIdentity).
#include <iostream>

#include "aws/sts/sts_client.h"
#include "cli/command.h"
#include "cli/output.h"

namespace datamesh::cli {

Command WhoamiCommand() {
  return {"whoami", "Show the account, ARN and user id of the configured credentials",
          [](CLI::App& sub, const GlobalOptions& globals) -> std::function<int()> {
            auto entry = std::make_shared<std::string>("Mesh");
            sub.add_option("--entry", *entry, "With --credentials-file: the entry to use (Mesh, Producer, ...)");
            return [&globals, entry]() {
              auto session = globals.MakeSession(*entry);
              if (!session.ok()) return ReportError(std::cerr, session.error(), "GetCallerIdentity");
              auto client = (*session)->Client("sts");
              if (!client.ok()) return ReportError(std::cerr, client.error(), "GetCallerIdentity");
              aws::StsClient sts(*client);
              auto identity = sts.GetCallerIdentity();
              if (!identity.ok()) return ReportError(std::cerr, identity.error(), "GetCallerIdentity");
              nlohmann::json out = {{"UserId", identity->user_id},
                                    {"Account", identity->account},
                                    {"Arn", identity->arn}};
              return PrintResult(std::cout, out, globals, "GetCallerIdentity");
            };
          }};
}

}  // namespace datamesh::cli
