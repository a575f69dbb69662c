// The consumer's commands: request-access, import-subscription, list-subscriptions; and the two
// both personas use: get-subscription, delete-subscription (--persona producer|consumer).
#include "cli/persona_commands.h"
#include "datamesh/admin.h"
#include "datamesh/consumer.h"
#include "datamesh/producer.h"

namespace datamesh::cli {
namespace {
constexpr char kEntry[] = "Consumer";
}  // namespace

Command RequestAccessCommand() {
  return {"request-access", "Request a subscription to a data product (credentials: the Consumer entry)",
          [](CLI::App& sub, const GlobalOptions& globals) -> std::function<int()> {
            auto owner = std::make_shared<std::string>();
            auto db = std::make_shared<std::string>();
            auto tables = std::make_shared<std::vector<std::string>>();
            auto perms = std::make_shared<std::vector<std::string>>();
            auto reason = std::make_shared<std::string>();
            AddFlag(sub, "owner-account-id", *owner,
                    "The producer account (default: read from the product; refused when it names another)");
            AddFlag(sub, "database-name", *db, "The mesh database of the product")->required();
            AddFlag(sub, "tables", *tables,
                    "Tables (names or regular expressions), as separate words or comma-separated (data-mesh-cli's form)")
                ->required();
            AddFlag(sub, "request-permissions", *perms, "Permissions asked for, e.g. SELECT DESCRIBE")->delimiter(',')->required();
            AddFlag(sub, "reason", *reason, "Why you ask (kept with the subscription; a producer may require one)");
            return [&globals, owner, db, tables, perms, reason] {
              return RunPersona<Consumer>(globals, kEntry, "request-access", "Request", [&](Consumer& c) {
                return c.RequestAccessToProduct(*owner, *db, SplitCommaList(*tables), *perms, *reason);
              });
            };
          }};
}

Command ImportSubscriptionCommand() {
  return {"import-subscription", "Import an approved subscription into the consumer account",
          [](CLI::App& sub, const GlobalOptions& globals) -> std::function<int()> {
            auto id = std::make_shared<std::string>();
            AddFlag(sub, "subscription-id", *id, "The approved subscription")->required();
            return [&globals, id] {
              return RunPersona<Consumer>(globals, kEntry, "import-subscription", "Subscription",
                                          [&](Consumer& c) { return c.FinalizeSubscription(*id); });
            };
          }};
}

namespace {

// --status, --database, --owner and --subscriber, as a listing's filter.
struct ListingFlags {
  std::string persona = "consumer";
  std::string status, database, owner, subscriber;

