"""Cross-checks datamesh's SigV4 signer against botocore's (Debian python3-botocore) on randomized
requests: methods, unicode and reserved characters in paths and query strings, repeated query
keys, empty values, multi-valued and whitespace-laden headers, empty and binary bodies, session
tokens, header and presigned forms, S3 and non-S3 path rules."""
import base64
import datetime
import json
import os
import random
import subprocess
import urllib.parse

import pytest
from botocore.auth import S3SigV4Auth, S3SigV4QueryAuth, SigV4Auth, SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

SIGV4_TOOL = os.environ.get("SIGV4_TOOL")
CASES = 240
SEED = int(os.environ.get("SIGV4_SEED", "20261122"))

PATH_CHARS = list("abcXYZ019-_.~!$&'()*+,;=:@ %/") + ["ä", "ሴ", "😀", "é"]
QUERY_CHARS = list("abcXYZ019-_.~!$'()*+,;:@/? %=&#[]") + ["ä", "ሴ", "€"]
HEADER_VALUE_CHARS = list("abcXYZ019-_.~!$'()*+,;:@/?=[]{}\"") + [" ", "  ", "\t"]


def rand_text(rng, alphabet, lo, hi):
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(lo, hi)))


def encode_strict(text):
    return urllib.parse.quote(text, safe="-_.~")


def make_case(rng, index):
    s3 = rng.random() < 0.25
    presign = rng.random() < 0.3
    method = rng.choice(["GET", "PUT", "POST", "DELETE", "HEAD", "PATCH"])
    if presign:
        method = "GET"
    # A path as it goes on the wire: each segment percent-encoded once.
    segments = [rand_text(rng, PATH_CHARS, 0, 8) for _ in range(rng.randint(0, 4))]
    if not s3 and rng.random() < 0.2:
        segments.insert(rng.randint(0, len(segments)), rng.choice([".", "..", ""]))
    path = "/" + "/".join(urllib.parse.quote(seg, safe="") for seg in segments)
    if rng.random() < 0.3:
        path += "/"
    query = []
    for _ in range(rng.randint(0, 5)):
        key = rand_text(rng, QUERY_CHARS, 1, 6)
        value = "" if rng.random() < 0.25 else rand_text(rng, QUERY_CHARS, 0, 10)
        query.append([key, value])
        if not presign and rng.random() < 0.3:  # repeated key, another value
            query.append([key, rand_text(rng, QUERY_CHARS, 0, 6)])
    if presign:  # botocore's presigner keeps one value per key
        seen = {}
        for k, v in query:
            seen.setdefault(k, v)
        query = [[k, v] for k, v in seen.items()]
    headers = []
    for _ in range(rng.randint(0, 4)):
        name = rng.choice(["X-Custom", "x-amz-meta-note", "Content-Type", "My-Header", "x-Mixed-CASE"])
        value = rand_text(rng, HEADER_VALUE_CHARS, 0, 12)
        if rng.random() < 0.3:
            value = "  " + value + " \t "
        headers.append([name, value])
        if rng.random() < 0.3:
            headers.append([name, rand_text(rng, HEADER_VALUE_CHARS, 1, 8)])
    if presign:
        headers = [h for h in headers if h[0].lower() != "content-type"]
    body = b""
    if method in ("PUT", "POST", "PATCH") and not presign and rng.random() < 0.7:
        body = bytes(rng.randrange(256) for _ in range(rng.randint(1, 64))) if rng.random() < 0.5 \
            else rand_text(rng, QUERY_CHARS, 1, 40).encode()
    token = None
    if rng.random() < 0.4:
        token = base64.b64encode(bytes(rng.randrange(256) for _ in range(48))).decode()
    when = datetime.datetime(2015, 8, 30, 12, 36, 0) + datetime.timedelta(seconds=rng.randint(0, 10**8))
    return {
        "index": index,
        "method": method,
        "host": rng.choice(["example.amazonaws.com", "glue.eu-west-1.amazonaws.com", "127.0.0.1:4566"]),
        "path": path,
        "query": query,
        "headers": headers,
        "body_b64": base64.b64encode(body).decode(),
        "access_key": "AKID" + rand_text(rng, list("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"), 12, 16),
        "secret": rand_text(rng, list("abcdefghijklmnopqrstuvwxyzABCDEF0123456789/+"), 40, 40),
        "token": token or "",
        "region": rng.choice(["us-east-1", "eu-west-1", "ap-southeast-2"]),
        "service": "s3" if s3 else rng.choice(["glue", "sts", "lakeformation", "service"]),
        "time": when.strftime("%Y%m%dT%H%M%SZ"),
        "mode": "query" if presign else "header",
        "expires": rng.choice([60, 900, 3600, 604800]),
        "s3": s3,
    }


