// Parsing responses and errors of each protocol, from bodies shaped like the services' own.
// (Request serialization is cross-checked against botocore in test_codec_botocore_crosscheck.py.)
#include "aws/protocol/protocol_codec.h"

#include <gtest/gtest.h>

#include "aws/protocol/query_codec.h"

namespace datamesh::aws {
namespace {

HttpResponse Response(int status, std::string body, Headers headers = {}) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  r.headers = std::move(headers);
  return r;
}

Outcome<Json> Parse(const std::string& service, const std::string& op, const HttpResponse& r) {
  const ServiceModel* m = ServiceModel::Get(service);
  return ProtocolCodec::For(m->protocol())->ParseResponse(*m, op, r);
}

Error ParseError(const std::string& service, const HttpResponse& r) {
  const ServiceModel* m = ServiceModel::Get(service);
  return ProtocolCodec::For(m->protocol())->ParseError(r);
}

TEST(ServiceModelTest, EmbedsEveryServiceWithItsProtocol) {
  EXPECT_EQ(ServiceModel::Get("iam")->protocol(), "query");
  EXPECT_EQ(ServiceModel::Get("sts")->protocol(), "query");
  EXPECT_EQ(ServiceModel::Get("glue")->protocol(), "json");
  EXPECT_EQ(ServiceModel::Get("glue")->target_prefix(), "AWSGlue");
  EXPECT_EQ(ServiceModel::Get("dynamodb")->json_version(), "1.0");
  EXPECT_EQ(ServiceModel::Get("lakeformation")->protocol(), "rest-json");
  EXPECT_EQ(ServiceModel::Get("ram")->protocol(), "rest-json");
  EXPECT_EQ(ServiceModel::Get("s3")->protocol(), "rest-xml");
  EXPECT_EQ(ServiceModel::Get("nope"), nullptr);
  EXPECT_EQ(ServiceModel::Get("dynamodbstreams")->target_prefix(), "DynamoDBStreams_20120810");
  EXPECT_EQ(ServiceModel::Get("dynamodbstreams")->signing_name(), "dynamodb");
  EXPECT_EQ(ServiceModel::Get("iam")->OperationNames().size(), 26u);
}

TEST(QueryCodecTest, ParsesNestedListsAndTimestampsOfIamGetRole) {
  auto out = Parse("iam", "GetRole", Response(200, R"(<GetRoleResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
  <GetRoleResult><Role>
    <Path>/AwsDataMesh/</Path><RoleName>DataMeshManager</RoleName><RoleId>AROA1</RoleId>
    <Arn>arn:aws:iam::123456789012:role/AwsDataMesh/DataMeshManager</Arn>
    <CreateDate>2026-11-22T09:00:00Z</CreateDate>
    <AssumeRolePolicyDocument>%7B%22Version%22%3A%222012-10-17%22%7D</AssumeRolePolicyDocument>
    <MaxSessionDuration>3600</MaxSessionDuration>
    <Tags><member><Key>Solution</Key><Value>DataMeshUtils</Value></member></Tags>
  </Role></GetRoleResult>
  <ResponseMetadata><RequestId>abc</RequestId></ResponseMetadata></GetRoleResponse>)"));
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  const Json& role = (*out)["Role"];
  EXPECT_EQ(role["Path"], "/AwsDataMesh/");
  EXPECT_EQ(role["CreateDate"], "2026-11-22T09:00:00Z");
  EXPECT_EQ(role["MaxSessionDuration"], 3600);
  EXPECT_EQ(role["Tags"], (Json::array({{{"Key", "Solution"}, {"Value", "DataMeshUtils"}}})));
  EXPECT_EQ(role["AssumeRolePolicyDocument"], "%7B%22Version%22%3A%222012-10-17%22%7D");
}

TEST(QueryCodecTest, ParsesErrorResponses) {
  Error e = ParseError("iam", Response(404, R"(<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
  <Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>The role with name X cannot be found.</Message></Error>
  <RequestId>req-1</RequestId></ErrorResponse>)"));
  EXPECT_EQ(e.code(), "NoSuchEntity");
  EXPECT_EQ(e.message(), "The role with name X cannot be found.");
  EXPECT_EQ(e.request_id(), "req-1");
  EXPECT_EQ(e.http_status(), 404);
  EXPECT_EQ(e.kind(), ErrorKind::kClient);
}

TEST(QueryCodecTest, UnreadableBodiesFallBackOnTheStatus) {
  Error e = ParseError("sts", Response(503, "<html>bad gateway</html"));
  EXPECT_EQ(e.http_status(), 503);
  EXPECT_TRUE(e.retryable());
}

TEST(QueryCodecTest, FlattensListsMapsAndStructures) {
  const ServiceModel* iam = ServiceModel::Get("iam");
  auto req = QueryCodec().SerializeRequest(
      *iam, "CreateRole",
      Json{{"RoleName", "R"}, {"Path", "/AwsDataMesh/"}, {"AssumeRolePolicyDocument", "{\"a\": 1}"},
           {"Tags", Json::array({{{"Key", "Solution"}, {"Value", "DataMeshUtils"}}})}});
  ASSERT_TRUE(req.ok());
  EXPECT_EQ(req->method, "POST");
  EXPECT_EQ(req->body,
            "Action=CreateRole&Version=2010-05-08&AssumeRolePolicyDocument=%7B%22a%22%3A%201%7D&"
            "Path=%2FAwsDataMesh%2F&RoleName=R&Tags.member.1.Key=Solution&Tags.member.1.Value=DataMeshUtils");
}

TEST(JsonCodecTest, ConvertsEpochTimestampsToIso) {
  auto out = Parse("glue", "GetDatabase", Response(200, R"({"Database": {"Name": "sales", "CreateTime": 1.7636e9,
      "Parameters": {"k": "v"}, "CatalogId": "123456789012", "Unknown": 5}})"));
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  EXPECT_EQ((*out)["Database"]["CreateTime"], "2025-11-20T00:53:20Z");
  EXPECT_EQ((*out)["Database"]["Parameters"]["k"], "v");
  EXPECT_FALSE((*out)["Database"].contains("Unknown"));
}

TEST(JsonCodecTest, PassesDynamoDbAttributeValuesThrough) {
  auto out = Parse("dynamodb", "GetItem", Response(200, R"({"Item": {"id": {"S": "a"}, "n": {"N": "12345678901234567890123456789012345678"},
      "l": {"L": [{"BOOL": true}, {"NULL": true}]}, "ss": {"SS": ["x", "y"]}}})"));
  ASSERT_TRUE(out.ok());
  EXPECT_EQ((*out)["Item"]["n"]["N"], "12345678901234567890123456789012345678");
  EXPECT_EQ((*out)["Item"]["l"]["L"][0]["BOOL"], true);
}

TEST(JsonCodecTest, ErrorCodesLoseTheirNamespace) {
  Error e = ParseError("dynamodb", Response(400, R"({"__type": "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException",
      "message": "The conditional request failed"})"));
  EXPECT_EQ(e.code(), "ConditionalCheckFailedException");
  EXPECT_EQ(e.message(), "The conditional request failed");
  Error t = ParseError("dynamodb", Response(400, R"({"__type": "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException"})"));
  EXPECT_TRUE(t.throttling());
  Headers h;
  h.Add("x-amzn-RequestId", "rid");
  Error g = ParseError("glue", Response(400, R"({"__type": "EntityNotFoundException", "Message": "Database x not found."})", h));
  EXPECT_EQ(g.code(), "EntityNotFoundException");
  EXPECT_EQ(g.message(), "Database x not found.");
  EXPECT_EQ(g.request_id(), "rid");
}

TEST(RestJsonCodecTest, ParsesLakeFormationAndRamOutputs) {
  auto lf = Parse("lakeformation", "ListPermissions", Response(200, R"({"PrincipalResourcePermissions": [
      {"Principal": {"DataLakePrincipalIdentifier": "111122223333"},
       "Resource": {"Table": {"DatabaseName": "db", "Name": "t", "CatalogId": "123456789012"}},
       "Permissions": ["SELECT"], "PermissionsWithGrantOption": ["SELECT"],
       "AdditionalDetails": {"ResourceShare": ["arn:aws:ram:us-east-1:123456789012:resource-share/x"]}}]})"));
  ASSERT_TRUE(lf.ok()) << lf.error().ToString();
  EXPECT_EQ((*lf)["PrincipalResourcePermissions"][0]["AdditionalDetails"]["ResourceShare"][0],
            "arn:aws:ram:us-east-1:123456789012:resource-share/x");
  auto ram = Parse("ram", "GetResourceShareInvitations", Response(200, R"({"resourceShareInvitations": [
      {"resourceShareInvitationArn": "arn:i", "status": "PENDING", "invitationTimestamp": 1700000000}]})"));
  ASSERT_TRUE(ram.ok());
  EXPECT_EQ((*ram)["resourceShareInvitations"][0]["invitationTimestamp"], "2023-11-14T22:13:20Z");
}

