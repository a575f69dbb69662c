"""Fixtures for boto3 tests against `datamesh local serve`: a fresh local mesh per test module,
served on a free port of 127.0.0.1, stopped with SIGTERM afterwards."""
import json
import os
import signal
import sqlite3
import subprocess
import time
import urllib.request
import uuid

import boto3
import pytest
from botocore.config import Config

import response_shapes

response_shapes.register()

DATAMESH = os.environ.get("DATAMESH_BIN", "datamesh")


class LocalMesh:
    def __init__(self, workdir, init_args=()):
        self.workdir = workdir
        self.db = str(workdir / "mesh.db")
        self.creds_path = str(workdir / "creds.json")
        subprocess.run([DATAMESH, "local", "init", "--db", self.db, "--write-credentials", self.creds_path,
                        "--producer-account", "222222222222", "--producer-account", "444444444444",
                        "--consumer-account", "333333333333", *init_args], check=True, capture_output=True)
        self.creds = json.load(open(self.creds_path))
        self.process = subprocess.Popen([DATAMESH, "local", "serve", "--db", self.db, "--port", "0"],
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.process.stdout.readline()
        assert "listening on" in line, line + self.process.stderr.read()
        self.url = line.split("listening on ")[1].split(" ")[0]
        self.region = self.creds["AWS_REGION"]

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(timeout=30)
        assert code == 0, f"server exited with {code}: {self.process.stderr.read()}"

    def admin(self, role):
        entry = {"mesh": "Mesh", "producer": "ProducerAdmin", "consumer": "ConsumerAdmin"}[role]
        return self.creds[entry]

    def account(self, role):
        return self.admin(role)["AccountId"]

    def keys(self, account_id):
        for entry in self.creds["Accounts"]:
            if entry["AccountId"] == account_id:
                return entry
        raise KeyError(account_id)

    def client(self, service, creds, region=None, **config):
        return boto3.client(
            service, endpoint_url=self.url, region_name=region or self.region,
            aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
            aws_session_token=creds.get("SessionToken"),
            config=Config(retries={"max_attempts": 1, "mode": "standard"}, **config))

    def as_admin(self, service, role="mesh", **kw):
        return self.client(service, self.admin(role), **kw)

    def sql(self, statement, *args):
        with sqlite3.connect(self.db, timeout=30) as conn:
            return conn.execute(statement, args).fetchall()

    def health(self):
        with urllib.request.urlopen(self.url + "/_datamesh/health", timeout=5) as r:
            return json.loads(r.read())


@pytest.fixture(scope="module")
def mesh(tmp_path_factory):
    m = LocalMesh(tmp_path_factory.mktemp("localmesh"))
    yield m
    m.stop()


def unique(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def trust_policy(*principals, condition=None, service=None):
    principal = {"Service": service} if service else {"AWS": list(principals) if len(principals) > 1 else principals[0]}
    statement = {"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}
    if condition:
        statement["Condition"] = condition
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def allow_all_policy():
    return json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})


def session_creds(assumed):
    c = assumed["Credentials"]
    return {"AccessKeyId": c["AccessKeyId"], "SecretAccessKey": c["SecretAccessKey"], "SessionToken": c["SessionToken"]}


def error_code(excinfo):
    return excinfo.value.response["Error"]["Code"]


def pytest_sessionfinish(session, exitstatus):
    """With DATAMESH_RESPONSE_COVERAGE=1 (the CTest run of the whole folder), every operation the
    local mesh serves must have answered some test, its answer checked against its output shape."""
    if os.environ.get("DATAMESH_RESPONSE_COVERAGE") != "1" or exitstatus != 0:
        return
    missing = response_shapes.unseen()
    if missing:
        print("\nOperations no test received a checked answer from: " + ", ".join(f"{s}:{o}" for s, o in missing))
        session.exitstatus = 1
