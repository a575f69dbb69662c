// JMESPath for --query: every grammar production, every built-in function and every error kind,
// with expected values from the specification (https://jmespath.org/specification.html) and,
// where it leaves room, from the Python implementation the AWS CLI uses.
#include "cli/query/jmespath.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "cli/query/json_text.h"

namespace datamesh::cli::query {
namespace {

using nlohmann::json;

// The result of `expression` on `data`; a failed compile or evaluation fails the test.
json Search(const std::string& expression, const json& data = json()) {
  auto compiled = Compile(expression);
  EXPECT_TRUE(compiled.ok()) << expression << ": " << compiled.error().message();
  if (!compiled.ok()) return "<syntax error>";
  auto result = Evaluate(*compiled, data);
  EXPECT_TRUE(result.ok()) << expression << ": " << result.error().message();
  return result.ok() ? *result : json("<runtime error>");
}

// The code of the error `expression` fails with on `data`, or "" if it succeeds.
std::string ErrorOf(const std::string& expression, const json& data = json()) {
  auto compiled = Compile(expression);
  if (!compiled.ok()) return compiled.error().code();
  auto result = Evaluate(*compiled, data);
  return result.ok() ? "" : result.error().code();
}

std::string SyntaxMessage(const std::string& expression) {
  auto compiled = Compile(expression);
  return compiled.ok() ? "" : compiled.error().message();
}

// Numbers compare by value in nlohmann (1 == 1.0), so the integer-ness of a result is checked
// separately where it matters.
bool IsInteger(const json& value) { return value.is_number_integer(); }

// --- Identifiers and sub-expressions ---------------------------------------------------------

TEST(JmespathIdentifierTest, UnquotedNames) {
  EXPECT_EQ(Search("foo", {{"foo", "value"}}), "value");
  EXPECT_EQ(Search("bar", {{"foo", "value"}}), nullptr);
  EXPECT_EQ(Search("foo", {{"foo", {0, 1, 2}}}), json({0, 1, 2}));
  EXPECT_EQ(Search("_a1", {{"_a1", 1}}), 1);
  EXPECT_EQ(Search("foo", json::array({1})), nullptr);  // only objects have members
  EXPECT_EQ(Search("foo", "foo"), nullptr);
}

TEST(JmespathIdentifierTest, QuotedNamesAreJsonStrings) {
  EXPECT_EQ(Search(R"("with space")", {{"with space", "value"}}), "value");
  EXPECT_EQ(Search(R"("special chars: !@#")", {{"special chars: !@#", "value"}}), "value");
  EXPECT_EQ(Search(R"("quote\"char")", {{"quote\"char", "value"}}), "value");
  EXPECT_EQ(Search(R"("\u2713")", {{"\u2713", "value"}}), "value");
  EXPECT_EQ(Search(R"("\ud83d\ude00")", {{"\U0001F600", 1}}), 1);  // surrogate pair
  EXPECT_EQ(Search(R"("")", {{"", 1}}), 1);
  EXPECT_EQ(Search(R"("1")", {{"1", "one"}}), "one");  // names that cannot be unquoted
  EXPECT_EQ(ErrorOf(R"("\x")"), "syntax");             // not a JSON escape
  EXPECT_EQ(ErrorOf(R"("abc)"), "syntax");
}

TEST(JmespathSubexpressionTest, PathsIntoObjects) {
  EXPECT_EQ(Search("foo.bar", {{"foo", {{"bar", "value"}}}}), "value");
  EXPECT_EQ(Search(R"(foo."bar")", {{"foo", {{"bar", "value"}}}}), "value");
  EXPECT_EQ(Search("foo.bar", {{"foo", {{"baz", "value"}}}}), nullptr);
  EXPECT_EQ(Search("foo.bar.baz", {{"foo", {{"bar", {{"baz", "value"}}}}}}), "value");
  EXPECT_EQ(Search("a.b.c", {{"a", nullptr}}), nullptr);
  EXPECT_EQ(Search("a.b.c.d.e.f.g.h", json::object()), nullptr);
}

TEST(JmespathSubexpressionTest, RightSideCanBeListHashOrFunction) {
  json data = {{"a", {{"b", 1}, {"c", {1, 2}}}}};
  EXPECT_EQ(Search("a.[b, c]", data), json::parse("[1, [1, 2]]"));
  EXPECT_EQ(Search("a.{x: b, y: c[0]}", data), json::parse(R"({"x": 1, "y": 1})"));
  EXPECT_EQ(Search("a.c.length(@)", data), 2);
  EXPECT_EQ(Search("a.[b]", {{"a", nullptr}}), nullptr);
}

TEST(JmespathCurrentNodeTest, AtIsTheCurrentValue) {
  EXPECT_EQ(Search("@", {{"a", 1}}), json({{"a", 1}}));
  EXPECT_EQ(Search("@.a", {{"a", 1}}), 1);
  EXPECT_EQ(Search("a[?@ > `1`]", {{"a", {1, 2, 3}}}), json({2, 3}));
}

// --- Index expressions and slices ------------------------------------------------------------

TEST(JmespathIndexTest, PositiveAndNegativeIndexes) {
  json list = {"first", "second", "third"};
  EXPECT_EQ(Search("[0]", list), "first");
  EXPECT_EQ(Search("[-1]", list), "third");
  EXPECT_EQ(Search("[-3]", list), "first");
  EXPECT_EQ(Search("[3]", list), nullptr);
  EXPECT_EQ(Search("[-4]", list), nullptr);
  EXPECT_EQ(Search("foo[1]", {{"foo", list}}), "second");
  EXPECT_EQ(Search("foo[0][1]", {{"foo", {{1, 2}}}}), 2);
  EXPECT_EQ(Search("[0]", {{"a", 1}}), nullptr);
  EXPECT_EQ(Search("[0]", "abc"), nullptr);  // strings are not indexed
  EXPECT_EQ(Search("[99999999999999999999]", list), nullptr);
}

TEST(JmespathSliceTest, PythonSliceSemantics) {
  json ten = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  EXPECT_EQ(Search("[0:4:1]", ten), json({0, 1, 2, 3}));
  EXPECT_EQ(Search("[0:4]", ten), json({0, 1, 2, 3}));
  EXPECT_EQ(Search("[:2]", ten), json({0, 1}));
  EXPECT_EQ(Search("[::2]", ten), json({0, 2, 4, 6, 8}));
  EXPECT_EQ(Search("[::-1]", ten), json({9, 8, 7, 6, 5, 4, 3, 2, 1, 0}));
  EXPECT_EQ(Search("[-2:]", ten), json({8, 9}));
  EXPECT_EQ(Search("[8:2:-2]", ten), json({8, 6, 4}));
  EXPECT_EQ(Search("[-1:0:-1]", json({1, 2, 3})), json({3, 2}));
  EXPECT_EQ(Search("[5:-5:-2]", json({1, 2, 3, 4, 5, 6})), json({6, 4}));
  EXPECT_EQ(Search("[::]", ten), ten);
  EXPECT_EQ(Search("[20:]", ten), json::array());
  EXPECT_EQ(Search("[-20:2]", ten), json({0, 1}));
  EXPECT_EQ(Search("[::9223372036854775807]", ten), json({0}));
  EXPECT_EQ(Search("[::-99999999999999999999]", ten), json({9}));
  EXPECT_EQ(Search("[1:3]", "abcd"), nullptr);  // only arrays are sliced
}

TEST(JmespathSliceTest, ASliceIsAProjection) {
  json data = {{"a", {{{"b", 1}}, {{"b", 2}}, {{"b", 3}}}}};
  EXPECT_EQ(Search("a[:2].b", data), json({1, 2}));
  EXPECT_EQ(Search("a[1:][0]", {{"a", {{1, 2}, {3, 4}}}}), json({3}));
  // The specification's reading; Python 1.0.1 answers null here (it merges the slice into the
  // preceding index expression and loses the projection).
  EXPECT_EQ(Search("a[0][0:2].b", {{"a", {{{{"b", 1}}, {{"b", 2}}}}}}), json({1, 2}));
}

TEST(JmespathSliceTest, ZeroStepIsInvalidValue) {
  EXPECT_EQ(ErrorOf("[::0]", json({1, 2})), "invalid-value");
  EXPECT_EQ(Search("a[::0]", {{"a", 1}}), nullptr);  // nothing to slice, so no error
}

// --- Projections -------------------------------------------------------------------------------

const json kPeople = json::parse(R"({
  "people": [{"first": "James", "last": "d"}, {"first": "Jacob", "last": "e"},
             {"first": "Jayden", "last": "f"}, {"missing": "different"}],
  "foo": {"bar": "baz"}})");

TEST(JmespathProjectionTest, ListProjectionsDropNulls) {
  EXPECT_EQ(Search("people[*].first", kPeople), json({"James", "Jacob", "Jayden"}));
  EXPECT_EQ(Search("people[:2].first", kPeople), json({"James", "Jacob"}));
  EXPECT_EQ(Search("people[*].foo", kPeople), json::array());
  EXPECT_EQ(Search("foo[*].bar", kPeople), nullptr);  // not an array
  EXPECT_EQ(Search("[*]", json({nullptr, 1})), json({1}));
  EXPECT_EQ(Search("people[*]", kPeople).size(), 4u);
}

TEST(JmespathProjectionTest, ObjectProjections) {
  json ops = json::parse(
      R"({"ops": {"functionA": {"numArgs": 2}, "functionB": {"numArgs": 3},
                  "functionC": {"variadic": true}}})");
  EXPECT_EQ(Search("ops.*.numArgs", ops), json({2, 3}));
  EXPECT_EQ(Search("*", {{"a", nullptr}, {"b", 1}}), json({1}));
  EXPECT_EQ(Search("*", json({1})), nullptr);  // not an object
  EXPECT_EQ(Search("*.a", {{"x", {{"a", 1}}}, {"y", {{"b", 2}}}}), json({1}));
  EXPECT_EQ(Search("*[0]", {{"a", {1}}, {"b", {2}}}), json({1, 2}));
}

