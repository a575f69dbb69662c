#include "aws/config/shared_config.h"

#include <gtest/gtest.h>

namespace datamesh::aws {
namespace {

TEST(IniFileTest, ParsesSectionsCommentsAndNestedSettings) {
  auto ini = ParseIni(
      "# comment\n[default]\nregion = eu-west-1\n; another\n[services local]\nsts =\n  endpoint_url = "
      "http://localhost:4566\n  other = x\nglue = y\n",
      "cfg");
  ASSERT_TRUE(ini.ok()) << ini.error().message();
  EXPECT_EQ((*ini)["default"]["region"], "eu-west-1");
  EXPECT_EQ((*ini)["services local"]["sts.endpoint_url"], "http://localhost:4566");
  EXPECT_EQ((*ini)["services local"]["sts.other"], "x");
  EXPECT_EQ((*ini)["services local"]["glue"], "y");
}

TEST(IniFileTest, MalformedLinesNameTheFileAndLine) {
  auto ini = ParseIni("[default]\nregion eu-west-1\n", "/home/me/.aws/config");
  ASSERT_FALSE(ini.ok());
  EXPECT_NE(ini.error().message().find("/home/me/.aws/config line 2"), std::string::npos);
  EXPECT_FALSE(ParseIni("key = v\n", "f").ok());
  EXPECT_FALSE(ParseIni("[unterminated\n", "f").ok());
}

TEST(SharedConfigTest, MergesBothFilesCredentialsWinning) {
  auto c = SharedConfig::FromText("[profile dev]\nregion = eu-west-1\naws_access_key_id = FROMCONFIG\n",
                                  "[dev]\naws_access_key_id = FROMCREDS\naws_secret_access_key = s\n");
  ASSERT_TRUE(c.ok());
  auto p = c->Profile("dev");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ((*p)["region"], "eu-west-1");
  EXPECT_EQ((*p)["aws_access_key_id"], "FROMCREDS");
  EXPECT_FALSE(c->Profile("prod").has_value());
}

TEST(SharedConfigTest, DefaultProfileMayBeWrittenEitherWay) {
  auto a = SharedConfig::FromText("[default]\nregion = a\n", "");
  auto b = SharedConfig::FromText("[profile default]\nregion = b\n", "");
  EXPECT_EQ((*a->Profile("default"))["region"], "a");
  EXPECT_EQ((*b->Profile("default"))["region"], "b");
  // A plain [dev] in the config file is not profile dev.
  auto c = SharedConfig::FromText("[dev]\nregion = c\n", "");
  EXPECT_FALSE(c->Profile("dev").has_value());
}

TEST(SharedConfigTest, SelectedProfileFollowsPrecedence) {
  Environment env({{"AWS_PROFILE", "fromenv"}, {"AWS_DEFAULT_PROFILE", "legacy"}});
  EXPECT_EQ(SelectedProfile(env, std::string("flag")), "flag");
  EXPECT_EQ(SelectedProfile(env, std::nullopt), "fromenv");
  EXPECT_EQ(SelectedProfile(Environment({{"AWS_DEFAULT_PROFILE", "legacy"}}), std::nullopt), "legacy");
  EXPECT_EQ(SelectedProfile(Environment(), std::nullopt), "default");
}

}  // namespace
}  // namespace datamesh::aws
