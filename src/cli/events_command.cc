// datamesh events: subscription events as JSON lines, read from the tracker's stream; with
// --follow it keeps reading until SIGINT or SIGTERM, with --checkpoint it resumes where it stopped,
// and --exec / --webhook deliver each event (at least once).
#include <algorithm>
#include <cmath>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <set>
#include <thread>

#include "cli/command.h"
#include "cli/event_delivery.h"
#include "cli/output.h"
#include "datamesh/events.h"
#include "datamesh/producer.h"
#include "cli/rules/rules_file.h"
#include "local/accounts/local_mesh_setup.h"

namespace datamesh::cli {
namespace {

std::atomic<bool> g_stop{false};
void AskToStop(int) { g_stop = true; }

struct EventsFlags {
  std::string persona = "producer";
  bool follow = false;
  std::string since;
  std::vector<std::string> types;
  std::string checkpoint;
  DeliveryOptions delivery;
  double poll_seconds = 2;
  std::string rules;  // --apply-rules: decide requests as they arrive
};

Outcome<EventCheckpoint> LoadCheckpoint(const std::string& path) {
  if (path.empty() || !std::filesystem::exists(path)) return EventCheckpoint{};
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  auto doc = nlohmann::json::parse(text.str(), nullptr, false);
  auto c = EventCheckpoint::FromJson(doc);
  if (!c.ok()) return Error::Local("InvalidCheckpoint", path + ": " + c.error().message());
  return c;
}

Status SaveCheckpoint(const std::string& path, const EventCheckpoint& c) {
  if (path.empty()) return OkStatus();
  return local::WriteFileAtomically(path, c.ToJson().dump() + "\n");
}

// Sleeps for `d`, or until asked to stop.
void Pause(std::chrono::duration<double> d) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::duration_cast<std::chrono::steady_clock::duration>(d);
  while (!g_stop && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(std::chrono::milliseconds(20));
}

// A follower runs for days: what AWS calls transient (throttling, a 5xx, a dropped connection, an
// endpoint not answering) outlasting the client's own retries is waited out, 1 s doubling to a
// minute between tries, each said on stderr; anything else ends the follower (a supervisor
// restarts it from its checkpoint).
class TransientWait {
 public:
  // Whether `e` is waited out (after waiting); false: it ends the follower.
  bool Outlast(const Error& e) {
    if (!e.retryable()) return false;
    const double seconds = std::min(60.0, std::ldexp(1.0, std::min(tries_++, 6)));
    std::cerr << "datamesh events: " << e.ToString() << "; trying again in " << seconds << " s" << std::endl;
    Pause(std::chrono::duration<double>(seconds));
    return true;
  }
  void Reset() { tries_ = 0; }

 private:
  int tries_ = 0;
};

// When a producer's follower runs its full sweep (expired access, unfiled changes): at the start,
// once a minute, and as soon as an expiry it saw in an event falls due (an approval for an hour
// ends on the hour).
class ExpiryWatch {
 public:
  void Saw(const MeshEvent& e) {
    if (e.expires_at) pending_.insert(*e.expires_at);
  }
  bool Due() const {
    return !last_ || std::chrono::steady_clock::now() - *last_ >= kInterval ||
           (!pending_.empty() && *pending_.begin() <= Now());
  }
  // A sweep that started at `started` (Now()) ended what was due by then.
  void Swept(const std::string& started) {
    last_ = std::chrono::steady_clock::now();
    pending_.erase(pending_.begin(), pending_.upper_bound(started));
  }
  std::string Now() const { return TimeAfter(std::chrono::system_clock::now(), std::chrono::seconds(0)); }