TEST(JmespathProjectionTest, NestedProjectionsNest) {
  json data = json::parse(R"({"a": [{"b": [{"c": 1}]}, {"b": [{"c": 2}, {"c": 3}]}]})");
  EXPECT_EQ(Search("a[*].b[*].c", data), json::parse("[[1], [2, 3]]"));
  EXPECT_EQ(Search("a[*].b[0].c", data), json({1, 2}));
}

TEST(JmespathPipeTest, PipesStopProjections) {
  json data = json::parse(R"({"foo": [{"bar": "first"}, {"bar": "second"}]})");
  EXPECT_EQ(Search("foo[*].bar | [0]", data), "first");
  EXPECT_EQ(Search("foo[*].bar[0]", data), json::array());  // [0] of each string: nothing
  EXPECT_EQ(Search("foo | [1] | bar", data), "second");
  EXPECT_EQ(Search("a[*] | [0]", {{"a", {{1}, {2}}}}), json({1}));
  EXPECT_EQ(Search("a[*][0]", {{"a", {{1}, {2}}}}), json({1, 2}));
}

TEST(JmespathFlattenTest, MergesOneLevel) {
  json reservations = json::parse(R"({"reservations": [
      {"instances": [{"state": "running"}, {"state": "stopped"}]},
      {"instances": [{"state": "terminated"}, {"state": "running"}]}]})");
  EXPECT_EQ(Search("reservations[].instances[].state", reservations),
            json({"running", "stopped", "terminated", "running"}));
  EXPECT_EQ(Search("[]", json::parse("[[0, 1], 2, [3], 4, [5, [6, 7]]]")),
            json::parse("[0, 1, 2, 3, 4, 5, [6, 7]]"));
  EXPECT_EQ(Search("[][]", json::parse("[[0, 1], 2, [3], 4, [5, [6, 7]]]")),
            json::parse("[0, 1, 2, 3, 4, 5, 6, 7]"));
  EXPECT_EQ(Search("a[]", {{"a", {nullptr, {nullptr}, 1}}}), json({1}));
  EXPECT_EQ(Search("a[]", {{"a", {{"b", 1}}}}), nullptr);
  EXPECT_EQ(Search("a[].b[]", json::parse(R"({"a": [{"b": [1, [2]]}, {"b": [3]}]})")),
            json::parse("[1, [2], 3]"));
}