def botocore_sign(case):
    url = "http://" + case["host"] + case["path"]
    if case["query"]:
        url += "?" + "&".join(encode_strict(k) + "=" + encode_strict(v) for k, v in case["query"])
    request = AWSRequest(method=case["method"], url=url, data=base64.b64decode(case["body_b64"]))
    request.headers["Host"] = case["host"]
    for name, value in case["headers"]:
        request.headers[name] = value  # HTTPHeaders appends: repeated names are kept
    creds = Credentials(case["access_key"], case["secret"], case["token"] or None)
    when = datetime.datetime.strptime(case["time"], "%Y%m%dT%H%M%SZ")
    request.context["timestamp"] = case["time"]
    if case["mode"] == "query":
        cls = S3SigV4QueryAuth if case["s3"] else SigV4QueryAuth
        signer = cls(creds, case["service"], case["region"], expires=case["expires"])
    else:
        cls = S3SigV4Auth if case["s3"] else SigV4Auth
        signer = cls(creds, case["service"], case["region"])
    # botocore reads the clock inside add_auth; pin it to the case's time.
    import botocore.auth as auth_module
    real_datetime = auth_module.datetime.datetime

    class FixedDatetime(real_datetime):
        @classmethod
        def utcnow(cls):
            return when

    auth_module.datetime.datetime = FixedDatetime
    try:
        signer.add_auth(request)
        canonical = signer.canonical_request(request)
    finally:
        auth_module.datetime.datetime = real_datetime
    if case["mode"] == "query":
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(request.url).query, keep_blank_values=True)
        return {"signature": query["X-Amz-Signature"][0], "canonical_request": canonical}
    return {"authorization": request.headers["Authorization"], "canonical_request": canonical}


@pytest.fixture(scope="module")
def cases_and_results():
    assert SIGV4_TOOL, "SIGV4_TOOL must point at the sigv4_tool binary"
    rng = random.Random(SEED)
    cases = [make_case(rng, i) for i in range(CASES)]
    stdin = "\n".join(json.dumps(c) for c in cases) + "\n"
    out = subprocess.run([SIGV4_TOOL], input=stdin.encode(), capture_output=True, check=True)
    results = [json.loads(line) for line in out.stdout.decode().splitlines()]
    assert len(results) == len(cases)
    return cases, results


def test_generates_the_promised_variety(cases_and_results):
    cases, _ = cases_and_results
    assert len(cases) >= 200
    assert any(c["mode"] == "query" for c in cases)
    assert any(c["s3"] for c in cases)
    assert any(c["token"] for c in cases)
    assert any(len({k for k, _ in c["query"]}) < len(c["query"]) for c in cases)
    assert any(any(ord(ch) > 127 for ch in c["path"] + json.dumps(c["query"], ensure_ascii=False)) for c in cases)
    assert any(c["body_b64"] == "" for c in cases) and any(c["body_b64"] for c in cases)


def test_datamesh_signatures_match_botocore(cases_and_results):
    cases, results = cases_and_results
    mismatches = []
    for case, ours in zip(cases, results):
        assert ours["signature"] and (case["mode"] == "query" or ours["authorization"])
        theirs = botocore_sign(case)
        if case["mode"] == "query":
            same = ours["signature"] == theirs["signature"]
        else:
            same = ours["authorization"] == theirs["authorization"]
        if not same:
            mismatches.append((case, ours["canonical_request"], theirs["canonical_request"]))
    detail = "\n\n".join(
        f"case {c['index']} ({c['mode']}, s3={c['s3']}):\nours:\n{o}\nbotocore:\n{t}" for c, o, t in mismatches[:3])
    assert not mismatches, f"{len(mismatches)} of {len(cases)} signatures differ\n{detail}"
