#include "bindings.h"

#include <algorithm>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>

#include "cli/rules/rules_file.h"
#include "datamesh/admin.h"
#include "datamesh/consumer.h"
#include "datamesh/events.h"
#include "datamesh/local_mesh.h"
#include "datamesh/producer.h"

namespace datamesh::python {

using nlohmann::json;

// A call's keyword arguments, with the checks Python would make of a signature.
class Args {
 public:
  Args(json values, std::string method) : values_(std::move(values)), method_(std::move(method)) {}

  std::string Str(const char* name) const {
    const json& v = Required(name);
    if (!v.is_string()) Fail(std::string(name) + " must be a string");
    return v.get<std::string>();
  }
  std::optional<std::string> OptStr(const char* name) const {
    if (!Has(name)) return std::nullopt;
    return Str(name);
  }
  std::vector<std::string> List(const char* name) const {
    const json& v = Required(name);
    if (v.is_string()) return {v.get<std::string>()};  // a lone string is a list of one, as the seeds' callers write
    if (!v.is_array()) Fail(std::string(name) + " must be a list of strings");
    std::vector<std::string> out;
    for (const auto& e : v) {
      if (!e.is_string()) Fail(std::string(name) + " must be a list of strings");
      out.push_back(e.get<std::string>());
    }
    return out;
  }
  std::optional<std::vector<std::string>> OptList(const char* name) const {
    if (!Has(name)) return std::nullopt;
    return List(name);
  }
  // A span: a duration as the CLI takes it ("30d", "12h") or a number of seconds.
  std::optional<std::chrono::seconds> OptSpan(const char* name) const {
    if (!Has(name)) return std::nullopt;
    const json& v = values_[name];
    if (v.is_number_integer()) return std::chrono::seconds(v.get<long long>());
    if (!v.is_string()) Fail(std::string(name) + " must be a duration such as '30d' or a number of seconds");
    auto d = ParseDuration(v.get<std::string>());
    if (!d.ok()) Fail(std::string(name) + ": " + d.error().message());
    return *d;
  }
  bool Bool(const char* name, bool fallback) const {
    if (!Has(name)) return fallback;
    if (!values_[name].is_boolean()) Fail(std::string(name) + " must be True or False");
    return values_[name].get<bool>();
  }
  const json& Object(const char* name) const {
    const json& v = Required(name);
    if (!v.is_object()) Fail(std::string(name) + " must be a dict");
    return v;
  }
  bool Has(const char* name) const { return values_.contains(name) && !values_[name].is_null(); }
  [[noreturn]] void Fail(const std::string& message) const {
    throw CallFailed(Error::Local("InvalidArgument", method_ + ": " + message));
  }

 private:
  const json& Required(const char* name) const {
    if (!Has(name)) Fail("missing required argument " + std::string(name));
    return values_[name];
  }
  json values_;
  std::string method_;
};

namespace {

template <typename T>
json Unwrap(Outcome<T> out) {
  if (!out.ok()) throw CallFailed(out.error());
  if constexpr (std::is_same_v<T, json>) {
    return *out;
  } else if constexpr (requires { out->ToJson(); }) {
    return out->ToJson();
  } else {
    return ToJson(*out);
  }
}

Outcome<AwsCredentials> CredentialsFrom(const json& c, const std::string& origin) {
  return AwsCredentials::FromJson(c, origin);
}

MeshOptions OptionsFrom(const json& o) {
  MeshOptions options;
  auto text = [&](const char* key) -> std::optional<std::string> {
    if (!o.contains(key) || o[key].is_null()) return std::nullopt;
    if (!o[key].is_string()) throw CallFailed(Error::Local("InvalidArgument", std::string(key) + " must be a string"));
    return o[key].get<std::string>();
  };
  options.data_mesh_account_id = text("data_mesh_account_id").value_or("");
  if (auto r = text("region_name")) options.region = *r;
  if (auto l = text("log_level")) options.log_level = *l;
  if (o.contains("use_credentials") && !o["use_credentials"].is_null()) {
    auto creds = CredentialsFrom(o["use_credentials"], "use_credentials");
    if (!creds.ok()) throw CallFailed(creds.error());
    options.use_credentials = *creds;
  }
  if (auto e = text("endpoint_url")) options.endpoint_url = *e;
  if (auto local = text("local_mesh")) {
    if (auto s = UseLocalMesh(options, *local); !s.ok()) throw CallFailed(s.error());
  }
  if (o.contains("max_concurrency") && o["max_concurrency"].is_number_integer()) {
    options.max_concurrency = o["max_concurrency"].get<int>();
    if (options.max_concurrency < 1 || options.max_concurrency > 256) {
      throw CallFailed(Error::Local("InvalidArgument", "max_concurrency must be from 1 to 256"));
    }
  }
  return options;
}

json ParseObject(const std::string& text, const std::string& what) {
  auto v = json::parse(text, nullptr, false);
  if (!v.is_object()) throw CallFailed(Error::Local("InvalidArgument", what + " is not a JSON object"));
  return v;
}

template <typename Persona>
using Method = std::function<json(Persona&, const Args&)>;

template <typename Persona>
class PersonaHandle : public Handle {
 public:
  PersonaHandle(std::string name, Persona persona, std::map<std::string, Method<Persona>> methods)
      : Handle(std::move(name)), persona_(std::move(persona)), methods_(std::move(methods)) {}

