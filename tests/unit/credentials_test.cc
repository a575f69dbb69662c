#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "aws/auth/environment_credentials_provider.h"
#include "aws/auth/process_credentials_provider.h"
#include "aws/auth/profile_credentials_provider.h"
#include "aws/core/time_format.h"
#include "fake_transport.h"

namespace datamesh::aws {
namespace {

using testing::FakeClock;

std::shared_ptr<const SharedConfig> Config(const std::string& config, const std::string& credentials = "") {
  auto c = SharedConfig::FromText(config, credentials);
  EXPECT_TRUE(c.ok());
  return std::make_shared<SharedConfig>(*c);
}

// An AssumeRole stand-in that records who called it and hands out numbered temporary keys.
struct FakeAssumeRole {
  std::vector<std::pair<std::string, Json>> calls;  // (source key, input)
  int expires_in_seconds = 3600;
  std::shared_ptr<FakeClock> clock;

  AssumeRoleCall Call() {
    return [this](const Credentials& source, const Json& input) -> Outcome<Json> {
      calls.emplace_back(source.access_key_id, input);
      auto exp = clock->Now() + std::chrono::seconds(expires_in_seconds);
      std::string n = std::to_string(calls.size());
      return Json{{"Credentials",
                   {{"AccessKeyId", "ASIATEMP" + n}, {"SecretAccessKey", "secret" + n},
                    {"SessionToken", "token" + n}, {"Expiration", FormatIso8601(exp)}}},
                  {"AssumedRoleUser", {{"Arn", "arn:aws:sts::999988887777:assumed-role/R/s"}}}};
    };
  }
};

TEST(EnvironmentCredentialsTest, ReadsKeysAndToken) {
  EnvironmentCredentialsProvider p(Environment(
      {{"AWS_ACCESS_KEY_ID", "AK"}, {"AWS_SECRET_ACCESS_KEY", "SK"}, {"AWS_SESSION_TOKEN", "T"}}));
  auto c = p.GetCredentials();
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->access_key_id, "AK");
  EXPECT_EQ(c->session_token, "T");
}

TEST(EnvironmentCredentialsTest, HalfAPairIsAnError) {
  EnvironmentCredentialsProvider p(Environment({{"AWS_ACCESS_KEY_ID", "AK"}}));
  auto c = p.Resolve();
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message().find("AWS_SECRET_ACCESS_KEY"), std::string::npos);
}

TEST(EnvironmentCredentialsTest, NothingMeansTryTheNext) {
  EnvironmentCredentialsProvider p{Environment()};
  auto c = p.Resolve();
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(c->has_value());
}

TEST(ChainCredentialsTest, FirstSourceWithCredentialsWinsAndAbsenceListsEverySource) {
  auto empty = std::make_shared<EnvironmentCredentialsProvider>(Environment());
  Credentials k;
  k.access_key_id = "A";
  k.secret_access_key = "B";
  ChainCredentialsProvider chain({empty, std::make_shared<StaticCredentialsProvider>(k)});
  EXPECT_EQ(chain.GetCredentials()->access_key_id, "A");

  auto clock = std::make_shared<FakeClock>();
  FakeAssumeRole sts{{}, 3600, clock};
  ChainCredentialsProvider none(
      {empty, std::make_shared<ProfileCredentialsProvider>(Config(""), "default", false, Environment(),
                                                           sts.Call(), clock)});
  auto c = none.GetCredentials();
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code(), "NoCredentials");
  EXPECT_NE(c.error().message().find("AWS_ACCESS_KEY_ID"), std::string::npos);
  EXPECT_NE(c.error().message().find("profile 'default' in <credentials> and <config>"), std::string::npos);
}

class ProfileCredentialsTest : public ::testing::Test {
 protected:
  Outcome<Credentials> Get(const std::string& config, const std::string& creds, const std::string& profile,
                           Environment env = {}) {
    provider_ = std::make_shared<ProfileCredentialsProvider>(Config(config, creds), profile, true, env,
                                                             sts_.Call(), clock_);
    return provider_->GetCredentials();
  }
  std::shared_ptr<FakeClock> clock_ = std::make_shared<FakeClock>();
  FakeAssumeRole sts_{{}, 3600, clock_};
  std::shared_ptr<ProfileCredentialsProvider> provider_;
};

TEST_F(ProfileCredentialsTest, StaticKeys) {
  auto c = Get("", "[p]\naws_access_key_id = AK\naws_secret_access_key = SK\naws_session_token = T\n", "p");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->access_key_id, "AK");
  EXPECT_EQ(c->session_token, "T");
}

TEST_F(ProfileCredentialsTest, AssumeRoleWithSourceProfilePassesEverySetting) {
  auto c = Get("[profile r]\nrole_arn = arn:aws:iam::999988887777:role/R\nsource_profile = base\n"
               "role_session_name = sess\nexternal_id = ext\nduration_seconds = 900\n",
               "[base]\naws_access_key_id = BASEKEY\naws_secret_access_key = S\n", "r");
  ASSERT_TRUE(c.ok()) << c.error().message();
  EXPECT_EQ(c->access_key_id, "ASIATEMP1");
  EXPECT_EQ(c->session_token, "token1");
  EXPECT_EQ(c->account_id, "999988887777");
  ASSERT_EQ(sts_.calls.size(), 1u);
  EXPECT_EQ(sts_.calls[0].first, "BASEKEY");
  EXPECT_EQ(sts_.calls[0].second,
            (Json{{"RoleArn", "arn:aws:iam::999988887777:role/R"}, {"RoleSessionName", "sess"},
                  {"ExternalId", "ext"}, {"DurationSeconds", 900}}));
}

