// The send loop: signing every attempt, retries of throttling and transient failures only,
// backoff, the retry quota, clock-skew correction, validation before sending, and paging.
#include "aws/client/aws_client.h"
#include "aws/client/aws_session.h"

#include <gtest/gtest.h>

#include "aws/core/time_format.h"
#include "fake_transport.h"

namespace datamesh::aws {
namespace {

using testing::FakeClock;
using testing::FakeTransport;
using testing::FixedRandom;
using testing::RecordingSleeper;

const char kThrottle[] =
    "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message>"
    "</Error><RequestId>r1</RequestId></ErrorResponse>";
const char kIdentity[] =
    "<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::1:user/u</Arn><UserId>U</UserId>"
    "<Account>111122223333</Account></GetCallerIdentityResult></GetCallerIdentityResponse>";

class AwsClientTest : public ::testing::Test {
 protected:
  std::shared_ptr<AwsClient> MakeClient(const std::string& service, int max_attempts = 3,
                                        std::shared_ptr<RetryQuota> quota = std::make_shared<RetryQuota>()) {
    ClientSettings s;
    s.service = service;
    s.signing_region = "eu-west-1";
    s.endpoint = *Endpoint::Parse("https://" + service + ".eu-west-1.amazonaws.com");
    Credentials c;
    c.access_key_id = "AKID";
    c.secret_access_key = "SECRET";
    s.credentials = std::make_shared<StaticCredentialsProvider>(c);
    s.transport = transport_;
    RetryConfig rc;
    rc.max_attempts = max_attempts;
    s.retry = std::make_shared<RetryStrategy>(rc, quota, std::make_shared<FixedRandom>(0.5));
    s.clock = clock_;
    s.sleeper = sleeper_;
    return std::make_shared<AwsClient>(s);
  }
  std::shared_ptr<FakeTransport> transport_ = std::make_shared<FakeTransport>();
  std::shared_ptr<FakeClock> clock_ = std::make_shared<FakeClock>();
  std::shared_ptr<RecordingSleeper> sleeper_ = std::make_shared<RecordingSleeper>();
};

TEST_F(AwsClientTest, ThrottlingIsRetriedWithGrowingBackoffAndFreshSignatures) {
  auto client = MakeClient("sts");
  transport_->Push(400, kThrottle);
  transport_->Push([this](const HttpRequest&) {
    clock_->Advance(std::chrono::seconds(1));
    HttpResponse r;
    r.status = 503;
    r.body = "<ErrorResponse><Error><Code>ServiceUnavailable</Code></Error></ErrorResponse>";
    return r;
  });
  transport_->Push(200, kIdentity);
  auto out = client->Call("GetCallerIdentity");
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  EXPECT_EQ((*out)["Account"], "111122223333");
  ASSERT_EQ(transport_->sent.size(), 3u);
  // Backoff: random (0.5) * 1 s, then 0.5 * 2 s.
  EXPECT_EQ(sleeper_->sleeps, (std::vector<Millis>{Millis(500), Millis(1000)}));
  // Each attempt is signed again: the clock moved, so the third signature differs.
  EXPECT_NE(transport_->sent[0].headers.Get("Authorization"), transport_->sent[2].headers.Get("Authorization"));
}

TEST_F(AwsClientTest, ClientErrorsAreNotRetried) {
  auto client = MakeClient("sts");
  transport_->Push(403, "<ErrorResponse><Error><Code>AccessDenied</Code><Message>no</Message></Error>"
                        "<RequestId>req-9</RequestId></ErrorResponse>");
  auto out = client->Call("GetCallerIdentity");
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code(), "AccessDenied");
  EXPECT_EQ(out.error().message(), "no");
  EXPECT_EQ(out.error().http_status(), 403);
  EXPECT_EQ(out.error().request_id(), "req-9");
  EXPECT_FALSE(out.error().retryable());
  EXPECT_EQ(transport_->sent.size(), 1u);
}

TEST_F(AwsClientTest, GivesUpAfterMaxAttemptsWithTheLastError) {
  auto client = MakeClient("sts", 2);
  transport_->Push(400, kThrottle);
  transport_->Push(400, kThrottle);
  transport_->Push(200, kIdentity);
  auto out = client->Call("GetCallerIdentity");
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code(), "Throttling");
  EXPECT_TRUE(out.error().throttling());
  EXPECT_EQ(transport_->sent.size(), 2u);
}

