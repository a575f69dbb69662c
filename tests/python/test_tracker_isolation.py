"""The subscription tracker's isolation, enforced by AWS permissions and tried as an attacker would:
with plain boto3 through the very role chains each persona assumes (account administrator ->
DataMeshProducer/DataMeshConsumer -> the account's mesh role), against `datamesh local serve`.

Every cross-tenant or self-promoting write must be refused with AccessDeniedException by the
(local) AWS, not by our client; every legitimate write of each persona must still work; and what a
consumer may write must never widen what its producer grants.

The policies use DynamoDB fine-grained access control (DynamoDB Developer Guide, "Using IAM policy
conditions for fine-grained access control": dynamodb:LeadingKeys for the partition key a request
reaches, dynamodb:Attributes for the top-level attributes it names, conditions included)."""
import json
import subprocess

import boto3
import botocore.exceptions
import pytest
from botocore.config import Config

from mesh_cli import DATAMESH, clean_env, cli, served
MESH, PRODUCER_A, PRODUCER_B, CONSUMER_C, CONSUMER_D = (
    "111111111111", "222222222222", "444444444444", "333333333333", "555555555555")
TABLE = "AwsDataMeshSubscriptions"


@pytest.fixture(scope="module")
def mesh(tmp_path_factory):
    d = tmp_path_factory.mktemp("isolation")
    db, creds_path = str(d / "mesh.db"), str(d / "creds.json")
    cli("local", "init", "--db", db, "--write-credentials", creds_path,
        "--producer-account", PRODUCER_A, "--producer-account", PRODUCER_B,
        "--consumer-account", CONSUMER_C, "--consumer-account", CONSUMER_D)
    creds = json.load(open(creds_path))
    keys = {a["AccountId"]: a for a in creds["Accounts"]}
    with served(db) as url:
        yield _set_up(d, url, keys)


def _set_up(d, url, keys):
    """Both producers publish, C subscribes to both, D asks A; answers what the tests need."""
    def persona_file(producer, consumer):
        entry = lambda account: {"AccountId": account, "AccessKeyId": keys[account]["AccessKeyId"],
                                 "SecretAccessKey": keys[account]["SecretAccessKey"]}
        path = d / f"creds-{producer}-{consumer}.json"
        path.write_text(json.dumps({"Mesh": entry(MESH), "Producer": entry(producer), "ProducerAdmin": entry(producer),
                                    "Consumer": entry(consumer), "ConsumerAdmin": entry(consumer)}))
        return ["--endpoint-url", url, "--credentials-file", str(path)]

    as_a, as_b = persona_file(PRODUCER_A, CONSUMER_C), persona_file(PRODUCER_B, CONSUMER_D)
    cli("install-mesh-objects", *as_a)
    for who in (as_a, as_b):
        cli("local", "demo-data", *who)
        cli("enable-account", "--account-type", "producer", *who)
        cli("enable-account", "--account-type", "consumer", *who)
        cli("create-data-product", *who, "--source-database-name", "sales", "--table-name-regex", "orders|customers")
    as_c_to_b = persona_file(PRODUCER_B, CONSUMER_C)
    as_d_to_a = persona_file(PRODUCER_A, CONSUMER_D)
    # C subscribes to A's and B's orders (both approved), D asks A for customers (left pending).
    sub_a = cli("request-access", *as_a, "--owner-account-id", PRODUCER_A, "--database-name", f"sales-{PRODUCER_A}",
                "--tables", "orders", "--request-permissions", "SELECT", "DESCRIBE")["SubscriptionId"]
    cli("approve-subscription", *as_a, "--request-id", sub_a)
    sub_b = cli("request-access", *as_c_to_b, "--owner-account-id", PRODUCER_B, "--database-name", f"sales-{PRODUCER_B}",
                "--tables", "orders", "--request-permissions", "SELECT")["SubscriptionId"]
    cli("approve-subscription", *as_c_to_b, "--request-id", sub_b)
    sub_d = cli("request-access", *as_d_to_a, "--owner-account-id", PRODUCER_A, "--database-name", f"sales-{PRODUCER_A}",
                "--tables", "customers", "--request-permissions", "SELECT")["SubscriptionId"]
    return {"url": url, "keys": keys, "as_a": as_a, "as_b": as_b, "as_c_to_b": as_c_to_b,
            "sub_a": sub_a, "sub_b": sub_b, "sub_d": sub_d}


