// --debug's wire log: secrets never reach it, in any wire format.
#include <gtest/gtest.h>

#include "aws/http/wire_log.h"

namespace datamesh::aws {
namespace {

TEST(WireLog, SecretsInJsonXmlAndQueryAreRedacted) {
  EXPECT_EQ(RedactSecrets(R"({"AccessKeyId":"AKIAX","SecretAccessKey":"abc/def+ghi","SessionToken": "tok\"en"})"),
            R"({"AccessKeyId":"AKIAX","SecretAccessKey":"<redacted>","SessionToken": "<redacted>"})");
  // STS AssumeRole answers in XML.
  EXPECT_EQ(RedactSecrets("<Credentials><AccessKeyId>ASIAX</AccessKeyId><SecretAccessKey>s3cr3t</SecretAccessKey>"
                          "<SessionToken>FQoG</SessionToken></Credentials>"),
            "<Credentials><AccessKeyId>ASIAX</AccessKeyId><SecretAccessKey><redacted></SecretAccessKey>"
            "<SessionToken><redacted></SessionToken></Credentials>");
  EXPECT_EQ(RedactSecrets("https://h/?X-Amz-Security-Token=abc&X-Amz-Signature=def&Action=GetCallerIdentity"),
            "https://h/?X-Amz-Security-Token=<redacted>&X-Amz-Signature=<redacted>&Action=GetCallerIdentity");
}

TEST(WireLog, OrdinaryTextIsLeftAsItIs) {
  const std::string text = R"({"DatabaseName":"sales","Tokens":["a"],"NextToken":"abc"})";
  EXPECT_EQ(RedactSecrets(text), text);
}

}  // namespace
}  // namespace datamesh::aws
