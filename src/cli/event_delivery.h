// Where `datamesh events` hands each event: stdout (one JSON line), a command (--exec, the event on
// its stdin) and a webhook (--webhook, POSTed as JSON). Commands and webhooks are retried with
// backoff; an event that cannot be delivered stops the reader before its checkpoint moves past it,
// so that a restart delivers it again (at-least-once).
#pragma once

#include <atomic>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "aws/http/http_transport.h"
#include "datamesh/outcome.h"

namespace datamesh::cli {

struct DeliveryOptions {
  std::string exec;     // sh -c command, or ""
  std::string webhook;  // URL, or ""
  int attempts = 8;     // per event and target, the first included
  double first_backoff_seconds = 0.5;
};

class EventDelivery {
 public:
  EventDelivery(DeliveryOptions options, const std::atomic<bool>* stop);
  // Hands `event` to the command and the webhook; an error says which refused it and how.
  Status Deliver(const nlohmann::json& event);

 private:
  Status RunCommand(const std::string& text);
  Status Post(const std::string& text);
  // Runs `attempt` until it succeeds, `attempts` runs fail, or a stop is asked for.
  Status WithRetries(const std::string& what, const std::function<Status()>& attempt);

  DeliveryOptions options_;
  const std::atomic<bool>* stop_;
  std::shared_ptr<aws::HttpTransport> transport_;
};

}  // namespace datamesh::cli
