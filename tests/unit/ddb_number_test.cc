#include "local/dynamodb/ddb_number.h"

#include <gtest/gtest.h>

namespace datamesh::local::ddb {
namespace {

std::string Canon(const std::string& s) { return Number::Parse(s)->ToString(); }

TEST(DdbNumberTest, CanonicalForms) {
  EXPECT_EQ(Canon("1.50"), "1.5");
  EXPECT_EQ(Canon("-0.0"), "0");
  EXPECT_EQ(Canon("007"), "7");
  EXPECT_EQ(Canon("1e2"), "100");
  EXPECT_EQ(Canon("1.25E-3"), "0.00125");
  EXPECT_EQ(Canon("+12.5e1"), "125");
  EXPECT_EQ(Canon("1E125"), "1" + std::string(125, '0'));
}

TEST(DdbNumberTest, RejectsWhatDynamoDbRejects) {
  for (const char* bad : {"", "abc", "1.2.3", "1e", "--1", "1e+", ".", "1 "}) {
    EXPECT_FALSE(Number::Parse(bad).ok()) << bad;
  }
  EXPECT_FALSE(Number::Parse(std::string(39, '9')).ok());   // 39 significant digits
  EXPECT_TRUE(Number::Parse(std::string(38, '9')).ok());
  EXPECT_FALSE(Number::Parse("1E126").ok());                // overflow
  EXPECT_FALSE(Number::Parse("1E-131").ok());               // underflow
  EXPECT_TRUE(Number::Parse("1E-130").ok());
  EXPECT_NE(Number::Parse("1E126").error().message().find("overflow"), std::string::npos);
}

TEST(DdbNumberTest, ComparesNumerically) {
  auto cmp = [](const char* a, const char* b) { return Number::Parse(a)->Compare(*Number::Parse(b)); };
  EXPECT_EQ(cmp("10", "9"), 1);
  EXPECT_EQ(cmp("-10", "-9"), -1);
  EXPECT_EQ(cmp("1.5", "1.50"), 0);
  EXPECT_EQ(cmp("0", "-0.001"), 1);
  EXPECT_EQ(cmp("0.001", "0.0009"), 1);
  EXPECT_EQ(cmp("1e10", "9999999999"), 1);
}

TEST(DdbNumberTest, AddsAndSubtractsExactly) {
  auto add = [](const char* a, const char* b) { return Number::Parse(a)->Add(*Number::Parse(b))->ToString(); };
  auto sub = [](const char* a, const char* b) { return Number::Parse(a)->Subtract(*Number::Parse(b))->ToString(); };
  EXPECT_EQ(add("0.1", "0.2"), "0.3");
  EXPECT_EQ(add("-5", "3"), "-2");
  EXPECT_EQ(add("5", "-5"), "0");
  EXPECT_EQ(sub("1", "0.0001"), "0.9999");
  EXPECT_EQ(add(std::string(38, '9').c_str(), "1"), "1" + std::string(38, '0'));
  EXPECT_FALSE(Number::Parse(std::string(38, '9'))->Add(*Number::Parse("0.1")).ok());
  EXPECT_EQ(add("12345678901234567890.5", "0.5"), "12345678901234567891");
}

}  // namespace
}  // namespace datamesh::local::ddb