// --- Filters and comparisons -------------------------------------------------------------------

TEST(JmespathFilterTest, KeepsElementsWhereTheConditionIsTruthy) {
  json data = json::parse(R"({"foo": [{"a": 1, "b": 2}, {"a": 2, "b": 2}]})");
  EXPECT_EQ(Search("foo[?a == b]", data), json::parse(R"([{"a": 2, "b": 2}])"));
  EXPECT_EQ(Search("foo[?a != b].a", data), json({1}));
  EXPECT_EQ(Search("foo[?a]", data).size(), 2u);
  EXPECT_EQ(Search("foo[?c]", data), json::array());
  EXPECT_EQ(Search("[?@]", json::parse(R"([0, "", [], {}, false, null, "x"])")), json({0, "x"}));
  EXPECT_EQ(Search("foo[?`true`][]", {{"foo", {{1}, {2}}}}), json({1, 2}));
  EXPECT_EQ(Search("[?a]", {{"a", {1}}}), nullptr);  // filters apply to arrays only
}

TEST(JmespathComparatorTest, EveryComparator) {
  json n = {{"one", 1}, {"two", 2}, {"onef", 1.0}};
  EXPECT_EQ(Search("one < two", n), true);
  EXPECT_EQ(Search("one <= onef", n), true);
  EXPECT_EQ(Search("two > one", n), true);
  EXPECT_EQ(Search("one >= two", n), false);
  EXPECT_EQ(Search("one == onef", n), true);
  EXPECT_EQ(Search("one != two", n), true);
  EXPECT_EQ(Search("`[1, {\"a\": [2]}]` == `[1.0, {\"a\": [2.0]}]`", n), true);
  EXPECT_EQ(Search("`{}` == `{}`"), true);
  EXPECT_EQ(Search("`\"1\"` == `1`"), false);
  EXPECT_EQ(Search("`0` == `false`"), false);
  EXPECT_EQ(Search("`[0]` == `[false]`"), false);
  EXPECT_EQ(Search("`null` == missing", n), true);
}

TEST(JmespathComparatorTest, OrderingOnlyNumbersAndStrings) {
  EXPECT_EQ(Search("`[1, 2]` < `[1, 3]`"), nullptr);
  EXPECT_EQ(Search("`true` < `false`"), nullptr);
  EXPECT_EQ(Search("`null` >= `1`"), nullptr);
  // Strings order by code point, as in the Python implementation (AWS CLI date filters).
  EXPECT_EQ(Search("'2020-01-02' > '2020-01-01'"), true);
  EXPECT_EQ(Search("'a' < 'b'"), true);
  EXPECT_EQ(Search("'\u00e9' > 'z'"), true);
  EXPECT_EQ(ErrorOf("'a' < `1`"), "invalid-type");
  EXPECT_EQ(ErrorOf("a[?b > `1`]", json::parse(R"({"a": [{"b": 2}, {"b": "x"}]})")),
            "invalid-type");
}

TEST(JmespathComparatorTest, Precedence) {
  EXPECT_EQ(Search("`1` < `2` == `true`"), true);  // comparisons are left-associative
  EXPECT_EQ(Search("a == b < c", {{"a", 1}, {"b", 2}, {"c", 3}}), nullptr);
  EXPECT_EQ(Search("!a == b", {{"a", 1}, {"b", 2}}), false);  // (!a) == b
}

// --- And, or, not --------------------------------------------------------------------------------

TEST(JmespathLogicTest, OrAndNotUseTruthiness) {
  json data = {{"t", true}, {"f", false}, {"zero", 0}, {"empty", ""}, {"list", {1}}};
  EXPECT_EQ(Search("f || t", data), true);
  EXPECT_EQ(Search("empty || list", data), json({1}));
  EXPECT_EQ(Search("zero || t", data), 0);  // 0 is truthy
  EXPECT_EQ(Search("missing || empty", data), "");
  EXPECT_EQ(Search("t && list", data), json({1}));
  EXPECT_EQ(Search("empty && t", data), "");
  EXPECT_EQ(Search("!f", data), true);
  EXPECT_EQ(Search("!zero", data), false);
  EXPECT_EQ(Search("!empty", data), true);
  EXPECT_EQ(Search("!!list", data), true);
  EXPECT_EQ(Search("a || b && c", {{"a", 0}, {"b", 1}, {"c", 2}}), 0);  // && binds tighter
  EXPECT_EQ(Search("(f || t) && zero", data), 0);
  EXPECT_EQ(Search("!a.b", {{"a", {{"b", 0}}}}), nullptr);  // (!a).b
}

// --- Multi-select ------------------------------------------------------------------------------

TEST(JmespathMultiSelectTest, ListsAndHashes) {
  json data = {{"foo", 1}, {"bar", {{"baz", 2}}}};
  EXPECT_EQ(Search("[foo, bar.baz]", data), json({1, 2}));
  EXPECT_EQ(Search("[foo, [bar.baz, missing]]", data), json::parse("[1, [2, null]]"));
  EXPECT_EQ(Search("{a: foo, \"b c\": bar.baz}", data), json::parse(R"({"a": 1, "b c": 2})"));
  EXPECT_EQ(Search("{a: foo, a: bar}.a", data), json({{"baz", 2}}));  // the last key wins
  EXPECT_EQ(Search("[foo]", nullptr), nullptr);
  EXPECT_EQ(Search("{a: foo}", nullptr), nullptr);
  EXPECT_EQ(Search("[a, b][0]", {{"a", 1}, {"b", 2}}), 1);
  EXPECT_EQ(Search("people[*].[first, last]", kPeople).size(), 4u);
}

