"""Cross-checks datamesh's protocol codecs against botocore's serializers: for every operation
datamesh uses, random inputs generated from the official model are serialized by both, and the
method, path, query string, bound headers and body (form, JSON or XML) must agree."""
import base64
import datetime
import json
import os
import random
import subprocess
import urllib.parse
import xml.etree.ElementTree as ET

import botocore.session
import pytest
from botocore.serialize import create_serializer

CODEC_TOOL = os.environ.get("CODEC_TOOL")
OPERATIONS = json.load(open(os.path.join(os.path.dirname(__file__), "..", "..", "src", "aws", "model",
                                         "operations.json")))
CASES_PER_OPERATION = 6
SEED = int(os.environ.get("CODEC_SEED", "1122"))
TEXT = list("abcXYZ0189-_./ :+=&?%#~") + ["é", "ሴ"]


class InputGenerator:
    """Random, valid inputs for a botocore shape, in two forms: botocore's (bytes, datetimes) and
    datamesh's JSON form (base64 strings, ISO timestamps)."""

    def __init__(self, rng):
        self.rng = rng

    def value(self, shape, depth):
        t = shape.type_name
        if t == "structure":
            ours, theirs = {}, {}
            required = set(shape.metadata.get("required", []))
            for name, member in shape.members.items():
                if member.type_name == "structure" and depth > 3 and name not in required:
                    continue
                if name in required or (depth < 4 and self.rng.random() < 0.5):
                    if member.serialization.get("location") == "header" and member.type_name not in ("string", "integer", "boolean", "timestamp", "long"):
                        continue
                    o, b = self.value(member, depth + 1)
                    ours[name], theirs[name] = o, b
            return ours, theirs
        if t == "list":
            lo = shape.metadata.get("min", 0)
            n = max(lo, self.rng.randint(0 if depth > 3 else 1, 2))
            pairs = [self.value(shape.member, depth + 1) for _ in range(n)]
            return [p[0] for p in pairs], [p[1] for p in pairs]
        if t == "map":
            ours, theirs = {}, {}
            for _ in range(self.rng.randint(0 if depth > 3 else 1, 2)):
                k, _ = self.value(shape.key, depth + 1)
                ours[k], theirs[k] = self.value(shape.value, depth + 1)
            return ours, theirs
        if t == "string":
            if shape.enum:
                v = self.rng.choice(shape.enum)
                return v, v
            lo = max(1, shape.metadata.get("min", 1))
            hi = max(lo, min(shape.metadata.get("max", 12), 12))
            v = "".join(self.rng.choice(TEXT) for _ in range(self.rng.randint(lo, hi)))
            return v, v
        if t in ("integer", "long"):
            lo = shape.metadata.get("min", 0)
            hi = shape.metadata.get("max", lo + 1000)
            v = self.rng.randint(int(lo), int(min(hi, lo + 100000)))
            return v, v
        if t in ("double", "float"):
            v = round(self.rng.uniform(0, 100), 3)
            return v, v
        if t == "boolean":
            v = self.rng.random() < 0.5
            return v, v
        if t == "timestamp":
            d = datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc) + datetime.timedelta(
                seconds=self.rng.randint(0, 10 ** 8))
            return d.strftime("%Y-%m-%dT%H:%M:%SZ"), d
        if t == "blob":
            b = bytes(self.rng.randrange(256) for _ in range(self.rng.randint(1, 16)))
            return base64.b64encode(b).decode(), b
        raise AssertionError(f"unhandled shape type {t}")


def xml_canonical(element):
    tag = element.tag.split("}")[-1]
    return (tag, (element.text or "").strip(), sorted(element.attrib.items()),
            sorted(xml_canonical(c) for c in element))


def numbers_as_float(v):
    if isinstance(v, bool) or v is None or isinstance(v, str):
        return v
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, list):
        return [numbers_as_float(x) for x in v]
    return {k: numbers_as_float(x) for k, x in v.items()}


def botocore_request(model, op_name, params):
    op = model.operation_model(op_name)
    serialized = create_serializer(model.metadata["protocol"], include_validation=False).serialize_to_request(params, op)
    path, _, static_query = serialized["url_path"].partition("?")
    query = urllib.parse.parse_qsl(static_query, keep_blank_values=True)
    qs = serialized.get("query_string") or {}
    if isinstance(qs, str):
        query += urllib.parse.parse_qsl(qs, keep_blank_values=True)
    else:
        for k, v in qs.items():
            for item in (v if isinstance(v, list) else [v]):
                query.append((k, item))
    body = serialized["body"]
    if isinstance(body, dict):  # the query protocol hands back the form fields
        body = urllib.parse.urlencode(body).encode()
    if isinstance(body, str):
        body = body.encode()
    return {"method": serialized["method"], "path": path, "query": sorted(query),
            "headers": {k.lower(): str(v) for k, v in serialized["headers"].items()}, "body": body or b""}


