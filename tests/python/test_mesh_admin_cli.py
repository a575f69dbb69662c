"""The mesh set-up commands end to end: `install-mesh-objects` and `enable-account` on the
embedded local mesh (--local) and through `datamesh local serve` (--endpoint-url), with the
resulting state checked with boto3, reruns that change nothing, and refusals that change nothing."""
import json
import os
import signal
import subprocess

import boto3
import pytest
from botocore.config import Config

from mesh_cli import assert_no_secrets

DATAMESH = os.environ.get("DATAMESH_BIN", "datamesh")


def run(*args):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") and k != "DATAMESH_LOCAL"}
    r = subprocess.run([DATAMESH, *args], capture_output=True, text=True, timeout=120, env=env)
    assert_no_secrets(args, env, r)
    return r


@pytest.fixture
def mesh_dir(tmp_path):
    r = run("local", "init", "--db", str(tmp_path / "mesh.db"), "--write-credentials", str(tmp_path / "creds.json"))
    assert r.returncode == 0, r.stderr
    return tmp_path


@pytest.fixture
def server(mesh_dir):
    p = subprocess.Popen([DATAMESH, "local", "serve", "--db", str(mesh_dir / "mesh.db"), "--port", "0"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    url = p.stdout.readline().split("listening on ")[1].split(" ")[0]
    yield url
    p.send_signal(signal.SIGTERM)
    assert p.wait(timeout=30) == 0


def client(url, creds, service):
    return boto3.client(service, endpoint_url=url, region_name="us-east-1", aws_access_key_id=creds["AccessKeyId"],
                        aws_secret_access_key=creds["SecretAccessKey"], config=Config(retries={"max_attempts": 1}))


@pytest.mark.parametrize("way", ["embedded", "server"])
def test_install_and_enable_accounts(mesh_dir, server, way):
    creds_file = str(mesh_dir / "creds.json")
    creds = json.load(open(creds_file))
    where = ["--local", str(mesh_dir / "mesh.db")] if way == "embedded" else ["--endpoint-url", server]
    first = run("install-mesh-objects", *where, "--credentials-file", creds_file)
    assert first.returncode == 0, first.stderr
    objects = json.loads(first.stdout)
    mesh = creds["Mesh"]["AccountId"]
    assert objects["Manager"] == f"arn:aws:iam::{mesh}:role/AwsDataMesh/DataMeshManager"
    assert objects["SubscriptionTracker"]["Table"].endswith(":table/AwsDataMeshSubscriptions")
    again = run("install-mesh-objects", *where, "--credentials_file", creds_file)
    assert again.returncode == 0 and json.loads(again.stdout) == objects

    for account_type in ("producer", "consumer"):
        r = run("enable-account", "--account-type", account_type, *where, "--credentials-file", creds_file)
        assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    consumer = creds["Consumer"]["AccountId"]
    assert out["Consumer"]["Mesh"]["MeshRole"] == f"arn:aws:iam::{mesh}:role/AwsDataMesh/DataMeshAdminConsumer-{consumer}"

    iam = client(server, creds["Mesh"], "iam")
    producer = creds["Producer"]["AccountId"]
    role = iam.get_role(RoleName=f"DataMeshAdminProducer-{producer}")["Role"]
    assert role["Path"] == "/AwsDataMesh/"
    assert role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]["AWS"] == \
        f"arn:aws:iam::{producer}:role/AwsDataMesh/DataMeshProducer"
    trusted = iam.get_role(RoleName="DataMeshAdminReadOnly")["Role"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]["AWS"]
    assert f"arn:aws:iam::{producer}:role/AwsDataMesh/DataMeshProducer" in trusted
    assert f"arn:aws:iam::{consumer}:role/AwsDataMesh/DataMeshConsumer" in trusted
    admins = [a["DataLakePrincipalIdentifier"] for a in
              client(server, creds["Mesh"], "lakeformation").get_data_lake_settings()["DataLakeSettings"]["DataLakeAdmins"]]
    assert objects["Manager"] in admins and role["Arn"] not in admins
    groups = client(server, creds["ProducerAdmin"], "iam").get_group(GroupName="DataMeshProducerGroup")
    assert [u["UserName"] for u in groups["Users"]] == ["DataMeshProducer"]
    table = client(server, creds["Mesh"], "dynamodb").describe_table(TableName="AwsDataMeshSubscriptions")["Table"]
    assert {i["IndexName"] for i in table["GlobalSecondaryIndexes"]} == {
        "AwsDataMeshSubscriptions-Owner", "AwsDataMeshSubscriptions-Subscriber", "AwsDataMeshSubscriptions-Inbox",
        "AwsDataMeshSubscriptions-Pair"}


def test_refusals_change_nothing(mesh_dir):
    creds_file = str(mesh_dir / "creds.json")
    where = ["--local", str(mesh_dir / "mesh.db")]
    # Enabling before the mesh and the account exist fails with a clear error.
    r = run("enable-account", "--account-type", "producer", *where, "--credentials-file", creds_file)
    assert r.returncode == 255 and "MeshNotInstalled" in r.stderr and "install-mesh-objects" in r.stderr
    # The wrong persona for the mesh account.
    creds = json.load(open(creds_file))
    swapped = dict(creds, Mesh=dict(creds["Producer"], AccountId=creds["Mesh"]["AccountId"]))
    (mesh_dir / "swapped.json").write_text(json.dumps(swapped))
    r = run("install-mesh-objects", *where, "--credentials-file", str(mesh_dir / "swapped.json"))
    assert r.returncode == 255 and "WrongAccount" in r.stderr
    # Malformed credentials files name the problem.
    (mesh_dir / "bad.json").write_text(json.dumps({"Mesh": {"AccountId": "1", "AccessKeyId": "x", "SecretAccessKey": "y"}}))
    r = run("install-mesh-objects", *where, "--credentials-file", str(mesh_dir / "bad.json"))
    assert r.returncode == 255 and "AccountId" in r.stderr
    r = run("enable-account", "--account-type", "producer", *where, "--credentials-file", creds_file,
            "--account-entry", "Nobody")
    assert r.returncode == 255 and "Nobody" in r.stderr
    # Nothing was created by any of these.
    server = subprocess.Popen([DATAMESH, "local", "serve", "--db", str(mesh_dir / "mesh.db"), "--port", "0"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = server.stdout.readline().split("listening on ")[1].split(" ")[0]
        iam = client(url, creds["Mesh"], "iam")
        with pytest.raises(iam.exceptions.NoSuchEntityException):
            iam.get_role(RoleName="DataMeshManager")
        with pytest.raises(iam.exceptions.NoSuchEntityException):
            client(url, creds["ProducerAdmin"], "iam").get_role(RoleName="DataMeshProducer")
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_help_lists_the_commands():
    r = run("--help")
    assert r.returncode == 0
    commands = ("install-mesh-objects", "enable-account", "create-data-product", "migrate-tables-to-mesh",
                "get-data-product", "list-pending-requests", "revoke-deleted-subscriptions", "approve-subscription",
                "deny-subscription", "modify-subscription", "delete-subscription", "get-subscription",
                "request-access", "import-subscription", "list-subscriptions", "whoami", "local")
    for command in commands:
        assert command in r.stdout
        sub = run(command, "--help")
        assert sub.returncode == 0 and "--help" in sub.stdout and "--credentials-file" in sub.stdout + r.stdout, command
    r = run("enable-account", "--help")
    assert "--account-type" in r.stdout and "--crawler-role-arn" in r.stdout
