"""DynamoDB on the local mesh through boto3: tables with GSIs and streams, every expression
construct the mesh's tracker needs (with boto3's Table resource and conditions builder), numbers
at full precision, all attribute types, paging, and the failure paths."""
import decimal

import boto3
import pytest
from boto3.dynamodb.conditions import Attr, Key
from botocore.config import Config
from botocore.exceptions import ClientError

from conftest import error_code, unique

D = decimal.Decimal


@pytest.fixture(scope="module")
def ddb(mesh):
    return mesh.as_admin("dynamodb", "mesh")


@pytest.fixture(scope="module")
def tracker(mesh, ddb):
    """A table shaped like the mesh's subscription tracker."""
    name = unique("AwsDataMeshSubscriptions")
    ddb.create_table(
        TableName=name, BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": a, "AttributeType": "S"} for a in
                              ("SubscriptionId", "OwnerPrincipal", "Status", "SubscriberPrincipal")],
        KeySchema=[{"AttributeName": "SubscriptionId", "KeyType": "HASH"}],
        GlobalSecondaryIndexes=[
            {"IndexName": f"{name}-Owner", "Projection": {"ProjectionType": "ALL"},
             "KeySchema": [{"AttributeName": "OwnerPrincipal", "KeyType": "HASH"},
                           {"AttributeName": "Status", "KeyType": "RANGE"}]},
            {"IndexName": f"{name}-Subscriber", "Projection": {"ProjectionType": "ALL"},
             "KeySchema": [{"AttributeName": "SubscriberPrincipal", "KeyType": "HASH"}]}],
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
        Tags=[{"Key": "Solution", "Value": "DataMeshUtils"}])
    resource = boto3.resource("dynamodb", endpoint_url=mesh.url, region_name=mesh.region,
                              aws_access_key_id=mesh.admin("mesh")["AccessKeyId"],
                              aws_secret_access_key=mesh.admin("mesh")["SecretAccessKey"],
                              config=Config(retries={"max_attempts": 1}))
    return resource.Table(name)