// --- Literals and raw strings -----------------------------------------------------------------

TEST(JmespathLiteralTest, JsonLiterals) {
  EXPECT_EQ(Search("`\"foo\"`"), "foo");
  EXPECT_EQ(Search("`[1, 2, 3]`"), json({1, 2, 3}));
  EXPECT_EQ(Search("`{\"a\": \"b\"}`.a"), "b");
  EXPECT_EQ(Search("`true`"), true);
  EXPECT_EQ(Search("`null`"), nullptr);
  EXPECT_EQ(Search("`-1.5e2`"), -150.0);
  EXPECT_EQ(Search("`  1 `"), 1);
  EXPECT_EQ(Search(R"(`"\u03a6"`)"), "\u03a6");
  EXPECT_EQ(Search(R"(`"foo\`bar"`)"), "foo`bar");  // \` is a backtick
  EXPECT_EQ(Search(R"(`[1, "x\`"]`)"), json({1, "x`"}));
}

TEST(JmespathLiteralTest, LegacyUnquotedStringLiterals) {
  // Not JSON: read as the body of a JSON string, as the Python implementation still does.
  EXPECT_EQ(Search("`foo`"), "foo");
  EXPECT_EQ(Search("` foo`"), "foo");
  EXPECT_EQ(Search("``"), "");
  EXPECT_EQ(Search("`[1, 2`"), "[1, 2");
  EXPECT_EQ(Search(R"(`a\nb`)"), "a\nb");
  EXPECT_EQ(ErrorOf("`\"a`"), "syntax");  // neither JSON nor a string body
  EXPECT_EQ(ErrorOf("`abc"), "syntax");
}

TEST(JmespathLiteralTest, RawStrings) {
  EXPECT_EQ(Search("'foo'"), "foo");
  EXPECT_EQ(Search("''"), "");
  EXPECT_EQ(Search("' a'"), " a");
  EXPECT_EQ(Search(R"('a\'b')"), "a'b");
  EXPECT_EQ(Search(R"('a\nb')"), "a\\nb");   // no escapes but \'
  EXPECT_EQ(Search(R"('a\\b')"), "a\\\\b");  // not even \\ (JEP 12)
  EXPECT_EQ(Search("'\u00e9'"), "\u00e9");
  EXPECT_EQ(ErrorOf("'abc"), "syntax");
}

// --- Functions
// ------------------------------------------------------------------------------------

TEST(JmespathFunctionTest, Abs) {
  EXPECT_EQ(Search("abs(`1`)"), 1);
  EXPECT_EQ(Search("abs(`-1`)"), 1);
  EXPECT_EQ(Search("abs(`-24.5`)"), 24.5);
  EXPECT_EQ(ErrorOf("abs('a')"), "invalid-type");
  EXPECT_EQ(ErrorOf("abs(`true`)"), "invalid-type");
}

TEST(JmespathFunctionTest, Avg) {
  EXPECT_EQ(Search("avg(`[10, 15, 20]`)"), 15.0);
  EXPECT_TRUE(Search("avg(`[2, 2]`)").is_number_float());
  EXPECT_EQ(Search("avg(`[1, 2]`)"), 1.5);
  EXPECT_EQ(Search("avg(`[]`)"), nullptr);
  EXPECT_EQ(ErrorOf("avg(`[\"a\"]`)"), "invalid-type");
  EXPECT_EQ(ErrorOf("avg(`[1, \"a\"]`)"), "invalid-type");
  EXPECT_EQ(ErrorOf("avg('abc')"), "invalid-type");
}

TEST(JmespathFunctionTest, CeilAndFloor) {
  EXPECT_EQ(Search("ceil(`1.001`)"), 2);
  EXPECT_TRUE(IsInteger(Search("ceil(`1.9`)")));
  EXPECT_EQ(Search("ceil(`1`)"), 1);
  EXPECT_EQ(Search("ceil(`-1.5`)"), -1);
  EXPECT_EQ(Search("floor(`1.9`)"), 1);
  EXPECT_EQ(Search("floor(`-1.5`)"), -2);
  EXPECT_TRUE(IsInteger(Search("floor(`1.9`)")));
  EXPECT_EQ(Search("floor(`1e300`)"), 1e300);
  EXPECT_EQ(ErrorOf("ceil('abc')"), "invalid-type");
  EXPECT_EQ(ErrorOf("floor(`null`)"), "invalid-type");
}

TEST(JmespathFunctionTest, Contains) {
  EXPECT_EQ(Search("contains('foobar', 'foo')"), true);
  EXPECT_EQ(Search("contains('foobar', 'not')"), false);
  EXPECT_EQ(Search("contains(`[\"a\", \"b\"]`, 'a')"), true);
  EXPECT_EQ(Search("contains(`[1.0, {\"a\": 1}]`, `{\"a\": 1.0}`)"), true);
  EXPECT_EQ(Search("contains(`[1]`, `true`)"), false);  // booleans are not numbers
  EXPECT_EQ(Search("contains(`[]`, `null`)"), false);
  EXPECT_EQ(ErrorOf("contains('abc', `1`)"), "invalid-type");
  EXPECT_EQ(ErrorOf("contains(`1`, `1`)"), "invalid-type");
}

TEST(JmespathFunctionTest, StartsWithAndEndsWith) {
  EXPECT_EQ(Search("starts_with('jack', 'ja')"), true);
  EXPECT_EQ(Search("starts_with('jack', 'jacks')"), false);
  EXPECT_EQ(Search("starts_with('jack', '')"), true);
  EXPECT_EQ(Search("ends_with('foobarbaz', 'baz')"), true);
  EXPECT_EQ(Search("ends_with('foobarbaz', 'foo')"), false);
  EXPECT_EQ(Search("ends_with('z', 'xyz')"), false);
  EXPECT_EQ(ErrorOf("ends_with('abc', `1`)"), "invalid-type");
  EXPECT_EQ(ErrorOf("starts_with(`null`, 'a')"), "invalid-type");
}

TEST(JmespathFunctionTest, Join) {
  EXPECT_EQ(Search("join(', ', `[\"a\", \"b\"]`)"), "a, b");
  EXPECT_EQ(Search("join('', `[\"a\", \"b\"]`)"), "ab");
  EXPECT_EQ(Search("join(',', `[]`)"), "");
  EXPECT_EQ(ErrorOf("join(',', `[\"a\", 2]`)"), "invalid-type");
  EXPECT_EQ(ErrorOf("join(`1`, `[]`)"), "invalid-type");
}

TEST(JmespathFunctionTest, KeysAndValues) {
  json data = {{"a", 1}, {"b", {2}}};
  EXPECT_EQ(Search("keys(@)", data), json({"a", "b"}));
  EXPECT_EQ(Search("values(@)", data), json::parse("[1, [2]]"));
  EXPECT_EQ(Search("keys(`{}`)"), json::array());
  EXPECT_EQ(ErrorOf("keys(`[]`)"), "invalid-type");
  EXPECT_EQ(ErrorOf("values('a')"), "invalid-type");
}

TEST(JmespathFunctionTest, Length) {
  EXPECT_EQ(Search("length('abc')"), 3);
  EXPECT_EQ(Search("length('h\u00e9llo \U0001F600')"), 7);  // code points, not bytes
  EXPECT_EQ(Search("length(`[1, 2]`)"), 2);
  EXPECT_EQ(Search("length(`{\"a\": 1}`)"), 1);
  EXPECT_EQ(Search("length('')"), 0);
  EXPECT_EQ(ErrorOf("length(`1`)"), "invalid-type");
  EXPECT_EQ(ErrorOf("length(`null`)"), "invalid-type");
  EXPECT_EQ(ErrorOf("a.length(@)", json::object()), "invalid-type");  // no null short-cut
}

TEST(JmespathFunctionTest, Map) {
  json data = json::parse(R"([{"foo": "a"}, {"foo": "b"}, {}, [1]])");
  EXPECT_EQ(Search("map(&foo, @)", data), json::parse(R"(["a", "b", null, null])"));
  EXPECT_EQ(Search("map(&[], `[[1, [2]], 3]`)"), json::parse("[[1, 2], null]"));
  EXPECT_EQ(Search("map(&length(@), `[\"ab\", [1]]`)"), json({2, 1}));
  EXPECT_EQ(ErrorOf("map(&foo, `1`)"), "invalid-type");
  EXPECT_EQ(ErrorOf("map(foo, @)", data), "invalid-type");  // needs &
  EXPECT_EQ(ErrorOf("map(&length(@), `[1]`)"), "invalid-type");
}

TEST(JmespathFunctionTest, MaxAndMin) {
  EXPECT_EQ(Search("max(`[10, 15]`)"), 15);
  EXPECT_EQ(Search("max(`[1, 2.5]`)"), 2.5);
  EXPECT_EQ(Search("max(`[\"a\", \"b\"]`)"), "b");
  EXPECT_EQ(Search("min(`[10, 15]`)"), 10);
  EXPECT_EQ(Search("min(`[\"a\", \"b\"]`)"), "a");
  EXPECT_EQ(Search("max(`[]`)"), nullptr);
  EXPECT_EQ(Search("min(`[]`)"), nullptr);
  EXPECT_TRUE(Search("max(`[1, 1.0]`)").is_number_unsigned());  // the first of equals
  EXPECT_EQ(ErrorOf("max(`[\"a\", 1]`)"), "invalid-type");
  EXPECT_EQ(ErrorOf("min(`[true]`)"), "invalid-type");
  EXPECT_EQ(ErrorOf("max('abc')"), "invalid-type");
}

const json kAges = json::parse(R"({"people": [
    {"age": 30, "age_str": "30", "bool": true, "name": "a"},
    {"age": 50, "age_str": "50", "bool": false, "name": "b"},
    {"age": 20, "age_str": "20", "bool": true, "name": "c"},
    {"age": 50, "age_str": "50", "bool": false, "name": "d"}]})");

