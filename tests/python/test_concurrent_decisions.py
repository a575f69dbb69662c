"""Grants follow the record under concurrency: rounds of 32 datamesh processes at once deciding on
two subscriptions of one consumer that share a table (approve with varying permissions, deny, modify, the producer's and the consumer's
delete, and the consumer asking again), through `datamesh local serve`. After every round and the
producer's next workflow, what Lake Formation and the bucket policy hold for the consumer must be
exactly what the subscription's record says: its permissions on the tables it records when it is
Active, nothing otherwise."""
import json
import os
import random
import subprocess

import boto3
import pytest
from botocore.config import Config

from mesh_cli import DATAMESH, clean_env, cli, served
ROUNDS = int(os.environ.get("DATAMESH_CONCURRENCY_ROUNDS", "20"))
PROCESSES = 32
PERMISSION_SETS = [["SELECT"], ["DESCRIBE"], ["SELECT", "DESCRIBE"], ["SELECT", "ALTER"], ["ALTER"]]


@pytest.fixture
def mesh(tmp_path):
    db, creds = str(tmp_path / "mesh.db"), str(tmp_path / "creds.json")
    cli("local", "init", "--db", db, "--write-credentials", creds)
    with served(db) as url:
        yield {"common": ["--endpoint-url", url, "--credentials-file", creds], "url": url, "creds": json.load(open(creds))}


def boto(m, entry, service):
    c = m["creds"][entry]
    return boto3.client(service, endpoint_url=m["url"], region_name="us-east-1", aws_access_key_id=c["AccessKeyId"],
                        aws_secret_access_key=c["SecretAccessKey"], config=Config(retries={"max_attempts": 3}))


def held(m, consumer, database, tables):
    lf = boto(m, "Mesh", "lakeformation")
    out = {}
    for t in tables:
        perms = lf.list_permissions(Principal={"DataLakePrincipalIdentifier": consumer},
                                    Resource={"Table": {"DatabaseName": database, "Name": t}})["PrincipalResourcePermissions"]
        out[t] = sorted(p for e in perms for p in e["Permissions"])
    db = lf.list_permissions(Principal={"DataLakePrincipalIdentifier": consumer}, ResourceType="DATABASE")
    out["<database>"] = any(e["Resource"].get("Database", {}).get("Name") == database
                            for e in db["PrincipalResourcePermissions"])
    return out


def bucket_readable(m, consumer):
    s3 = boto(m, "Producer", "s3")
    bucket = f"datamesh-demo-{m['creds']['Producer']['AccountId']}"
    try:
        policy = json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])
    except s3.exceptions.ClientError:
        return False
    return any(s.get("Sid") == f"DataMeshConsumer{consumer}" for s in policy["Statement"])


def test_grants_equal_the_record_after_every_round(mesh):
    common = mesh["common"]
    cli("local", "demo-data", *common)
    cli("install-mesh-objects", *common)
    cli("enable-account", "--account-type", "producer", *common)
    cli("enable-account", "--account-type", "consumer", *common)
    cli("create-data-product", *common, "--source-database-name", "sales", "--table-name-regex", "orders|customers")
    producer, consumer = mesh["creds"]["Producer"]["AccountId"], mesh["creds"]["Consumer"]["AccountId"]
    database, tables = f"sales-{producer}", ["orders", "customers"]
    def request_of(tables_wanted):
        return ["request-access", *common, "--owner-account-id", producer, "--database-name", database,
                "--tables", *tables_wanted, "--request-permissions", "SELECT", "DESCRIBE"]

    # Two subscriptions of one consumer that share a table: Lake Formation holds one grant per
    # table, so each subscription's changes must keep what the other one needs.
    requests = [request_of(["orders", "customers"]), request_of(["orders"])]
    subs = [cli(*r)["SubscriptionId"] for r in requests]
    rng = random.Random(9)
    env = clean_env()
    mismatches = []
    for round_no in range(ROUNDS):
        commands = []
        for _ in range(PROCESSES):
            perms = rng.choice(PERMISSION_SETS)
            which = rng.randrange(2)
            sub = subs[which]
            commands.append(rng.choice([
                ["approve-subscription", *common, "--request-id", sub, "--grant-permissions", *perms],
                ["approve-subscription", *common, "--request-id", sub, "--grant-permissions", *perms],
                ["deny-subscription", *common, "--request-id", sub],
                ["modify-subscription", *common, "--subscription-id", sub, "--grant-permissions", *perms, "--notes", "m"],
                ["delete-subscription", *common, "--subscription-id", sub, "--reason", "r"],
                ["delete-subscription", *common, "--subscription-id", sub, "--reason", "r", "--persona", "consumer"],
                requests[which],
            ]))
        procs = [subprocess.Popen([DATAMESH, *c], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
                 for c in commands]
        for p in procs:
            _, err = p.communicate(timeout=300)
            # Refusals (a transition not allowed now, a decision on a changed record) are expected;
            # a crash is not.
            assert p.returncode in (0, 252, 254, 255), err
            assert "Traceback" not in err and "Abort" not in err
        # A consumer's deletion leaves the grants to its producer (only the grantor can revoke):
        # the producer's next workflow revokes them.
        cli("list-pending-requests", *common)
        want = {t: set() for t in tables}
        want["<database>"] = False
        statuses = []
        for sub in subs:
            record = cli("get-subscription", *common, "--request-id", sub)
            statuses.append(record["Status"])
            if record["Status"] != "Active":
                continue
            for arn in record["GrantedTableARNs"]:
                want[arn.rsplit("/", 1)[1]] |= set(record["PermittedGrants"])
                want["<database>"] = True
        want = {k: sorted(v) if isinstance(v, set) else v for k, v in want.items()}
        now = held(mesh, consumer, database, tables)
        if now != want or bucket_readable(mesh, consumer) != want["<database>"]:
            mismatches.append((round_no, statuses, want, now))
    assert mismatches == []