@pytest.fixture(scope="module")
def events(ddb):
    """A table with a hash and a numeric range key."""
    name = unique("events")
    ddb.create_table(TableName=name, BillingMode="PROVISIONED",
                     ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                           {"AttributeName": "sk", "AttributeType": "N"},
                                           {"AttributeName": "kind", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
                     GlobalSecondaryIndexes=[{
                         "IndexName": "by-kind", "KeySchema": [{"AttributeName": "kind", "KeyType": "HASH"}],
                         "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["note"]},
                         "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}}])
    for i in range(25):
        ddb.put_item(TableName=name, Item={"pk": {"S": "a"}, "sk": {"N": str(i)}, "kind": {"S": "even" if i % 2 == 0 else "odd"},
                                          "note": {"S": f"n{i}"}, "secret": {"S": "x"}})
    ddb.put_item(TableName=name, Item={"pk": {"S": "b"}, "sk": {"N": "-1.5"}})
    return name


def test_describe_table_reports_indexes_stream_and_status(ddb, tracker):
    t = ddb.describe_table(TableName=tracker.name)["Table"]
    assert t["TableStatus"] == "ACTIVE"
    assert t["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert {g["IndexName"] for g in t["GlobalSecondaryIndexes"]} == {f"{tracker.name}-Owner", f"{tracker.name}-Subscriber"}
    assert all(g["IndexStatus"] == "ACTIVE" and g["Projection"]["ProjectionType"] == "ALL" for g in t["GlobalSecondaryIndexes"])
    assert t["StreamSpecification"] == {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}
    assert t["LatestStreamArn"].startswith(t["TableArn"] + "/stream/")
    assert t["TableArn"].startswith("arn:aws:dynamodb:us-east-1:")


def test_create_table_errors(ddb, tracker):
    with pytest.raises(ClientError) as e:
        ddb.create_table(TableName=tracker.name, BillingMode="PAY_PER_REQUEST",
                         AttributeDefinitions=[{"AttributeName": "SubscriptionId", "AttributeType": "S"}],
                         KeySchema=[{"AttributeName": "SubscriptionId", "KeyType": "HASH"}])
    assert error_code(e) == "ResourceInUseException"
    bad = [
        dict(AttributeDefinitions=[{"AttributeName": "x", "AttributeType": "S"}],
             KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST"),
        dict(AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}, {"AttributeName": "y", "AttributeType": "S"}],
             KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST"),
        dict(AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
             KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}]),  # PROVISIONED without throughput
    ]
    for kwargs in bad:
        with pytest.raises(ClientError) as e:
            ddb.create_table(TableName=unique("bad"), **kwargs)
        assert error_code(e) == "ValidationException", kwargs
    with pytest.raises(ClientError) as e:
        ddb.describe_table(TableName="no-such-table")
    assert error_code(e) == "ResourceNotFoundException"


def test_table_resource_put_get_and_conditional_writes(tracker):
    tracker.put_item(Item={"SubscriptionId": "s1", "OwnerPrincipal": "222222222222", "Status": "Pending",
                           "SubscriberPrincipal": "333333333333", "TableName": ["t1", "t2"],
                           "RequestedGrants": ["SELECT", "DESCRIBE"], "Notes": {"first"}, "ImportedToConsumer": False,
                           "Score": D("12345678901234567890123456789012345678"), "Nested": {"a": [1, {"b": None}]}},
                     ConditionExpression=Attr("SubscriptionId").not_exists())
    item = tracker.get_item(Key={"SubscriptionId": "s1"}, ConsistentRead=True)["Item"]
    assert item["Score"] == D("12345678901234567890123456789012345678")
    assert item["Notes"] == {"first"} and item["Nested"]["a"][1]["b"] is None
    with pytest.raises(ClientError) as e:
        tracker.put_item(Item={"SubscriptionId": "s1"}, ConditionExpression=Attr("SubscriptionId").not_exists())
    assert error_code(e) == "ConditionalCheckFailedException"
    # Conditional status transition, as the mesh's tracker does it.
    tracker.update_item(Key={"SubscriptionId": "s1"},
                        UpdateExpression="SET #s = :new, UpdatedBy = :by ADD Notes :note",
                        ConditionExpression=Attr("Status").is_in(["Pending", "Denied"]) & Attr("OwnerPrincipal").eq("222222222222"),
                        ExpressionAttributeNames={"#s": "Status"},
                        ExpressionAttributeValues={":new": "Active", ":by": "arn:aws:iam::222222222222:user/x", ":note": {"approved"}})
    with pytest.raises(ClientError) as e:
        tracker.update_item(Key={"SubscriptionId": "s1"}, UpdateExpression="SET #s = :new",
                            ConditionExpression=Attr("Status").eq("Pending"),
                            ExpressionAttributeNames={"#s": "Status"}, ExpressionAttributeValues={":new": "Denied"})
    assert error_code(e) == "ConditionalCheckFailedException"
    item = tracker.get_item(Key={"SubscriptionId": "s1"})["Item"]
    assert item["Status"] == "Active" and item["Notes"] == {"first", "approved"}


def test_index_queries_with_key_and_filter_conditions(tracker):
    for i, status in enumerate(["Pending", "Pending", "Active", "Denied"]):
        tracker.put_item(Item={"SubscriptionId": f"q{i}", "OwnerPrincipal": "owner-q", "Status": status,
                               "SubscriberPrincipal": f"sub-{i % 2}", "Weight": i})
    owner_index = f"{tracker.name}-Owner"
    pending = tracker.query(IndexName=owner_index,
                            KeyConditionExpression=Key("OwnerPrincipal").eq("owner-q") & Key("Status").eq("Pending"))
    assert sorted(i["SubscriptionId"] for i in pending["Items"]) == ["q0", "q1"]
    filtered = tracker.query(IndexName=owner_index, KeyConditionExpression=Key("OwnerPrincipal").eq("owner-q"),
                             FilterExpression=Attr("Weight").gte(2) & ~Attr("SubscriberPrincipal").begins_with("sub-1"))
    assert [i["SubscriptionId"] for i in filtered["Items"]] == ["q2"]
    assert filtered["ScannedCount"] == 4 and filtered["Count"] == 1
    subs = tracker.query(IndexName=f"{tracker.name}-Subscriber", KeyConditionExpression=Key("SubscriberPrincipal").eq("sub-1"))
    assert sorted(i["SubscriptionId"] for i in subs["Items"]) == ["q1", "q3"]
    with pytest.raises(ClientError) as e:
        tracker.query(IndexName=owner_index, ConsistentRead=True, KeyConditionExpression=Key("OwnerPrincipal").eq("owner-q"))
    assert error_code(e) == "ValidationException" and "Consistent reads" in str(e.value)


def test_range_key_conditions_order_and_paging(ddb, events):
    def sks(**kwargs):
        out = ddb.query(TableName=events, ExpressionAttributeValues={":pk": {"S": "a"}, **kwargs.pop("values", {})}, **kwargs)
        return [int(i["sk"]["N"]) for i in out["Items"]], out
    assert sks(KeyConditionExpression="pk = :pk AND sk BETWEEN :lo AND :hi",
               values={":lo": {"N": "3"}, ":hi": {"N": "6"}})[0] == [3, 4, 5, 6]
    for op, expected in (("<", [0, 1]), ("<=", [0, 1, 2]), (">", [23, 24]), (">=", [22, 23, 24]), ("=", [2])):
        bound = "2" if op in ("<", "<=", "=") else "22"
        got, _ = sks(KeyConditionExpression=f"pk = :pk AND sk {op} :v", values={":v": {"N": bound}})
        assert got == expected, op
    got, _ = sks(KeyConditionExpression="pk = :pk", ScanIndexForward=False, Limit=3)
    assert got == [24, 23, 22]
    # Paging with Limit and ExclusiveStartKey reads everything exactly once.
    seen, start = [], None
    while True:
        kwargs = {"KeyConditionExpression": "pk = :pk", "Limit": 7}
        if start:
            kwargs["ExclusiveStartKey"] = start
        page, out = sks(**kwargs)
        seen += page
        start = out.get("LastEvaluatedKey")
        if not start:
            break
    assert seen == list(range(25))
    paginator = ddb.get_paginator("query")
    pages = list(paginator.paginate(TableName=events, KeyConditionExpression="pk = :pk",
                                    ExpressionAttributeValues={":pk": {"S": "a"}}, PaginationConfig={"PageSize": 10}))
    assert sum(len(p["Items"]) for p in pages) == 25
    count = ddb.query(TableName=events, KeyConditionExpression="pk = :pk", Select="COUNT",
                      ExpressionAttributeValues={":pk": {"S": "a"}})
    assert count["Count"] == 25 and "Items" not in count


def test_begins_with_key_condition_and_string_order(ddb):
    name = unique("strings")
    ddb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                     AttributeDefinitions=[{"AttributeName": "p", "AttributeType": "S"}, {"AttributeName": "s", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "p", "KeyType": "HASH"}, {"AttributeName": "s", "KeyType": "RANGE"}])
    for s in ("b#2", "a#1", "a#10", "a#2", "B#0"):
        ddb.put_item(TableName=name, Item={"p": {"S": "x"}, "s": {"S": s}})
    out = ddb.query(TableName=name, KeyConditionExpression="p = :p AND begins_with(s, :pre)",
                    ExpressionAttributeValues={":p": {"S": "x"}, ":pre": {"S": "a#"}})
    assert [i["s"]["S"] for i in out["Items"]] == ["a#1", "a#10", "a#2"]
    everything = ddb.query(TableName=name, KeyConditionExpression="p = :p", ExpressionAttributeValues={":p": {"S": "x"}})
    assert [i["s"]["S"] for i in everything["Items"]] == ["B#0", "a#1", "a#10", "a#2", "b#2"]


def test_gsi_with_include_projection(ddb, events):
    out = ddb.query(TableName=events, IndexName="by-kind", KeyConditionExpression="kind = :k",
                    ExpressionAttributeValues={":k": {"S": "odd"}})
    assert out["Count"] == 12
    assert set(out["Items"][0]) == {"pk", "sk", "kind", "note"}  # "secret" is not projected


def test_scan_with_filter_paging_and_segments(ddb, events):
    out = ddb.scan(TableName=events, FilterExpression="sk IN (:a, :b, :c) OR attribute_not_exists(kind)",
                   ExpressionAttributeValues={":a": {"N": "1"}, ":b": {"N": "2"}, ":c": {"N": "-1.50"}})
    assert sorted(float(i["sk"]["N"]) for i in out["Items"]) == [-1.5, 1, 2]
    total = 0
    for segment in range(3):
        total += ddb.scan(TableName=events, Segment=segment, TotalSegments=3)["Count"]
    assert total == 26
    pages = list(ddb.get_paginator("scan").paginate(TableName=events, PaginationConfig={"PageSize": 4}))
    assert sum(p["Count"] for p in pages) == 26 and len(pages) >= 7


def test_every_update_construct(ddb):
    name = unique("updates")
    ddb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                     AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}])
    key = {"id": {"S": "u1"}}
    ddb.put_item(TableName=name, Item={"id": {"S": "u1"}, "n": {"N": "10"}, "l": {"L": [{"S": "a"}]},
                                       "m": {"M": {"val": {"N": "1"}, "gone": {"S": "x"}}}, "ss": {"SS": ["a", "b", "c"]},
                                       "ns": {"NS": ["1", "2"]}, "bs": {"BS": [b"\x01", b"\x02"]}, "stale": {"BOOL": True}})
    out = ddb.update_item(
        TableName=name, Key=key, ReturnValues="ALL_NEW",
        UpdateExpression=("SET n = n + :one, m.val = m.val - :one, l = list_append(l, :more), "
                          "created = if_not_exists(created, :now), #h.deep = :deep "
                          "REMOVE stale, m.gone ADD tally :one, ns :ns2 DELETE ss :ab, bs :b1"),
        ExpressionAttributeNames={"#h": "m"},
        ExpressionAttributeValues={":one": {"N": "1"}, ":more": {"L": [{"S": "b"}]}, ":now": {"S": "today"},
                                   ":deep": {"BOOL": False}, ":ns2": {"NS": ["3"]},
                                   ":ab": {"SS": ["a", "b"]}, ":b1": {"BS": [b"\x01"]}})["Attributes"]
    assert out["n"] == {"N": "11"} and out["tally"] == {"N": "1"}
    assert out["m"]["M"] == {"val": {"N": "0"}, "deep": {"BOOL": False}}
    assert out["l"] == {"L": [{"S": "a"}, {"S": "b"}]} and out["created"] == {"S": "today"}
    assert "stale" not in out and out["ss"] == {"SS": ["c"]} and sorted(out["ns"]["NS"]) == ["1", "2", "3"]
    assert out["bs"] == {"BS": [b"\x02"]}
    # List elements by index; an index past the end appends.
    listed = ddb.update_item(TableName=name, Key=key, UpdateExpression="SET l[0] = :first, l[7] = :last",
                          ExpressionAttributeValues={":first": {"S": "A"}, ":last": {"S": "z"}}, ReturnValues="ALL_NEW")
    assert listed["Attributes"]["l"] == {"L": [{"S": "A"}, {"S": "b"}, {"S": "z"}]}
    # if_not_exists keeps what is there; UPDATED_OLD / UPDATED_NEW return the touched attributes.
    again = ddb.update_item(TableName=name, Key=key, UpdateExpression="SET created = if_not_exists(created, :x)",
                            ExpressionAttributeValues={":x": {"S": "later"}}, ReturnValues="UPDATED_NEW")
    assert again["Attributes"] == {"created": {"S": "today"}}
    old = ddb.update_item(TableName=name, Key=key, UpdateExpression="SET n = :v", ExpressionAttributeValues={":v": {"N": "0"}},
                          ReturnValues="UPDATED_OLD")
    assert old["Attributes"] == {"n": {"N": "11"}}
    # Deleting the last elements of a set removes the attribute.
    ddb.update_item(TableName=name, Key=key, UpdateExpression="DELETE ss :c", ExpressionAttributeValues={":c": {"SS": ["c"]}})
    assert "ss" not in ddb.get_item(TableName=name, Key=key)["Item"]
    # UpdateItem creates a missing item.
    ddb.update_item(TableName=name, Key={"id": {"S": "fresh"}}, UpdateExpression="SET v = :v",
                    ExpressionAttributeValues={":v": {"N": "38"}})
    assert ddb.get_item(TableName=name, Key={"id": {"S": "fresh"}})["Item"]["v"] == {"N": "38"}