 private:
  static constexpr auto kInterval = std::chrono::minutes(1);
  std::optional<std::chrono::steady_clock::time_point> last_;  // unset until the first sweep
  std::set<std::string> pending_;  // ExpiresAt seen in events (YYYY-MM-DD HH:MM:SS UTC sorts as time)
};

int Run(const EventsFlags& f, const GlobalOptions& globals) {
  const EventAudience audience = *ParseEventAudience(f.persona);  // CLI11 checked the name
  const std::string entry = f.persona == "mesh" ? "Mesh" : f.persona == "consumer" ? "Consumer" : "Producer";
  EventFilter filter;
  filter.types.insert(f.types.begin(), f.types.end());
  if (!f.since.empty()) {
    auto since = ParseEventTime(f.since, std::chrono::system_clock::now());
    if (!since.ok()) return ReportError(std::cerr, Error::Local("InvalidArgument", "--since: " + since.error().message()), "events");
    filter.since = *since;
  }
  auto checkpoint = LoadCheckpoint(f.checkpoint);
  if (!checkpoint.ok()) return ReportError(std::cerr, checkpoint.error(), "events");
  auto options = globals.MeshOptionsFor(entry);
  if (!options.ok()) return ReportError(std::cerr, options.error(), "events");
  options->progress = nullptr;  // events are the output; nothing else on stderr
  auto feed = EventFeed::Create(*options, audience);
  if (!feed.ok()) return ReportError(std::cerr, feed.error(), "events");
  // With --apply-rules the producer decides what its rules cover: now, and after each new request.
  std::optional<DecisionRules> rules;
  std::optional<Producer> producer;
  if (!f.rules.empty()) {
    if (audience != EventAudience::kProducer) {
      return ReportError(std::cerr, Error::Local("InvalidArgument", "--apply-rules decides as the producer: use --persona producer"), "events");
    }
    auto loaded = LoadRules(f.rules);
    if (!loaded.ok()) return ReportError(std::cerr, loaded.error(), "events");
    rules = *loaded;
    auto p = Producer::Create(*options);
    if (!p.ok()) return ReportError(std::cerr, p.error(), "events");
    producer.emplace(std::move(*p));
  }
  // One Producer for the whole run: its role chain is assumed once and kept while it lasts.
  auto apply_rules = [&]() -> Status {
    if (!rules) return OkStatus();
    auto decided = producer->ProcessRequests(*rules);
    if (!decided.ok()) return decided.error();
    bool again = false;
    for (const auto& d : decided->decisions) {
      if (d.decision == "failed") {
        // It stays pending: tried again soon when the failure may pass, else with the next
        // request or the next start.
        std::cerr << "datamesh events: " << d.subscription_id << " could not be decided: " << d.error << std::endl;
        again = again || d.retryable;
      } else if (d.decision != "pending") {
        std::cerr << "datamesh events: " << d.subscription_id << " " << d.decision << " by rule " << d.rule
                  << (d.error.empty() ? "" : " (" + d.error + ")") << std::endl;
      }
    }
    if (again) return Error("DecisionsFailed", "some requests could not be decided yet", ErrorKind::kTransient);
    return OkStatus();
  };
  // When the producer's full sweep runs (expiries and unfiled changes), beside the rules' decisions.
  ExpiryWatch expiry;
  bool decide = true;  // the rules are applied at the start and after each new request

  std::signal(SIGINT, AskToStop);
  std::signal(SIGTERM, AskToStop);
  EventDelivery delivery(f.delivery, &g_stop);
  EventCheckpoint at = *checkpoint;
  TransientWait waiting;
  while (!g_stop) {
    auto batch = feed->Read(at, filter);
    if (!batch.ok()) {
      if (f.follow && waiting.Outlast(batch.error())) continue;
      return ReportError(std::cerr, batch.error(), "events");
    }
    // A first read (or a recreated tracker): the checkpoint names the stream its shards belong to
    // from the first event on, so that a run killed mid-batch resumes on this stream.
    if (at.stream_arn != batch->reached.stream_arn) at = EventCheckpoint{batch->reached.stream_arn, {}};
    const auto& events = batch->events;
    for (size_t i = 0; i < events.size(); ++i) {
      const auto json = events[i].ToJson();
      std::cout << json.dump() << std::endl;
      if (auto d = delivery.Deliver(json); !d.ok()) {
        // Not checkpointed: the next run delivers this event again.
        return ReportError(std::cerr, Error::Local("DeliveryFailed", d.error().message() + " (event " +
                                                                          events[i].sequence_number + " not delivered)"), "events");
      }
      // The checkpoint passes a record once every event it carries is delivered.
      const bool record_done = i + 1 == events.size() || events[i + 1].shard_id != events[i].shard_id ||
                               events[i + 1].sequence_number != events[i].sequence_number;
      if (!record_done) continue;
      at.Advance(events[i]);
      if (auto s = SaveCheckpoint(f.checkpoint, at); !s.ok()) return ReportError(std::cerr, s.error(), "events");
    }
    at = batch->reached;
    if (auto s = SaveCheckpoint(f.checkpoint, at); !s.ok()) return ReportError(std::cerr, s.error(), "events");
    for (const auto& event : batch->events) expiry.Saw(event);
    if (batch->requested) decide = true;  // also when --type leaves requests out of the output
    if (producer && (decide || expiry.Due())) {
      const std::string started = expiry.Now();
      Status done = decide ? apply_rules() : OkStatus();
      if (expiry.Due()) {
        // The producer's full sweep, whatever the rules' decisions did (a request that keeps
        // failing must not keep access from ending): access that ran out ends while the follower
        // runs (its expired events follow on the next read), and what consumers changed without
        // filing it is caught. The first error is reported.
        auto swept = producer->RevokeGrantsOfDeletedSubscriptions();
        if (swept.ok()) expiry.Swept(started);
        if (done.ok() && !swept.ok()) done = swept.error();
      }
      if (!done.ok()) {
        if (f.follow && waiting.Outlast(done.error())) continue;  // decided on the next round
        return ReportError(std::cerr, done.error(), "events");
      }
      decide = false;
    }
    waiting.Reset();
    if (!f.follow) break;
    Pause(std::chrono::duration<double>(f.poll_seconds));
  }
  return kExitOk;
}

}  // namespace

Command EventsCommand() {
  return {"events",
          "Print subscription events (requested, approved, denied, modified, imported, deleted, expired, "
          "grants_revoked) as JSON lines, from the tracker's stream; --follow keeps reading",
          [](CLI::App& sub, const GlobalOptions& globals) -> std::function<int()> {
            auto f = std::make_shared<EventsFlags>();
            sub.add_option("--persona", f->persona,
                           "producer (Producer entry: subscriptions to its products, default), consumer (Consumer "
                           "entry: its own) or mesh (Mesh entry: all)")
                ->check(CLI::IsMember({"producer", "consumer", "mesh"}));
            sub.add_flag("--follow", f->follow, "Keep reading new events until SIGINT or SIGTERM");
            sub.add_option("--since", f->since, "Only events at or after this time (UTC YYYY-MM-DD HH:MM:SS, ISO 8601, or 30m, 2h, 1d ago)");
            sub.add_option("--type", f->types, "Only events of this type (repeatable)")
                ->check(CLI::IsMember(EventTypes()));
            sub.add_option("--checkpoint", f->checkpoint,
                           "Resume after the last event this file records, and record each event delivered");
            sub.add_option("--exec", f->delivery.exec, "Run this command (sh -c) for each event, the event on its stdin");
            sub.add_option("--webhook", f->delivery.webhook, "POST each event (JSON) to this URL");
            sub.add_option("--delivery-attempts,--delivery_attempts", f->delivery.attempts,
                           "Tries per event for --exec and --webhook before stopping (default 8)")
                ->check(CLI::Range(1, 100));
            sub.add_option("--poll-seconds,--poll_seconds", f->poll_seconds, "With --follow: seconds between reads (default 2)")
                ->check(CLI::Range(0.05, 3600.0));
            sub.add_option("--apply-rules,--apply_rules", f->rules,
                           "As the producer: decide new requests by this rules file as they arrive (see process-requests)");
            return [&globals, f] { return Run(*f, globals); };
          }};
}

}  // namespace datamesh::cli