TEST(JmespathFunctionTest, MaxByAndMinBy) {
  EXPECT_EQ(Search("max_by(people, &age).name", kAges), "b");  // the first of equals
  EXPECT_EQ(Search("max_by(people, &age_str).name", kAges), "b");
  EXPECT_EQ(Search("min_by(people, &age).name", kAges), "c");
  EXPECT_EQ(Search("min_by(people, &age_str).age", kAges), 20);
  EXPECT_EQ(Search("max_by(`[]`, &age)"), nullptr);
  EXPECT_EQ(ErrorOf("max_by(people, &bool)", kAges), "invalid-type");
  EXPECT_EQ(ErrorOf("min_by(people, &missing)", kAges), "invalid-type");
  EXPECT_EQ(ErrorOf("max_by(`[{\"a\": 1}, {\"a\": \"x\"}]`, &a)"), "invalid-type");
  EXPECT_EQ(ErrorOf("max_by(people, age)", kAges), "invalid-type");
}

TEST(JmespathFunctionTest, Merge) {
  EXPECT_EQ(Search("merge(`{\"a\": \"b\"}`, `{\"c\": \"d\"}`)"),
            json::parse(R"({"a": "b", "c": "d"})"));
  EXPECT_EQ(Search("merge(`{\"a\": \"b\"}`, `{\"a\": \"override\"}`)"),
            json::parse(R"({"a": "override"})"));
  EXPECT_EQ(Search("merge(`{}`)"), json::object());
  EXPECT_EQ(ErrorOf("merge()"), "invalid-arity");
  EXPECT_EQ(ErrorOf("merge(`{}`, `1`)"), "invalid-type");
}

