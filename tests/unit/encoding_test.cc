#include "aws/core/encoding.h"

#include <gtest/gtest.h>

#include "aws/core/crypto.h"
#include "aws/core/time_format.h"

namespace datamesh::aws {
namespace {

TEST(EncodingTest, HexIsLowerCase) { EXPECT_EQ(HexEncode(std::string("\x00\xab\xff", 3)), "00abff"); }

TEST(EncodingTest, Base64RoundTripsBinary) {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
  for (size_t n : {0u, 1u, 2u, 3u, 4u, 255u, 256u}) {
    auto decoded = Base64Decode(Base64Encode(bytes.substr(0, n)));
    ASSERT_TRUE(decoded.has_value()) << n;
    EXPECT_EQ(*decoded, bytes.substr(0, n));
  }
}

TEST(EncodingTest, Base64RejectsGarbage) {
  EXPECT_FALSE(Base64Decode("abc").has_value());
  EXPECT_FALSE(Base64Decode("ab!=").has_value());
}

TEST(EncodingTest, UriEncodeKeepsOnlyUnreservedAndAskedFor) {
  EXPECT_EQ(UriEncode("a b/c~d+e=f"), "a%20b%2Fc~d%2Be%3Df");
  EXPECT_EQ(UriEncode("a b/c", "/"), "a%20b/c");
  EXPECT_EQ(UriEncode("\xE1\x88\xB4"), "%E1%88%B4");
}

TEST(EncodingTest, UriDecodeHandlesPlusAndBadEscapes) {
  EXPECT_EQ(UriDecode("a%20b+c"), "a b+c");
  EXPECT_EQ(UriDecode("a%20b+c", true), "a b c");
  EXPECT_EQ(UriDecode("100%"), "100%");
  EXPECT_EQ(UriDecode("%zz%4"), "%zz%4");
}

TEST(CryptoTest, KnownDigests) {
  EXPECT_EQ(HexEncode(Sha256("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Base64Encode(Md5("")), "1B2M2Y8AsgTpgAmY7PhCfg==");
  EXPECT_EQ(HexEncode(HmacSha256("key", "The quick brown fox jumps over the lazy dog")),
            "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
}

TEST(TimeFormatTest, FormatsAndParsesEveryWireForm) {
  SystemTime t = *ParseIso8601("2015-08-30T12:36:00Z");
  EXPECT_EQ(FormatAmzDate(t), "20150830T123600Z");
  EXPECT_EQ(FormatDateStamp(t), "20150830");
  EXPECT_EQ(FormatHttpDate(t), "Sun, 30 Aug 2015 12:36:00 GMT");
  EXPECT_EQ(FormatIso8601(t), "2015-08-30T12:36:00Z");
  EXPECT_EQ(*ParseHttpDate("Sun, 30 Aug 2015 12:36:00 GMT"), t);
  EXPECT_EQ(*ParseAmzDate("20150830T123600Z"), t);
  EXPECT_EQ(ToEpochSeconds(t), 1440938160.0);
}

TEST(TimeFormatTest, ParsesFractionsAndOffsets) {
  EXPECT_EQ(FormatIso8601(*ParseIso8601("2015-08-30T12:36:00.250Z")), "2015-08-30T12:36:00.250Z");
  EXPECT_EQ(FormatIso8601(*ParseIso8601("2015-08-30T14:36:00+02:00")), "2015-08-30T12:36:00Z");
  EXPECT_FALSE(ParseIso8601("2015-13-30T12:36:00Z").has_value());
  EXPECT_FALSE(ParseIso8601("yesterday").has_value());
  EXPECT_FALSE(ParseIso8601("2015-08-30T12:36:00Zjunk").has_value());
}

// The clock counts nanoseconds and ends in 2262: later times saturate (a credential_process may
// answer "9999-12-31T23:59:59Z" for credentials that do not expire), never overflow.
TEST(TimeFormatTest, TimesBeyondTheClocksRangeSaturate) {
  EXPECT_EQ(*ParseIso8601("9999-12-31T23:59:59Z"), SystemTime::max());
  EXPECT_EQ(*ParseAmzDate("99991231T235959Z"), SystemTime::max());
  EXPECT_EQ(FromEpochSeconds(1e300), SystemTime::max());
  EXPECT_EQ(FromEpochSeconds(-1e300), SystemTime::min());
  EXPECT_LT(*ParseIso8601("2261-12-31T23:59:59Z"), SystemTime::max());
}

}  // namespace
}  // namespace datamesh::aws