 protected:
  std::string Dispatch(const std::string& method, const Args& args) override {
    auto it = methods_.find(method);
    if (it == methods_.end()) throw CallFailed(Error::Local("InvalidArgument", "no method " + method));
    return it->second(persona_, args).dump();
  }

 private:
  Persona persona_;
  std::map<std::string, Method<Persona>> methods_;
};

ProductFilter FilterFrom(const Args& a) {
  ProductFilter f;
  f.domain = a.OptStr("domain");
  f.owner_account_id = a.OptStr("owner");
  f.search = a.OptStr("search");
  return f;
}

// A producer's rules, as Python gives them: a file (rules_file, YAML or JSON) or the text of one
// (rules_text: a dict the package wrote as JSON). The same reader as the CLI's, errors and all.
DecisionRules RulesFrom(const Args& a) {
  Outcome<DecisionRules> rules = a.Has("rules_file") ? cli::LoadRules(a.Str("rules_file"))
                                                    : cli::ParseRules(a.Str("rules_text"), "rules");
  if (!rules.ok()) throw CallFailed(rules.error());
  return std::move(*rules);
}

std::map<std::string, Method<Admin>> AdminMethods() {
  return {
      {"initialize_mesh_account", [](Admin& p, const Args&) { return Unwrap(p.InitializeMeshAccount()); }},
      {"initialize_producer_account",
       [](Admin& p, const Args& a) { return Unwrap(p.InitializeProducerAccount(a.OptStr("crawler_role_arn"))); }},
      {"initialize_consumer_account", [](Admin& p, const Args&) { return Unwrap(p.InitializeConsumerAccount()); }},
      {"enable_account_as_producer",
       [](Admin& p, const Args& a) {
         return Unwrap(p.EnableAccountAsProducer(a.Str("account_id"), a.OptStr("enable_crawler_role")));
       }},
      {"enable_account_as_consumer", [](Admin& p, const Args& a) { return Unwrap(p.EnableAccountAsConsumer(a.Str("account_id"))); }},
      {"verify_subscriptions", [](Admin& p, const Args& a) { return Unwrap(p.VerifySubscriptions(a.OptStr("subscription_id"))); }},
      {"list_data_products", [](Admin& p, const Args& a) { return Unwrap(p.ListDataProducts(FilterFrom(a))); }},
  };
}

CreateDataProductsOptions ProductOptions(const Args& a) {
  CreateDataProductsOptions o;
  o.source_database_name = a.Str("source_database_name");
  o.create_public_metadata = a.Bool("create_public_metadata", true);
  o.table_name_regex = a.OptStr("table_name_regex");
  o.domain = a.OptStr("domain");
  o.data_product_name = a.OptStr("data_product_name");
  o.sync_mesh_catalog_schedule = a.OptStr("sync_mesh_catalog_schedule");
  o.sync_mesh_crawler_role_arn = a.OptStr("sync_mesh_crawler_role_arn");
  o.expose_data_mesh_db_name = a.OptStr("expose_data_mesh_db_name");
  if (auto suffix = a.OptStr("expose_table_references_with_suffix")) o.expose_table_references_with_suffix = *suffix;
  o.use_original_table_name = a.Bool("use_original_table_name", false);
  return o;
}

SubscriptionFilter SubscriptionsFrom(const Args& a) {
  SubscriptionFilter f;
  if (auto s = a.OptStr("status")) {
    f.status = ParseSubscriptionStatus(*s);
    if (!f.status) a.Fail("status must be Pending, Active, Denied or Deleted");
  }
  f.database = a.OptStr("database_name");
  f.owner = a.OptStr("owner");
  f.subscriber = a.OptStr("subscriber");
  return f;
}

std::map<std::string, Method<Producer>> ProducerMethods() {
  return {
      {"create_data_products", [](Producer& p, const Args& a) { return Unwrap(p.CreateDataProducts(ProductOptions(a))); }},
      {"migrate_tables_to_mesh", [](Producer& p, const Args& a) { return Unwrap(p.MigrateTablesToMesh(ProductOptions(a))); }},
      {"get_data_product",
       [](Producer& p, const Args& a) { return Unwrap(p.GetDataProduct(a.Str("database_name"), a.Str("table_name_regex"))); }},
      {"list_pending_access_requests", [](Producer& p, const Args&) { return Unwrap(p.ListPendingAccessRequests()); }},
      {"approve_access_request",
       [](Producer& p, const Args& a) {
         ApproveOptions o;
         o.request_id = a.Str("request_id");
         o.grant_permissions = a.OptList("grant_permissions");
         o.grantable_permissions = a.OptList("grantable_permissions");
         o.decision_notes = a.OptStr("decision_notes");
         o.expires_at = a.OptStr("expires_at");
         o.expires_in = a.OptSpan("expires_in");
         return Unwrap(p.ApproveAccessRequest(o));
       }},
      {"deny_access_request",
       [](Producer& p, const Args& a) { return Unwrap(p.DenyAccessRequest(a.Str("request_id"), a.OptStr("decision_notes"))); }},
      {"update_subscription_permissions",
       [](Producer& p, const Args& a) {
         return Unwrap(p.UpdateSubscriptionPermissions(a.Str("subscription_id"), a.List("grant_permissions"), a.Str("notes"),
                                                       a.OptList("grantable_permissions"), a.OptStr("expires_at"),
                                                       a.OptSpan("expires_in")));
       }},
      {"delete_subscription",
       [](Producer& p, const Args& a) { return Unwrap(p.DeleteSubscription(a.Str("subscription_id"), a.Str("reason"))); }},
      {"get_subscription", [](Producer& p, const Args& a) { return Unwrap(p.GetSubscription(a.Str("request_id"))); }},
      {"list_subscriptions", [](Producer& p, const Args& a) { return Unwrap(p.ListSubscriptions(SubscriptionsFrom(a))); }},
      {"revoke_deleted_subscriptions", [](Producer& p, const Args&) { return Unwrap(p.RevokeGrantsOfDeletedSubscriptions()); }},
      {"expire_subscriptions", [](Producer& p, const Args&) { return Unwrap(p.ExpireSubscriptions()); }},
      {"use_rules",
       [](Producer& p, const Args& a) {
         p.UseRules(RulesFrom(a));
         return json();
       }},
      {"process_requests",
       [](Producer& p, const Args& a) {
         if (a.Has("rules_file") || a.Has("rules_text")) return Unwrap(p.ProcessRequests(RulesFrom(a)));
         return Unwrap(p.ProcessRequests());
       }},
      {"verify_subscriptions",
       [](Producer& p, const Args& a) {
         return Unwrap(p.VerifySubscriptions(a.OptStr("subscription_id"), a.Bool("repair", false)));
       }},
      {"list_data_products", [](Producer& p, const Args& a) { return Unwrap(p.ListDataProducts(FilterFrom(a))); }},
  };
}

std::map<std::string, Method<Consumer>> ConsumerMethods() {
  return {
      {"request_access_to_product",
       [](Consumer& c, const Args& a) {
         return Unwrap(c.RequestAccessToProduct(a.OptStr("owner_account_id").value_or(""), a.Str("database_name"),
                                                a.List("tables"), a.List("request_permissions"),
                                                a.OptStr("reason").value_or("")));
       }},
      {"finalize_subscription", [](Consumer& c, const Args& a) { return Unwrap(c.FinalizeSubscription(a.Str("subscription_id"))); }},
      {"list_product_access", [](Consumer& c, const Args& a) { return Unwrap(c.ListProductAccess(SubscriptionsFrom(a))); }},
      {"get_subscription", [](Consumer& c, const Args& a) { return Unwrap(c.GetSubscription(a.Str("request_id"))); }},
      {"get_table_info",
       [](Consumer& c, const Args& a) { return Unwrap(c.GetTableInfo(a.Str("database_name"), a.Str("table_name"))); }},
      {"delete_subscription",
       [](Consumer& c, const Args& a) { return Unwrap(c.DeleteSubscription(a.Str("subscription_id"), a.Str("reason"))); }},
      {"list_data_products", [](Consumer& c, const Args& a) { return Unwrap(c.ListDataProducts(FilterFrom(a))); }},
  };
}

template <typename Persona>
std::unique_ptr<Handle> Make(const std::string& name, const MeshOptions& options,
                             std::map<std::string, Method<Persona>> methods) {
  auto persona = Persona::Create(options);
  if (!persona.ok()) throw CallFailed(persona.error());
  return std::make_unique<PersonaHandle<Persona>>(name, std::move(*persona), std::move(methods));
}

// The tracker's events, read by a producer, a consumer or the mesh administrator. "read" takes
// {"checkpoint"?, "since"?, "types"?} and answers {"Events": [...], "Checkpoint": {...}} (the
// checkpoint past every record read).
class EventsHandle : public Handle {
 public:
  EventsHandle(std::string name, EventFeed feed) : Handle(std::move(name)), feed_(std::move(feed)) {}