def client(m, service, creds):
    return boto3.client(service, endpoint_url=m["url"], region_name="us-east-1", config=Config(retries={"max_attempts": 1}),
                        **creds)


def role_chain(m, account, local_role, mesh_role, service="dynamodb"):
    """The account administrator's keys -> the account's DataMesh role -> its role in the mesh."""
    k = m["keys"][account]
    creds = {"aws_access_key_id": k["AccessKeyId"], "aws_secret_access_key": k["SecretAccessKey"]}
    for arn in (f"arn:aws:iam::{account}:role/AwsDataMesh/{local_role}", f"arn:aws:iam::{MESH}:role/AwsDataMesh/{mesh_role}"):
        c = client(m, "sts", creds).assume_role(RoleArn=arn, RoleSessionName="attacker")["Credentials"]
        creds = {"aws_access_key_id": c["AccessKeyId"], "aws_secret_access_key": c["SecretAccessKey"],
                 "aws_session_token": c["SessionToken"]}
    return client(m, service, creds)


def consumer_ddb(m, account=CONSUMER_C):
    return role_chain(m, account, "DataMeshConsumer", f"DataMeshAdminConsumer-{account}")


def producer_ddb(m, account=PRODUCER_A):
    return role_chain(m, account, "DataMeshProducer", f"DataMeshAdminProducer-{account}")


def denied(call):
    with pytest.raises(botocore.exceptions.ClientError) as e:
        call()
    assert e.value.response["Error"]["Code"] == "AccessDeniedException", e.value.response
    return e.value


def key(sid):
    return {"SubscriptionId": {"S": sid}}


def item(m, sid):
    k = m["keys"][MESH]
    admin = client(m, "dynamodb", {"aws_access_key_id": k["AccessKeyId"], "aws_secret_access_key": k["SecretAccessKey"]})
    return admin.get_item(TableName=TABLE, Key=key(sid), ConsistentRead=True)["Item"]


def consumer_grants(m, consumer, database, table):
    k = m["keys"][MESH]
    lf = client(m, "lakeformation", {"aws_access_key_id": k["AccessKeyId"], "aws_secret_access_key": k["SecretAccessKey"]})
    out = lf.list_permissions(Principal={"DataLakePrincipalIdentifier": consumer},
                              Resource={"Table": {"DatabaseName": database, "Name": table}})
    return sorted(p for e in out["PrincipalResourcePermissions"] for p in e["Permissions"])


def test_a_consumer_cannot_promote_its_own_request(mesh):
    ddb = consumer_ddb(mesh)
    pending = cli("request-access", *mesh["as_a"], "--owner-account-id", PRODUCER_A, "--database-name",
                  f"sales-{PRODUCER_A}", "--tables", "customers", "--request-permissions", "SELECT")["SubscriptionId"]
    before = item(mesh, pending)
    forged = {"Status": {"S": "Active"}, "PermittedGrants": {"L": [{"S": "ALL"}]},
              "GrantedTableARNs": {"L": [{"S": f"arn:aws:glue:us-east-1:{MESH}:table/sales-{PRODUCER_A}/customers"}]},
              "DecisionVersion": {"N": "1"}, "DecidedRequestVersion": {"N": "1"}, "History": {"L": []},
              "GrantableGrants": {"L": [{"S": "SELECT"}]}, "RamShares": {"M": {}}, "Notes": {"SS": ["approved"]},
              # The end of an approval's access is the producer's to set: a consumer may not push it back.
              "ExpiresAt": {"S": "2999-01-01 00:00:00"}}
    for name, value in forged.items():
        denied(lambda: ddb.update_item(TableName=TABLE, Key=key(pending), UpdateExpression="SET #a = :v",
                                       ExpressionAttributeNames={"#a": name}, ExpressionAttributeValues={":v": value}))
    # Nor by replacing or deleting the whole item, nor by naming a decision attribute in a condition.
    denied(lambda: ddb.update_item(TableName=TABLE, Key=key(pending), UpdateExpression="REMOVE ExpiresAt"))
    denied(lambda: ddb.put_item(TableName=TABLE, Item={**before, **forged}))
    denied(lambda: ddb.delete_item(TableName=TABLE, Key=key(pending)))
    denied(lambda: ddb.update_item(TableName=TABLE, Key=key(pending), UpdateExpression="SET UpdatedBy = :v",
                                   ConditionExpression="#s = :p", ExpressionAttributeNames={"#s": "Status"},
                                   ExpressionAttributeValues={":v": {"S": "me"}, ":p": {"S": "Pending"}}))
    assert item(mesh, pending) == before
    # Its own request's attributes it may write (the policy is not simply closed).
    ddb.update_item(TableName=TABLE, Key=key(pending), UpdateExpression="SET UpdatedBy = :v",
                    ExpressionAttributeValues={":v": {"S": "the consumer"}})
    status = cli("get-subscription", *mesh["as_a"], "--request-id", pending, "--persona", "consumer")["Status"]
    assert status == "Pending"


