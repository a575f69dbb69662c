// The producer's commands: create-data-product, migrate-tables-to-mesh, get-data-product,
// list-pending-requests, approve-subscription, deny-subscription, modify-subscription,
// delete-subscription (credentials: the Producer entry).
#include <cstdlib>
#include <regex>

#include "cli/persona_commands.h"
#include "cli/rules/rules_file.h"
#include "datamesh/events.h"
#include "datamesh/admin.h"
#include "datamesh/producer.h"

namespace datamesh::cli {
namespace {

constexpr char kEntry[] = "Producer";

struct ProductFlags {
  std::string database, regex, domain, product, schedule, crawler_role, mesh_db, suffix = "_link";
  bool no_public_metadata = false, original_names = false;
  std::string public_metadata;  // data-mesh-cli's --create_public_metadata True|False

  void Register(CLI::App& sub) {
    AddFlag(sub, "source-database-name", database, "The producer database whose tables become products")->required();
    AddFlag(sub, "table-name-regex", regex, "Only tables whose whole name matches (RE2)");
    AddFlag(sub, "domain", domain, "Domain LF-tag value");
    AddFlag(sub, "data-product-name", product, "DataProduct LF-tag value");
    AddFlag(sub, "sync-mesh-catalog-schedule", schedule, "cron(...) schedule of the sync crawler");
    AddFlag(sub, "sync-mesh-crawler-role-arn", crawler_role, "Role of a crawler keeping the mesh copy in sync");
    AddFlag(sub, "expose-data-mesh-db-name", mesh_db, "Mesh database name (default <db>-<account>)");
    AddFlag(sub, "expose-table-references-with-suffix", suffix, "Suffix of the resource links (default _link)");
    sub.add_flag("--no-public-metadata,--no_public_metadata", no_public_metadata, "Do not show the products to the read-only role");
    sub.add_flag("--use-original-table-name,--use_original_table_name", original_names, "Links keep the tables' names");
    AddFlag(sub, "create-public-metadata", public_metadata,
            "True (default) or False: whether the read-only role may see the products (data-mesh-cli's form)")
        ->transform(CLI::IsMember({"true", "false", "yes", "no", "1", "0"}, CLI::ignore_case));
  }
  CreateDataProductsOptions ToOptions() const {
    CreateDataProductsOptions o;
    o.source_database_name = database;
    const bool said_no = public_metadata == "false" || public_metadata == "no" || public_metadata == "0";
    o.create_public_metadata = !no_public_metadata && !said_no;
    if (!regex.empty()) o.table_name_regex = regex;
    if (!domain.empty()) o.domain = domain;
    if (!product.empty()) o.data_product_name = product;
    if (!schedule.empty()) o.sync_mesh_catalog_schedule = schedule;
    if (!crawler_role.empty()) o.sync_mesh_crawler_role_arn = crawler_role;
    if (!mesh_db.empty()) o.expose_data_mesh_db_name = mesh_db;
    o.expose_table_references_with_suffix = suffix;
    o.use_original_table_name = original_names;
    return o;
  }
};

std::optional<std::vector<std::string>> Optional(const std::vector<std::string>& v) {
  if (v.empty()) return std::nullopt;
  return v;
}
std::optional<std::string> Optional(const std::string& v) {
  if (v.empty()) return std::nullopt;
  return v;
}

}  // namespace

Command CreateDataProductCommand() {
  return {"create-data-product", "Publish tables of a producer database as data products in the mesh",
          [](CLI::App& sub, const GlobalOptions& globals) -> std::function<int()> {
            auto f = std::make_shared<ProductFlags>();
            f->Register(sub);
            return [&globals, f] {
              return RunPersona<Producer>(globals, kEntry, "create-data-product", "DataProducts",
                                          [&](Producer& p) { return p.CreateDataProducts(f->ToOptions()); });
            };
          }};
}

Command MigrateTablesToMeshCommand() {
  return {"migrate-tables-to-mesh", "Move tables into the mesh, keeping their names; the originals become links",
          [](CLI::App& sub, const GlobalOptions& globals) -> std::function<int()> {
            auto f = std::make_shared<ProductFlags>();
            f->Register(sub);
            return [&globals, f] {
              return RunPersona<Producer>(globals, kEntry, "migrate-tables-to-mesh", "MigratedTables",
                                          [&](Producer& p) { return p.MigrateTablesToMesh(f->ToOptions()); });
            };
          }};
}

Command GetDataProductCommand() {
  return {"get-data-product", "Show the mesh tables of a database matching a regular expression",
          [](CLI::App& sub, const GlobalOptions& globals) -> std::function<int()> {
            auto db = std::make_shared<std::string>();
            auto regex = std::make_shared<std::string>(".*");
            AddFlag(sub, "database-name", *db, "The mesh database")->required();
            AddFlag(sub, "table-name-regex", *regex, "Tables whose whole name matches (RE2; default all)");
            return [&globals, db, regex] {
              return RunPersona<Producer>(globals, kEntry, "get-data-product", "DataProduct",
                                          [&](Producer& p) { return p.GetDataProduct(*db, *regex); });
            };
          }};
}

Command ListPendingRequestsCommand() {
  return {"list-pending-requests", "List pending subscription requests to the producer's products",
          [](CLI::App&, const GlobalOptions& globals) -> std::function<int()> {
            return [&globals] {
              return RunPersona<Producer>(globals, kEntry, "list-pending-requests", "PendingRequests",
                                          [&](Producer& p) { return p.ListPendingAccessRequests(); });
            };
          }};
}

Command RevokeDeletedSubscriptionsCommand() {
  return {"revoke-deleted-subscriptions",
          "Revoke the grants of subscriptions their consumers deleted (list-pending-requests does this too)",
          [](CLI::App&, const GlobalOptions& globals) -> std::function<int()> {
            return [&globals] {
              return RunPersona<Producer>(globals, kEntry, "revoke-deleted-subscriptions", "RevokedSubscriptions",
                                          [&](Producer& p) { return p.RevokeGrantsOfDeletedSubscriptions(); });
            };
          }};
}

Command ExpireSubscriptionsCommand() {
  return {"expire-subscriptions",
          "End the producer's subscriptions whose --expires-at has passed: grants revoked, Deleted as expired "
          "(list-pending-requests and revoke-deleted-subscriptions do this too)",
          [](CLI::App&, const GlobalOptions& globals) -> std::function<int()> {
            return [&globals] {
              return RunPersona<Producer>(globals, kEntry, "expire-subscriptions", "ExpiredSubscriptions",
                                          [&](Producer& p) { return p.ExpireSubscriptions(); });
            };
          }};
}

// The producer's rules file for decisions by hand: --rules FILE, else $DATAMESH_RULES (set once for
// a team's shell). With require_decision_notes the library refuses a decision that does not say why.
struct DecisionPolicy {
  std::string rules;

