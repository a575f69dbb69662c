"""The Python library's command line (data-mesh-cli) forms, accepted by datamesh beside its own:
comma-separated lists, account types in any case, --region_name, --use_credentials JSON (never
printed), --log_level with Python's level names, boolean words, and `help`."""
import json

import pytest

from mesh_cli import cli, run_cli


@pytest.fixture(scope="module")
def mesh(tmp_path_factory):
    d = tmp_path_factory.mktemp("forms")
    db, creds = str(d / "mesh.db"), str(d / "creds.json")
    cli("local", "init", "--db", db, "--write-credentials", creds)
    base = ["--local", db, "--credentials-file", creds, "--quiet"]
    cli("local", "demo-data", *base)
    cli("install-mesh-objects", *base, "--region_name", "us-east-1", "--log_level", "INFO")
    cli("enable-account", "--account_type", "Producer", *base)
    cli("enable-account", "--account_type", "CONSUMER", *base)
    return {"base": base, "creds": json.load(open(creds)), "db": db}


def test_comma_lists_and_boolean_words(mesh):
    base = mesh["base"]
    cli("create-data-product", *base, "--source_database_name", "sales", "--create_public_metadata", "True")
    producer = mesh["creds"]["Producer"]["AccountId"]
    r = cli("request-access", *base, "--database_name", f"sales-{producer}", "--tables", "orders,customers",
            "--request_permissions", "SELECT,DESCRIBE")
    sub = cli("get-subscription", *base, "--request-id", r["SubscriptionId"], "--persona", "consumer")
    assert sorted(sub["TableName"]) == ["customers", "orders"] and sorted(sub["RequestedGrants"]) == ["DESCRIBE", "SELECT"]
    # A comma inside a regular expression's braces stays in it.
    r = cli("request-access", *base, "--database_name", f"sales-{producer}", "--tables", "ord{1,2}ers",
            "--request_permissions", "SELECT")
    assert cli("get-subscription", *base, "--request-id", r["SubscriptionId"], "--persona", "consumer")[
        "TableName"] == ["ord{1,2}ers"]
    bad = run_cli("create-data-product", *base, "--source_database_name", "sales", "--create_public_metadata", "Maybe")
    assert bad.returncode == 252


def test_use_credentials_json_for_every_persona_and_never_printed(mesh):
    consumer = mesh["creds"]["Consumer"]
    where = ["--local", mesh["db"]]
    data_mesh = ["--data_mesh_account_id", mesh["creds"]["Mesh"]["AccountId"]]
    out = cli("list-subscriptions", *where, *data_mesh, "--use_credentials", json.dumps(consumer))
    assert "Subscriptions" in out
    broken = dict(consumer)
    del broken["SecretAccessKey"]
    r = run_cli("list-subscriptions", *where, *data_mesh, "--use_credentials", json.dumps(broken))
    assert r.returncode != 0 and "SecretAccessKey" in r.stderr and consumer["AccessKeyId"] not in r.stderr
    r = run_cli("list-subscriptions", *where, *data_mesh, "--use_credentials", "not json " + consumer["SecretAccessKey"])
    assert r.returncode == 252 and consumer["SecretAccessKey"] not in r.stderr + r.stdout


def test_log_level_takes_pythons_names_and_help_is_a_word(mesh):
    assert run_cli("list-subscriptions", *mesh["base"], "--log_level", "WARNING").returncode == 0
    assert run_cli("list-subscriptions", *mesh["base"], "--log_level", "CRITICAL").returncode == 0
    assert run_cli("list-subscriptions", *mesh["base"], "--log_level", "CHATTY").returncode == 252
    r = run_cli("request-access", "help")
    assert r.returncode == 0 and "--tables" in r.stdout
