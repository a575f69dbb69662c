// The DynamoDB expression engine on its own: parsing, placeholders, evaluation and updates.
#include <gtest/gtest.h>

#include "local/dynamodb/expression.h"
#include "local/dynamodb/expression_eval.h"

namespace datamesh::local::ddb {
namespace {

const Json kItem = Json::parse(R"({
  "id": {"S": "x"}, "n": {"N": "5"}, "s": {"S": "hello"}, "tags": {"SS": ["a", "b"]},
  "m": {"M": {"k": {"L": [{"N": "1"}, {"M": {"deep": {"BOOL": true}}}]}}}})");

bool Holds(const std::string& expression, const Json& values = Json(), const Json& names = Json()) {
  auto ctx = ExpressionContext::Make(names, values);
  EXPECT_TRUE(ctx.ok());
  auto c = ctx->ParseCondition(expression, "ConditionExpression");
  EXPECT_TRUE(c.ok()) << expression << ": " << c.error().message();
  return c.ok() && EvaluateCondition(*c, kItem);
}

std::string ParseError(const std::string& expression, const Json& values = Json(), const Json& names = Json()) {
  auto ctx = ExpressionContext::Make(names, values);
  if (!ctx.ok()) return ctx.error().message();
  auto c = ctx->ParseCondition(expression, "ConditionExpression");
  return c.ok() ? "" : c.error().message();
}

TEST(DdbExpressionTest, PrecedenceIsNotThenAndThenOr) {
  const Json v = {{":five", {{"N", "5"}}}, {":six", {{"N", "6"}}}};
  // OR binds loosest: (false AND true) OR true.
  EXPECT_TRUE(Holds("n = :six AND attribute_exists(s) OR n = :five", v));
  EXPECT_FALSE(Holds("n = :six AND (attribute_exists(s) OR n = :five)", v));
  EXPECT_TRUE(Holds("NOT n = :six AND NOT NOT n = :five", v));
}

TEST(DdbExpressionTest, NestedPathsAndPlaceholders) {
  EXPECT_TRUE(Holds("#m.k[1].deep = :t", {{":t", {{"BOOL", true}}}}, {{"#m", "m"}}));
  EXPECT_TRUE(Holds("attribute_not_exists(m.k[5])"));
  EXPECT_TRUE(Holds("size(m.k) = :two", {{":two", {{"N", "2"}}}}));
  EXPECT_TRUE(Holds("attribute_type(m, :t)", {{":t", {{"S", "M"}}}}));
}

TEST(DdbExpressionTest, ComparisonsAcrossTypesAreFalseNotErrors) {
  EXPECT_FALSE(Holds("s < :n", {{":n", {{"N", "1"}}}}));
  EXPECT_TRUE(Holds("s <> :n", {{":n", {{"N", "1"}}}}));
  EXPECT_TRUE(Holds("s IN (:a, :b)", {{":a", {{"N", "1"}}}, {":b", {{"S", "hello"}}}}));
}

TEST(DdbExpressionTest, ErrorsNameTheProblem) {
  EXPECT_NE(ParseError("n = :v").find("attribute value: :v"), std::string::npos);
  EXPECT_NE(ParseError("#x = :v", {{":v", {{"N", "1"}}}}).find("attribute name: #x"), std::string::npos);
  EXPECT_NE(ParseError("size = :v", {{":v", {{"N", "1"}}}}).find("reserved keyword: size"), std::string::npos);
  EXPECT_NE(ParseError("n == :v", {{":v", {{"N", "1"}}}}).find("Syntax error"), std::string::npos);
  EXPECT_NE(ParseError("n = :v AND", {{":v", {{"N", "1"}}}}).find("<EOF>"), std::string::npos);
  EXPECT_NE(ParseError("contains(:v, n)", {{":v", {{"S", "x"}}}}).find("document path"), std::string::npos);
  EXPECT_NE(ParseError("n < :set", {{":set", {{"SS", {"a"}}}}}).find("operand type"), std::string::npos);
  EXPECT_NE(ParseError("").find("can not be empty"), std::string::npos);
}

TEST(DdbExpressionTest, UnusedPlaceholdersAreReported) {
  auto ctx = ExpressionContext::Make({{"#a", "n"}, {"#b", "s"}}, {{":v", {{"N", "5"}}}});
  ASSERT_TRUE(ctx->ParseCondition("#a = :v", "ConditionExpression").ok());
  auto s = ctx->CheckAllUsed();
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message().find("#b"), std::string::npos);
}

TEST(DdbExpressionTest, UpdatesComputeFromTheOriginalItem) {
  auto ctx = ExpressionContext::Make(Json(), {{":one", {{"N", "1"}}}});
  auto actions = ctx->ParseUpdate("SET a = n + :one, b = n");
  ASSERT_TRUE(actions.ok()) << actions.error().message();
  auto out = ApplyUpdate(*actions, kItem, {"id"});
  ASSERT_TRUE(out.ok());
  EXPECT_EQ((*out)["a"], (Json{{"N", "6"}}));
  EXPECT_EQ((*out)["b"], (Json{{"N", "5"}}));
}

TEST(DdbExpressionTest, UpdateIntoMissingParentFails) {
  auto ctx = ExpressionContext::Make(Json(), {{":v", {{"N", "1"}}}});
  auto actions = ctx->ParseUpdate("SET nope.child = :v");
  ASSERT_TRUE(actions.ok());
  auto out = ApplyUpdate(*actions, kItem, {"id"});
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.error().message().find("document path provided in the update expression is invalid"), std::string::npos);
}

TEST(DdbExpressionTest, ProjectionKeepsStructure) {
  auto ctx = ExpressionContext::Make(Json(), Json());
  auto paths = ctx->ParseProjection("m.k[1].deep, s");
  ASSERT_TRUE(paths.ok());
  Json p = ProjectItem(kItem, *paths);
  EXPECT_EQ(p, Json::parse(R"({"s": {"S": "hello"}, "m": {"M": {"k": {"L": [{"M": {"deep": {"BOOL": true}}}]}}}})"));
}

}  // namespace
}  // namespace datamesh::local::ddb