def test_condition_functions(ddb):
    name = unique("conds")
    ddb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                     AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}])
    ddb.put_item(TableName=name, Item={"id": {"S": "c"}, "s": {"S": "hello world"}, "tags": {"SS": ["x", "y"]},
                                       "list": {"L": [{"N": "1"}, {"S": "two"}]}, "n": {"N": "5"}})
    def holds(expression, values=None, names=None):
        kwargs = {"TableName": name, "Key": {"id": {"S": "c"}}, "UpdateExpression": "SET touched = :t",
                  "ConditionExpression": expression,
                  "ExpressionAttributeValues": {":t": {"BOOL": True}, **(values or {})}}
        if names:
            kwargs["ExpressionAttributeNames"] = names
        try:
            ddb.update_item(**kwargs)
            return True
        except ClientError as e:
            assert error_code_of(e) == "ConditionalCheckFailedException", e
            return False
    assert holds("attribute_type(s, :type)", {":type": {"S": "S"}})
    assert not holds("attribute_type(n, :type)", {":type": {"S": "S"}})
    assert holds("contains(s, :w) AND contains(tags, :x) AND contains(#l, :two)",
                 {":w": {"S": "lo wo"}, ":x": {"S": "x"}, ":two": {"S": "two"}}, {"#l": "list"})
    assert holds("size(s) = :eleven AND size(tags) < :three AND size(#l) >= :two",
                 {":eleven": {"N": "11"}, ":three": {"N": "3"}, ":two": {"N": "2"}}, {"#l": "list"})
    assert holds("(n BETWEEN :lo AND :hi) AND NOT (n <> :five)", {":lo": {"N": "1"}, ":hi": {"N": "5"}, ":five": {"N": "5.0"}})
    assert not holds("begins_with(s, :p) OR attribute_exists(absent)", {":p": {"S": "world"}})
    with pytest.raises(ClientError) as e:  # MISSING is a reserved word: it needs an alias
        ddb.update_item(TableName=name, Key={"id": {"S": "c"}}, UpdateExpression="SET touched = :t",
                        ConditionExpression="attribute_exists(missing)", ExpressionAttributeValues={":t": {"BOOL": True}})
    assert error_code(e) == "ValidationException" and "reserved keyword: missing" in str(e.value)
    assert holds("#l[1] = :two AND attribute_not_exists(#l[5])", {":two": {"S": "two"}}, {"#l": "list"})