 protected:
  std::string Dispatch(const std::string& method, const Args& a) override {
    if (method != "read") throw CallFailed(Error::Local("InvalidArgument", "no method " + method));
    EventCheckpoint from;
    if (a.Has("checkpoint")) {
      auto c = EventCheckpoint::FromJson(a.Object("checkpoint"));
      if (!c.ok()) throw CallFailed(c.error());
      from = std::move(*c);
    }
    EventFilter filter;
    if (auto since = a.OptStr("since")) {
      auto at = ParseEventTime(*since, std::chrono::system_clock::now());
      if (!at.ok()) throw CallFailed(at.error());
      filter.since = *at;
    }
    const auto& types = EventTypes();
    for (const auto& t : a.OptList("types").value_or(std::vector<std::string>{})) {
      if (std::find(types.begin(), types.end(), t) == types.end()) a.Fail("'" + t + "' is not an event type");
      filter.types.insert(t);
    }
    auto batch = feed_.Read(from, filter);
    if (!batch.ok()) throw CallFailed(batch.error());
    json events = json::array();
    for (const auto& e : batch->events) events.push_back(e.ToJson());
    return json{{"Events", events}, {"Checkpoint", batch->reached.ToJson()}}.dump();
  }

 private:
  EventFeed feed_;
};

std::unique_ptr<Handle> OpenEvents(const json& options) {
  auto audience = ParseEventAudience(options.value("audience", "producer"));
  if (!audience.ok()) throw CallFailed(audience.error());
  auto feed = EventFeed::Create(OptionsFrom(options), *audience);
  if (!feed.ok()) throw CallFailed(feed.error());
  return std::make_unique<EventsHandle>("events", std::move(*feed));
}

}  // namespace

std::string KindName(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kThrottling: return "throttling";
    case ErrorKind::kTransient: return "transient";
    case ErrorKind::kClockSkew: return "clock_skew";
    case ErrorKind::kLocal: return "local";
    case ErrorKind::kClient: break;
  }
  return "client";
}

