// Consumer: requesting, importing and ending subscriptions.
#include "datamesh/consumer.h"

#include <re2/re2.h>

#include <set>

#include "datamesh/mesh_names.h"
#include "mesh/personas.h"
#include "mesh/product_catalog.h"
#include "mesh/subscription_tracker.h"

namespace datamesh {
namespace {

using mesh::Json;
using mesh::Subscription;
using mesh::SubscriptionStatus;

bool IsPattern(const std::string& entry) { return entry.find_first_of(".*+?[](){}|^$\\") != std::string::npos; }

// The producer a request goes to: the one the product database names. `given` (may be "") must
// agree with it; it stands in only for a database that names no producer.
Outcome<std::string> ProductOwner(aws::GlueClient& glue, const std::string& database, const std::string& given) {
  auto found = glue.GetDatabase({{"Name", database}});
  if (!found.ok()) {
    return found.error().WithMessage("database " + database + " is not visible in the mesh: " + found.error().message());
  }
  std::string owner = mesh::OwnerOfProductDatabase((*found)["Database"]);
  if (owner.empty()) {
    if (given.empty()) {
      return Error::Local("InvalidArgument", "the mesh does not say which account publishes " + database +
                                                 "; give its producer's account id (owner_account_id)");
    }
    return given;
  }
  if (!given.empty() && given != owner) {
    return Error::Local("InvalidArgument", "database " + database + " is published by account " + owner + ", not " + given +
                                               "; a request to " + given + " would reach no producer");
  }
  return owner;
}

}  // namespace

Outcome<Consumer> Consumer::Create(MeshOptions options) {
  auto session = mesh::MeshSession::Create(options);
  if (!session.ok()) return session.error();
  return Consumer(*session);
}

Outcome<AccessRequest> Consumer::RequestAccessToProduct(const std::string& owner, const std::string& database,
                                                        const std::vector<std::string>& tables,
                                                        const std::vector<std::string>& permissions,
                                                        const std::string& reason) {
  if (!owner.empty() && (owner.size() != 12 || owner.find_first_not_of("0123456789") != std::string::npos)) {
    return Error::Local("InvalidArgument", "owner_account_id must be a 12-digit account id, got '" + owner + "'");
  }
  if (database.empty()) return Error::Local("InvalidArgument", "database_name is required");
  if (tables.empty()) return Error::Local("InvalidArgument", "at least one table is required");
  if (auto s = mesh::CheckTablePermissions(permissions, "request_permissions"); !s.ok()) return s.error();
  for (const auto& t : tables) {
    re2::RE2::Options options;
    options.set_log_errors(false);
    if (!re2::RE2(t, options).ok()) return Error::Local("InvalidArgument", "table entry '" + t + "' is not a valid regular expression");
  }
  auto c = mesh::ConsumerSessions(session_);
  if (!c.ok()) return c.error();
  // The tables must be visible in the mesh's public metadata.
  auto read_only = mesh::ReadOnlySession(*c);
  if (!read_only.ok()) return read_only.error();
  auto glue = (*read_only)->Glue();
  auto product_owner = ProductOwner(glue, database, owner);
  if (!product_owner.ok()) return product_owner.error();
  auto visible = glue.GetTablesAllPages({{"DatabaseName", database}});
  if (!visible.ok()) {
    return visible.error().WithMessage("database " + database + " is not visible in the mesh: " + visible.error().message());
  }
  for (const auto& t : tables) {
    re2::RE2 pattern(t);
    bool any = false;
    for (const auto& v : (*visible)["TableList"]) any |= re2::RE2::FullMatch(v["Name"].get<std::string>(), pattern);
    if (!any) return Error::Local("TableNotVisible", "no visible table of " + database + " matches '" + t + "'");
  }
  auto tracker = mesh::TrackerOf(*c);
  auto s = tracker.Request(*product_owner, c->account, database, tables, permissions, c->caller_arn, reason);
  if (!s.ok()) return s.error();
  return AccessRequest{tables.size() == 1 && !IsPattern(tables[0]), database, s->tables, s->id, s->status};
}

Outcome<Subscription> Consumer::FinalizeSubscription(const std::string& subscription_id) {
  auto c = mesh::ConsumerSessions(session_);
  if (!c.ok()) return c.error();
  auto tracker = mesh::TrackerOf(*c);
  auto s = tracker.GetAsSubscriber(subscription_id, c->account);
  if (!s.ok()) return s.error();
  if (s->status != SubscriptionStatus::kActive) {
    return Error::Local("NotActive", "subscription " + s->id + " is " + mesh::ToString(s->status) +
                                         "; only Active subscriptions can be imported");
  }
  if (s->ram_shares.empty()) {
    return Error::Local("GrantsNotReady", "subscription " + s->id + " is Active but its producer's grants have not been "
                                          "shared yet; the producer's next workflow finishes them, then import again");
  }
  // Accept exactly this subscription's shares, never others that happen to be pending.
  auto ram = c->local->Ram();
  std::set<std::string> shares;
  for (const auto& [name, share] : s->ram_shares) shares.insert(share.arn);
  if (auto e = mesh::AcceptShareInvitations(ram, *session_->sleeper(), shares, session_.get()); !e.ok()) return e.error();
  auto glue = c->local->Glue();
  auto link = glue.CreateDatabase({{"DatabaseInput", {{"Name", s->database},
                                                      {"TargetDatabase", {{"CatalogId", session_->mesh_account()},
                                                                          {"DatabaseName", s->database}}}}}});
  if (!link.ok() && link.error().code() != "AlreadyExistsException") return link.error();
  // Importing again finishes what a failed import left and records nothing new.
  if (s->imported_to_consumer) return tracker.GetAsSubscriber(s->id, c->account);
  return tracker.RecordImport(*s, c->caller_arn);
}

Outcome<SubscriptionList> Consumer::ListProductAccess() {
  auto c = mesh::ConsumerSessions(session_);
  if (!c.ok()) return c.error();
  auto tracker = mesh::TrackerOf(*c);
  auto subs = tracker.OfSubscriber(c->account);
  if (!subs.ok()) return subs.error();
  return SubscriptionList{std::move(*subs)};
}

Outcome<SubscriptionList> Consumer::ListProductAccess(const SubscriptionFilter& filter) {
  auto all = ListProductAccess();
  if (!all.ok()) return all.error();
  SubscriptionList out;
  for (auto& s : all->subscriptions) {
    if (filter.Matches(s)) out.subscriptions.push_back(std::move(s));
  }
  return out;
}

Outcome<std::vector<ProductListing>> Consumer::ListDataProducts(const ProductFilter& filter) {
  auto c = mesh::ConsumerSessions(session_);
  if (!c.ok()) return c.error();
  return mesh::ListProductsAs(*c, filter);
}

Outcome<Subscription> Consumer::GetSubscription(const std::string& request_id) {
  auto c = mesh::ConsumerSessions(session_);
  if (!c.ok()) return c.error();
  return mesh::TrackerOf(*c).GetAsSubscriber(request_id, c->account);
}

Outcome<nlohmann::json> Consumer::GetTableInfo(const std::string& database_name, const std::string& table_name) {
  auto c = mesh::ConsumerSessions(session_);
  if (!c.ok()) return c.error();
  // Catalog look-ups go through the mesh's read-only role.
  auto read_only = mesh::ReadOnlySession(*c);
  if (!read_only.ok()) return read_only.error();
  auto t = (*read_only)->Glue().GetTable({{"DatabaseName", database_name}, {"Name", table_name}});
  if (!t.ok()) return t.error();
  return (*t)["Table"];
}

Outcome<Subscription> Consumer::DeleteSubscription(const std::string& subscription_id, const std::string& reason) {
  auto c = mesh::ConsumerSessions(session_);
  if (!c.ok()) return c.error();
  auto tracker = mesh::TrackerOf(*c);
  auto s = tracker.GetAsSubscriber(subscription_id, c->account);
  if (!s.ok()) return s.error();
  // Deleted already (a retried or repeated delete): the deletion that stands.
  if (s->withdrawn) return *s;
  if (s->status != SubscriptionStatus::kActive) {
    return Error::Local("InvalidTransition", "subscription " + s->id + " is " + mesh::ToString(s->status) +
                                                 "; Delete needs it to be one of: Active");
  }
  return tracker.Withdraw(*s, c->caller_arn, reason);
}

}  // namespace datamesh
