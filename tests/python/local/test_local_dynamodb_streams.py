"""DynamoDB Streams and the batch and listing operations of the local DynamoDB, through boto3.
Each test names the part of the DynamoDB API Reference or Developer Guide it follows."""
import time

import pytest
from botocore.exceptions import ClientError

from conftest import error_code, unique


@pytest.fixture(scope="module")
def ddb(mesh):
    return mesh.as_admin("dynamodb", "mesh")


@pytest.fixture(scope="module")
def streams(mesh):
    return mesh.as_admin("dynamodbstreams", "mesh")


def make_table(ddb, view="NEW_AND_OLD_IMAGES"):
    name = unique("streamed")
    spec = {"StreamEnabled": True, "StreamViewType": view} if view else {"StreamEnabled": False}
    out = ddb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                           AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                           KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}], StreamSpecification=spec)
    return name, out["TableDescription"].get("LatestStreamArn")


def all_records(streams, arn, iterator_type="TRIM_HORIZON", **kw):
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    it = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType=iterator_type, **kw)["ShardIterator"]
    records = []
    while True:
        out = streams.get_records(ShardIterator=it, Limit=2)
        records += out["Records"]
        it = out["NextShardIterator"]
        if not out["Records"]:
            return records, it


def test_every_change_is_a_record_in_commit_order(ddb, streams):
    # "Change data capture for DynamoDB Streams" (Developer Guide): one record per modification, in
    # order, INSERT/MODIFY/REMOVE with the images of the view type; a write that changes nothing
    # writes no record, and a failed conditional write changes nothing.
    name, arn = make_table(ddb)
    ddb.put_item(TableName=name, Item={"id": {"S": "a"}, "v": {"N": "1"}})
    ddb.update_item(TableName=name, Key={"id": {"S": "a"}}, UpdateExpression="SET v = :v",
                    ExpressionAttributeValues={":v": {"N": "2"}})
    ddb.put_item(TableName=name, Item={"id": {"S": "a"}, "v": {"N": "2"}})  # no change: no record
    with pytest.raises(ClientError):
        ddb.put_item(TableName=name, Item={"id": {"S": "a"}}, ConditionExpression="attribute_not_exists(id)")
    ddb.put_item(TableName=name, Item={"id": {"S": "b"}})
    ddb.delete_item(TableName=name, Key={"id": {"S": "a"}})
    records, _ = all_records(streams, arn)
    assert [r["eventName"] for r in records] == ["INSERT", "MODIFY", "INSERT", "REMOVE"]
    assert [r["dynamodb"]["Keys"]["id"]["S"] for r in records] == ["a", "a", "b", "a"]
    numbers = [int(r["dynamodb"]["SequenceNumber"]) for r in records]
    assert numbers == sorted(numbers) and len(set(numbers)) == 4
    assert all(len(r["dynamodb"]["SequenceNumber"]) >= 21 for r in records)
    modify = records[1]["dynamodb"]
    assert modify["OldImage"]["v"]["N"] == "1" and modify["NewImage"]["v"]["N"] == "2"
    assert "NewImage" not in records[3]["dynamodb"] and records[3]["dynamodb"]["OldImage"]["v"]["N"] == "2"
    assert {r["eventSource"] for r in records} == {"aws:dynamodb"}
    assert len({r["eventID"] for r in records}) == 4


def test_view_types_limit_the_images(ddb, streams):
    for view, images in (("KEYS_ONLY", set()), ("NEW_IMAGE", {"NewImage"}), ("OLD_IMAGE", {"OldImage"})):
        name, arn = make_table(ddb, view)
        ddb.put_item(TableName=name, Item={"id": {"S": "x"}, "v": {"S": "1"}})
        ddb.put_item(TableName=name, Item={"id": {"S": "x"}, "v": {"S": "2"}})
        records, _ = all_records(streams, arn)
        assert {k for k in records[1]["dynamodb"] if k.endswith("Image")} == images, view
        assert records[1]["dynamodb"]["StreamViewType"] == view


def test_iterator_types_and_resuming(ddb, streams):
    # GetShardIterator: TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER.
    name, arn = make_table(ddb)
    for i in range(5):
        ddb.put_item(TableName=name, Item={"id": {"S": f"k{i}"}})
    records, latest_it = all_records(streams, arn)
    third = records[2]["dynamodb"]["SequenceNumber"]
    at, _ = all_records(streams, arn, "AT_SEQUENCE_NUMBER", SequenceNumber=third)
    after, _ = all_records(streams, arn, "AFTER_SEQUENCE_NUMBER", SequenceNumber=third)
    assert [r["dynamodb"]["Keys"]["id"]["S"] for r in at] == ["k2", "k3", "k4"]
    assert [r["dynamodb"]["Keys"]["id"]["S"] for r in after] == ["k3", "k4"]
    latest, latest_next = all_records(streams, arn, "LATEST")
    assert latest == []
    ddb.put_item(TableName=name, Item={"id": {"S": "k5"}})
    # An iterator handed out before a change reads it; so does the one LATEST gave.
    for it in (latest_it, latest_next):
        out = streams.get_records(ShardIterator=it)
        assert [r["dynamodb"]["Keys"]["id"]["S"] for r in out["Records"]] == ["k5"]