TEST(JmespathFunctionTest, NotNull) {
  json data = {{"a", nullptr}, {"b", nullptr}, {"c", json::array()}, {"d", "foo"}};
  EXPECT_EQ(Search("not_null(not_exist, a, b, c, d)", data), json::array());
  EXPECT_EQ(Search("not_null(a, b, `null`, d, c)", data), "foo");
  EXPECT_EQ(Search("not_null(a, b)", data), nullptr);
  EXPECT_EQ(ErrorOf("not_null()"), "invalid-arity");
}

TEST(JmespathFunctionTest, Reverse) {
  EXPECT_EQ(Search("reverse(`[0, 1, 2, 3, 4]`)"), json({4, 3, 2, 1, 0}));
  EXPECT_EQ(Search("reverse(`[]`)"), json::array());
  EXPECT_EQ(Search("reverse('h\u00e9llo')"), "oll\u00e9h");  // by code point
  EXPECT_EQ(Search("reverse('')"), "");
  EXPECT_EQ(ErrorOf("reverse(`1`)"), "invalid-type");
}

TEST(JmespathFunctionTest, Sort) {
  EXPECT_EQ(Search("sort(`[3, 1.5, 2]`)"), json({1.5, 2, 3}));
  EXPECT_EQ(Search("sort(`[\"b\", \"a\", \"c\"]`)"), json({"a", "b", "c"}));
  EXPECT_EQ(Search("sort(`[]`)"), json::array());
  EXPECT_EQ(ErrorOf("sort(`[1, \"a\"]`)"), "invalid-type");
  EXPECT_EQ(ErrorOf("sort(`[[1]]`)"), "invalid-type");
}

TEST(JmespathFunctionTest, SortBy) {
  EXPECT_EQ(Search("sort_by(people, &age)[].name", kAges), json({"c", "a", "b", "d"}));  // stable
  EXPECT_EQ(Search("sort_by(people, &age_str)[].age", kAges), json({20, 30, 50, 50}));
  EXPECT_EQ(Search("sort_by(@, &@)", json({3, 1, 2})), json({1, 2, 3}));
  EXPECT_EQ(Search("sort_by(`[]`, &a)"), json::array());
  EXPECT_EQ(Search("sort_by(@, &a | b)", json::parse(R"([{"a": {"b": 2}}, {"a": {"b": 1}}])")),
            json::parse(R"([{"a": {"b": 1}}, {"a": {"b": 2}}])"));  // & takes the whole pipe
  EXPECT_EQ(ErrorOf("sort_by(people, &bool)", kAges), "invalid-type");
  EXPECT_EQ(ErrorOf("sort_by(`[{\"a\": 1}, {\"a\": \"x\"}]`, &a)"), "invalid-type");
  EXPECT_EQ(ErrorOf("sort_by(`{}`, &a)"), "invalid-type");
}

TEST(JmespathFunctionTest, Sum) {
  EXPECT_EQ(Search("sum(`[10, 15]`)"), 25);
  EXPECT_TRUE(IsInteger(Search("sum(`[10, 15]`)")));
  EXPECT_EQ(Search("sum(`[1, 2.5]`)"), 3.5);
  EXPECT_EQ(Search("sum(`[]`)"), 0);
  EXPECT_EQ(Search("sum(`[9223372036854775807, 1]`)"), 9223372036854775808ull);
  EXPECT_EQ(ErrorOf("sum(`[\"a\"]`)"), "invalid-type");
}

TEST(JmespathFunctionTest, ToArray) {
  EXPECT_EQ(Search("to_array('foo')"), json({"foo"}));
  EXPECT_EQ(Search("to_array(`0`)"), json({0}));
  EXPECT_EQ(Search("to_array(`[1, 2]`)"), json({1, 2}));
  EXPECT_EQ(Search("to_array(`null`)"), json({nullptr}));
  EXPECT_EQ(Search("to_array(`{\"a\": 1}`)"), json::array({{{"a", 1}}}));
}

