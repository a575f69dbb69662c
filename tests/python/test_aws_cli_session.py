"""The AWS CLI (Debian's awscli, /usr/bin/aws) against `datamesh local serve`: a scripted session of
the commands people inspect a mesh with, with --query and --output text, checking what it prints.
The mesh is built by the datamesh CLI first (install, enable, a product with a domain tag, a
request), so that every command has something to show."""
import json
import os
import subprocess

import pytest

from mesh_cli import cli, clean_env, served

AWS = "/usr/bin/aws"


@pytest.fixture(scope="module")
def session(tmp_path_factory):
    if not os.path.exists(AWS):
        pytest.fail("Debian's awscli is not installed: run scripts/setup")
    d = tmp_path_factory.mktemp("awscli")
    db, creds, config = str(d / "mesh.db"), str(d / "creds.json"), str(d / "aws")
    cli("local", "init", "--db", db, "--write-credentials", creds, "--write-aws-config", config)
    common = ["--local", db, "--credentials-file", creds]
    cli("local", "demo-data", *common)
    cli("install-mesh-objects", *common)
    cli("enable-account", "--account-type", "producer", *common)
    cli("enable-account", "--account-type", "consumer", *common)
    cli("create-data-product", *common, "--source-database-name", "sales", "--table-name-regex", "orders",
        "--domain", "Retail", "--data-product-name", "Sales")
    accounts = json.load(open(creds))
    producer = accounts["Producer"]["AccountId"]
    request = cli("request-access", *common, "--owner-account-id", producer, "--database-name", f"sales-{producer}",
                  "--tables", "orders", "--request-permissions", "SELECT", "DESCRIBE")
    with served(db) as url:
        env = clean_env()
        env.update({"AWS_CONFIG_FILE": f"{config}/config", "AWS_SHARED_CREDENTIALS_FILE": f"{config}/credentials",
                    "AWS_PAGER": ""})

        def aws(*args, profile="mesh"):
            r = subprocess.run([AWS, "--endpoint-url", url, "--profile", profile, *args], capture_output=True,
                               text=True, env=env, timeout=120)
            assert r.returncode == 0, f"aws {' '.join(args)}: {r.stderr}"
            return r.stdout
        yield {"aws": aws, "accounts": accounts, "subscription": request["SubscriptionId"]}


def words(text):
    return text.split()


def test_iam_lists(session):
    aws = session["aws"]
    roles = words(aws("iam", "list-roles", "--path-prefix", "/AwsDataMesh/", "--query", "Roles[].RoleName",
                      "--output", "text"))
    assert {"DataMeshManager", "DataMeshAdminReadOnly"} <= set(roles)
    assert any(r.startswith("DataMeshAdminProducer-") for r in roles)
    assert "Administrator" in words(aws("iam", "list-users", "--query", "Users[].UserName", "--output", "text"))
    assert "DataMeshManagerGroup" in words(aws("iam", "list-groups", "--query", "Groups[].GroupName", "--output", "text"))
    assert "DataMeshManagerPolicy" in words(aws("iam", "list-policies", "--scope", "Local", "--query",
                                                "Policies[].PolicyName", "--output", "text"))
    assert aws("iam", "list-role-policies", "--role-name", "DataMeshManager", "--query", "PolicyNames",
               "--output", "json").strip() == "[]"


def test_lake_formation_lists(session):
    aws = session["aws"]
    assert aws("lakeformation", "list-resources", "--query", "ResourceInfoList[].ResourceArn",
               "--output", "text").strip().startswith("arn:aws:s3:::")
    aws("lakeformation", "create-lf-tag", "--tag-key", "inspected", "--tag-values", "yes", "no")
    tags = json.loads(aws("lakeformation", "list-lf-tags", "--output", "json"))["LFTags"]
    assert {"TagKey": "inspected", "TagValues": ["no", "yes"], "CatalogId": session["accounts"]["Mesh"]["AccountId"]} in tags


def test_s3_ls_and_list_buckets(session):
    aws = session["aws"]
    producer = session["accounts"]["Producer"]["AccountId"]
    assert f"datamesh-demo-{producer}" in aws("s3", "ls", profile="producer-admin")
    assert words(aws("s3api", "list-buckets", "--query", "Buckets[].Name", "--output", "text",
                     profile="producer-admin")) == [f"datamesh-demo-{producer}"]


def test_dynamodb_and_its_stream(session):
    aws = session["aws"]
    assert "AwsDataMeshSubscriptions" in words(aws("dynamodb", "list-tables", "--query", "TableNames", "--output", "text"))
    assert aws("dynamodb", "scan", "--table-name", "AwsDataMeshSubscriptions", "--select", "COUNT", "--query", "Count",
               "--output", "text").strip() == "1"
    stream = aws("dynamodbstreams", "list-streams", "--table-name", "AwsDataMeshSubscriptions", "--query",
                 "Streams[0].StreamArn", "--output", "text").strip()
    assert stream.startswith("arn:aws:dynamodb:us-east-1:") and "/stream/" in stream
    shard = aws("dynamodbstreams", "describe-stream", "--stream-arn", stream, "--query",
                "StreamDescription.Shards[0].ShardId", "--output", "text").strip()
    iterator = aws("dynamodbstreams", "get-shard-iterator", "--stream-arn", stream, "--shard-id", shard,
                   "--shard-iterator-type", "TRIM_HORIZON", "--query", "ShardIterator", "--output", "text").strip()
    records = json.loads(aws("dynamodbstreams", "get-records", "--shard-iterator", iterator, "--output", "json"))
    inserted = [r for r in records["Records"] if r["eventName"] == "INSERT"]
    assert [r["dynamodb"]["Keys"]["SubscriptionId"]["S"] for r in inserted] == [session["subscription"]]
    assert inserted[0]["dynamodb"]["NewImage"]["RequestStatus"]["S"] == "Requested"


def test_glue_and_ram(session):
    aws = session["aws"]
    assert aws("glue", "get-crawlers", "--query", "Crawlers[].Name", "--output", "text").strip() == ""
    types = set(words(aws("ram", "list-resources", "--resource-owner", "SELF", "--query", "resources[].type",
                          "--output", "text")))
    assert types == {"glue:Table", "glue:Database"}
    producer = session["accounts"]["Producer"]["AccountId"]
    tables = words(aws("glue", "get-tables", "--database-name", f"sales-{producer}", "--query", "TableList[].Name",
                       "--output", "text"))
    assert tables == ["orders"]
