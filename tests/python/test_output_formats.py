"""--output text, table and yaml against the AWS CLI's own formatters (Debian's awscli), the
oracle for what those formats mean: the same documents through both must print the same text
and the same table, and our YAML must read back as the document."""
import io
import json
import os
import random
import subprocess
import unicodedata
from argparse import Namespace

import pytest
import yaml

import awscli.table
import jmespath
from awscli import text as aws_text
from awscli.formatter import TableFormatter

TOOL = os.environ.get("FORMAT_TOOL")
pytestmark = pytest.mark.skipif(not TOOL, reason="FORMAT_TOOL is not set")

# Shapes datamesh prints, as the seeds document them.
SUBSCRIPTION = {
    "SubscriptionId": "3c8b0f8a9e1d4f6b", "Status": "Active", "DatabaseName": "sales-111111111111",
    "OwnerAccountId": "111111111111", "SubscriberPrincipal": "222222222222",
    "TableName": ["orders", "customers"], "RequestedGrants": ["SELECT", "DESCRIBE"],
    "PermittedGrants": ["SELECT"], "GrantableGrants": [], "CreationDate": "2026-12-02 06:00:00",
    "History": [{"Action": "Requested", "At": "2026-12-02 06:00:00", "By": "222222222222"},
                {"Action": "Approved", "At": "2026-12-02 06:01:00", "By": "111111111111", "Notes": "ok"}],
}
FIXED = [
    SUBSCRIPTION,
    [SUBSCRIPTION, dict(SUBSCRIPTION, SubscriptionId="9", Status="Pending")],
    {"Subscriptions": [SUBSCRIPTION]},
    {"Account": "111111111111", "Arn": "arn:aws:iam::111111111111:role/AwsDataMesh/DataMeshManager",
     "UserId": "AROAEXAMPLE:session"},
    {"Tables": ["orders", "customers"], "Database": "sales"},
    ["a", "b", "c"],
    [["a", 1], ["b", 2]],
    [1, [2, 3], "x"],
    "just a string",
    42, 1.5, True, False, None, {}, [], "",
    {"Only": "one"},
    {"Nested": {"Deeper": {"Deepest": {"A": 1, "B": [1, 2]}}}},
    {"Wide": "x" * 120, "Other": "y" * 40},
    {"Rows": [{"A": "1", "B": "two"}, {"A": "3"}, {"B": "four", "C": True}]},
    {"Floats": [0.1, 1e20, 2.5e-7, 100.0, -3.25]},
]


def random_scalar(rng):
    return rng.choice([
        lambda: rng.choice(["alpha", "beta", "sales-db", "arn:aws:glue:us-east-1:111111111111:table/a/b",
                            "with space", "x" * rng.randint(0, 60), "SELECT", "2026-12-02", "a:b", "- dash"]),
        lambda: rng.randint(-1000, 10 ** 12),
        lambda: rng.choice([True, False, None]),
        lambda: rng.choice([0.5, 12.25, -7.125, 1e-5, 3e17]),
    ])()


def random_key(rng):
    return rng.choice(["Name", "Status", "Owner", "Tables", "Grants", "Id", "Arn", "Description", "Count",
                       "Location", "Type", "Values"])


def random_object(rng, depth):
    obj = {}
    for _ in range(rng.randint(1, 5)):
        obj[random_key(rng)] = random_value(rng, depth + 1)
    return obj


def random_value(rng, depth=0):
    kind = rng.random()
    if depth >= 3 or kind < 0.45:
        return random_scalar(rng)
    if kind < 0.7:
        return random_object(rng, depth)
    if kind < 0.85:
        # Lists of objects keep each key's kind (scalar or not) the same across elements, as AWS
        # responses do; the AWS CLI's formatters assume it.
        template = random_object(rng, depth)
        return [{k: (random_scalar(rng) if not isinstance(v, (dict, list)) else v)
                 for k, v in template.items() if rng.random() < 0.85} or {"Name": "n"}
                for _ in range(rng.randint(1, 4))]
    return [random_scalar(rng) for _ in range(rng.randint(0, 5))]


def corpus():
    rng = random.Random(20261202)
    docs = list(FIXED)
    docs += [random_object(rng, 0) for _ in range(150)]
    return docs


def ours(fmt, doc, title="Title"):
    out = subprocess.run([TOOL, fmt, title], input=json.dumps(doc).encode(), capture_output=True, check=True)
    return out.stdout.decode()


def aws_cli_text(doc):
    stream = io.StringIO()
    aws_text.format_text(doc, stream)
    return stream.getvalue()


def aws_cli_table(doc, title="Title"):
    # The AWS CLI formats a response (an object) after --query; a query picks out any document.
    stream = io.StringIO()
    TableFormatter(Namespace(color="off", query=jmespath.compile("Value")))(title, {"Value": doc}, stream)
    return stream.getvalue()


@pytest.fixture(autouse=True)
def eighty_columns(monkeypatch):
    # The AWS CLI draws for the terminal on stdout, 80 columns when there is none; so does the tool.
    monkeypatch.setattr(awscli.table, "determine_terminal_width", lambda default_width=80: 80)


def compare(name, render_ours, render_theirs):
    failures = []
    for doc in corpus():
        got = render_ours(doc)  # whatever the document, ours draws it
        try:
            expected = render_theirs(json.loads(json.dumps(doc)))
        except ValueError:
            continue  # the AWS CLI gives up on rows of differing lengths ([1, [2, 3]])
        if got != expected:
            failures.append((doc, expected, got))
    assert not failures, (f"{len(failures)} {name} documents differ; the first:\n"
                          f"{json.dumps(failures[0][0])}\n--- AWS CLI:\n{failures[0][1]}--- datamesh:\n{failures[0][2]}")


def test_text_matches_the_aws_cli():
    compare("text", lambda d: ours("text", d), aws_cli_text)


def test_table_matches_the_aws_cli():
    compare("table", lambda d: ours("table", d, "ListSubscriptions"),
            lambda d: aws_cli_table(d, "ListSubscriptions"))


def test_yaml_reads_back_as_the_document():
    for doc in corpus():
        got = ours("yaml", doc)
        if doc == {}:
            assert got == ""
            continue
        assert yaml.safe_load(got) == doc, f"{json.dumps(doc)}\n---\n{got}"


def test_yaml_quotes_strings_that_would_read_as_numbers_or_booleans():
    doc = {"AccountId": "111111111111", "Flag": "true", "Nothing": "null", "Date": "2026-12-02", "Real": 12}
    got = ours("yaml", doc)
    assert yaml.safe_load(got) == doc
    assert "'111111111111'" in got


def display_width(line):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


def test_table_lines_line_up_with_accented_and_wide_characters():
    # Here we part from the AWS CLI on purpose: it counts East Asian "ambiguous" characters (é, –,
    # ï) two columns wide, which misaligns the box on the terminals that show them one column wide
    # (nearly all outside East Asian locales). Wide characters (日本語) take two, as everywhere.
    got = ours("table", {"Unicode": "café – naïve", "Wide": "日本語のテキスト"})
    widths = {display_width(line) for line in got.splitlines()}
    assert len(widths) == 1, got
