"""The whole data mesh flow through the datamesh CLI, on the embedded local mesh (--local) and
through `datamesh local serve` (--endpoint-url): install, enable, create a product, request,
approve, import, modify, delete — with the state checked through boto3 after the steps — and
the refusals: consumer credentials cannot approve, a denied subscription cannot be imported,
bad regexes, unknown ids and malformed credentials files get clear errors and change nothing."""
import json

import boto3
import pytest
from botocore.config import Config

from mesh_cli import cli, served


@pytest.fixture(params=["embedded", "server"])
def mesh(request, tmp_path):
    db, creds = str(tmp_path / "mesh.db"), str(tmp_path / "creds.json")
    cli("local", "init", "--db", db, "--write-credentials", creds)
    with served(db) as url:
        where = ["--local", db] if request.param == "embedded" else ["--endpoint-url", url]
        yield {"where": where, "creds_file": creds, "creds": json.load(open(creds)), "url": url, "dir": tmp_path}


def boto(m, entry, service):
    c = m["creds"][entry]
    return boto3.client(service, endpoint_url=m["url"], region_name="us-east-1", aws_access_key_id=c["AccessKeyId"],
                        aws_secret_access_key=c["SecretAccessKey"], config=Config(retries={"max_attempts": 1}))


def setup_mesh(m):
    common = [*m["where"], "--credentials-file", m["creds_file"]]
    cli("local", "demo-data", *common)
    cli("install-mesh-objects", *common)
    cli("enable-account", "--account-type", "producer", *common)
    cli("enable-account", "--account-type", "consumer", *common)
    return common


