#include "aws/config/endpoint_resolver.h"

#include <gtest/gtest.h>

namespace datamesh::aws {
namespace {

std::string Url(const std::string& service, const std::string& region, Environment env = {},
                IniSection profile = {}, const SharedConfig* config = nullptr,
                std::optional<std::string> explicit_url = std::nullopt) {
  auto r = ResolveEndpoint(service, region, explicit_url, env, profile, config);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message());
  return r.ok() ? r->endpoint.ToString() : "";
}

TEST(EndpointResolverTest, RealEndpointsOfTheAwsPartition) {
  EXPECT_EQ(Url("iam", "eu-west-1"), "https://iam.amazonaws.com");
  EXPECT_EQ(Url("sts", "eu-west-1"), "https://sts.eu-west-1.amazonaws.com");
  EXPECT_EQ(Url("glue", "us-east-2"), "https://glue.us-east-2.amazonaws.com");
  EXPECT_EQ(Url("lakeformation", "us-west-2"), "https://lakeformation.us-west-2.amazonaws.com");
  EXPECT_EQ(Url("ram", "ap-south-1"), "https://ram.ap-south-1.amazonaws.com");
  EXPECT_EQ(Url("dynamodb", "eu-central-1"), "https://dynamodb.eu-central-1.amazonaws.com");
  EXPECT_EQ(Url("s3", "us-east-1"), "https://s3.us-east-1.amazonaws.com");
}

TEST(EndpointResolverTest, IamIsSignedForUsEast1) {
  auto r = ResolveEndpoint("iam", "eu-west-1", std::nullopt, {}, {}, nullptr);
  EXPECT_EQ(r->signing_region, "us-east-1");
  auto s = ResolveEndpoint("sts", "eu-west-1", std::nullopt, {}, {}, nullptr);
  EXPECT_EQ(s->signing_region, "eu-west-1");
}

TEST(EndpointResolverTest, OverridesInPrecedenceOrder) {
  auto config = SharedConfig::FromText("[services local]\nsts =\n  endpoint_url = http://services:1\n", "");
  IniSection profile = {{"services", "local"}, {"endpoint_url", "http://profile:2"}};
  Environment env({{"AWS_ENDPOINT_URL_STS", "http://sts-env:3"}, {"AWS_ENDPOINT_URL", "http://env:4"}});
  EXPECT_EQ(Url("sts", "us-east-1", env, profile, &*config, "http://flag:5"), "http://flag:5");
  EXPECT_EQ(Url("sts", "us-east-1", env, profile, &*config), "http://sts-env:3");
  EXPECT_EQ(Url("glue", "us-east-1", env, profile, &*config), "http://env:4");
  EXPECT_EQ(Url("sts", "us-east-1", {}, profile, &*config), "http://services:1");
  EXPECT_EQ(Url("glue", "us-east-1", {}, profile, &*config), "http://profile:2");
}

TEST(EndpointResolverTest, IgnoreConfiguredEndpointsKeepsOnlyTheExplicitOne) {
  Environment env({{"AWS_ENDPOINT_URL", "http://env:4"}, {"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"}});
  EXPECT_EQ(Url("sts", "us-east-1", env), "https://sts.us-east-1.amazonaws.com");
  EXPECT_EQ(Url("sts", "us-east-1", env, {}, nullptr, "http://flag:5"), "http://flag:5");
}

TEST(EndpointResolverTest, BadUrlsAndRegionsAreNamed) {
  auto r = ResolveEndpoint("sts", "us-east-1", std::string("ftp://x"), {}, {}, nullptr);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("ftp://x"), std::string::npos);
  EXPECT_NE(r.error().message().find("--endpoint-url"), std::string::npos);
  EXPECT_FALSE(ResolveEndpoint("sts", "evil.com/x", std::nullopt, {}, {}, nullptr).ok());
  EXPECT_FALSE(ResolveEndpoint("sts", "us-east-1", std::string("http://h:99999"), {}, {}, nullptr).ok());
}

TEST(EndpointTest, ParsesPortsPathsAndIpv6) {
  auto e = Endpoint::Parse("http://127.0.0.1:4566/base/");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->host, "127.0.0.1");
  EXPECT_EQ(e->port, 4566);
  EXPECT_EQ(e->base_path, "/base");
  EXPECT_EQ(e->Authority(), "127.0.0.1:4566");
  EXPECT_EQ(Endpoint::Parse("https://[::1]:8443")->Authority(), "[::1]:8443");
  EXPECT_EQ(Endpoint::Parse("https://h:443")->Authority(), "h");
  EXPECT_FALSE(Endpoint::Parse("http://h?x=1").ok());
}

}  // namespace
}  // namespace datamesh::aws