def test_stream_errors(ddb, streams):
    name, arn = make_table(ddb)
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    with pytest.raises(ClientError) as e:
        streams.describe_stream(StreamArn=arn.replace(name, name + "x"))
    assert error_code(e) == "ResourceNotFoundException"
    with pytest.raises(ClientError) as e:
        streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="AT_SEQUENCE_NUMBER")
    assert error_code(e) == "ValidationException"
    with pytest.raises(ClientError) as e:
        streams.get_shard_iterator(StreamArn=arn, ShardId="shardId-00000000000000000009-00000000",
                                   ShardIteratorType="LATEST")
    assert error_code(e) == "ResourceNotFoundException"
    with pytest.raises(ClientError) as e:
        streams.get_records(ShardIterator="not-an-iterator")
    assert error_code(e) == "ValidationException"
    with pytest.raises(ClientError) as e:
        streams.get_records(ShardIterator=streams.get_shard_iterator(
            StreamArn=arn, ShardId=shard, ShardIteratorType="LATEST")["ShardIterator"], Limit=1001)
    assert error_code(e) == "ValidationException"


def test_list_streams_pages(ddb, streams):
    made = {make_table(ddb)[1] for _ in range(3)}
    make_table(ddb, view=None)  # no stream: not listed
    seen, start = [], None
    while True:
        out = streams.list_streams(Limit=2, **({"ExclusiveStartStreamArn": start} if start else {}))
        seen += [s["StreamArn"] for s in out["Streams"]]
        start = out.get("LastEvaluatedStreamArn")
        if not start:
            break
    assert made <= set(seen) and len(seen) == len(set(seen))
    one = streams.list_streams(TableName=next(iter(made)).split("/")[1])["Streams"]
    assert len(one) == 1 and one[0]["StreamLabel"]


def test_batch_write_item(ddb, streams):
    # BatchWriteItem (API Reference): up to 25 puts and deletes, no duplicate keys, every table
    # checked before anything is written, UnprocessedItems empty when all were done.
    name, arn = make_table(ddb)
    other, _ = make_table(ddb, view=None)
    ddb.put_item(TableName=name, Item={"id": {"S": "gone"}})
    out = ddb.batch_write_item(RequestItems={
        name: [{"PutRequest": {"Item": {"id": {"S": f"i{i}"}}}} for i in range(10)] +
              [{"DeleteRequest": {"Key": {"id": {"S": "gone"}}}}],
        other: [{"PutRequest": {"Item": {"id": {"S": "o"}}}}]}, ReturnConsumedCapacity="TOTAL")
    assert out["UnprocessedItems"] == {}
    assert {c["TableName"] for c in out["ConsumedCapacity"]} == {name, other}
    assert ddb.describe_table(TableName=name)["Table"]["ItemCount"] == 10
    records, _ = all_records(streams, arn)
    assert [r["eventName"] for r in records].count("INSERT") == 11 and records[-1]["eventName"] == "REMOVE"

    def refused(request_items, code="ValidationException", fragment=""):
        with pytest.raises(ClientError) as e:
            ddb.batch_write_item(RequestItems=request_items)
        assert error_code(e) == code and fragment in str(e.value)
    refused({name: [{"PutRequest": {"Item": {"id": {"S": f"x{i}"}}}} for i in range(13)],
             other: [{"PutRequest": {"Item": {"id": {"S": f"y{i}"}}}} for i in range(13)]}, fragment="Too many items")
    refused({name: [{"PutRequest": {"Item": {"id": {"S": "d"}}}}, {"DeleteRequest": {"Key": {"id": {"S": "d"}}}}]},
            fragment="duplicates")
    refused({name: [{"PutRequest": {"Item": {"id": {"S": "new"}}}}],
             unique("missing"): [{"PutRequest": {"Item": {"id": {"S": "z"}}}}]}, code="ResourceNotFoundException")
    refused({name: [{"PutRequest": {"Item": {"id": {"N": "1"}}}}]})
    # Nothing of a refused batch was written.
    assert "Item" not in ddb.get_item(TableName=name, Key={"id": {"S": "new"}})
    assert ddb.describe_table(TableName=name)["Table"]["ItemCount"] == 10


def test_batch_get_item(ddb):
    # BatchGetItem (API Reference): up to 100 keys, projections per table, missing items left out,
    # duplicates refused.
    name, _ = make_table(ddb, view=None)
    ddb.batch_write_item(RequestItems={name: [{"PutRequest": {"Item": {"id": {"S": f"i{i}"}, "v": {"N": str(i)},
                                                                       "w": {"S": "x"}}}} for i in range(20)]})
    out = ddb.batch_get_item(RequestItems={name: {"Keys": [{"id": {"S": f"i{i}"}} for i in range(0, 30, 3)],
                                                  "ProjectionExpression": "id, #v", "ExpressionAttributeNames": {"#v": "v"}}})
    got = sorted(int(i["v"]["N"]) for i in out["Responses"][name])
    assert got == [0, 3, 6, 9, 12, 15, 18]
    assert all(set(i) == {"id", "v"} for i in out["Responses"][name])
    assert out["UnprocessedKeys"] == {}
    for keys, fragment in (([{"id": {"S": f"k{i}"}} for i in range(101)], ""),
                           ([{"id": {"S": "a"}}, {"id": {"S": "a"}}], "duplicates")):
        with pytest.raises(ClientError) as e:
            ddb.batch_get_item(RequestItems={name: {"Keys": keys}})
        assert error_code(e) == "ValidationException" and fragment in str(e.value)


def test_list_tables_pages_in_name_order(ddb):
    # ListTables (API Reference): Limit up to 100, LastEvaluatedTableName to go on from.
    names = sorted(make_table(ddb, view=None)[0] for _ in range(3))
    seen, start = [], None
    while True:
        out = ddb.list_tables(Limit=2, **({"ExclusiveStartTableName": start} if start else {}))
        seen += out["TableNames"]
        start = out.get("LastEvaluatedTableName")
        if not start:
            break
    assert seen == sorted(seen) and set(names) <= set(seen)
    assert ddb.get_paginator("list_tables").paginate().build_full_result()["TableNames"] == seen