def error_code_of(e):
    return e.response["Error"]["Code"]


@pytest.mark.parametrize("kwargs,fragment", [
    ({"UpdateExpression": "SET a = :a", "ExpressionAttributeValues": {":a": {"S": "x"}, ":unused": {"S": "y"}}}, "unused"),
    ({"UpdateExpression": "SET #a = :a", "ExpressionAttributeValues": {":a": {"S": "x"}}}, "#a"),
    ({"UpdateExpression": "SET a = :nope"}, ":nope"),
    ({"UpdateExpression": "SET status = :a", "ExpressionAttributeValues": {":a": {"S": "x"}}}, "reserved keyword"),
    ({"UpdateExpression": "SET a = :a,", "ExpressionAttributeValues": {":a": {"S": "x"}}}, "Syntax error"),
    ({"UpdateExpression": "SET a = :a SET b = :a", "ExpressionAttributeValues": {":a": {"S": "x"}}}, "only be used once"),
    ({"UpdateExpression": "SET a = :a REMOVE a.b", "ExpressionAttributeValues": {":a": {"S": "x"}}}, "overlap"),
    ({"UpdateExpression": "ADD a :a", "ExpressionAttributeValues": {":a": {"S": "x"}}}, "operand type"),
    ({"UpdateExpression": "SET id = :a", "ExpressionAttributeValues": {":a": {"S": "x"}}}, "part of the key"),
    ({"UpdateExpression": "SET a = :a", "ConditionExpression": "a BETWEEN :hi AND :lo",
      "ExpressionAttributeValues": {":a": {"N": "1"}, ":hi": {"N": "9"}, ":lo": {"N": "1"}}}, "BETWEEN"),
    ({"UpdateExpression": "SET a = :a", "ConditionExpression": "frobnicate(a)",
      "ExpressionAttributeValues": {":a": {"N": "1"}}}, "function"),
    ({"UpdateExpression": "SET a = :a", "ExpressionAttributeValues": {":a": {"N": "1e200"}}}, "overflow"),
    ({"UpdateExpression": "SET a = :a", "ExpressionAttributeValues": {":a": {"N": "123456789012345678901234567890123456789"}}}, "38"),
    ({"UpdateExpression": "SET a = :a", "ExpressionAttributeValues": {":a": {"SS": []}}}, "empty"),
    ({"UpdateExpression": "SET a = :a", "ExpressionAttributeValues": {":a": {"SS": ["x", "x"]}}}, "duplicates"),
    ({"UpdateExpression": "SET a = a + :a", "ExpressionAttributeValues": {":a": {"S": "x"}}}, "does not exist"),
    # Nesting is bounded (100 levels) rather than left to exhaust the server's stack.
    ({"UpdateExpression": "SET a = :a", "ConditionExpression": "(" * 150 + "attribute_not_exists(a)" + ")" * 150,
      "ExpressionAttributeValues": {":a": {"N": "1"}}}, "levels deep"),
    ({"UpdateExpression": "SET a = :a", "ConditionExpression": "NOT " * 150 + "attribute_not_exists(a)",
      "ExpressionAttributeValues": {":a": {"N": "1"}}}, "levels deep"),
])
def test_malformed_expressions_are_validation_errors(ddb, kwargs, fragment):
    name = unique("malformed")
    ddb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                     AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}])
    with pytest.raises(ClientError) as e:
        ddb.update_item(TableName=name, Key={"id": {"S": "k"}}, **kwargs)
    assert error_code(e) == "ValidationException"
    assert fragment.lower() in str(e.value).lower(), str(e.value)
    # A refused request writes nothing.
    assert "Item" not in ddb.get_item(TableName=name, Key={"id": {"S": "k"}})