  void Register(CLI::App& sub) {
    AddFlag(sub, "rules", rules,
            "The producer's rules file (default: $DATAMESH_RULES): with require_decision_notes, a decision must carry notes");
  }
  // The rules that hold, if any; a file named but unreadable is an error.
  Outcome<std::optional<DecisionRules>> Load() const {
    std::string path = rules;
    if (path.empty()) {
      const char* env = std::getenv("DATAMESH_RULES");
      if (env) path = env;
    }
    if (path.empty()) return std::optional<DecisionRules>{};
    auto loaded = LoadRules(path);
    if (!loaded.ok()) return loaded.error();
    return std::optional<DecisionRules>(std::move(*loaded));
  }
};

Command ProcessRequestsCommand() {
  return {"process-requests",
          "Decide the pending requests a rules file covers (approve or deny, noting the rule); the rest stay pending",
          [](CLI::App& sub, const GlobalOptions& globals) -> std::function<int()> {
            auto policy = std::make_shared<DecisionPolicy>();
            AddFlag(sub, "rules", policy->rules, "The rules file, YAML or JSON (default: $DATAMESH_RULES)");
            return [&globals, policy] {
              auto rules = policy->Load();
              if (!rules.ok()) return ReportError(std::cerr, rules.error(), "process-requests");
              if (!*rules) {
                return ReportError(std::cerr, Error::Local("InvalidArgument", "process-requests needs a rules file: --rules FILE "
                                                                               "or DATAMESH_RULES"), "process-requests");
              }
              size_t failed = 0;
              int printed = RunPersona<Producer>(globals, kEntry, "process-requests", "Decisions",
                                                 [&](Producer& p) -> Outcome<RuledDecisions> {
                                                   auto decided = p.ProcessRequests(**rules);
                                                   if (decided.ok()) failed = decided->failed();
                                                   return decided;
                                                 });
              if (printed != kExitOk || failed == 0) return printed;
              // The others were decided (and printed); these wait, and the exit says so.
              std::cerr << "datamesh process-requests: " << failed
                        << " request(s) could not be decided (see their Error); they stay pending" << std::endl;
              return kExitServiceError;
            };
          }};
}

Command VerifySubscriptionsCommand() {
  return {"verify-subscriptions",
          "Compare what the subscription records say each consumer holds with what AWS holds; --repair reconciles",
          [](CLI::App& sub, const GlobalOptions& globals) -> std::function<int()> {
            auto id = std::make_shared<std::string>();
            auto persona = std::make_shared<std::string>("producer");
            auto repair = std::make_shared<bool>(false);
            AddFlag(sub, "subscription-id", *id, "Only the consumer of this subscription");
            AddFlag(sub, "persona", *persona,
                    "producer (Producer entry: its own products, default) or mesh (Mesh entry: every producer, read only)")
                ->check(CLI::IsMember({"producer", "mesh"}));
            sub.add_flag("--repair", *repair, "Bring the grants in line with the records (producer)");
            return [&globals, id, persona, repair] {
              if (*persona == "mesh") {
                return RunPersona<Admin>(globals, "Mesh", "verify-subscriptions", "Verification",
                                         [&](Admin& a) -> Outcome<VerificationReport> {
                                           if (*repair) {
                                             return Error::Local("InvalidArgument",
                                                                 "--repair is the producer's: the mesh administrator "
                                                                 "cannot change producers' bucket policies");
                                           }
                                           return a.VerifySubscriptions(Optional(*id));
                                         });
              }
              return RunPersona<Producer>(globals, kEntry, "verify-subscriptions", "Verification",
                                          [&](Producer& p) { return p.VerifySubscriptions(Optional(*id), *repair); });
            };
          }};
}

// --expires-at TIME | --expires-in DURATION: when the access a decision gives ends by itself.
struct ExpiryFlags {
  std::string at, in;