  Outcome<SubscriptionFilter> Filter() const {
    SubscriptionFilter f;
    if (!status.empty()) {
      f.status = ParseSubscriptionStatus(status);
      if (!f.status) {
        return Error::Local("InvalidArgument", "argument --status: Invalid choice '" + status +
                                                   "', valid choices are: Pending | Active | Denied | Deleted");
      }
    }
    if (!database.empty()) f.database = database;
    if (!owner.empty()) f.owner = owner;
    if (!subscriber.empty()) f.subscriber = subscriber;
    return f;
  }
};

}  // namespace

Command ListSubscriptionsCommand() {
  return {"list-subscriptions",
          "List subscriptions: the consumer's own (Consumer entry), or with --persona producer those to the "
          "producer's products (Producer entry)",
          [](CLI::App& sub, const GlobalOptions& globals) -> std::function<int()> {
            auto f = std::make_shared<ListingFlags>();
            AddFlag(sub, "persona", f->persona, "consumer (default) or producer")
                ->check(CLI::IsMember({"producer", "consumer"}));
            AddFlag(sub, "status", f->status, "Only subscriptions in this status (Pending, Active, Denied, Deleted)");
            AddFlag(sub, "database", f->database, "Only subscriptions to this mesh database");
            AddFlag(sub, "owner", f->owner, "Only subscriptions to this producer account's products");
            AddFlag(sub, "subscriber", f->subscriber, "Only subscriptions of this consumer account");
            return [&globals, f] {
              auto filter = f->Filter();
              if (!filter.ok()) return ReportError(std::cerr, filter.error(), "list-subscriptions");
              if (f->persona == "producer") {
                return RunPersona<Producer>(globals, "Producer", "list-subscriptions", "Subscriptions",
                                            [&](Producer& p) { return p.ListSubscriptions(*filter); });
              }
              return RunPersona<Consumer>(globals, kEntry, "list-subscriptions", "Subscriptions",
                                          [&](Consumer& c) { return c.ListProductAccess(*filter); });
            };
          }};
}

Command ListDataProductsCommand() {
  return {"list-data-products",
          "List what the mesh offers: each product's database, owner, domain, name, tables, description and "
          "location (as the consumer, or with --persona producer as the producer)",
          [](CLI::App& sub, const GlobalOptions& globals) -> std::function<int()> {
            auto persona = std::make_shared<std::string>("consumer");
            auto domain = std::make_shared<std::string>();
            auto owner = std::make_shared<std::string>();
            auto search = std::make_shared<std::string>();
            AddFlag(sub, "persona", *persona,
                    "consumer (Consumer entry, default), producer (Producer entry) or mesh (Mesh entry: the administrator)")
                ->check(CLI::IsMember({"producer", "consumer", "mesh"}));
            AddFlag(sub, "domain", *domain, "Only products of this domain");
            AddFlag(sub, "owner", *owner, "Only products of this producer account");
            AddFlag(sub, "search", *search,
                    "Only products mentioning this text (in names, descriptions, domain, product or columns; any case)");
            return [&globals, persona, domain, owner, search] {
              ProductFilter filter;
              if (!domain->empty()) filter.domain = *domain;
              if (!owner->empty()) filter.owner_account_id = *owner;
              if (!search->empty()) filter.search = *search;
              if (*persona == "producer") {
                return RunPersona<Producer>(globals, "Producer", "list-data-products", "DataProducts",
                                            [&](Producer& p) { return p.ListDataProducts(filter); });
              }
              if (*persona == "mesh") {
                return RunPersona<Admin>(globals, "Mesh", "list-data-products", "DataProducts",
                                         [&](Admin& a) { return a.ListDataProducts(filter); });
              }
              return RunPersona<Consumer>(globals, kEntry, "list-data-products", "DataProducts",
                                          [&](Consumer& c) { return c.ListDataProducts(filter); });
            };
          }};
}

namespace {
struct EitherPersona {
  std::string id, persona = "producer", text;
};
}  // namespace

Command GetSubscriptionCommand() {
  return {"get-subscription", "Show one subscription with its history",
          [](CLI::App& sub, const GlobalOptions& globals) -> std::function<int()> {
            auto f = std::make_shared<EitherPersona>();
            AddFlag(sub, "request-id,subscription-id", f->id, "The subscription")->required();
            AddFlag(sub, "persona", f->persona, "Ask as the producer (Producer entry) or the consumer (Consumer entry)")
                ->check(CLI::IsMember({"producer", "consumer"}));
            return [&globals, f] {
              if (f->persona == "consumer") {
                return RunPersona<Consumer>(globals, "Consumer", "get-subscription", "Subscription",
                                            [&](Consumer& c) { return c.GetSubscription(f->id); });
              }
              return RunPersona<Producer>(globals, "Producer", "get-subscription", "Subscription",
                                          [&](Producer& p) { return p.GetSubscription(f->id); });
            };
          }};
}

Command DeleteSubscriptionCommand() {
  return {"delete-subscription",
          "End a subscription: as the producer, every grant is revoked; as the consumer, it is marked Deleted",
          [](CLI::App& sub, const GlobalOptions& globals) -> std::function<int()> {
            auto f = std::make_shared<EitherPersona>();
            AddFlag(sub, "subscription-id,request-id", f->id, "The subscription")->required();
            AddFlag(sub, "reason", f->text, "Why (kept with the subscription)")->required();
            AddFlag(sub, "persona", f->persona, "producer (Producer entry, default) or consumer (Consumer entry)")
                ->check(CLI::IsMember({"producer", "consumer"}));
            return [&globals, f] {
              if (f->persona == "consumer") {
                return RunPersona<Consumer>(globals, "Consumer", "delete-subscription", "Subscription",
                                            [&](Consumer& c) { return c.DeleteSubscription(f->id, f->text); });
              }
              return RunPersona<Producer>(globals, "Producer", "delete-subscription", "Subscription",
                                          [&](Producer& p) { return p.DeleteSubscription(f->id, f->text); });
            };
          }};
}

}  // namespace datamesh::cli