def test_key_validation_and_query_errors(ddb, events):
    with pytest.raises(ClientError) as e:
        ddb.put_item(TableName=events, Item={"pk": {"S": "a"}})
    assert error_code(e) == "ValidationException" and "Missing the key sk" in str(e.value)
    with pytest.raises(ClientError) as e:
        ddb.put_item(TableName=events, Item={"pk": {"N": "1"}, "sk": {"N": "1"}})
    assert "Type mismatch" in str(e.value)
    with pytest.raises(ClientError) as e:
        ddb.get_item(TableName=events, Key={"pk": {"S": "a"}})
    assert "does not match the schema" in str(e.value)
    for expression, fragment in (("sk = :v", "missed key schema element: pk"), ("pk = :p OR sk = :v", "not supported"),
                                 ("pk < :p", "not supported")):
        values = {":p": {"S": "a"}, ":v": {"N": "1"}}
        used = {k: v for k, v in values.items() if k in expression}
        with pytest.raises(ClientError) as e:
            ddb.query(TableName=events, KeyConditionExpression=expression, ExpressionAttributeValues=used)
        assert fragment in str(e.value), expression
    with pytest.raises(ClientError) as e:
        ddb.query(TableName=events, KeyConditionExpression="pk = :p", FilterExpression="sk > :v",
                  ExpressionAttributeValues={":p": {"S": "a"}, ":v": {"N": "1"}})
    assert "non-primary key" in str(e.value)
    with pytest.raises(ClientError) as e:
        ddb.query(TableName=events, IndexName="nope", KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "a"}})
    assert error_code(e) == "ValidationException"