TEST(JmespathFunctionTest, ToStringWritesJsonAsPythonDoes) {
  EXPECT_EQ(Search("to_string('foo')"), "foo");
  EXPECT_EQ(Search("to_string(`2`)"), "2");
  EXPECT_EQ(Search("to_string(`null`)"), "null");
  EXPECT_EQ(Search("to_string(`[1, 2]`)"), "[1,2]");
  EXPECT_EQ(Search("to_string(`{\"a\": [true, 1.5]}`)"), "{\"a\":[true,1.5]}");
  EXPECT_EQ(Search(R"(to_string(`["\u00e9\ud83d\ude00", "\"\\/\n\u0001\u007f"]`))"),
            R"(["\u00e9\ud83d\ude00","\"\\/\n\u0001\u007f"])");
  EXPECT_EQ(Search("to_string(`[1.0, 0.1, 1e16, 1e-5, 0.0001, 1e15, -0.0, 1e300]`)"),
            "[1.0,0.1,1e+16,1e-05,0.0001,1000000000000000.0,-0.0,1e+300]");
  EXPECT_EQ(Search("to_string(`12345678901234567.0`)"), "1.2345678901234568e+16");
}

TEST(JmespathFunctionTest, PythonFloatRepr) {
  EXPECT_EQ(PythonFloatRepr(0.0), "0.0");
  EXPECT_EQ(PythonFloatRepr(123.456), "123.456");
  EXPECT_EQ(PythonFloatRepr(1.5e-7), "1.5e-07");
  EXPECT_EQ(PythonFloatRepr(5e-324), "5e-324");
  EXPECT_EQ(PythonFloatRepr(1234567890123456.0), "1234567890123456.0");
  EXPECT_EQ(PythonFloatRepr(-2.5e100), "-2.5e+100");
}

TEST(JmespathFunctionTest, ToNumberReadsAsPythonDoes) {
  EXPECT_EQ(Search("to_number('1.0')"), 1.0);
  EXPECT_TRUE(Search("to_number('1.0')").is_number_float());
  EXPECT_TRUE(IsInteger(Search("to_number('12')")));
  EXPECT_EQ(Search("to_number(' 12 ')"), 12);
  EXPECT_EQ(Search("to_number('+5')"), 5);
  EXPECT_EQ(Search("to_number('-1.5e-3')"), -0.0015);
  EXPECT_EQ(Search("to_number('1_000')"), 1000);
  EXPECT_EQ(Search("to_number('.5')"), 0.5);
  EXPECT_EQ(Search("to_number('1.')"), 1.0);
  EXPECT_EQ(Search("to_number('18446744073709551615')"), 18446744073709551615ull);
  EXPECT_EQ(Search("to_number('-9223372036854775808')"), INT64_MIN);
  EXPECT_EQ(Search("to_number('100000000000000000000')"), 1e20);
  EXPECT_EQ(Search("to_number('" + std::string(400, '9') + "')"), nullptr);  // beyond double
  EXPECT_EQ(Search("to_number('1e400')"), nullptr);                          // inf: not JSON
  EXPECT_EQ(Search("to_number('1e-400')"), 0.0);
  EXPECT_EQ(Search("to_number('abc')"), nullptr);
  EXPECT_EQ(Search("to_number('')"), nullptr);
  EXPECT_EQ(Search("to_number('1__0')"), nullptr);
  EXPECT_EQ(Search("to_number('nan')"), nullptr);
  EXPECT_EQ(Search("to_number(`1.5`)"), 1.5);
  EXPECT_EQ(Search("to_number(`true`)"), nullptr);
  EXPECT_EQ(Search("to_number(`[1]`)"), nullptr);
  EXPECT_EQ(Search("to_number(`null`)"), nullptr);
}

TEST(JmespathFunctionTest, Type) {
  EXPECT_EQ(Search("type('foo')"), "string");
  EXPECT_EQ(Search("type(`true`)"), "boolean");
  EXPECT_EQ(Search("type(`false`)"), "boolean");
  EXPECT_EQ(Search("type(`null`)"), "null");
  EXPECT_EQ(Search("type(`123`)"), "number");
  EXPECT_EQ(Search("type(`123.05`)"), "number");
  EXPECT_EQ(Search("type(`[\"abc\"]`)"), "array");
  EXPECT_EQ(Search("type(`{\"abc\": \"123\"}`)"), "object");
  EXPECT_EQ(Search("type(@)", json::object()), "object");
}

TEST(JmespathFunctionTest, CallsAreCheckedWhenMade) {
  EXPECT_EQ(ErrorOf("foo()"), "unknown-function");
  EXPECT_EQ(ErrorOf("Length('a')"), "unknown-function");  // names are case-sensitive
  EXPECT_EQ(ErrorOf("length()"), "invalid-arity");
  EXPECT_EQ(ErrorOf("length('a', 'b')"), "invalid-arity");
  EXPECT_EQ(ErrorOf("abs(&a)"), "invalid-type");
  // A call a projection never reaches is no error, as in the reference implementation.
  EXPECT_EQ(Search("[*].foo()", json::array()), json::array());
  EXPECT_EQ(Search("[*].length(@, @)", json::array()), json::array());
  EXPECT_EQ(Search("a[*].length(@)", {{"a", {{1}, {1, 2}}}}), json({1, 2}));
  EXPECT_EQ(ErrorOf("unknown(length(`1`))"), "invalid-type");  // arguments come first
}

TEST(JmespathFunctionTest, RuntimeErrorsSayWhatWasExpected) {
  auto expression = Compile("length(@)");
  ASSERT_TRUE(expression.ok());
  auto result = Evaluate(*expression, 1);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code(), "invalid-type");
  EXPECT_EQ(result.error().message(),
            "length() expects a string, an array or an object as argument 1, got a number");
  result = Evaluate(*Compile("sort(@)"), json::parse(R"([1, "a"])"));
  EXPECT_EQ(result.error().message(),
            "sort() expects an array of numbers or an array of strings as argument 1, got an "
            "array mixing numbers and strings");
  result = Evaluate(*Compile("merge()"), 1);
  EXPECT_EQ(result.error().message(), "merge() takes at least 1 argument, got 0");
  result = Evaluate(*Compile("sort_by(@, &a)"), json::parse(R"([{"a": 1}, {"a": "x"}])"));
  EXPECT_EQ(result.error().message(),
            "sort_by() needs the expression to yield numbers throughout (as for the first "
            "element), got a string");
}

TEST(JmespathFunctionTest, ExpressionReferenceOutsideAFunctionSelectsNothing) {
  EXPECT_EQ(Search("&a", {{"a", 1}}), nullptr);
}

// --- Syntax errors
// --------------------------------------------------------------------------------

TEST(JmespathSyntaxTest, MessagesNameTheColumnAndTheProblem) {
  EXPECT_EQ(SyntaxMessage("foo["), "Bad value for --query foo[: at column 5: expected ']'");
  EXPECT_EQ(SyntaxMessage("foo."),
            "Bad value for --query foo.: at column 5: expected a name, '*', '[' or '{' after '.'");
  EXPECT_EQ(SyntaxMessage("a = b"),
            "Bad value for --query a = b: at column 3: '=' is not an operator; did you mean '=='?");
  EXPECT_EQ(SyntaxMessage("a[0]b"), "Bad value for --query a[0]b: at column 5: unexpected 'b'");
  EXPECT_EQ(SyntaxMessage("'abc"),
            "Bad value for --query 'abc: at column 1: unterminated raw string");
  EXPECT_EQ(SyntaxMessage("\u00e9t\u00e9 #"),
            "Bad value for --query \u00e9t\u00e9 #: at column 1: unexpected character '\u00e9'");
  EXPECT_EQ(SyntaxMessage("a.\u00e9"),
            "Bad value for --query a.\u00e9: at column 3: unexpected character '\u00e9'");
  EXPECT_EQ(SyntaxMessage("[a, b"),
            "Bad value for --query [a, b: at column 6: expected ',' or ']'");
  EXPECT_EQ(SyntaxMessage(""), "Bad value for --query : at column 1: the expression is empty");
}

