// datamesh install-mesh-objects | enable-account: the Admin workflows.
#include <iostream>

#include "cli/command.h"
#include "cli/output.h"
#include "datamesh/admin.h"

namespace datamesh::cli {

Command InstallMeshObjectsCommand() {
  return {"install-mesh-objects",
          "Set up the mesh account: manager and read-only roles, Lake Formation settings, catalog sharing, "
          "the subscription tracker (credentials: the Mesh entry)",
          [](CLI::App&, const GlobalOptions& globals) -> std::function<int()> {
            return [&globals]() {
              auto options = globals.MeshOptionsFor("Mesh");
              if (!options.ok()) return ReportError(std::cerr, options.error(), "install-mesh-objects");
              auto admin = Admin::Create(*options);
              if (!admin.ok()) return ReportError(std::cerr, admin.error(), "install-mesh-objects");
              auto out = admin->InitializeMeshAccount();
              if (!out.ok()) return ReportError(std::cerr, out.error(), "install-mesh-objects");
              return PrintResult(std::cout, out->ToJson(), globals, "MeshObjects");
            };
          }};
}

Command EnableAccountCommand() {
  return {"enable-account",
          "Set up a producer and/or consumer account on both sides (credentials: its admin entry and the Mesh entry)",
          [](CLI::App& sub, const GlobalOptions& globals) -> std::function<int()> {
            auto type = std::make_shared<std::string>();
            auto entry = std::make_shared<std::string>();
            auto crawler = std::make_shared<std::string>();
            sub.add_option("--account-type,--account_type", *type, "producer, consumer or both (any case)")
                ->required()
                ->transform(CLI::IsMember({"producer", "consumer", "both"}, CLI::ignore_case));
            sub.add_option("--account-entry,--account_entry", *entry,
                           "Credentials file entry of the account's administrator (default: ProducerAdmin for "
                           "producer and both, ConsumerAdmin for consumer)");
            sub.add_option("--crawler-role-arn,--crawler_role_arn", *crawler,
                           "A mesh-account role the producer's sync crawlers may run as (iam:PassRole)");
            return [&globals, type, entry, crawler]() {
              auto account_type = ParseAccountType(*type);
              if (!account_type.ok()) return ReportError(std::cerr, account_type.error(), "enable-account");
              std::string admin_entry = !entry->empty() ? *entry
                                        : *account_type == AccountType::kConsumer ? "ConsumerAdmin" : "ProducerAdmin";
              auto mesh = globals.MeshOptionsFor("Mesh");
              if (!mesh.ok()) return ReportError(std::cerr, mesh.error(), "enable-account");
              auto account = globals.MeshOptionsFor(admin_entry);
              if (!account.ok()) return ReportError(std::cerr, account.error(), "enable-account");
              std::optional<std::string> crawler_role;
              if (!crawler->empty()) crawler_role = *crawler;
              auto out = BootstrapAccount(*account_type, *mesh, *account, crawler_role);
              if (!out.ok()) return ReportError(std::cerr, out.error(), "enable-account");
              return PrintResult(std::cout, out->ToJson(), globals, "EnabledAccount");
            };
          }};
}

}  // namespace datamesh::cli