def test_a_consumer_cannot_write_or_read_anyone_elses_subscriptions(mesh):
    ddb = consumer_ddb(mesh)
    # D's request to A, and an item claiming to be D's or to be A's bookkeeping.
    for sid in (mesh["sub_d"], f"{PRODUCER_A}-{CONSUMER_D}-00000000000000000000000000000000",
                f"{CONSUMER_D}-{PRODUCER_A}-{CONSUMER_C}-0000"):
        denied(lambda: ddb.update_item(TableName=TABLE, Key=key(sid), UpdateExpression="SET RequestStatus = :v",
                                       ExpressionAttributeValues={":v": {"S": "Withdrawn"}}))
    denied(lambda: ddb.get_item(TableName=TABLE, Key=key(mesh["sub_d"])))
    denied(lambda: ddb.update_item(TableName=TABLE, Key=key(f"{PRODUCER_A}-{CONSUMER_C}-grants"),
                                   UpdateExpression="ADD Generation :one", ExpressionAttributeValues={":one": {"N": "1"}}))
    denied(lambda: ddb.query(TableName=TABLE, IndexName=f"{TABLE}-Subscriber", KeyConditionExpression="SubscriberPrincipal = :s",
                             ExpressionAttributeValues={":s": {"S": CONSUMER_D}}))
    denied(lambda: ddb.query(TableName=TABLE, IndexName=f"{TABLE}-Owner", KeyConditionExpression="OwnerPrincipal = :o",
                             ExpressionAttributeValues={":o": {"S": PRODUCER_A}}))
    denied(lambda: ddb.scan(TableName=TABLE))
    mine = ddb.query(TableName=TABLE, IndexName=f"{TABLE}-Subscriber", KeyConditionExpression="SubscriberPrincipal = :s",
                     ExpressionAttributeValues={":s": {"S": CONSUMER_C}})["Items"]
    assert {i["SubscriptionId"]["S"] for i in mine} >= {mesh["sub_a"], mesh["sub_b"]}