std::string Handle::Call(const std::string& method, const std::string& args_json) {
  std::lock_guard<std::mutex> lock(mu_);
  return Dispatch(method, Args(ParseObject(args_json, "the arguments of " + method), method));
}

std::unique_ptr<Handle> Open(const std::string& persona, const std::string& options_json) {
  if (persona == "events") return OpenEvents(ParseObject(options_json, "the options"));
  MeshOptions options = OptionsFrom(ParseObject(options_json, "the options"));
  if (persona == "admin") return Make<Admin>(persona, options, AdminMethods());
  if (persona == "producer") return Make<Producer>(persona, options, ProducerMethods());
  if (persona == "consumer") return Make<Consumer>(persona, options, ConsumerMethods());
  throw CallFailed(Error::Local("InvalidArgument", "no persona " + persona));
}

std::string BootstrapAccount(const std::string& args_json) {
  json in = ParseObject(args_json, "the arguments of bootstrap_account");
  Args a(in, "bootstrap_account");
  std::string type_text = a.Str("account_type");
  for (auto& c : type_text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto type = ParseAccountType(type_text);
  if (!type.ok()) throw CallFailed(type.error());
  json base = in.value("options", json::object());
  json mesh = base, account = base;
  mesh["use_credentials"] = in.value("mesh_credentials", json());
  account["use_credentials"] = in.value("account_credentials", json());
  return Unwrap(datamesh::BootstrapAccount(*type, OptionsFrom(mesh), OptionsFrom(account), a.OptStr("crawler_role_arn")))
      .dump();
}

}  // namespace datamesh::python
