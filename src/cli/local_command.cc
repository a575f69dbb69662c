// datamesh local init | serve: create and serve a local mesh.
#include <csignal>
#include <iostream>

#include "cli/command.h"
#include "cli/output.h"
#include "datamesh/local_mesh.h"
#include "local/mesh_file.h"
#include "local/accounts/local_mesh_setup.h"
#include "local/server/http_server.h"
#include "mesh/demo_data.h"
#include "mesh/mesh_session.h"

namespace datamesh::cli {
namespace {

struct InitFlags {
  std::string db;
  std::string region = "us-east-1";
  std::string mesh_account;
  std::vector<std::string> producers;
  std::vector<std::string> consumers;
  std::string credentials_out;
  std::string aws_config_dir;
  bool organization = false;
  std::vector<std::string> outside_organization;
};

// The mesh account, as the organization's management account, enables RAM sharing with it the
// way it is done on AWS: ram:EnableSharingWithAwsOrganization.
Status EnableOrganizationSharing(const std::string& db, const local::LocalMeshPlan& plan,
                                 const std::vector<local::LocalAccountKeys>& keys) {
  MeshOptions o;
  o.data_mesh_account_id = plan.mesh_account;
  o.region = plan.region;
  if (auto s = UseLocalMesh(o, db); !s.ok()) return s.error();
  for (const auto& k : keys) {
    if (k.account == plan.mesh_account) o.use_credentials = AwsCredentials{k.account, k.access_key_id, k.secret_access_key, ""};
  }
  auto session = mesh::MeshSession::Create(o);
  if (!session.ok()) return session.error();
  auto enabled = (*session)->Ram().EnableSharingWithAwsOrganization();
  if (!enabled.ok()) return enabled.error();
  return OkStatus();
}

// Creates (or completes) the local mesh `f` describes and writes its credentials; the result
// lists the accounts.
Outcome<nlohmann::json> InitMesh(const InitFlags& f) {
  local::LocalMeshPlan plan;
  plan.region = f.region;
  if (!f.mesh_account.empty()) plan.mesh_account = f.mesh_account;
  if (!f.producers.empty()) plan.producer_accounts = f.producers;
  if (!f.consumers.empty()) plan.consumer_accounts = f.consumers;
  plan.organization = f.organization;
  plan.outside_organization = f.outside_organization;
  // Never into a file that holds something else (another program's database is not changed).
  if (auto s = local::CheckMeshMayBeMade(f.db); !s.ok()) return s.error();
  auto store = local::OpenMeshFile(f.db);
  if (!store.ok()) return store.error();
  auto keys = local::InitializeLocalMesh(**store, plan);
  if (!keys.ok()) return keys.error();
  if (plan.organization) {
    if (auto s = EnableOrganizationSharing(f.db, plan, *keys); !s.ok()) return s.error();
  }
  if (!f.credentials_out.empty()) {
    nlohmann::json creds = local::CredentialsFileJson(plan, *keys);
    if (auto s = local::WriteFileAtomically(f.credentials_out, creds.dump(2) + "\n"); !s.ok()) return s.error();
  }
  if (!f.aws_config_dir.empty()) {
    if (auto s = local::WriteAwsConfig(f.aws_config_dir, plan, *keys); !s.ok()) return s.error();
  }
  nlohmann::json out = {{"Database", f.db}, {"Region", plan.region}};
  if (!f.credentials_out.empty()) out["CredentialsFile"] = f.credentials_out;
  nlohmann::json accounts = nlohmann::json::array();
  for (const auto& k : *keys) accounts.push_back({{"Role", k.role}, {"AccountId", k.account}, {"Administrator", k.user_arn}});
  out["Accounts"] = accounts;
  if (!f.aws_config_dir.empty()) out["AwsConfigDir"] = f.aws_config_dir;
  if (plan.organization) {
    nlohmann::json outside = plan.outside_organization;
    out["Organization"] = {{"ManagementAccount", plan.mesh_account}, {"RamSharingEnabled", true}, {"OutsideAccounts", outside}};
  }
  return out;
}

int RunInit(const InitFlags& f, const GlobalOptions& globals) {
  auto out = InitMesh(f);
  if (!out.ok()) return ReportError(std::cerr, out.error(), "local init");
  return PrintResult(std::cout, *out, globals, "LocalMesh");
}

struct ServeFlags {
  InitFlags init;  // with --init: the mesh made when the file holds none yet
  bool create = false;
  std::string host = "127.0.0.1";
  int port = 4566;
};

int RunServe(const ServeFlags& f) {
  const std::string& db = f.init.db;
  if (auto is_mesh = local::CheckIsLocalMesh(db); !is_mesh.ok()) {
    // A mesh that is there but cannot be read now is reported, never made again over.
    if (is_mesh.error().code() != "NoLocalMesh") return ReportError(std::cerr, is_mesh.error(), "local serve");
    if (!f.create) {
      return ReportError(std::cerr, Error::Local("NoLocalMesh", is_mesh.error().message() + " (or serve it with --init)"),
                         "local serve");
    }
    auto made = InitMesh(f.init);
    if (!made.ok()) return ReportError(std::cerr, made.error(), "local serve");
    std::cerr << "datamesh: created a local mesh in " << db
              << (f.init.credentials_out.empty() ? "" : ", credentials in " + f.init.credentials_out) << std::endl;
  }
  const std::string& host = f.host;
  const int port = f.port;
  auto store = local::OpenMeshFile(db);
  if (!store.ok()) return ReportError(std::cerr, store.error(), "local serve");
  // Block the stop signals in every thread; this one waits for them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  auto handler = std::make_shared<local::MeshHandler>(*store, aws::Clock::System());
  local::HttpServer server(handler);
  if (auto s = server.Start(host, port); !s.ok()) return ReportError(std::cerr, s.error(), "local serve");
  std::cout << "datamesh local mesh listening on http://" << host << ":" << server.port() << " (database "
            << db << ")" << std::endl;
  int received = 0;
  sigwait(&signals, &received);
  std::cerr << "datamesh: " << (received == SIGINT ? "SIGINT" : "SIGTERM") << " received, stopping" << std::endl;
  server.Stop();
  return kExitOk;
}

}  // namespace

Command LocalCommand() {
  return {"local", "Create and serve a local mesh (an emulator of the AWS services the mesh uses)",
          [](CLI::App& sub, const GlobalOptions& globals) -> std::function<int()> {
            sub.require_subcommand(1);
            auto init = std::make_shared<InitFlags>();
            auto run = std::make_shared<std::function<int()>>();
            CLI::App* i = sub.add_subcommand("init", "Create (or complete) a local mesh's accounts and write credentials");
            i->add_option("--db", init->db, "The SQLite file that holds the local mesh")->required();
            i->add_option("--region", init->region, "The mesh's region");
            i->add_option("--mesh-account,--mesh_account", init->mesh_account, "Mesh account id (12 digits)");
            i->add_option("--producer-account,--producer_account", init->producers, "Producer account id (repeatable)");
            i->add_option("--consumer-account,--consumer_account", init->consumers, "Consumer account id (repeatable)");
            i->add_flag("--organization", init->organization,
                        "Put the accounts in one AWS Organization (managed by the mesh account) with RAM sharing "
                        "enabled: shares reach its accounts without invitations");
            i->add_option("--outside-organization,--outside_organization", init->outside_organization,
                          "An account left outside the organization (repeatable): it gets invitations");
            i->add_option("--write-credentials,--write_credentials", init->credentials_out,
                          "Write the JSON credentials file here")->required();
            i->add_option("--write-aws-config,--write_aws_config", init->aws_config_dir,
                          "Also write an AWS credentials/config pair into this folder");
            i->callback([run, init, &globals]() { *run = [init, &globals] { return RunInit(*init, globals); }; });

            auto serve = std::make_shared<ServeFlags>();
            CLI::App* s = sub.add_subcommand("serve", "Serve a local mesh over HTTP until SIGINT or SIGTERM");
            s->add_option("--db", serve->init.db, "The SQLite file that holds the local mesh (made by local init)")
                ->required();
            s->add_option("--host", serve->host, "Address to listen on");
            s->add_option("--port", serve->port, "Port to listen on (0: any free port)")->check(CLI::Range(0, 65535));
            s->add_flag("--init", serve->create,
                        "If the file holds no local mesh yet, make one first (the default accounts of local init)");
            s->add_option("--write-credentials,--write_credentials", serve->init.credentials_out,
                          "With --init: write the new mesh's JSON credentials file here");
            s->callback([run, serve]() { *run = [serve] { return RunServe(*serve); }; });
            auto demo_db = std::make_shared<std::string>("sales");
            auto demo_entry = std::make_shared<std::string>("ProducerAdmin");
            CLI::App* d = sub.add_subcommand("demo-data",
                                             "Give a producer account example data: an S3 bucket and a Glue database "
                                             "with partitioned tables (global --credentials-file, --local or --endpoint-url)");
            d->add_option("--database", *demo_db, "Name of the example database");
            d->add_option("--entry", *demo_entry, "Credentials file entry of the producer's administrator");
            auto shape = std::make_shared<mesh::DemoDataShape>();
            d->add_option("--tables", shape->tables,
                          "Generate this many tables (t00001, ...) instead of orders, customers and products")
                ->check(CLI::Range(1, 10000));
            d->add_option("--partitions", shape->partitions, "Partitions per table (default 3)")->check(CLI::Range(0, 1000));
            d->callback([run, demo_db, demo_entry, shape, &globals]() {
              *run = [demo_db, demo_entry, shape, &globals] {
                auto options = globals.MeshOptionsFor(*demo_entry);
                if (!options.ok()) return ReportError(std::cerr, options.error(), "local demo-data");
                auto out = mesh::CreateDemoSourceData(*options, *demo_db, *shape);
                if (!out.ok()) return ReportError(std::cerr, out.error(), "local demo-data");
                return PrintResult(std::cout, *out, globals, "DemoData");
              };
            });
            return [run]() { return *run ? (*run)() : kExitUsage; };
          }};
}

}  // namespace datamesh::cli