def compare_bodies(protocol, ours, theirs, content_type):
    if protocol == "query":
        return sorted(urllib.parse.parse_qsl(ours.decode(), keep_blank_values=True)) == \
               sorted(urllib.parse.parse_qsl(theirs.decode(), keep_blank_values=True))
    if not ours and not theirs:
        return True
    if protocol in ("json", "rest-json") and "json" in (content_type or "json"):
        try:
            return numbers_as_float(json.loads(ours or b"{}")) == numbers_as_float(json.loads(theirs or b"{}"))
        except ValueError:
            return ours == theirs
    if protocol == "rest-xml" and ours.startswith(b"<") and theirs.startswith(b"<"):
        return xml_canonical(ET.fromstring(ours)) == xml_canonical(ET.fromstring(theirs))
    return ours == theirs


def all_cases():
    session = botocore.session.get_session()
    rng = random.Random(SEED)
    gen = InputGenerator(rng)
    cases = []
    for service, entry in OPERATIONS.items():
        if service.startswith("_"):
            continue
        model = session.get_service_model(service)
        for op_name in entry["operations"]:
            op = model.operation_model(op_name)
            for _ in range(CASES_PER_OPERATION):
                ours, theirs = gen.value(op.input_shape, 0) if op.input_shape else ({}, {})
                # botocore computes checksums in handlers, not serializers; leave them out.
                for name in ("ContentMD5", "ChecksumAlgorithm"):
                    ours.pop(name, None)
                    theirs.pop(name, None)
                cases.append((service, op_name, model, ours, theirs))
    return cases


@pytest.fixture(scope="module")
def results():
    assert CODEC_TOOL, "CODEC_TOOL must point at the codec_tool binary"
    cases = all_cases()
    stdin = "\n".join(json.dumps({"service": s, "operation": o, "input": ours}) for s, o, _, ours, _ in cases)
    out = subprocess.run([CODEC_TOOL], input=(stdin + "\n").encode(), capture_output=True, check=True)
    lines = [json.loads(line) for line in out.stdout.decode().splitlines()]
    assert len(lines) == len(cases)
    return cases, lines


def test_every_operation_is_covered(results):
    cases, _ = results
    expected = sum(len(e["operations"]) for k, e in OPERATIONS.items() if not k.startswith("_"))
    assert len({(s, o) for s, o, *_ in cases}) == expected
    assert len(cases) >= 6 * expected


def test_requests_match_botocore(results):
    cases, lines = results
    problems = []
    for (service, op_name, model, ours_input, theirs_input), ours in zip(cases, lines):
        where = f"{service}.{op_name} {json.dumps(ours_input, ensure_ascii=False)[:300]}"
        if "error" in ours:
            problems.append(f"{where}: datamesh refused a valid input: {ours['error']}")
            continue
        theirs = botocore_request(model, op_name, theirs_input)
        our_headers = {k.lower(): v for k, v in ours["headers"]}
        our_body = base64.b64decode(ours["body_b64"])
        if ours["method"] != theirs["method"]:
            problems.append(f"{where}: method {ours['method']} != {theirs['method']}")
        if ours["path"] != theirs["path"]:
            problems.append(f"{where}: path {ours['path']} != {theirs['path']}")
        if sorted(tuple(q) for q in ours["query"]) != theirs["query"]:
            problems.append(f"{where}: query {sorted(ours['query'])} != {theirs['query']}")
        for name, value in theirs["headers"].items():
            if name in ("content-type", "content-md5", "content-length"):
                continue
            if value in ("True", "False"):
                # botocore 1.29 leaves Python booleans in headers; the HTTP binding rules (and
                # later botocore releases) write them as true/false, as datamesh does.
                value = value.lower()
            if our_headers.get(name) != value:
                problems.append(f"{where}: header {name}: {our_headers.get(name)!r} != {value!r}")
        if model.metadata["protocol"] == "json" and our_headers.get("content-type") != theirs["headers"].get("content-type"):
            problems.append(f"{where}: content-type {our_headers.get('content-type')} != {theirs['headers'].get('content-type')}")
        if not compare_bodies(model.metadata["protocol"], our_body, theirs["body"], our_headers.get("content-type")):
            problems.append(f"{where}: body\n  ours:     {our_body[:400]!r}\n  botocore: {theirs['body'][:400]!r}")
    assert not problems, f"{len(problems)} differences:\n" + "\n".join(problems[:15])
