// A mesh persona's connection to AWS: the session made from MeshOptions (real AWS, an endpoint,
// or the embedded local mesh), its identity, typed clients, and assuming other roles while
// waiting out IAM's eventual consistency with bounded backoff instead of fixed sleeps.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <set>

#include "aws/client/aws_session.h"
#include "aws/dynamodb/dynamodb_client.h"
#include "aws/glue/glue_client.h"
#include "aws/iam/iam_client.h"
#include "aws/lakeformation/lakeformation_client.h"
#include "aws/ram/ram_client.h"
#include "aws/s3/s3_client.h"
#include "aws/sts/sts_client.h"
#include "datamesh/mesh_options.h"

namespace datamesh::mesh {

using aws::Json;

class MeshSession {
 public:
  static Outcome<std::shared_ptr<MeshSession>> Create(const MeshOptions& options);

  // Who these credentials are (cached after the first call).
  Outcome<aws::CallerIdentity> Identity();
  const std::string& region() const { return session_->region(); }
  const std::string& mesh_account() const { return mesh_account_; }

  aws::IamClient Iam() { return aws::IamClient(Client("iam")); }
  aws::StsClient Sts() { return aws::StsClient(Client("sts")); }
  aws::GlueClient Glue() { return aws::GlueClient(Client("glue")); }
  aws::LakeFormationClient LakeFormation() { return aws::LakeFormationClient(Client("lakeformation")); }
  aws::RamClient Ram() { return aws::RamClient(Client("ram")); }
  aws::DynamoDbClient DynamoDb() { return aws::DynamoDbClient(Client("dynamodb")); }
  aws::S3Client S3() { return aws::S3Client(Client("s3")); }
  // DynamoDB Streams (the tracker's events): called by operation name.
  std::shared_ptr<aws::AwsClient> DynamoDbStreams() { return Client("dynamodbstreams"); }

  // A session acting as `role_arn`. A freshly created role or trust policy may take a while to
  // become usable in IAM: AccessDenied is retried with backoff, at most `patience` in all.
  // `patience` defaults to the options' eventual_consistency_timeout_seconds.
  // The session is kept: asked again for the same role and session name while its credentials
  // last more than 45 minutes, it answers the same session without calling STS (a follower
  // deciding every few seconds, or a workflow that opens the same role chain per subscription,
  // would otherwise assume each role again each time).
  Outcome<std::shared_ptr<MeshSession>> AssumeRole(const std::string& role_arn, const std::string& session_name,
                                                   std::optional<std::chrono::seconds> patience = std::nullopt);
  // The session AssumeRole keeps for role_arn/session_name, if its credentials last more than 45
  // minutes; null otherwise.
  std::shared_ptr<MeshSession> KeptRole(const std::string& role_arn, const std::string& session_name);
  std::chrono::seconds patience() const { return patience_; }

  std::shared_ptr<aws::Sleeper> sleeper() const { return sleeper_; }
  // The time the mesh goes by (MeshOptions::clock, else the system's).
  std::shared_ptr<aws::Clock> clock() const { return clock_; }

  // How many requests independent work may keep in flight (MeshOptions::max_concurrency); the
  // session's transport holds every request to it.
  int max_concurrency() const { return max_concurrency_; }
  // Where progress goes (MeshOptions::progress), serialised; does nothing when unset.
  void Report(const ProgressEvent& event) const;
  // A wait on AWS, saying what for.
  void ReportWait(const std::string& what) const;

 private:
  MeshSession() = default;
  std::shared_ptr<aws::AwsClient> Client(const std::string& service);

  std::shared_ptr<aws::AwsSession> session_;
  std::shared_ptr<aws::Sleeper> sleeper_;
  std::shared_ptr<aws::Clock> clock_;
  std::string mesh_account_;
  std::chrono::seconds patience_{60};
  // Assumed sessions' credentials end here (unset for the options' own credentials).
  std::optional<aws::SystemTime> expiration_;
  // What the session learns once and keeps: who it is, and the sessions assumed from it.
  struct Kept {
    std::mutex mu;
    std::optional<aws::CallerIdentity> identity;
    std::map<std::pair<std::string, std::string>, std::shared_ptr<MeshSession>> roles;
  };
  std::shared_ptr<Kept> kept_ = std::make_shared<Kept>();
  int max_concurrency_ = 8;
  // Shared by the sessions assumed from this one, with the lock that serialises it.
  struct ProgressSink {
    std::mutex mu;
    std::function<void(const ProgressEvent&)> report;
  };
  std::shared_ptr<ProgressSink> progress_;
};

// Waits for `attempt` to stop failing with a code in `transient_codes` (IAM propagation, RAM
// invitations appearing), sleeping with exponential backoff up to `patience` in all.
// `on_wait`, when set, is told before each sleep (to say what is being waited for).
Outcome<Json> WaitFor(aws::Sleeper& sleeper, std::chrono::seconds patience,
                      const std::vector<std::string>& transient_codes,
                      const std::function<Outcome<Json>()>& attempt, const std::function<void()>& on_wait = {});

// Makes sure the RAM shares `share_arns` have reached this account: done for a share associated
// already (at once within an organization that shares through RAM, where no invitation comes),
// otherwise by accepting its pending invitation. Waits (up to a minute, with backoff) while neither
// has appeared; an invitation accepted already is fine. Shares are looked up 20 a call and
// concurrently; waits are reported to `session`'s progress.
Status AcceptShareInvitations(aws::RamClient& ram, aws::Sleeper& sleeper, const std::set<std::string>& share_arns,
                              const MeshSession* session = nullptr);

}  // namespace datamesh::mesh