TEST(JmespathSyntaxTest, MalformedExpressions) {
  for (const char* bad :
       {"",        "  ",      "-",           "a.-1",       "foo[:::]", "[:1 2]",     "a[",
        "a[b]",    "a[1",     "a[*",         "a[?b",       "a[?]",     "{}",         "{a}",
        "{a: b",   "{a: b,}", "{1: a}",      "[a,]",       "[]]",      "a.[0]",      "a.@",
        "@ | @.@", "a b",     "a &&",        "a ||",       "!",        "&",          "a ==",
        "a =! b",  "a < < b", "length(a b)", "length(a,)", "length(",  "\"foo\"(@)", "a.\"b\"(@)",
        "@(@)",    "[0](@)",  "(a.b)(@)",    "(a",         "a)",       "a[*]{b: c}", "a[*]!b",
        "a.*.`1`", "*.*.1",   "a.`1`",       "`abc",       "\"abc",    "'abc",       "a[1:2:3:4]",
        "a[1 2]",  "a\x01",   "a #",         "[?a==b]]"}) {
    EXPECT_EQ(ErrorOf(bad), "syntax") << bad;
  }
}

TEST(JmespathSyntaxTest, FunctionsAfterDotsAndParenthesizedNames) {
  EXPECT_EQ(Search("a.length(@)", {{"a", {1, 2}}}), 2);
  EXPECT_EQ(ErrorOf("a.b(@)", {{"a", json::object()}}), "unknown-function");
  EXPECT_EQ(ErrorOf("(a)(@)"), "unknown-function");  // a parenthesized name is still a name
}

TEST(JmespathSyntaxTest, InvalidUtf8IsRefused) {
  EXPECT_EQ(ErrorOf("'\xff'"), "syntax");
  EXPECT_EQ(ErrorOf("'\xc3'"), "syntax");
  EXPECT_EQ(ErrorOf("'\xed\xa0\x80'"), "syntax");  // a UTF-16 surrogate
}

// --- Robustness ---------------------------------------------------------------------------------

TEST(JmespathDepthTest, DeepNestingIsASyntaxErrorNotACrash) {
  EXPECT_EQ(ErrorOf(std::string(100000, '[')), "syntax");
  EXPECT_EQ(ErrorOf(std::string(100000, '(') + "a" + std::string(100000, ')')), "syntax");
  EXPECT_EQ(ErrorOf(std::string(100000, '!') + "a"), "syntax");
  EXPECT_EQ(ErrorOf(std::string(100000, '&') + "a"), "syntax");
  std::string ors = "a";
  for (int i = 0; i < 50000; ++i) ors += " || a";
  EXPECT_EQ(ErrorOf(ors), "syntax");
  std::string projections = "a";
  for (int i = 0; i < 50000; ++i) projections += "[*]";
  EXPECT_EQ(ErrorOf(projections), "syntax");
  EXPECT_EQ(ErrorOf("`" + std::string(100000, '[') + std::string(100000, ']') + "`"), "syntax");
  std::string message = SyntaxMessage(std::string(200, '['));
  EXPECT_NE(message.find("nested more than 100 levels deep"), std::string::npos) << message;
}

TEST(JmespathDepthTest, ModerateNestingAndLongPathsAreFine) {
  EXPECT_EQ(Search(std::string(50, '(') + "a" + std::string(50, ')'), {{"a", 1}}), 1);
  EXPECT_EQ(Search(std::string(40, '[') + "a" + std::string(40, ']'), {{"a", 1}}).size(), 1u);
  EXPECT_EQ(Search("`" + std::string(90, '[') + std::string(90, ']') + "`").size(), 1u);
  std::string path = "a";
  json data = 1;
  for (int i = 0; i < 5000; ++i) {
    path += ".a";
    json outer = json::object();
    outer["a"] = std::move(data);
    data = std::move(outer);
  }
  data = json{{"a", std::move(data)}};
  EXPECT_EQ(Search(path, data), 1);  // a long path is a chain, not nesting
}

TEST(JmespathDepthTest, ArbitraryBytesNeverCrash) {
  std::string alphabet = "ab@*.[]{}()?|&!=<>:,'`\"\\-09 \xc3\xa9";
  uint32_t state = 12345;
  for (int i = 0; i < 20000; ++i) {
    std::string expression;
    size_t length = (state >> 3) % 12;
    for (size_t k = 0; k < length; ++k) {
      state = state * 1103515245 + 12345;
      expression += alphabet[(state >> 16) % alphabet.size()];
    }
    state = state * 1103515245 + 12345;
    auto compiled = Compile(expression);
    if (compiled.ok()) {
      auto result = Evaluate(*compiled, json::parse(R"({"a": [1, "b", {"a": null}], "b": {}})"));
      (void)result;
    }
  }
}

TEST(JmespathExpressionTest, CompiledOnceEvaluatedOften) {
  auto expression = Compile("items[?size > `1`].name");
  ASSERT_TRUE(expression.ok());
  EXPECT_EQ(expression->text(), "items[?size > `1`].name");
  Expression copy = *expression;
  json data = json::parse(R"({"items": [{"name": "a", "size": 1}, {"name": "b", "size": 2}]})");
  EXPECT_EQ(*Evaluate(copy, data), json({"b"}));
  EXPECT_EQ(*Evaluate(*expression, json::object()), nullptr);
}

}  // namespace
}  // namespace datamesh::cli::query