def test_a_producer_cannot_touch_another_producers_subscriptions(mesh):
    ddb = producer_ddb(mesh, PRODUCER_A)
    sub_b = mesh["sub_b"]
    before = item(mesh, sub_b)
    denied(lambda: ddb.update_item(TableName=TABLE, Key=key(sub_b), UpdateExpression="SET #s = :d",
                                   ExpressionAttributeNames={"#s": "Status"}, ExpressionAttributeValues={":d": {"S": "Deleted"}}))
    denied(lambda: ddb.update_item(TableName=TABLE, Key=key(sub_b), UpdateExpression="SET RequestStatus = :w",
                                   ExpressionAttributeValues={":w": {"S": "Withdrawn"}}))
    denied(lambda: ddb.get_item(TableName=TABLE, Key=key(sub_b)))
    denied(lambda: ddb.put_item(TableName=TABLE, Item={**before, "Status": {"S": "Deleted"}}))
    denied(lambda: ddb.delete_item(TableName=TABLE, Key=key(sub_b)))
    denied(lambda: ddb.update_item(TableName=TABLE, Key=key(f"{PRODUCER_B}-{CONSUMER_C}-grants"),
                                   UpdateExpression="ADD Generation :one", ExpressionAttributeValues={":one": {"N": "1"}}))
    for index, attribute in ((f"{TABLE}-Owner", "OwnerPrincipal"), (f"{TABLE}-Inbox", "InboxOwner"),
                             (f"{TABLE}-Pair", "OwnerPrincipal")):
        denied(lambda: ddb.query(TableName=TABLE, IndexName=index, KeyConditionExpression="#k = :o",
                                 ExpressionAttributeNames={"#k": attribute}, ExpressionAttributeValues={":o": {"S": PRODUCER_B}}))
    # Its own pairs it reads through the Pair index, and no one else's.
    own = ddb.query(TableName=TABLE, IndexName=f"{TABLE}-Pair",
                    KeyConditionExpression="OwnerPrincipal = :o AND SubscriberPrincipal = :c",
                    ExpressionAttributeValues={":o": {"S": PRODUCER_A}, ":c": {"S": CONSUMER_C}})["Items"]
    assert mesh["sub_a"] in {i["SubscriptionId"]["S"] for i in own}
    assert {i["OwnerPrincipal"]["S"] for i in own} == {PRODUCER_A}
    # Its own subscriptions it may read in batches (decisions do), and no one else's: BatchGetItem's
    # dynamodb:LeadingKeys holds every key of the call, so one of B's keys among A's refuses it all.
    both = [key(mesh["sub_a"]), key(sub_b)]
    denied(lambda: ddb.batch_get_item(RequestItems={TABLE: {"Keys": [key(sub_b)], "ConsistentRead": True}}))
    denied(lambda: ddb.batch_get_item(RequestItems={TABLE: {"Keys": both, "ConsistentRead": True}}))
    batch = ddb.batch_get_item(RequestItems={TABLE: {"Keys": [key(mesh["sub_a"])], "ConsistentRead": True}})
    assert [i["SubscriptionId"]["S"] for i in batch["Responses"][TABLE]] == [mesh["sub_a"]]
    assert item(mesh, sub_b) == before
    # B's next inbox run leaves C's grants on B's table as they are.
    cli("list-pending-requests", *mesh["as_b"])
    assert consumer_grants(mesh, CONSUMER_C, f"sales-{PRODUCER_B}", "orders") == ["SELECT"]
    # A's own subscriptions it reads and decides on.
    assert ddb.get_item(TableName=TABLE, Key=key(mesh["sub_a"]))["Item"]["Status"] == {"S": "Active"}