// Lake Formation answers ConcurrentModificationException when grants on one resource arrive
// together ("Two processes are trying to modify a resource simultaneously", API reference):
// a transient conflict, retried with backoff.
TEST_F(AwsClientTest, LakeFormationConcurrentModificationIsRetried) {
  auto client = MakeClient("lakeformation");
  transport_->Push(400, R"({"__type":"ConcurrentModificationException","Message":"Two processes are trying to modify a resource simultaneously."})");
  transport_->Push(200, R"({"Failures":[]})");
  auto out = client->Call("BatchGrantPermissions", {{"Entries", Json::array()}});
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  EXPECT_EQ(transport_->sent.size(), 2u);
  EXPECT_EQ(sleeper_->sleeps.size(), 1u);
}

TEST_F(AwsClientTest, TransportFailuresAreRetried) {
  auto client = MakeClient("sts");
  transport_->PushError(Error("ConnectionError", "reset", ErrorKind::kTransient));
  transport_->Push(200, kIdentity);
  EXPECT_TRUE(client->Call("GetCallerIdentity").ok());
  EXPECT_EQ(transport_->sent.size(), 2u);
}

TEST_F(AwsClientTest, AnEmptyRetryQuotaStopsRetrying) {
  auto quota = std::make_shared<RetryQuota>();
  int taken = 0;
  Error throttle("Throttling", "", ErrorKind::kThrottling, 400);
  while (quota->Acquire(throttle, &taken)) {
  }
  auto client = MakeClient("sts", 3, quota);
  transport_->Push(400, kThrottle);
  transport_->Push(200, kIdentity);
  EXPECT_FALSE(client->Call("GetCallerIdentity").ok());
  EXPECT_EQ(transport_->sent.size(), 1u);
}

TEST(RetryQuotaTest, SuccessRefundsWhatTheRetryTook) {
  RetryQuota q;
  int taken = 0;
  ASSERT_TRUE(q.Acquire(Error("Throttling", "", ErrorKind::kThrottling), &taken));
  EXPECT_EQ(q.available(), RetryQuota::kInitial - RetryQuota::kRetryCost);
  q.Release(taken);
  EXPECT_EQ(q.available(), RetryQuota::kInitial);
}

TEST_F(AwsClientTest, ClockSkewIsMeasuredAndTheRequestSignedAgain) {
  auto client = MakeClient("sts");
  SystemTime server_time = clock_->Now() + std::chrono::hours(1);
  Headers h;
  h.Add("Date", FormatHttpDate(server_time));
  transport_->Push(400, "<ErrorResponse><Error><Code>RequestExpired</Code></Error></ErrorResponse>", h);
  transport_->Push(200, kIdentity);
  ASSERT_TRUE(client->Call("GetCallerIdentity").ok());
  ASSERT_EQ(transport_->sent.size(), 2u);
  EXPECT_EQ(transport_->sent[1].headers.Get("X-Amz-Date"), FormatAmzDate(server_time));
  EXPECT_TRUE(sleeper_->sleeps.empty());
  EXPECT_EQ(client->clock_skew(), std::chrono::hours(1));
}

TEST_F(AwsClientTest, InvalidInputIsRefusedBeforeSending) {
  auto client = MakeClient("iam");
  auto out = client->Call("CreateRole", Json{{"RoleName", 5}, {"Bogus", true}});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code(), "ParamValidation");
  const std::string& m = out.error().message();
  EXPECT_NE(m.find("AssumeRolePolicyDocument is required"), std::string::npos) << m;
  EXPECT_NE(m.find("RoleName expected a string"), std::string::npos) << m;
  EXPECT_NE(m.find("Bogus is not a parameter"), std::string::npos) << m;
  EXPECT_TRUE(transport_->sent.empty());
  EXPECT_EQ(client->Call("NoSuchOperation").error().code(), "UnknownOperation");
}