def test_the_whole_flow(mesh):
    common = setup_mesh(mesh)
    producer, consumer, mesh_account = (mesh["creds"][e]["AccountId"] for e in ("Producer", "Consumer", "Mesh"))
    product = cli("create-data-product", *common, "--source-database-name", "sales", "--table-name-regex", "orders|customers",
                  "--domain", "Retail", "--data-product-name", "Sales")
    mesh_db = f"sales-{producer}"
    assert product["DatabaseName"] == mesh_db and {t["SourceTable"] for t in product["Tables"]} == {"orders", "customers"}
    assert cli("create-data-product", *common, "--source_database_name", "sales", "--table_name_regex", "orders|customers",
               "--domain", "Retail", "--data_product_name", "Sales") == product  # a rerun reports the same
    glue_mesh = boto(mesh, "Mesh", "glue")
    assert glue_mesh.get_table(DatabaseName=mesh_db, Name="orders")["Table"]["PartitionKeys"][0]["Name"] == "year"
    assert len(glue_mesh.get_partitions(DatabaseName=mesh_db, TableName="orders")["Partitions"]) == 3
    link = boto(mesh, "ProducerAdmin", "glue").get_table(DatabaseName=mesh_db, Name="orders_link")["Table"]
    assert link["TargetTable"]["CatalogId"] == mesh_account

    request = cli("request-access", *common, "--owner-account-id", producer, "--database-name", mesh_db,
                  "--tables", "orders", "--request-permissions", "SELECT", "DESCRIBE")
    sub = request["SubscriptionId"]
    pending = cli("list-pending-requests", *common)["Subscriptions"]
    assert [p["SubscriptionId"] for p in pending] == [sub]

    approved = cli("approve-subscription", *common, "--request-id", sub, "--decision-notes", "ok")
    assert approved["Status"] == "Active" and approved["RamShares"]
    lf = boto(mesh, "Mesh", "lakeformation")
    table = {"Table": {"DatabaseName": mesh_db, "Name": "orders"}}
    granted = lf.list_permissions(Principal={"DataLakePrincipalIdentifier": consumer}, Resource=table)["PrincipalResourcePermissions"]
    assert sorted(granted[0]["Permissions"]) == ["DESCRIBE", "SELECT"]
    assert sorted(granted[0]["PermissionsWithGrantOption"]) == ["DESCRIBE", "SELECT"]
    assert cli("verify-subscriptions", *common)["InSync"] is True
    # A grant taken behind the mesh's back is found, and repaired.
    lf.revoke_permissions(Principal={"DataLakePrincipalIdentifier": consumer}, Resource=table, Permissions=["SELECT"],
                          PermissionsWithGrantOption=["SELECT"])
    found = cli("verify-subscriptions", *common, "--subscription-id", sub)
    assert found["InSync"] is False and found["Consumers"][0]["Tables"][0]["TableName"] == "orders"
    seen_by_admin = cli("verify-subscriptions", *common, "--persona", "mesh")
    assert seen_by_admin["InSync"] is False and seen_by_admin["Consumers"][0]["OwnerPrincipal"] == producer
    repaired = cli("verify-subscriptions", *common, "--repair")
    assert repaired["Repaired"] is True and repaired["InSyncAfterRepair"] is True
    assert cli("verify-subscriptions", *common)["InSync"] is True

    imported = cli("import-subscription", *common, "--subscription-id", sub)
    assert imported["ImportedToConsumer"] is True
    invitations = boto(mesh, "ConsumerAdmin", "ram").get_resource_share_invitations()["resourceShareInvitations"]
    assert all(i["status"] == "ACCEPTED" for i in invitations) and invitations
    linked = boto(mesh, "ConsumerAdmin", "glue").get_database(Name=mesh_db)["Database"]
    assert linked["TargetDatabase"] == {"CatalogId": mesh_account, "DatabaseName": mesh_db}
    assert [s["SubscriptionId"] for s in cli("list-subscriptions", *common)["Subscriptions"]] == [sub]

    cli("modify-subscription", *common, "--subscription-id", sub, "--grant-permissions", "DESCRIBE", "--notes", "less")
    granted = lf.list_permissions(Principal={"DataLakePrincipalIdentifier": consumer}, Resource=table)["PrincipalResourcePermissions"]
    assert granted[0]["Permissions"] == ["DESCRIBE"]

    deleted = cli("delete-subscription", *common, "--subscription-id", sub, "--reason", "done")
    assert deleted["Status"] == "Deleted"
    assert lf.list_permissions(Principal={"DataLakePrincipalIdentifier": consumer}, Resource=table)["PrincipalResourcePermissions"] == []
    item = boto(mesh, "Mesh", "dynamodb").get_item(TableName="AwsDataMeshSubscriptions", Key={"SubscriptionId": {"S": sub}})["Item"]
    # The producer's decisions and the consumer's own steps are kept apart (each written by its
    # owner alone); get-subscription shows them merged in order.
    assert item["Status"] == {"S": "Deleted"} and len(item["History"]["L"]) == 3
    assert len(item["SubscriberHistory"]["L"]) == 2
    assert set(item["Notes"]["SS"]) == {"ok", "less", "done"}
    history = cli("get-subscription", *common, "--request-id", sub, "--persona", "consumer")["History"]
    assert [h["Action"] for h in history] == ["Request", "Approve", "Import", "Modify", "Delete"]