def test_what_a_consumer_may_write_never_widens_its_grants(mesh):
    ddb = consumer_ddb(mesh)
    sub_a = mesh["sub_a"]
    # The consumer rewrites its request after the approval: every table, every permission, and
    # files it in producer B's inbox.
    ddb.update_item(TableName=TABLE, Key=key(sub_a),
                    UpdateExpression="SET TableName = :all, RequestedGrants = :perms, InboxOwner = :b",
                    ExpressionAttributeValues={":all": {"L": [{"S": ".*"}]}, ":perms": {"L": [{"S": "ALL"}]},
                                               ":b": {"S": PRODUCER_B}})
    cli("list-pending-requests", *mesh["as_a"])
    pending_b = cli("list-pending-requests", *mesh["as_b"])["Subscriptions"]
    assert sub_a not in {p["SubscriptionId"] for p in pending_b}
    # The producer's next decisions act on what it recorded, not on the rewritten request.
    cli("modify-subscription", *mesh["as_a"], "--subscription-id", sub_a, "--grant-permissions", "SELECT", "--notes", "n")
    assert consumer_grants(mesh, CONSUMER_C, f"sales-{PRODUCER_A}", "orders") == ["SELECT"]
    assert consumer_grants(mesh, CONSUMER_C, f"sales-{PRODUCER_A}", "customers") == []
    # Re-requesting its own subscription only ever takes its grants away until the producer decides.
    # Made without filing it in A's inbox, the producer's full sweep finds it (decisions read only
    # the inbox, so that their cost does not grow with the producer's Active subscriptions).
    ddb.update_item(TableName=TABLE, Key=key(sub_a), UpdateExpression="SET RequestVersion = RequestVersion + :one",
                    ExpressionAttributeValues={":one": {"N": "1"}})
    assert cli("get-subscription", *mesh["as_a"], "--request-id", sub_a)["Status"] == "Pending"
    swept = cli("revoke-deleted-subscriptions", *mesh["as_a"])["Subscriptions"]
    assert [s["SubscriptionId"] for s in swept] == [sub_a]
    assert consumer_grants(mesh, CONSUMER_C, f"sales-{PRODUCER_A}", "orders") == []
    # Filed in A's inbox, the next of A's workflows (even a listing) takes the grants away.
    cli("approve-subscription", *mesh["as_a"], "--request-id", sub_a)
    assert consumer_grants(mesh, CONSUMER_C, f"sales-{PRODUCER_A}", "orders") != []
    ddb.update_item(TableName=TABLE, Key=key(sub_a),
                    UpdateExpression="SET RequestVersion = RequestVersion + :one, InboxOwner = :a",
                    ExpressionAttributeValues={":one": {"N": "1"}, ":a": {"S": PRODUCER_A}})
    cli("list-pending-requests", *mesh["as_a"])
    assert consumer_grants(mesh, CONSUMER_C, f"sales-{PRODUCER_A}", "orders") == []


def test_the_batch_and_stream_paths_are_closed_to_the_mesh_roles_too(mesh):
    # BatchWriteItem and the tracker's stream are other ways into the table: neither role's policy
    # grants them, so raw calls with the mesh's own credentials are refused, and nothing is
    # written. BatchGetItem only the producer has, for its own subscriptions (both of these are
    # producer A's; another producer's are refused, above); the consumer reads one at a time.
    sub_a, sub_d = mesh["sub_a"], mesh["sub_d"]
    before = {sid: item(mesh, sid) for sid in (sub_a, sub_d)}
    for ddb in (consumer_ddb(mesh), producer_ddb(mesh, PRODUCER_A)):
        denied(lambda: ddb.batch_write_item(RequestItems={TABLE: [
            {"PutRequest": {"Item": {**before[sub_d], "Status": {"S": "Active"}}}},
            {"DeleteRequest": {"Key": key(sub_a)}}]}))
    denied(lambda: consumer_ddb(mesh).batch_get_item(RequestItems={TABLE: {"Keys": [key(sub_a)]}}))
    read = producer_ddb(mesh, PRODUCER_A).batch_get_item(RequestItems={TABLE: {"Keys": [key(sub_a), key(sub_d)]}})
    assert sorted(i["SubscriptionId"]["S"] for i in read["Responses"][TABLE]) == sorted([sub_a, sub_d])
    assert {sid: item(mesh, sid) for sid in (sub_a, sub_d)} == before
    k = mesh["keys"][MESH]
    stream = client(mesh, "dynamodb", {"aws_access_key_id": k["AccessKeyId"], "aws_secret_access_key": k["SecretAccessKey"]}) \
        .describe_table(TableName=TABLE)["Table"]["LatestStreamArn"]
    for streams in (role_chain(mesh, CONSUMER_C, "DataMeshConsumer", f"DataMeshAdminConsumer-{CONSUMER_C}", "dynamodbstreams"),
                    role_chain(mesh, PRODUCER_A, "DataMeshProducer", f"DataMeshAdminProducer-{PRODUCER_A}", "dynamodbstreams")):
        denied(lambda: streams.describe_stream(StreamArn=stream))