// A field the model does not know (AWS adds members to outputs over time) is read past, never a
// fault: reading it once indexed the model's members with a missing key (found by fuzzing).
TEST(RestJsonCodecTest, AnOutputMemberTheModelDoesNotKnowIsNoFault) {
  auto lf = Parse("lakeformation", "ListPermissions", Response(200, R"({"PrincipalResourcePermissions": [],
      "SomethingNewer": {"x": 1}, "NextToken": "t"})"));
  ASSERT_TRUE(lf.ok()) << lf.error().ToString();
  EXPECT_EQ((*lf)["NextToken"], "t");
}

TEST(RestJsonCodecTest, ErrorTypeHeaderWins) {
  Headers h;
  h.Add("x-amzn-ErrorType", "UnknownResourceException:http://internal.amazon.com/coral/com.amazonaws.ram/");
  Error e = ParseError("ram", Response(400, R"({"message": "invitation not found"})", h));
  EXPECT_EQ(e.code(), "UnknownResourceException");
  EXPECT_EQ(e.message(), "invitation not found");
  Error lf = ParseError("lakeformation", Response(400, R"({"__type": "AccessDeniedException", "Message": "no"})"));
  EXPECT_EQ(lf.code(), "AccessDeniedException");
}

TEST(RestXmlCodecTest, S3BodiesAndHeaders) {
  auto policy = Parse("s3", "GetBucketPolicy", Response(200, R"({"Version":"2012-10-17","Statement":[]})"));
  ASSERT_TRUE(policy.ok());
  EXPECT_EQ((*policy)["Policy"], R"({"Version":"2012-10-17","Statement":[]})");
  Headers h;
  h.Add("Location", "/my-bucket");
  auto created = Parse("s3", "CreateBucket", Response(200, "", h));
  EXPECT_EQ((*created)["Location"], "/my-bucket");
}