TEST_F(AwsClientTest, PagesFollowNextTokenUntilItIsGone) {
  auto client = MakeClient("glue");
  transport_->Push(200, R"({"DatabaseList": [{"Name": "a"}], "NextToken": "t1"})");
  transport_->Push(200, R"({"DatabaseList": [{"Name": "b"}, {"Name": "c"}], "NextToken": "t2"})");
  transport_->Push(200, R"({"DatabaseList": [{"Name": "d"}]})");
  auto out = client->CallAllPages("GetDatabases", Json::object());
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  EXPECT_EQ((*out)["DatabaseList"].size(), 4u);
  EXPECT_FALSE(out->contains("NextToken"));
  EXPECT_EQ(Json::parse(transport_->sent[1].body)["NextToken"], "t1");
  EXPECT_EQ(Json::parse(transport_->sent[2].body)["NextToken"], "t2");
}

TEST_F(AwsClientTest, IamPagesStopWhenNotTruncated) {
  auto client = MakeClient("iam");
  auto page = [](const std::string& version, bool truncated, const std::string& marker) {
    return "<ListPolicyVersionsResponse><ListPolicyVersionsResult><Versions><member><VersionId>" + version +
           "</VersionId><IsDefaultVersion>false</IsDefaultVersion></member></Versions><IsTruncated>" +
           (truncated ? "true" : "false") + "</IsTruncated>" +
           (marker.empty() ? "" : "<Marker>" + marker + "</Marker>") +
           "</ListPolicyVersionsResult></ListPolicyVersionsResponse>";
  };
  transport_->Push(200, page("v1", true, "m1"));
  transport_->Push(200, page("v2", false, ""));
  auto out = client->CallAllPages("ListPolicyVersions", Json{{"PolicyArn", "arn:aws:iam::1:policy/p"}});
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  EXPECT_EQ((*out)["Versions"].size(), 2u);
  EXPECT_EQ((*out)["Versions"][1]["VersionId"], "v2");
  EXPECT_NE(transport_->sent[1].body.find("Marker=m1"), std::string::npos);
}

TEST_F(AwsClientTest, DynamoDbPagesFollowLastEvaluatedKeyAndAddCounts) {
  auto client = MakeClient("dynamodb");
  transport_->Push(200, R"({"Items": [{"k": {"S": "1"}}], "Count": 1, "ScannedCount": 2,
                            "LastEvaluatedKey": {"k": {"S": "1"}}})");
  transport_->Push(200, R"({"Items": [{"k": {"S": "2"}}], "Count": 1, "ScannedCount": 1})");
  auto out = client->CallAllPages("Scan", Json{{"TableName", "tbl"}});
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  EXPECT_EQ((*out)["Items"].size(), 2u);
  EXPECT_EQ((*out)["Count"], 2);
  EXPECT_EQ((*out)["ScannedCount"], 3);
  EXPECT_EQ(Json::parse(transport_->sent[1].body)["ExclusiveStartKey"], (Json{{"k", {{"S", "1"}}}}));
}

TEST_F(AwsClientTest, RepeatedPageTokenIsAnErrorNotALoop) {
  auto client = MakeClient("glue");
  transport_->Push(200, R"({"DatabaseList": [], "NextToken": "same"})");
  transport_->Push(200, R"({"DatabaseList": [], "NextToken": "same"})");
  auto out = client->CallAllPages("GetDatabases", Json::object());
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code(), "PaginationLoop");
}