def test_projection_and_return_values(ddb, tracker):
    tracker.put_item(Item={"SubscriptionId": "p1", "A": {"B": [1, 2, 3], "C": "keep"}, "D": "drop"})
    got = tracker.get_item(Key={"SubscriptionId": "p1"}, ProjectionExpression="A.B[1], #c.C",
                           ExpressionAttributeNames={"#c": "A"})["Item"]
    assert got == {"A": {"B": [2], "C": "keep"}}
    old = tracker.delete_item(Key={"SubscriptionId": "p1"}, ReturnValues="ALL_OLD")["Attributes"]
    assert old["D"] == "drop"
    with pytest.raises(ClientError) as e:
        tracker.delete_item(Key={"SubscriptionId": "p1"}, ReturnValues="ALL_NEW")
    assert error_code(e) == "ValidationException"


def test_numbers_keep_full_precision_and_normalize(ddb):
    name = unique("numbers")
    ddb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                     AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "N"}],
                     KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}])
    ddb.put_item(TableName=name, Item={"id": {"N": "1.50"}, "big": {"N": "99999999999999999999999999999999999999"},
                                       "tiny": {"N": "1E-130"}})
    got = ddb.get_item(TableName=name, Key={"id": {"N": "1.5"}})["Item"]
    assert got["id"] == {"N": "1.5"} and got["big"] == {"N": "99999999999999999999999999999999999999"}
    # A result needing 39 significant digits is refused; one that rounds to fewer is exact.
    with pytest.raises(ClientError) as e:
        ddb.update_item(TableName=name, Key={"id": {"N": "1.5"}}, UpdateExpression="SET big = big + :tenth",
                        ExpressionAttributeValues={":tenth": {"N": "0.1"}})
    assert error_code(e) == "ValidationException" and "38" in str(e.value)
    ddb.update_item(TableName=name, Key={"id": {"N": "1.5"}}, UpdateExpression="SET big = big + :one",
                    ExpressionAttributeValues={":one": {"N": "1"}})
    assert ddb.get_item(TableName=name, Key={"id": {"N": "1.5"}})["Item"]["big"] == {"N": "1" + "0" * 38}