def test_a_consumers_deletion_is_revoked_by_the_producer(mesh):
    common = setup_mesh(mesh)
    producer, consumer = (mesh["creds"][e]["AccountId"] for e in ("Producer", "Consumer"))
    cli("create-data-product", *common, "--source-database-name", "sales", "--table-name-regex", "orders")
    mesh_db = f"sales-{producer}"
    sub = cli("request-access", *common, "--owner-account-id", producer, "--database-name", mesh_db,
              "--tables", "orders", "--request-permissions", "SELECT")["SubscriptionId"]
    cli("approve-subscription", *common, "--request-id", sub)
    deleted = cli("delete-subscription", *common, "--subscription-id", sub, "--reason", "done", "--persona", "consumer")
    assert deleted["Status"] == "Deleted" and deleted["GrantedTableARNs"]  # only the grantor can revoke them
    lf = boto(mesh, "Mesh", "lakeformation")
    table = {"Table": {"DatabaseName": mesh_db, "Name": "orders"}}
    def grants():
        return lf.list_permissions(Principal={"DataLakePrincipalIdentifier": consumer}, Resource=table)["PrincipalResourcePermissions"]
    assert len(grants()) == 1
    revoked = cli("revoke-deleted-subscriptions", *common)["Subscriptions"]
    assert [s["SubscriptionId"] for s in revoked] == [sub] and revoked[0]["GrantedTableARNs"] == []
    assert revoked[0]["History"][-1]["Action"] == "RevokeGrants"
    assert grants() == []
    assert cli("revoke-deleted-subscriptions", *common) == {"Subscriptions": []}  # a rerun has nothing to do


def test_refusals(mesh):
    common = setup_mesh(mesh)
    producer = mesh["creds"]["Producer"]["AccountId"]
    cli("create-data-product", *common, "--source-database-name", "sales", "--table-name-regex", "orders")
    mesh_db = f"sales-{producer}"
    sub = cli("request-access", *common, "--owner-account-id", producer, "--database-name", mesh_db,
              "--tables", "orders", "--request-permissions", "SELECT")["SubscriptionId"]

    # Consumer credentials cannot approve: the consumer account has no producer role.
    swapped = dict(mesh["creds"], Producer=mesh["creds"]["Consumer"])
    swapped_file = mesh["dir"] / "swapped.json"
    swapped_file.write_text(json.dumps(swapped))
    r = cli("approve-subscription", *mesh["where"], "--credentials-file", str(swapped_file), "--request-id", sub, check=False)
    assert r.returncode != 0 and "AccountNotSetUp" in r.stderr

    # A denied subscription cannot be imported.
    cli("deny-subscription", *common, "--request-id", sub, "--decision-notes", "no")
    r = cli("import-subscription", *common, "--subscription-id", sub, check=False)
    assert r.returncode == 255 and "NotActive" in r.stderr
    again = cli("deny-subscription", *common, "--request-id", sub)  # a rerun reports the standing decision
    assert again["Status"] == "Denied"
    r = cli("modify-subscription", *common, "--subscription-id", sub, "--grant-permissions", "SELECT", "--notes", "x",
            check=False)
    assert r.returncode == 255 and "InvalidTransition" in r.stderr

    # Bad regexes and unknown ids name the problem.
    r = cli("create-data-product", *common, "--source-database-name", "sales", "--table-name-regex", "orders(", check=False)
    assert r.returncode == 252 and "not a valid regular expression" in r.stderr  # an invalid argument value
    r = cli("get-subscription", *common, "--request-id", "no-such-subscription", check=False)
    assert r.returncode == 255 and "NoSuchSubscription" in r.stderr
    r = cli("request-access", *common, "--owner-account-id", producer, "--database-name", mesh_db,
            "--tables", "nothing_here", "--request-permissions", "SELECT", check=False)
    assert r.returncode == 255 and "TableNotVisible" in r.stderr

    # Malformed credentials files.
    bad = mesh["dir"] / "bad.json"
    bad.write_text("{ not json")
    r = cli("list-pending-requests", *mesh["where"], "--credentials-file", str(bad), check=False)
    assert r.returncode == 255 and "bad.json" in r.stderr
    r = cli("approve-subscription", *common, check=False)
    assert r.returncode == 252 and "request-id" in r.stderr

    # None of that changed the subscription beyond the one denial.
    item = cli("get-subscription", *common, "--request-id", sub)
    assert item["Status"] == "Denied" and [h["Action"] for h in item["History"]] == ["Request", "Deny"]