TEST_F(ProfileCredentialsTest, TemporaryCredentialsAreCachedThenRefreshedBeforeExpiry) {
  const std::string config = "[profile r]\nrole_arn = arn:aws:iam::1:role/R\nsource_profile = b\n";
  const std::string creds = "[b]\naws_access_key_id = B\naws_secret_access_key = S\n";
  ASSERT_TRUE(Get(config, creds, "r").ok());
  EXPECT_EQ(provider_->GetCredentials()->access_key_id, "ASIATEMP1");
  clock_->Advance(std::chrono::minutes(50));  // 10 minutes left: still fresh
  EXPECT_EQ(provider_->GetCredentials()->access_key_id, "ASIATEMP1");
  clock_->Advance(std::chrono::minutes(6));  // 4 minutes left: inside the refresh window
  EXPECT_EQ(provider_->GetCredentials()->access_key_id, "ASIATEMP2");
  EXPECT_EQ(sts_.calls.size(), 2u);
}

TEST_F(ProfileCredentialsTest, RoleChainsFollowSourceProfiles) {
  auto c = Get("[profile a]\nrole_arn = arn:aws:iam::1:role/A\nsource_profile = b\n"
               "[profile b]\nrole_arn = arn:aws:iam::1:role/B\nsource_profile = c\n",
               "[c]\naws_access_key_id = C\naws_secret_access_key = S\n", "a");
  ASSERT_TRUE(c.ok());
  ASSERT_EQ(sts_.calls.size(), 2u);
  EXPECT_EQ(sts_.calls[0].first, "C");          // B assumed with C's keys
  EXPECT_EQ(sts_.calls[1].first, "ASIATEMP1");  // then A with B's temporary keys
}

TEST_F(ProfileCredentialsTest, SourceProfileLoopsAreRefused) {
  auto c = Get("[profile a]\nrole_arn = arn:aws:iam::1:role/A\nsource_profile = b\n"
               "[profile b]\nrole_arn = arn:aws:iam::1:role/B\nsource_profile = a\n", "", "a");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message().find("loops"), std::string::npos);
}

TEST_F(ProfileCredentialsTest, CredentialSourceEnvironment) {
  auto c = Get("[profile r]\nrole_arn = arn:aws:iam::1:role/R\ncredential_source = Environment\n", "", "r",
               Environment({{"AWS_ACCESS_KEY_ID", "ENVKEY"}, {"AWS_SECRET_ACCESS_KEY", "S"}}));
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(sts_.calls[0].first, "ENVKEY");
}

TEST_F(ProfileCredentialsTest, UnusableProfilesSayWhy) {
  EXPECT_EQ(Get("", "", "missing").error().code(), "ProfileNotFound");
  EXPECT_NE(Get("[profile r]\nrole_arn = x\n", "", "r").error().message().find("source_profile"),
            std::string::npos);
  EXPECT_NE(Get("[profile r]\nrole_arn = x\nsource_profile = r\nmfa_serial = m\n", "", "r")
                .error().message().find("mfa_serial"),
            std::string::npos);
  EXPECT_NE(Get("", "[p]\naws_access_key_id = A\n", "p").error().message().find("aws_secret_access_key"),
            std::string::npos);
  EXPECT_NE(Get("[profile r]\nrole_arn = x\nsource_profile = b\nduration_seconds = soon\n",
                "[b]\naws_access_key_id = B\naws_secret_access_key = S\n", "r")
                .error().message().find("duration_seconds"),
            std::string::npos);
}

TEST_F(ProfileCredentialsTest, CredentialProcess) {
  auto c = Get("[profile p]\ncredential_process = printf '{\"Version\": 1, \"AccessKeyId\": \"PK\", "
               "\"SecretAccessKey\": \"PS\", \"SessionToken\": \"PT\", \"Expiration\": \"2999-01-01T00:00:00Z\"}'\n",
               "", "p");
  ASSERT_TRUE(c.ok()) << c.error().message();
  EXPECT_EQ(c->access_key_id, "PK");
  EXPECT_EQ(c->session_token, "PT");
  ASSERT_TRUE(c->expiration.has_value());
}

TEST_F(ProfileCredentialsTest, FailingCredentialProcessReportsExitStatus) {
  auto c = Get("[profile p]\ncredential_process = sh -c 'exit 3'\n", "", "p");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message().find("exit status 3"), std::string::npos);
}

TEST(ProcessCredentialsTest, RejectsBadOutput) {
  EXPECT_FALSE(ParseProcessCredentials("not json", "x").ok());
  EXPECT_FALSE(ParseProcessCredentials(R"({"Version": 2, "AccessKeyId": "a", "SecretAccessKey": "b"})", "x").ok());
  EXPECT_FALSE(ParseProcessCredentials(R"({"Version": 1, "AccessKeyId": "a"})", "x").ok());
}

TEST(CredentialsFromJsonTest, TheSpecsObjectForm) {
  auto c = CredentialsFromJson(Json{{"AccountId", "123456789012"}, {"AccessKeyId", "A"}, {"SecretAccessKey", "S"},
                                    {"SessionToken", "T"}}, "Mesh");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->account_id, "123456789012");
  EXPECT_EQ(c->session_token, "T");
  auto bad = CredentialsFromJson(Json{{"AccountId", "12"}, {"AccessKeyId", "A"}, {"SecretAccessKey", "S"}}, "Mesh");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message().find("Mesh"), std::string::npos);
  EXPECT_FALSE(CredentialsFromJson(Json{{"AccessKeyId", "A"}}, "Mesh").ok());
  EXPECT_FALSE(CredentialsFromJson(Json::array(), "Mesh").ok());
}

}  // namespace
}  // namespace datamesh::aws