def test_delete_table(ddb):
    name = unique("doomed")
    ddb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                     AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}])
    ddb.put_item(TableName=name, Item={"id": {"S": "x"}})
    assert ddb.delete_table(TableName=name)["TableDescription"]["TableStatus"] == "DELETING"
    with pytest.raises(ClientError) as e:
        ddb.get_item(TableName=name, Key={"id": {"S": "x"}})
    assert error_code(e) == "ResourceNotFoundException"


def test_access_needs_permission(mesh):
    iam = mesh.as_admin("iam", "consumer")
    user = iam.create_user(UserName=unique("reader"))["User"]
    key = iam.create_access_key(UserName=user["UserName"])["AccessKey"]
    with pytest.raises(ClientError) as e:
        mesh.client("dynamodb", key).describe_table(TableName="anything")
    assert error_code(e) == "AccessDeniedException"


def _page_through(call, **kwargs):
    """Every page of a Query or Scan, following LastEvaluatedKey by hand."""
    pages, start = [], None
    while True:
        out = call(**kwargs, **({"ExclusiveStartKey": start} if start else {}))
        pages.append(out)
        start = out.get("LastEvaluatedKey")
        if not start:
            return pages


def test_number_sort_keys_order_as_numbers(ddb):
    # "Query": "Query results are always sorted by the sort key value. If the data type of the sort
    # key is Number, the results are returned in numeric order" (DynamoDB API Reference).
    name = unique("numbers")
    ddb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                     AttributeDefinitions=[{"AttributeName": "p", "AttributeType": "S"}, {"AttributeName": "n", "AttributeType": "N"}],
                     KeySchema=[{"AttributeName": "p", "KeyType": "HASH"}, {"AttributeName": "n", "KeyType": "RANGE"}])
    values = ["-1E+10", "-123.45", "-123.4", "-12", "-1", "-0.5", "-0.05", "-1E-100", "0", "1E-100", "0.05",
              "0.5", "1", "1.5", "9", "10", "12", "123.4", "123.45", "99999999999999999999999999999999999999", "1E+125"]
    shuffled = values[::2] + values[1::2]
    for v in shuffled:
        ddb.put_item(TableName=name, Item={"p": {"S": "x"}, "n": {"N": v}})
    expected = sorted((D(v) for v in values))

    def numbers(**kwargs):
        out = ddb.query(TableName=name, ExpressionAttributeValues={":p": {"S": "x"}, **kwargs.pop("values", {})}, **kwargs)
        return [D(i["n"]["N"]) for i in out["Items"]]
    assert numbers(KeyConditionExpression="p = :p") == expected
    assert numbers(KeyConditionExpression="p = :p", ScanIndexForward=False) == expected[::-1]
    assert numbers(KeyConditionExpression="p = :p AND n BETWEEN :a AND :b",
                   values={":a": {"N": "-12"}, ":b": {"N": "1"}}) == [v for v in expected if D(-12) <= v <= 1]
    assert numbers(KeyConditionExpression="p = :p AND n < :a", values={":a": {"N": "-0.05"}}) == \
        [v for v in expected if v < D("-0.05")]
    assert numbers(KeyConditionExpression="p = :p AND n > :a", values={":a": {"N": "123.4"}}) == \
        [v for v in expected if v > D("123.4")]
    # Descending pages of three resume exactly after the last key of the page before.
    pages = _page_through(ddb.query, TableName=name, KeyConditionExpression="p = :p", ScanIndexForward=False,
                          Limit=3, ExpressionAttributeValues={":p": {"S": "x"}})
    assert [D(i["n"]["N"]) for p in pages for i in p["Items"]] == expected[::-1]