def test_a_consumer_cannot_tell_the_producers_decisions(mesh):
    """A consumer's mesh role may append to its own half of the record (SubscriberHistory), and IAM
    cannot look at what it appends. An entry there claiming a decision (an approval by the producer,
    an expiry) is not the producer's: neither the subscription's History nor the events show it."""
    ddb = consumer_ddb(mesh)
    sub = mesh["sub_a"]
    producer_role = f"arn:aws:sts::{MESH}:assumed-role/DataMeshAdminProducer-{PRODUCER_A}/datamesh-producer-{PRODUCER_A}"
    before = cli("get-subscription", *mesh["as_a"], "--request-id", sub)
    history_before = before["History"]
    forged = [{"M": {"Time": {"S": "2026-12-02 10:00:00"}, "Principal": {"S": producer_role}, "Action": {"S": action},
                     "Status": {"S": status}, "Note": {"S": note}, "Permissions": {"L": [{"S": "ALL"}]},
                     "DecisionVersion": {"N": "99"}, "RequestVersion": {"N": "1"}}}
              for action, status, note in (("Approve", "Active", "approved by the producer"),
                                           ("Modify", "Active", "ALL for everyone"),
                                           ("Delete", "Deleted", "expired: its access ended"))]
    ddb.update_item(TableName=TABLE, Key=key(sub),
                    UpdateExpression="SET SubscriberHistory = list_append(SubscriberHistory, :forged)",
                    ExpressionAttributeValues={":forged": {"L": forged}})
    history = cli("get-subscription", *mesh["as_a"], "--request-id", sub)["History"]
    told = [(e["Action"], e.get("Note")) for e in history if e not in history_before]
    # Only the consumer's own kind of action stays: a deletion it claims (of no effect on the status).
    assert told == [("Delete", "expired: its access ended")]
    assert cli("get-subscription", *mesh["as_a"], "--request-id", sub)["Status"] == before["Status"]
    events = [json.loads(line) for line in
              subprocess.run([DATAMESH, "events", *mesh["as_a"]], capture_output=True, text=True, check=True,
                             env=clean_env()).stdout.splitlines()]
    mine = [(e["Type"], e.get("Note")) for e in events if e["SubscriptionId"] == sub]
    assert ("approved", "approved by the producer") not in mine and ("modified", "ALL for everyone") not in mine
    assert ("deleted", "expired: its access ended") in mine and not any(t == "expired" for t, _ in mine)


def test_a_consumer_cannot_pass_its_subscription_off_as_the_python_librarys(mesh):
    """The Python library's items carry no RequestVersion, and a consumer may remove its own. Taking
    it away must not make a subscription read as one of those (whose Status would then stand as
    written, out of the producer's reach): it reads as a request awaiting its decision, its forged
    entries are still not told, and the producer's sweep revokes the grants it held."""
    sub = cli("request-access", *mesh["as_a"], "--owner-account-id", PRODUCER_A, "--database-name",
              f"sales-{PRODUCER_A}", "--tables", "customers", "--request-permissions", "DESCRIBE")["SubscriptionId"]
    cli("approve-subscription", *mesh["as_a"], "--request-id", sub)
    assert consumer_grants(mesh, CONSUMER_C, f"sales-{PRODUCER_A}", "customers") == ["DESCRIBE"]
    forged = {"M": {"Time": {"S": "2026-12-02 10:00:00"}, "Principal": {"S": "producer"}, "Action": {"S": "Approve"},
                    "Status": {"S": "Active"}, "Note": {"S": "forged"}, "DecisionVersion": {"N": "9"},
                    "RequestVersion": {"N": "9"}}}
    consumer_ddb(mesh).update_item(
        TableName=TABLE, Key=key(sub),
        UpdateExpression="SET SubscriberHistory = list_append(SubscriberHistory, :f) REMOVE RequestVersion",
        ExpressionAttributeValues={":f": {"L": [forged]}})
    seen = cli("get-subscription", *mesh["as_a"], "--request-id", sub)
    assert seen["Status"] == "Pending"
    assert not any(e.get("Note") == "forged" for e in seen["History"])
    cli("revoke-deleted-subscriptions", *mesh["as_a"])
    assert consumer_grants(mesh, CONSUMER_C, f"sales-{PRODUCER_A}", "customers") == []
    assert cli("get-subscription", *mesh["as_a"], "--request-id", sub)["History"][-1]["Action"] == "RevokeGrants"
