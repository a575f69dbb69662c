"""Cross-checks datamesh's JMESPath (--query) against Python's jmespath, the implementation the
AWS CLI uses: the examples of every section of the specification, then a seeded corpus of random
expressions from the grammar over random documents. Each case must give the same JSON (numbers
compared by value) or fail with the same kind of error.

The tool named by JMESPATH_TOOL reads {"expression", "data"} JSON lines and answers each with
{"result": ...} or {"error": "<kind>"}; all cases of a test go through one run of it.

Where the reference departs from the specification we follow the specification, and the test
knows exactly where: Python's True == 1 inside arrays and contains() (see strict_search), its
merging of a slice into a preceding index (see ExpressionGenerator), its leniency about commas
between function arguments (see mutate), and object key order (see DocumentGenerator)."""
import json
import math
import os
import random
import subprocess

import jmespath
import jmespath.exceptions as jexc
import jmespath.functions
import jmespath.visitor
import pytest

TOOL = os.environ.get("JMESPATH_TOOL")
SEED = int(os.environ.get("JMESPATH_SEED", "1234"))
CORPUS_SIZE = int(os.environ.get("JMESPATH_CASES", "4000"))
SHOW_MISMATCHES = 8

pytestmark = [
    pytest.mark.skipif(not TOOL, reason="set JMESPATH_TOOL to the jmespath_tool binary"),
    # Python warns about `foo` (a legacy literal); we accept it as it does.
    pytest.mark.filterwarnings("ignore::PendingDeprecationWarning"),
]


# --- Running both sides ------------------------------------------------------------------------