@pytest.mark.parametrize("endpoint", ["htp:/x", "http://", "ftp://example.com", "http://exa mple.com"])
def test_a_bad_endpoint_is_a_clear_error_in_every_command(tmp_path, endpoint):
    creds = tmp_path / "creds.json"
    key = {"AccountId": "111111111111", "AccessKeyId": "AKIAEXAMPLE", "SecretAccessKey": "s"}
    creds.write_text(json.dumps({"Mesh": key, "Producer": key, "ProducerAdmin": key, "Consumer": key, "ConsumerAdmin": key}))
    for command in (["install-mesh-objects"], ["list-pending-requests"], ["list-subscriptions"],
                    ["verify-subscriptions"], ["enable-account", "--account-type", "consumer"],
                    ["request-access", "--owner-account-id", "222222222222", "--database-name", "d", "--tables", "t",
                     "--request-permissions", "SELECT"]):
        r = cli(*command, "--endpoint-url", endpoint, "--credentials-file", str(creds), check=False)
        assert r.returncode == 255, (command, r.returncode, r.stderr)
        assert "InvalidEndpoint" in r.stderr and "SecretAccessKey" not in r.stderr and "Traceback" not in r.stderr


@pytest.fixture(params=[("embedded", "organization"), ("server", "organization"), ("embedded", "mixed"), ("server", "mixed")],
                ids=lambda p: "-".join(p))
def org_mesh(request, tmp_path):
    where, mode = request.param
    db, creds = str(tmp_path / "mesh.db"), str(tmp_path / "creds.json")
    extra = ["--outside-organization", "333333333333"] if mode == "mixed" else []
    init = cli("local", "init", "--db", db, "--write-credentials", creds, "--organization", *extra)
    assert init["Organization"]["RamSharingEnabled"] is True
    with served(db) as url:
        yield {"where": ["--local", db] if where == "embedded" else ["--endpoint-url", url], "creds_file": creds,
               "creds": json.load(open(creds)), "url": url, "mode": mode}


def test_the_flow_inside_an_organization(org_mesh):
    """RAM User Guide: with sharing enabled for the organization, accounts in it receive shares
    without invitations; an account outside it (the consumer, in the mixed mode) gets invitations
    as before. Publishing and importing work either way, and never wait for an invitation that
    cannot come."""
    common = setup_mesh(org_mesh)
    producer, consumer = (org_mesh["creds"][e]["AccountId"] for e in ("Producer", "Consumer"))
    mesh_db = f"sales-{producer}"
    cli("create-data-product", *common, "--source-database-name", "sales", "--table-name-regex", "orders")
    assert boto(org_mesh, "ProducerAdmin", "ram").get_resource_share_invitations()["resourceShareInvitations"] == []
    sub = cli("request-access", *common, "--owner-account-id", producer, "--database-name", mesh_db, "--tables", "orders",
              "--request-permissions", "SELECT")["SubscriptionId"]
    approved = cli("approve-subscription", *common, "--request-id", sub)
    assert approved["RamShares"] and all(s["status"] == ("ACCEPTED" if org_mesh["mode"] == "organization" else "PENDING")
                                         for s in approved["RamShares"].values())
    imported = cli("import-subscription", *common, "--subscription-id", sub)
    assert imported["ImportedToConsumer"] is True
    invitations = boto(org_mesh, "ConsumerAdmin", "ram").get_resource_share_invitations()["resourceShareInvitations"]
    if org_mesh["mode"] == "organization":
        assert invitations == []
    else:
        assert invitations and all(i["status"] == "ACCEPTED" for i in invitations)
    # The consumer reads the shared table through its link either way.
    table = boto(org_mesh, "ConsumerAdmin", "glue").get_table(CatalogId=org_mesh["creds"]["Mesh"]["AccountId"],
                                                             DatabaseName=mesh_db, Name="orders")["Table"]
    assert table["Name"] == "orders"
    assert cli("verify-subscriptions", *common)["InSync"] is True
    cli("delete-subscription", *common, "--subscription-id", sub, "--reason", "done")