TEST(RestXmlCodecTest, S3ErrorsWithAndWithoutBodies) {
  Error e = ParseError("s3", Response(404, R"(<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>NoSuchBucketPolicy</Code><Message>The bucket policy does not exist</Message><BucketName>b</BucketName><RequestId>R1</RequestId></Error>)"));
  EXPECT_EQ(e.code(), "NoSuchBucketPolicy");
  EXPECT_EQ(e.request_id(), "R1");
  Error head = ParseError("s3", Response(404, ""));
  EXPECT_EQ(head.code(), "404");
  EXPECT_EQ(head.message(), "Not Found");
  Error slow = ParseError("s3", Response(503, "<Error><Code>SlowDown</Code><Message>Reduce your request rate.</Message></Error>"));
  EXPECT_TRUE(slow.throttling());
}

TEST(RestXmlCodecTest, PutBucketPolicySendsTheRawPolicyWithItsMd5) {
  const ServiceModel* s3 = ServiceModel::Get("s3");
  auto req = ProtocolCodec::For("rest-xml")->SerializeRequest(*s3, "PutBucketPolicy",
                                                              Json{{"Bucket", "b"}, {"Policy", "{}"}});
  ASSERT_TRUE(req.ok());
  EXPECT_EQ(req->method, "PUT");
  EXPECT_EQ(req->path, "/b");
  ASSERT_EQ(req->query.size(), 1u);
  EXPECT_EQ(req->query[0].first, "policy");
  EXPECT_EQ(req->body, "{}");
  EXPECT_EQ(req->headers.Get("Content-MD5"), "mZFLkyvTelC5g8XnyQrpOw==");
}

}  // namespace
}  // namespace datamesh::aws