def run_tool(cases):
    lines = "".join(json.dumps({"expression": e, "data": d}) + "\n" for e, d in cases)
    done = subprocess.run([TOOL], input=lines, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    answers = [json.loads(line) for line in done.stdout.split("\n") if line]
    assert len(answers) == len(cases), "the tool must answer every line (did it crash?)"
    return answers


def error_kind(exc):
    """The JMESPath error kind of a Python exception; None when any error will do."""
    if isinstance(exc, jexc.ArityError):  # VariadictArityError too; a ParseError subclass
        return "invalid-arity"
    if isinstance(exc, jexc.UnknownFunctionError):
        return "unknown-function"
    if isinstance(exc, (jexc.ParseError, jexc.EmptyExpressionError)):  # LexerError too
        return "syntax"
    if isinstance(exc, jexc.JMESPathTypeError):
        return "invalid-type"
    if isinstance(exc, jexc.JMESPathError):
        return None
    if isinstance(exc, TypeError):  # Python's own, e.g. ordering 'a' < 1 or max_by on mixed keys
        return "invalid-type"
    if isinstance(exc, ValueError):  # Python's own: a slice step of 0
        return "invalid-value"
    return None


def answer_of(search, expression, data):
    try:
        return {"result": search(expression, data)}
    except Exception as exc:  # noqa: BLE001 - every failure is an answer to compare
        return {"error": error_kind(exc)}


def strict_equal(x, y):
    """JMESPath equality: Python's ==, except that a boolean never equals a number, however deep."""
    if isinstance(x, bool) or isinstance(y, bool):
        return type(x) is type(y) and x == y
    if isinstance(x, list) and isinstance(y, list):
        return len(x) == len(y) and all(strict_equal(a, b) for a, b in zip(x, y))
    if isinstance(x, dict) and isinstance(y, dict):
        return x.keys() == y.keys() and all(strict_equal(x[k], y[k]) for k in x)
    return x == y


class StrictFunctions(jmespath.functions.Functions):
    @jmespath.functions.signature({"types": ["array", "string"]}, {"types": []})
    def _func_contains(self, subject, search):
        if isinstance(subject, str):
            return search in subject
        return any(strict_equal(item, search) for item in subject)


class StrictInterpreter(jmespath.visitor.TreeInterpreter):
    COMPARATOR_FUNC = dict(jmespath.visitor.TreeInterpreter.COMPARATOR_FUNC,
                           eq=strict_equal, ne=lambda x, y: not strict_equal(x, y))


def strict_search(expression, data):
    """The reference with the specification's equality. Python's `True == 1` leaks into `==` on
    arrays and objects ([0] == [false] is true) and into contains() ([1] contains true); the
    specification says otherwise, and so do we. A case whose only difference is this is excused."""
    options = jmespath.Options(custom_functions=StrictFunctions())
    return StrictInterpreter(options).visit(jmespath.compile(expression).parsed, data)


def representable(answer):
    try:
        json.dumps(answer)
        return True
    except (TypeError, ValueError):
        return False


def same_json(x, y):
    if isinstance(x, bool) or isinstance(y, bool):
        return type(x) is type(y) and x == y
    if isinstance(x, (int, float)) and isinstance(y, (int, float)):
        return x == y or math.isclose(float(x), float(y), rel_tol=1e-12)
    if isinstance(x, list) and isinstance(y, list):
        return len(x) == len(y) and all(same_json(a, b) for a, b in zip(x, y))
    if isinstance(x, dict) and isinstance(y, dict):
        return x.keys() == y.keys() and all(same_json(x[k], y[k]) for k in x)
    return type(x) is type(y) and x == y


def agree(expected, ours):
    if "error" in expected:
        return "error" in ours and expected["error"] in (None, ours["error"])
    return "result" in ours and same_json(expected["result"], ours["result"])


def compare(cases):
    """Runs `cases` through both sides; returns (mismatches, counts of what the reference said)."""
    answers = run_tool(cases)
    mismatches, counts = [], {"cases": len(cases), "excused": 0}
    for (expression, data), ours in zip(cases, answers):
        expected = answer_of(jmespath.search, expression, data)
        if not representable(expected):
            # A bare &expr: Python returns its expression object, which is no JSON (and which
            # the AWS CLI then fails to print); we answer null. Nothing to compare.
            counts["unrepresentable"] = counts.get("unrepresentable", 0) + 1
            continue
        kind = ("error:" + str(expected["error"])) if "error" in expected else (
            "null" if expected["result"] is None else "value")
        counts[kind] = counts.get(kind, 0) + 1
        if agree(expected, ours):
            continue
        if agree(answer_of(strict_search, expression, data), ours):
            counts["excused"] += 1
            continue
        mismatches.append((expression, data, expected, ours))
    return mismatches, counts


def report(mismatches, counts):
    lines = ["%d of %d cases disagree with jmespath %s (%s):" % (
        len(mismatches), counts["cases"], jmespath.__version__, counts)]
    for expression, data, expected, ours in mismatches[:SHOW_MISMATCHES]:
        lines.append("  expression: %s\n    data:     %s\n    python:   %s\n    ours:     %s" % (
            expression, json.dumps(data)[:300], json.dumps(expected, default=repr)[:300],
            json.dumps(ours)[:300]))
    return "\n".join(lines)


# --- 1. The specification's examples ------------------------------------------------------------

PEOPLE = {"people": [{"first": "James", "last": "d", "age": 30},
                     {"first": "Jacob", "last": "e", "age": 50},
                     {"first": "Jayden", "last": "f", "age": 20},
                     {"missing": "different"}],
          "foo": {"bar": "baz"}}
TEN = list(range(10))
RESERVATIONS = {"reservations": [
    {"instances": [{"state": "running"}, {"state": "stopped"}]},
    {"instances": [{"state": "terminated"}, {"state": "running"}]}]}
MACHINES = {"machines": [{"name": "a", "state": "running"}, {"name": "b", "state": "stopped"},
                         {"name": "c", "state": "running"}]}
NUMS = {"a": 1, "b": 2, "f": 1.5, "s": "x", "t": True, "n": None, "l": [1, 2], "o": {"k": 1}}
AGES = {"people": [{"age": 30, "name": "a", "s": "30", "flag": True},
                   {"age": 50, "name": "b", "s": "50", "flag": False},
                   {"age": 20, "name": "c", "s": "20", "flag": True},
                   {"age": 50, "name": "d", "s": "50", "flag": False}]}

SPEC_CASES = [
    # Identifiers, quoted identifiers
    ("foo", {"foo": "value"}), ("bar", {"foo": "value"}), ("foo", {"foo": [0, 1, 2]}),
    ('"with space"', {"with space": "value"}),
    ('"special chars: !@#"', {"special chars: !@#": "value"}),
    ('"quote\\"char"', {'quote"char': "value"}), ('"\\u2713"', {"\u2713": "value"}),
    ('"\\ud83d\\ude00"', {"\U0001F600": 1}), ('""', {"": 1}), ('"1"', {"1": 2}),
    ('"\\n"', {"\n": 3}), ("_a1", {"_a1": 1}), ("foo", [1]), ("foo", "foo"),
    # Sub-expressions
    ("foo.bar", {"foo": {"bar": "value"}}), ('foo."bar"', {"foo": {"bar": "value"}}),
    ("foo.bar", {"foo": {"baz": "value"}}), ("foo.bar.baz", {"foo": {"bar": {"baz": "value"}}}),
    ("a.b.c", {"a": None}), ("a.[b, c]", {"a": {"b": 1}}), ("a.{x: b, y: c}", {"a": {"b": 1}}),
    ("a.length(@)", {"a": [1, 2]}), ("a.[b]", {"a": None}),
    # Index expressions
    ("[0]", ["first", "second", "third"]), ("[-1]", ["first", "second", "third"]),
    ("[3]", ["first", "second", "third"]), ("[-4]", ["a"]), ("foo[0][1]", {"foo": [[1, 2]]}),
    ("[0]", {"a": 1}), ("[0]", "abc"), ("a[99999999999999999999]", {"a": [1]}), ("@[-0]", [7]),
    # Slices, including negative steps
    ("[0:4:1]", TEN), ("[0:4]", TEN), ("[0:3]", TEN), ("[:2]", TEN), ("[::2]", TEN),
    ("[::-1]", TEN), ("[-2:]", TEN), ("[8:2:-2]", TEN), ("[-1:0:-1]", [1, 2, 3]),
    ("[5:-5:-2]", [1, 2, 3, 4, 5, 6]), ("[::]", TEN), ("[20:]", TEN), ("[-20:2]", TEN),
    ("[:-20:-3]", TEN), ("[1:2:]", TEN), ("[::-3]", TEN), ("[10:-11:-1]", TEN),
    ("[-99999999999999999999:99999999999999999999]", TEN), ("[1:3]", "abcd"),
    ("people[:2].first", PEOPLE), ("people[1:][0]", {"people": [[1, 2], [3, 4]]}),
    ("[::0]", [1, 2]), ("a[::0]", {"a": 1}),
    # List projections
    ("people[*].first", PEOPLE), ("people[*].foo", PEOPLE), ("foo[*].bar", PEOPLE),
    ("[*]", [None, 1]), ("people[*]", PEOPLE), ("people[*].[first, last]", PEOPLE),
    ("a[*].b[*].c", {"a": [{"b": [{"c": 1}]}, {"b": [{"c": 2}, {"c": 3}]}]}),
    ("a[*].b[0].c", {"a": [{"b": [{"c": 1}]}, {"b": [{"c": 2}, {"c": 3}]}]}),
    ("[*][0]", [[1], [2]]),
    # Object projections
    ("ops.*.numArgs", {"ops": {"functionA": {"numArgs": 2}, "functionB": {"numArgs": 3},
                               "functionC": {"variadic": True}}}),
    ("*", {"a": None, "b": 1}), ("*", [1]), ("*.a", {"x": {"a": 1}, "y": {"b": 2}}),
    ("*[0]", {"a": [1], "b": [2]}), ("a.*.b", {"a": {"x": {"b": 1}, "y": {"b": 2}}}),
    # Flatten
    ("reservations[].instances[].state", RESERVATIONS),
    ("reservations[].instances[].state | [0]", RESERVATIONS),
    ("[]", [[0, 1], 2, [3], 4, [5, [6, 7]]]), ("[][]", [[0, 1], 2, [3], 4, [5, [6, 7]]]),
    ("a[]", {"a": [None, [None], 1]}), ("a[]", {"a": {"b": 1}}),
    ("a[].b[]", {"a": [{"b": [1, [2]]}, {"b": [3]}]}),
    # Filters, with every comparator
    ("machines[?state=='running'].name", MACHINES), ("machines[?state!='running'].name", MACHINES),
    ("foo[?a == b]", {"foo": [{"a": 1, "b": 2}, {"a": 2, "b": 2}]}),
    ("[?@ < `2`]", [1, 2, 3]), ("[?@ <= `2`]", [1, 2, 3]), ("[?@ > `2`]", [1, 2, 3]),
    ("[?@ >= `2`]", [1, 2, 3]), ("[?@ == `2.0`]", [1, 2, 3]), ("[?@ != `2`]", [1, 2, 3]),
    ("[?@]", [0, "", [], {}, False, None, "x"]), ("foo[?`true`][]", {"foo": [[1], [2]]}),
    ("[?a]", {"a": [1]}), ("people[?age > `25`].first", PEOPLE),
    ("people[?age > `25` && age < `40`].first", PEOPLE), ("people[?!age].missing", PEOPLE),
    ("[?a < b]", [{"a": 1, "b": 2}, {"a": "a", "b": "b"}, {"a": "b", "b": "a"}]),
    ("[?a > b]", [{"a": 2, "b": "x"}]),
    ("[?a < b]", [{"a": [1], "b": [2]}, {"a": True, "b": None}]),
    # Comparisons
    ("a < b", NUMS), ("a <= f", NUMS), ("b > f", NUMS), ("a >= b", NUMS), ("a == `1.0`", NUMS),
    ("a != b", NUMS), ("l == `[1, 2.0]`", NUMS), ("o == `{\"k\": 1.0}`", NUMS),
    ("t == `true`", NUMS),
    ("n == missing", NUMS), ("s == `\"x\"`", NUMS), ("`0` == `false`", {}),
    ("`[0]` == `[false]`", {}), ("contains(`[1]`, `true`)", {}),  # excused: Python's True == 1
    ("`[1, 2]` < `[1, 3]`", {}), ("`true` < `false`", {}), ("`null` >= `1`", {}),
    ("'2020-01-02' > '2020-01-01'", {}), ("'\u00e9' > 'z'", {}), ("'a' < `1`", {}),
    ("`1` < `2` == `true`", {}), ("a == b < c", {"a": 1, "b": 2, "c": 3}),
    # Pipes
    ("foo[*].bar | [0]", {"foo": [{"bar": "first"}, {"bar": "second"}]}),
    ("foo[*].bar[0]", {"foo": [{"bar": "first"}, {"bar": "second"}]}),
    ("foo | [1] | bar", {"foo": [{"bar": "first"}, {"bar": "second"}]}),
    ("a[*] | [0]", {"a": [[1], [2]]}), ("a[*][0]", {"a": [[1], [2]]}),
    ("a[?b == `1`].c | [0]", {"a": [{"b": 1, "c": 3}]}), ("a | b", {"a": {"b": 3}}),
    # Multi-select lists and hashes
    ("[foo, bar.baz]", {"foo": 1, "bar": {"baz": 2}}),
    ("[foo, [bar, missing]]", {"foo": 1, "bar": 2}),
    ('{a: foo, "b c": bar}', {"foo": 1, "bar": 2}), ("[foo]", None), ("{a: foo}", None),
    ("[a, b][0]", {"a": 1, "b": 2}), ("{a: a, b: b}.a", {"a": 1, "b": 2}), ("[[a]]", {"a": 1}),
    ("people[*].{name: first, years: age}", PEOPLE),
    # Literals and raw strings
    ('`"foo"`', {}), ("`[1, 2, 3]`", {}), ('`{"a": "b"}`.a', {}), ("`true`", {}), ("`null`", {}),
    ("`-1.5e2`", {}), ("`  1 `", {}), ('`"\\u03a6"`', {}), ('`"foo\\`bar"`', {}),
    ('`[1, "x\\`"]`', {}), ("`foo`", {}), ("` foo`", {}), ("``", {}), ("`[1, 2`", {}),
    ("`a\\nb`", {}), ('`"a`', {}), ("`abc", {}), ("'foo'", {}), ("''", {}), ("' a'", {}),
    ("'a\\'b'", {}), ("'a\\nb'", {}), ("'a\\\\b'", {}), ("'\u00e9'", {}), ("'abc", {}),
    ("'x'.a", {}),
    # Current node
    ("@", {"a": 1}), ("@.a", {"a": 1}), ("@ | @", [1]), ("[?@ > `1`]", [1, 2, 3]),
    # And, or, not, parentheses
    ("f || t", {"t": True, "f": False}), ("e || l", {"e": "", "l": [1]}),
    ("z || t", {"z": 0, "t": 1}),
    ("missing || e", {"e": ""}), ("t && l", {"t": True, "l": [1]}), ("e && t", {"e": "", "t": 1}),
    ("!f", {"f": False}), ("!z", {"z": 0}), ("!e", {"e": ""}), ("!!l", {"l": [1]}),
    ("a || b && c", {"a": 0, "b": 1, "c": 2}), ("(f || t) && z", {"f": False, "t": True, "z": 0}),
    ("!a == b", {"a": 1, "b": 2}), ("!a.b", {"a": {"b": 0}}),
    ("people[?age > `40` || first == 'James'].first", PEOPLE),
    # Functions
    ("abs(`-1`)", {}), ("abs(`-24.5`)", {}), ("abs('a')", {}), ("avg(`[10, 15, 20]`)", {}),
    ("avg(`[]`)", {}), ("avg(`[1, \"a\"]`)", {}), ("ceil(`1.001`)", {}), ("ceil(`1`)", {}),
    ("ceil('abc')", {}), ("floor(`1.9`)", {}), ("floor(`-1.5`)", {}), ("floor(`null`)", {}),
    ("contains('foobar', 'foo')", {}), ("contains('foobar', 'not')", {}),
    ('contains(`["a", "b"]`, \'a\')', {}), ("contains(`[1.0]`, `1`)", {}),
    ("contains('abc', `1`)", {}),
    ("contains(`1`, `1`)", {}), ("ends_with('foobarbaz', 'baz')", {}),
    ("ends_with('z', 'xyz')", {}),
    ("ends_with('abc', `1`)", {}), ("starts_with('jack', 'ja')", {}),
    ("starts_with(`null`, 'a')", {}),
    ("join(', ', `[\"a\", \"b\"]`)", {}), ("join(',', `[]`)", {}), ("join(',', `[\"a\", 2]`)", {}),
    ("keys(@)", {"a": 1, "b": [2]}), ("values(@)", {"a": 1, "b": [2]}), ("keys(`[]`)", {}),
    ("length('abc')", {}), ("length('h\u00e9llo \U0001F600')", {}), ("length(`[1, 2]`)", {}),
    ("length(`{\"a\": 1}`)", {}), ("length(`1`)", {}), ("a.length(@)", {}),
    ("map(&foo, @)", [{"foo": "a"}, {"foo": "b"}, {}, [1]]), ("map(&[], `[[1, [2]], 3]`)", {}),
    ("map(&foo, `1`)", {}), ("map(foo, @)", []), ("max(`[10, 15]`)", {}),
    ("max(`[\"a\", \"b\"]`)", {}),
    ("max(`[]`)", {}), ("max(`[\"a\", 1]`)", {}), ("min(`[10, 15]`)", {}), ("min(`[true]`)", {}),
    ("max_by(people, &age).name", AGES), ("max_by(people, &s).name", AGES),
    ("min_by(people, &age).name", AGES), ("max_by(people, &flag)", AGES),
    ("min_by(people, &missing)", AGES), ("max_by(`[{\"a\": 1}, {\"a\": \"x\"}]`, &a)", {}),
    ("max_by(`[]`, &a)", {}), ('merge(`{"a": "b"}`, `{"c": "d"}`)', {}),
    ('merge(`{"a": "b"}`, `{"a": "override"}`)', {}), ("merge()", {}), ("merge(`{}`, `1`)", {}),
    ("not_null(missing, a, b)", {"a": None, "b": [1]}), ("not_null(a)", {"a": None}),
    ("not_null()", {}), ("reverse(`[0, 1, 2]`)", {}), ("reverse('h\u00e9llo')", {}),
    ("reverse(`1`)", {}),
    ("sort(`[3, 1.5, 2]`)", {}), ("sort(`[\"b\", \"a\"]`)", {}), ("sort(`[1, \"a\"]`)", {}),
    ("sort_by(people, &age)[].name", AGES), ("sort_by(people, &s)[].name", AGES),
    ("sort_by(people, &flag)", AGES), ("sort_by(`[]`, &a)", {}),
    ("sort_by(@, &a | b)", [{"a": {"b": 2}}, {"a": {"b": 1}}]),
    ("sum(`[10, 15]`)", {}), ("sum(`[1, 2.5]`)", {}), ("sum(`[]`)", {}), ("sum(`[\"a\"]`)", {}),
    ("to_array('foo')", {}), ("to_array(`[1, 2]`)", {}), ("to_array(`null`)", {}),
    ("to_string('foo')", {}), ("to_string(`[1, 2]`)", {}),
    ('to_string(`{"a": [true, 1.5, null, "\\u00e9\\ud83d\\ude00\\n\\"\\u007f"]}`)', {}),
    ("to_string(`[1.0, 0.1, 1e16, 1e-5, 0.0001, 1e15, -0.0, 1e300, 12345678901234567.0]`)", {}),
    ("to_number('1.0')", {}), ("to_number(' 12 ')", {}), ("to_number('+5')", {}),
    ("to_number('-1.5e-3')", {}), ("to_number('1_000')", {}), ("to_number('.5')", {}),
    ("to_number('abc')", {}), ("to_number('')", {}), ("to_number(`true`)", {}),
    ("to_number(`[1]`)", {}), ("to_number(`1.5`)", {}), ("type('foo')", {}), ("type(`true`)", {}),
    ("type(`null`)", {}), ("type(`1.5`)", {}), ("type(`[]`)", {}), ("type(@)", {}),
    # Function errors: unknown, arity, types, and calls a projection never reaches
    ("foo()", {}), ("Length('a')", {}), ("length()", {}), ("length('a', 'b')", {}),
    ("abs(&a)", {}), ("[*].foo()", []), ("[*].length(@, @)", []), ("unknown(length(`1`))", {}),
    ("a.b(@)", {"a": {}}), ("(a)(@)", {}),
    # Syntax errors
    ("", {}), ("foo[", {}), ("foo.", {}), ("a = b", {}), ("-", {}), ("a.-1", {}), ("foo[:::]", {}),
    ("a[b]", {}), ("{}", {}), ("{a}", {}), ("[a,]", {}), ("a.[0]", {}), ("a.@", {}), ("a b", {}),
    ("a ==", {}), ('"foo"(@)', {}), ("@(@)", {}), ("[0](@)", {}), ("(a", {}), ("a)", {}),
    ("a[*]{b: c}", {}), ('"\\x"', {}), ('"abc', {}), ("a[1:2:3:4]", {}), ("a #", {}),
]


def test_specification_examples():
    mismatches, counts = compare(SPEC_CASES)
    print("specification examples:", counts)
    assert not mismatches, report(mismatches, counts)
    assert counts["excused"] == 2, counts  # exactly the two True == 1 cases above


# --- 2. A generated corpus -------------------------------------------------------------------

KEYS = ["a", "b", "c", "foo", "bar"]
ODD_KEYS = ["with space", "\u00e9", "1"]
STRINGS = ["", "a", "b", "foo", "Foo", "bar", "\u00e9", "x y", "\U0001F600", "12", "-3.5", " 7 ",
           "1e3", "0x1", "true", "a'b", 'q"q', "back\\slash", "2020-01-01", "2021-06-30"]
FLOATS = [0.5, -2.25, 1.0, 3.75, 1e-07, 12345.678, -0.0, 2.5e16, 100.0, -7.5]


class DocumentGenerator:
    """Random JSON: nested objects and arrays of numbers (integers, floats, negatives), strings,
    booleans and nulls, with arrays of records so that projections and filters find things.
    Object keys are generated in sorted order, the order nlohmann::json keeps them in, so that
    keys(), values() and * enumerate members in the same order on both sides."""

    def __init__(self, rng):
        self.rng = rng

    def scalar(self):
        roll = self.rng.random()
        if roll < 0.35:
            return self.rng.choice([self.rng.randint(-5, 30), self.rng.randint(-5, 5), 2 ** 40])
        if roll < 0.5:
            return self.rng.choice(FLOATS)
        if roll < 0.8:
            return self.rng.choice(STRINGS)
        if roll < 0.92:
            return self.rng.choice([True, False])
        return None

    def value(self, depth):
        roll = self.rng.random()
        if depth >= 3 or roll < 0.45:
            return self.scalar()
        if roll < 0.6:
            return [self.value(depth + 1) for _ in range(self.rng.randint(0, 4))]
        if roll < 0.7:
            return self.records(depth)
        if roll < 0.8:  # homogeneous scalars: sort(), max(), sum() succeed
            make = self.rng.choice([lambda: self.rng.randint(-9, 9),
                                    lambda: self.rng.choice(FLOATS),
                                    lambda: self.rng.choice(STRINGS)])
            return [make() for _ in range(self.rng.randint(0, 5))]
        return self.object(depth)

    def object(self, depth, keys=None):
        if keys is None:
            pool = KEYS + (ODD_KEYS if self.rng.random() < 0.2 else [])
            keys = self.rng.sample(pool, self.rng.randint(0, 4))
        return {k: self.value(depth + 1) for k in sorted(keys)}

    def records(self, depth):
        """Objects sharing keys, each key mostly of one type: sort_by() and max_by() succeed."""
        kinds = {k: self.rng.choice(["int", "str", "float", "any"]) for k in KEYS[:3]}
        make = {"int": lambda: self.rng.randint(-3, 9), "float": lambda: self.rng.choice(FLOATS),
                "str": lambda: self.rng.choice(STRINGS), "any": lambda: self.value(depth + 2)}
        out = []
        for _ in range(self.rng.randint(0, 4)):
            keys = [k for k in KEYS[:3] if self.rng.random() < 0.9]
            out.append({k: make[kinds[k]]() for k in sorted(keys)})
        return out

    def document(self):
        if self.rng.random() < 0.1:
            return self.value(0)
        return self.object(0, keys=[k for k in KEYS if self.rng.random() < 0.85])


# (name, parameter kinds); "..." repeats the last. merge() is generated only at the top (see
# ExpressionGenerator.top): Python keeps its keys in insertion order and nlohmann sorts them, so a
# merged object must not reach keys(), values(), * or to_string().
FUNCTIONS = [
    ("abs", ["number"]), ("avg", ["array"]), ("ceil", ["number"]), ("floor", ["number"]),
    ("contains", ["any", "any"]), ("ends_with", ["string", "string"]),
    ("starts_with", ["string", "string"]), ("join", ["string", "array"]), ("keys", ["object"]),
    ("values", ["object"]), ("length", ["any"]), ("map", ["expref", "array"]), ("max", ["array"]),
    ("min", ["array"]), ("max_by", ["array", "expref"]), ("min_by", ["array", "expref"]),
    ("not_null", ["any", "..."]), ("reverse", ["any"]), ("sort", ["array"]),
    ("sort_by", ["array", "expref"]), ("sum", ["array"]), ("to_array", ["any"]),
    ("to_string", ["any"]), ("to_number", ["any"]), ("type", ["any"]),
]
COMPARATORS = ["==", "!=", "<", "<=", ">", ">="]


class ExpressionGenerator:
    """Random expressions from the grammar. Each generator returns (text, ends_with_index), the
    latter true when a bracket following the text would be parsed against an index expression:
    Python's parser merges a slice into a preceding index expression (a[0][1:2]) and so loses
    the projection the specification says a slice starts (a[0][1:2].b is null in Python, a list
    here); the flag keeps the generator from writing that one construct."""

    def __init__(self, rng, documents):
        self.rng = rng
        self.documents = documents

    def name(self):
        roll = self.rng.random()
        if roll < 0.8:
            return self.rng.choice(KEYS)
        if roll < 0.88:
            return self.rng.choice(['"a"', '"foo"', '"with space"', '"\\u00e9"', '"1"'])
        return self.rng.choice(["missing", "_x", "A"])

    def json_literal(self):
        value = self.documents.value(1)
        text = json.dumps(value, sort_keys=True, ensure_ascii=self.rng.random() < 0.5)
        return "`" + text.replace("`", "\\`") + "`"

    def raw_string(self):
        return "'" + self.rng.choice(STRINGS).replace("'", "\\'") + "'"

    def number_literal(self):
        number = self.rng.choice([self.rng.randint(-5, 20), self.rng.choice(FLOATS)])
        return "`%s`" % json.dumps(number)

    def leaf(self):
        roll = self.rng.random()
        if roll < 0.55:
            return self.name(), False
        if roll < 0.65:
            return "@", False
        if roll < 0.8:
            return self.json_literal(), False
        if roll < 0.9:
            return self.raw_string(), False
        return self.number_literal(), False

    def index(self):
        return str(self.rng.randint(-4, 4))

    def slice(self):
        def part(low, high):
            return "" if self.rng.random() < 0.35 else str(self.rng.randint(low, high))
        steps = [-3, -2, -1, 1, 2, 3] + ([0] if self.rng.random() < 0.05 else [])
        step = "" if self.rng.random() < 0.4 else str(self.rng.choice(steps))
        return part(-6, 6) + ":" + part(-6, 6) + ((":" + step) if self.rng.random() < 0.6 else "")

    def condition(self, depth):
        roll = self.rng.random()
        if roll < 0.5:
            left, _ = self.expr(depth - 1) if self.rng.random() < 0.3 else (self.name(), False)
            right = self.rng.choice([self.number_literal(), self.raw_string(), self.name(), "@"])
            return "%s %s %s" % (left, self.rng.choice(COMPARATORS), right)
        if roll < 0.65:
            return "!" + self.name()
        if roll < 0.8:
            joiner = self.rng.choice([" && ", " || "])
            return self.condition(depth - 1) + joiner + self.condition(depth - 1)
        return self.expr(depth - 1)[0]

    def expref(self, depth):
        body = self.rng.choice([self.name(), "@", self.name() + "." + self.name(), None])
        return "&" + (body if body is not None else self.expr(depth - 1)[0])

    def argument(self, kind, depth):
        roll = self.rng.random()
        if kind == "expref":
            return self.expref(depth) if roll < 0.9 else self.expr(depth - 1)[0]
        if kind == "number" and roll < 0.5:
            return self.number_literal()
        if kind == "string" and roll < 0.6:
            return self.raw_string()
        if kind == "array" and roll < 0.3:
            return self.json_literal()
        if roll < 0.03 and kind != "any":
            # An expression where a value belongs. Not for "any" parameters, which Python does
            # not check: it hands the expression object on (type(&a) is "expref"), we refuse it.
            return self.expref(depth)
        return self.expr(depth - 1)[0]

    def call(self, depth):
        name, kinds = self.rng.choice(FUNCTIONS)
        if kinds[-1] == "...":
            kinds = kinds[:-1] * self.rng.randint(1, 3)
        args = [self.argument(kind, depth) for kind in kinds]
        roll = self.rng.random()
        if roll < 0.04:
            args = args[:-1] if args else ["@"]  # too few (or too many, for zero)
        elif roll < 0.07:
            args.append("@")  # too many, unless variadic
        elif roll < 0.09:
            name = self.rng.choice(["nope", "Length", "to_list"])
        return "%s(%s)" % (name, ", ".join(args)), False

    def expr(self, depth):
        if depth <= 0:
            return self.leaf()
        roll = self.rng.random()
        if roll < 0.12:
            return self.leaf()
        if roll < 0.27:  # sub-expressions
            left, _ = self.expr(depth - 1)
            form = self.rng.choice(["name", "name", "*", "list", "hash", "call"])
            if form == "name":
                right = self.name()
            elif form == "*":
                right = "*"
            elif form == "list":
                right = "[%s, %s]" % (self.expr(depth - 2)[0], self.expr(depth - 2)[0])
            elif form == "hash":
                right = "{a: %s, b: %s}" % (self.expr(depth - 2)[0], self.expr(depth - 2)[0])
            else:
                right = self.call(depth - 1)[0]
            return left + "." + right, False
        if roll < 0.37:  # index, slice
            left, ends_with_index = self.expr(depth - 1)
            if self.rng.random() < 0.5 or ends_with_index:
                return "%s[%s]" % (left, self.index()), True
            return "%s[%s]" % (left, self.slice()), False
        if roll < 0.40:  # bare index, slice or projection of the current node
            index = "[%s]" % self.index()
            choice = self.rng.choice([index, "[%s]" % self.slice(), "[*]", "[]", "*"])
            return choice, choice == index
        if roll < 0.52:  # projections, and what they project
            left, _ = self.expr(depth - 1)
            form = self.rng.choice(["[*]", "[]", ".*", "[?%s]" % self.condition(depth - 1)])
            index = "[%s]" % self.index()
            rest = self.rng.choice(["", "", "." + self.name(), index,
                                    ".[%s, %s]" % (self.name(), self.name()), "[*]", "[]"])
            return left + form + rest, rest == index
        if roll < 0.60:  # comparisons
            left, _ = self.expr(depth - 1)
            right, flag = self.rng.choice([(self.number_literal(), False),
                                           (self.raw_string(), False), self.expr(depth - 1)])
            return "%s %s %s" % (left, self.rng.choice(COMPARATORS), right), flag
        if roll < 0.66:  # or, and
            left, _ = self.expr(depth - 1)
            right, flag = self.expr(depth - 1)
            return "%s %s %s" % (left, self.rng.choice(["||", "&&"]), right), flag
        if roll < 0.69:  # not
            inner, flag = self.expr(depth - 1)
            return "!" + inner, flag
        if roll < 0.72:  # parentheses
            inner, flag = self.expr(depth - 1)
            return "(" + inner + ")", flag
        if roll < 0.78:  # pipes
            left, _ = self.expr(depth - 1)
            right, flag = self.expr(depth - 1)
            return left + " | " + right, flag
        if roll < 0.84:  # multi-select list, hash (keys sorted and distinct, see DocumentGenerator)
            items = [self.expr(depth - 1)[0] for _ in range(self.rng.randint(1, 3))]
            if self.rng.random() < 0.5:
                return "[" + ", ".join(items) + "]", False
            keys = sorted(self.rng.sample(["k", "l", "m"], len(items)))
            return "{" + ", ".join("%s: %s" % kv for kv in zip(keys, items)) + "}", False
        return self.call(depth)

    def top(self):
        if self.rng.random() < 0.03:
            return self.merge()
        return self.expr(self.rng.randint(1, 4))[0]

    def merge(self):
        """merge() of objects. Python checks only its first argument and feeds the others to
        dict.update(), which accepts "" or [["k", 1]]; we refuse non-objects anywhere, so only
        the first argument may be of any type."""
        def an_object():
            literal = {k: self.documents.scalar() for k in sorted(self.rng.sample(KEYS, 2))}
            return self.rng.choice(["{k: a, l: b}", "`%s`" % json.dumps(literal, sort_keys=True)])
        args = [self.rng.choice(["@", self.name(), self.json_literal(), an_object()])]
        args += [an_object() for _ in range(self.rng.randint(0, 2))]
        return "merge(%s)" % ", ".join(args[:self.rng.randint(0, len(args))] if
                                       self.rng.random() < 0.1 else args)


def mutate(rng, expression):
    """A likely syntax error: the expression cut short, or a stray token character inserted
    between tokens. Not deletions, and no characters that can start an operand (&, @, quotes):
    Python accepts function arguments without commas (f(a &b) is f(a, &b)) and some other forms
    the grammar does not (f(a,), [:1 2]). Not inside quotes or literals either, where an
    inserted character could unsort an object's keys (see DocumentGenerator)."""
    if rng.random() < 0.5 and len(expression) > 1:
        return expression[:rng.randint(1, len(expression) - 1)]
    at = rng.choice(positions_between_tokens(expression))
    return expression[:at] + rng.choice(".[]{}()|!=<>:?") + expression[at:]


def positions_between_tokens(expression):
    positions, quote, escaped = [], None, False
    for i, c in enumerate(expression):
        if quote is None:
            positions.append(i)
            if c in "`'\"":
                quote = c
        elif escaped:
            escaped = False
        elif c == "\\":
            escaped = True
        elif c == quote:
            quote = None
    if quote is None:
        positions.append(len(expression))
    return positions


def generated_cases(seed, count):
    rng = random.Random(seed)
    documents = DocumentGenerator(rng)
    expressions = ExpressionGenerator(rng, documents)
    cases = []
    while len(cases) < count:
        expression = expressions.top()
        if rng.random() < 0.08:
            expression = mutate(rng, expression)
        cases.append((expression, documents.document()))
    return cases


def test_generated_corpus():
    cases = generated_cases(SEED, CORPUS_SIZE)
    mismatches, counts = compare(cases)
    print("generated corpus:", counts)
    assert not mismatches, report(mismatches, counts)
    # The corpus must exercise the language, not only its error paths.
    assert counts.get("value", 0) > CORPUS_SIZE // 4, counts
    for kind in ("syntax", "invalid-type", "invalid-arity", "unknown-function"):
        assert counts.get("error:" + kind, 0) >= 10, (kind, counts)