def test_binary_begins_with_a_prefix_of_high_bytes(ddb):
    name = unique("binary")
    ddb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                     AttributeDefinitions=[{"AttributeName": "p", "AttributeType": "S"}, {"AttributeName": "b", "AttributeType": "B"}],
                     KeySchema=[{"AttributeName": "p", "KeyType": "HASH"}, {"AttributeName": "b", "KeyType": "RANGE"}])
    for b in (b"\x01", b"\x01\xff", b"\x01\xff\x00", b"\x02", b"\xff", b"\xff\xff", b"\xff\xff\x01"):
        ddb.put_item(TableName=name, Item={"p": {"S": "x"}, "b": {"B": b}})

    def starting(prefix):
        out = ddb.query(TableName=name, KeyConditionExpression="p = :p AND begins_with(b, :pre)",
                        ExpressionAttributeValues={":p": {"S": "x"}, ":pre": {"B": prefix}})
        return [bytes(i["b"]["B"]) for i in out["Items"]]
    assert starting(b"\x01\xff") == [b"\x01\xff", b"\x01\xff\x00"]
    assert starting(b"\xff\xff") == [b"\xff\xff", b"\xff\xff\x01"]
    assert starting(b"\x01") == [b"\x01", b"\x01\xff", b"\x01\xff\x00"]


def test_index_pages_through_equal_index_keys_once(ddb, events):
    # Twelve or thirteen items share each index key: paging must resume inside a run of equal keys.
    for kind in ("even", "odd"):
        pages = _page_through(ddb.query, TableName=events, IndexName="by-kind", KeyConditionExpression="kind = :k",
                              ExpressionAttributeValues={":k": {"S": kind}}, Limit=5)
        got = [int(i["sk"]["N"]) for p in pages for i in p["Items"]]
        assert sorted(got) == [i for i in range(25) if (i % 2 == 0) == (kind == "even")]
        assert len(got) == len(set(got))
        for p in pages[:-1]:
            assert set(p["LastEvaluatedKey"]) == {"pk", "sk", "kind"}  # the table's key and the index's


def test_reads_stop_at_one_megabyte(ddb):
    # "Query"/"Scan" (DynamoDB API Reference): a single call reads "a maximum of 1 MB of data" and
    # then returns LastEvaluatedKey to continue from.
    name = unique("large")
    ddb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                     AttributeDefinitions=[{"AttributeName": "p", "AttributeType": "S"}, {"AttributeName": "s", "AttributeType": "N"}],
                     KeySchema=[{"AttributeName": "p", "KeyType": "HASH"}, {"AttributeName": "s", "KeyType": "RANGE"}])
    blob = "x" * (200 * 1024)
    for i in range(12):  # 2.4 MB in one partition
        ddb.put_item(TableName=name, Item={"p": {"S": "x"}, "s": {"N": str(i)}, "payload_text": {"S": blob}})
    for call, kwargs in ((ddb.query, {"KeyConditionExpression": "p = :p", "ExpressionAttributeValues": {":p": {"S": "x"}}}),
                         (ddb.scan, {})):
        pages = _page_through(call, TableName=name, **kwargs)
        assert len(pages) == 3, [p["Count"] for p in pages]
        assert [p["ScannedCount"] for p in pages] == [6, 6, 0]
        assert sorted(int(i["s"]["N"]) for p in pages for i in p["Items"]) == list(range(12))
    # A filter that drops everything still pays for what it read: the page still ends at 1 MB.
    first = ddb.scan(TableName=name, FilterExpression="attribute_not_exists(payload_text)")
    assert first["Count"] == 0 and first["ScannedCount"] == 6 and "LastEvaluatedKey" in first


def test_update_table_adds_an_index_filled_with_the_items_already_there(ddb):
    # UpdateTable (API Reference): GlobalSecondaryIndexUpdates Create adds one index; DynamoDB
    # backfills it from the table's items.
    name = unique("grown")
    ddb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                     AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}])
    for i in range(6):
        ddb.put_item(TableName=name, Item={"id": {"S": f"i{i}"}, "team": {"S": "a" if i % 2 else "b"}})
    ddb.put_item(TableName=name, Item={"id": {"S": "loner"}})  # no team: not in the index
    out = ddb.update_table(TableName=name, AttributeDefinitions=[{"AttributeName": "team", "AttributeType": "S"}],
                           GlobalSecondaryIndexUpdates=[{"Create": {
                               "IndexName": "by-team", "KeySchema": [{"AttributeName": "team", "KeyType": "HASH"}],
                               "Projection": {"ProjectionType": "KEYS_ONLY"}}}])
    assert out["TableDescription"]["GlobalSecondaryIndexes"][0]["IndexName"] == "by-team"
    found = ddb.query(TableName=name, IndexName="by-team", KeyConditionExpression="team = :t",
                      ExpressionAttributeValues={":t": {"S": "a"}})
    assert sorted(i["id"]["S"] for i in found["Items"]) == ["i1", "i3", "i5"]
    assert ddb.scan(TableName=name, IndexName="by-team")["Count"] == 6