TEST_F(AwsClientTest, S3UsesVirtualHostsOnAwsAndUnsignedPathNormalization) {
  auto client = MakeClient("s3");
  transport_->Push(200, "");
  ASSERT_TRUE(client->Call("HeadBucket", Json{{"Bucket", "my-bucket"}}).ok());
  const HttpRequest& r = transport_->sent[0];
  EXPECT_EQ(r.endpoint.host, "my-bucket.s3.eu-west-1.amazonaws.com");
  EXPECT_EQ(r.path, "/");
  EXPECT_TRUE(r.headers.Has("x-amz-content-sha256"));
}


// The retry mode, as the AWS CLI reads it: AWS_RETRY_MODE, else the caller's default; only
// standard, adaptive and legacy are modes (AWS SDKs and Tools Reference Guide, retry behavior).
// In the adaptive mode a throttle on one client makes every client of the session wait its turn.
TEST(RetryModeTest, AThrottleInTheAdaptiveModeSlowsEveryClientOfTheSession) {
  auto transport = std::make_shared<FakeTransport>();
  auto clock = std::make_shared<FakeClock>();
  auto sleeper = std::make_shared<RecordingSleeper>();
  auto session_with = [&](Environment env, std::optional<std::string> default_mode) {
    SessionOptions o;
    o.region = "eu-west-1";
    o.environment = std::move(env);
    Credentials c;
    c.access_key_id = "AKID";
    c.secret_access_key = "SECRET";
    o.credentials = c;
    o.transport = transport;
    o.clock = clock;
    o.sleeper = sleeper;
    o.random = std::make_shared<FixedRandom>(0.0);  // no backoff sleeps: only the limiter's count
    o.default_retry_mode = default_mode;
    return AwsSession::Create(o);
  };
  EXPECT_EQ(session_with(Environment{{"AWS_RETRY_MODE", "fast"}}, std::nullopt).error().code(), "InvalidConfig");

  auto session = session_with(Environment{{"HOME", "/nonexistent"}}, "adaptive");
  ASSERT_TRUE(session.ok()) << session.error().ToString();
  auto sts = *(*session)->Client("sts");
  auto iam = *(*session)->Client("iam");
  const std::string iam_answer =
      "<GetUserResponse><GetUserResult><User><Path>/</Path><UserName>u</UserName><UserId>AIDA1234567890</UserId>"
      "<Arn>arn:aws:iam::111122223333:user/u</Arn><CreateDate>2026-01-01T00:00:00Z</CreateDate></User></GetUserResult>"
      "</GetUserResponse>";
  // Twenty quick successes, then STS throttles once.
  for (int i = 0; i < 20; ++i) {
    transport->Push(200, kIdentity);
    ASSERT_TRUE(sts->Call("GetCallerIdentity").ok());
    clock->Advance(Millis(50));
  }
  EXPECT_TRUE(sleeper->sleeps.empty());
  transport->Push(400, kThrottle);
  transport->Push(200, kIdentity);
  ASSERT_TRUE(sts->Call("GetCallerIdentity").ok());
  // IAM, which was never throttled, now waits for the session's tokens.
  for (int i = 0; i < 20; ++i) {
    transport->Push(200, iam_answer);
    ASSERT_TRUE(iam->Call("GetUser", {{"UserName", "u"}}).ok());
  }
  Millis waited{0};
  for (auto s : sleeper->sleeps) waited += s;
  EXPECT_GT(waited, Millis(500));

  // The standard mode (the default without one) has no limiter: the same throttle slows nothing.
  auto standard = session_with(Environment{{"HOME", "/nonexistent"}}, std::nullopt);
  ASSERT_TRUE(standard.ok());
  sleeper->sleeps.clear();
  auto sts2 = *(*standard)->Client("sts");
  transport->Push(400, kThrottle);
  transport->Push(200, kIdentity);
  ASSERT_TRUE(sts2->Call("GetCallerIdentity").ok());
  for (int i = 0; i < 20; ++i) {
    transport->Push(200, kIdentity);
    ASSERT_TRUE(sts2->Call("GetCallerIdentity").ok());
  }
  for (auto s : sleeper->sleeps) EXPECT_EQ(s, Millis(0));
}

}  // namespace
}  // namespace datamesh::aws