  void Register(CLI::App& sub) {
    auto* at_flag = AddFlag(sub, "expires-at", at, "When the access ends by itself (UTC YYYY-MM-DD HH:MM:SS or ISO 8601)");
    auto* in_flag = AddFlag(sub, "expires-in", in, "How long the access lasts from the decision (e.g. 12h, 30d)");
    at_flag->excludes(in_flag);
  }
  // The expiry as the library takes it: a date, or a span the decision counts from its own record
  // (so that --expires-in never "has passed" however long the command waits); an error names the flag.
  struct Expiry {
    std::optional<std::string> at;
    std::optional<std::chrono::seconds> in;
  };
  Outcome<Expiry> Resolve() const {
    if (!in.empty()) {
      auto d = ParseDuration(in);
      if (!d.ok()) return Error::Local("InvalidArgument", "--expires-in: " + d.error().message());
      if (auto problem = ExpirySpanProblem(*d)) return Error::Local("InvalidArgument", "--expires-in " + *problem);
      return Expiry{std::nullopt, *d};
    }
    if (!at.empty()) {
      static const std::regex kRelative(R"(^\d+[smhd]$)");
      if (std::regex_match(at, kRelative)) return Error::Local("InvalidArgument", "--expires-at takes a date; durations go to --expires-in");
      auto t = ParseEventTime(at, std::chrono::system_clock::now());
      if (!t.ok()) return Error::Local("InvalidArgument", "--expires-at: " + t.error().message());
      return Expiry{*t, std::nullopt};
    }
    return Expiry{};
  }
};

Command ApproveSubscriptionCommand() {
  return {"approve-subscription", "Approve a subscription request (grants flow to the consumer account)",
          [](CLI::App& sub, const GlobalOptions& globals) -> std::function<int()> {
            auto id = std::make_shared<std::string>();
            auto grants = std::make_shared<std::vector<std::string>>();
            auto grantable = std::make_shared<std::vector<std::string>>();
            auto notes = std::make_shared<std::string>();
            AddFlag(sub, "request-id", *id, "The subscription to approve")->required();
            AddFlag(sub, "grant-permissions", *grants, "Permissions to grant (default: as requested)")->delimiter(',');
            AddFlag(sub, "grantable-permissions", *grantable, "Permissions the consumer may re-grant (default: all granted)")->delimiter(',');
            AddFlag(sub, "decision-notes", *notes, "A note kept with the subscription");
            auto expiry = std::make_shared<ExpiryFlags>();
            expiry->Register(sub);
            auto policy = std::make_shared<DecisionPolicy>();
            policy->Register(sub);
            return [&globals, id, grants, grantable, notes, expiry, policy] {
              auto rules = policy->Load();
              if (!rules.ok()) return ReportError(std::cerr, rules.error(), "approve-subscription");
              auto expires = expiry->Resolve();
              if (!expires.ok()) return ReportError(std::cerr, expires.error(), "approve-subscription");
              ApproveOptions o{*id, Optional(*grants), Optional(*grantable), Optional(*notes), expires->at, expires->in};
              return RunPersona<Producer>(globals, kEntry, "approve-subscription", "Subscription",
                                          [&](Producer& p) {
                                            if (*rules) p.UseRules(**rules);
                                            return p.ApproveAccessRequest(o);
                                          });
            };
          }};
}

Command DenySubscriptionCommand() {
  return {"deny-subscription", "Deny a subscription request",
          [](CLI::App& sub, const GlobalOptions& globals) -> std::function<int()> {
            auto id = std::make_shared<std::string>();
            auto notes = std::make_shared<std::string>();
            AddFlag(sub, "request-id", *id, "The subscription to deny")->required();
            AddFlag(sub, "decision-notes", *notes, "Why");
            auto policy = std::make_shared<DecisionPolicy>();
            policy->Register(sub);
            return [&globals, id, notes, policy] {
              auto rules = policy->Load();
              if (!rules.ok()) return ReportError(std::cerr, rules.error(), "deny-subscription");
              return RunPersona<Producer>(globals, kEntry, "deny-subscription", "Subscription",
                                          [&](Producer& p) {
                                            if (*rules) p.UseRules(**rules);
                                            return p.DenyAccessRequest(*id, Optional(*notes));
                                          });
            };
          }};
}

Command ModifySubscriptionCommand() {
  return {"modify-subscription", "Change the permissions of an active subscription",
          [](CLI::App& sub, const GlobalOptions& globals) -> std::function<int()> {
            auto id = std::make_shared<std::string>();
            auto grants = std::make_shared<std::vector<std::string>>();
            auto grantable = std::make_shared<std::vector<std::string>>();
            auto notes = std::make_shared<std::string>();
            AddFlag(sub, "subscription-id", *id, "The subscription to change")->required();
            AddFlag(sub, "grant-permissions", *grants, "The permissions it has afterwards")->delimiter(',')->required();
            AddFlag(sub, "grantable-permissions", *grantable, "Of those, the ones the consumer may re-grant")->delimiter(',');
            AddFlag(sub, "notes", *notes, "A note kept with the subscription");
            auto expiry = std::make_shared<ExpiryFlags>();
            expiry->Register(sub);
            auto policy = std::make_shared<DecisionPolicy>();
            policy->Register(sub);
            return [&globals, id, grants, grantable, notes, expiry, policy] {
              auto rules = policy->Load();
              if (!rules.ok()) return ReportError(std::cerr, rules.error(), "modify-subscription");
              auto expires = expiry->Resolve();
              if (!expires.ok()) return ReportError(std::cerr, expires.error(), "modify-subscription");
              return RunPersona<Producer>(globals, kEntry, "modify-subscription", "Subscription", [&](Producer& p) {
                if (*rules) p.UseRules(**rules);
                return p.UpdateSubscriptionPermissions(*id, *grants, *notes, Optional(*grantable), expires->at, expires->in);
              });
            };
          }};
}

}  // namespace datamesh::cli
