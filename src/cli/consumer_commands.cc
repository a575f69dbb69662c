// The consumer's commands: request-access, import-subscription, list-subscriptions; and the two
// both personas use: get-subscription, delete-subscription (--persona producer|consumer).
#include "cli/persona_commands.h"
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
            AddFlag(sub, "owner-account-id", *owner, "The producer account")->required();
            AddFlag(sub, "database-name", *db, "The mesh database of the product")->required();
            AddFlag(sub, "tables", *tables, "Tables (names or regular expressions)")->required();
            AddFlag(sub, "request-permissions", *perms, "Permissions asked for, e.g. SELECT DESCRIBE")->required();
            return [&globals, owner, db, tables, perms] {
              return RunPersona<Consumer>(globals, kEntry, "request-access", "Request", [&](Consumer& c) {
                return c.RequestAccessToProduct(*owner, *db, *tables, *perms);
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

Command ListSubscriptionsCommand() {
  return {"list-subscriptions", "List the consumer's subscriptions",
          [](CLI::App&, const GlobalOptions& globals) -> std::function<int()> {
            return [&globals] {
              return RunPersona<Consumer>(globals, kEntry, "list-subscriptions", "Subscriptions",
                                          [&](Consumer& c) { return c.ListProductAccess(); });
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
