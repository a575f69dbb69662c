// How an Admin, Producer or Consumer reaches AWS: the data mesh account, the region, and the
// credentials to act with. Only the endpoint differs between real AWS, a `datamesh local serve`
// endpoint and the embedded local mesh.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "datamesh/outcome.h"

namespace datamesh {

namespace aws {
class Clock;
class HttpTransport;
class Sleeper;
}

// Where a long workflow stands, for a progress display.
struct ProgressEvent {
  std::string workflow;  // "create-data-product", ...
  std::string phase;     // what is being done now: "publishing tables", "waiting for ..."
  size_t done = 0;       // units of the phase finished, of `total` (0 when the phase is not counted)
  size_t total = 0;
  bool waiting = false;  // the phase waits on AWS (eventual consistency) rather than working
  bool finished = false;  // the phase is over
  // Or, with `phase` empty, a thing the workflow made ("IAM role DataMeshManager") or found
  // already in place (a rerun): one of the two is set.
  std::string created;
  std::string existed;
};

// Explicit credentials, in the object form of the spec.
struct AwsCredentials {
  std::string account_id;  // optional
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // optional

  // {"AccountId", "AccessKeyId", "SecretAccessKey", "SessionToken"?}; an error names what is missing.
  static Outcome<AwsCredentials> FromJson(const nlohmann::json& object, const std::string& origin);
};

struct MeshOptions {
  std::string data_mesh_account_id;
  std::string region = "us-east-1";
  std::string log_level = "INFO";
  // Unset: the standard chain (environment, shared config and profiles).
  std::optional<AwsCredentials> use_credentials;
  std::optional<std::string> profile;
  // Send every request here instead of to AWS (e.g. a `datamesh local serve` endpoint).
  std::optional<std::string> endpoint_url;
  // Advanced: send every request through this transport, to the endpoint `endpoint_url` names.
  // The embedded local mesh is such a transport: UseLocalMesh (datamesh/local_mesh.h, in
  // datamesh::local) sets both. Unset: HTTPS to AWS (or to endpoint_url).
  std::shared_ptr<aws::HttpTransport> transport;
  // How long to wait, at most, for AWS's eventual consistency (a new role becoming assumable, a
  // RAM invitation appearing), polling with exponential backoff.
  int eventual_consistency_timeout_seconds = 60;
  // Most requests a workflow sends at once: independent work (per table, per partition batch, per
  // share) runs concurrently up to this bound, over the session's one connection pool. 1 sends one
  // request at a time. Results and their order do not depend on it.
  int max_concurrency = 8;
  // Called as a long workflow moves on (phases, counts, waits); unset: nothing is reported. Calls
  // never overlap, though they may come from the workflow's worker threads. See ProgressEvent.
  std::function<void(const ProgressEvent&)> progress;
  // Advanced: every request goes through the transport this returns for the one datamesh would
  // use (to log or trace requests, or to inject faults in tests). See src/aws/http/http_transport.h.
  std::function<std::shared_ptr<aws::HttpTransport>(std::shared_ptr<aws::HttpTransport>)> wrap_transport;
  // Advanced: how datamesh waits (retry backoff, eventual consistency); unset: real time. Tests
  // that inject faults pass one that does not wait. See src/aws/core/clock.h.
  std::shared_ptr<aws::Sleeper> sleeper;
  // Advanced: the time the mesh goes by (subscription dates and expiry); unset: the system clock.
  // Tests pass their own to expire subscriptions without waiting. See src/aws/core/clock.h.
  std::shared_ptr<aws::Clock> clock;
};

}  // namespace datamesh
