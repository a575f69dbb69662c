"""DynamoDB fine-grained access control in the local mesh, as the DynamoDB Developer Guide documents
it ("Using IAM policy conditions for fine-grained access control"):

- dynamodb:LeadingKeys is the partition key value a request reaches ("the first key attribute of a
  table"); used with ForAllValues. For a Query on a global secondary index we take the index's
  partition key value, the only one such a query names (the guide's example 6 guards a table and
  its index with one condition). Scan carries none ("Scan returns all items regardless of the
  leading keys").
- dynamodb:Attributes lists the top-level attributes a request names: "evaluated only on the
  attributes specified in the request", including those "evaluated in a conditional write or scan
  filter"; a projection of Address.City names Address.
- dynamodb:Select ("ALL_ATTRIBUTES, unless otherwise specified") and dynamodb:ReturnValues ("NONE
  unless otherwise specified").
- ForAllValues holds when the key is absent (IAM User Guide, condition operators), so policies add
  a Null check."""
import json

import botocore.exceptions
import pytest

from conftest import session_creds, trust_policy, unique

TABLE_ARN = "arn:aws:dynamodb:{region}:{account}:table/{table}"


@pytest.fixture(scope="module")
def games(mesh):
    ddb = mesh.as_admin("dynamodb")
    table = unique("GameScores")
    ddb.create_table(
        TableName=table, BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "UserId", "AttributeType": "S"},
                              {"AttributeName": "GameTitle", "AttributeType": "S"},
                              {"AttributeName": "TopScore", "AttributeType": "N"}],
        KeySchema=[{"AttributeName": "UserId", "KeyType": "HASH"}, {"AttributeName": "GameTitle", "KeyType": "RANGE"}],
        GlobalSecondaryIndexes=[{"IndexName": "ByGame", "Projection": {"ProjectionType": "ALL"},
                                 "KeySchema": [{"AttributeName": "GameTitle", "KeyType": "HASH"},
                                               {"AttributeName": "TopScore", "KeyType": "RANGE"}]}])
    for user, game, score in (("alice", "chess", 10), ("bob", "chess", 20), ("alice", "go", 5)):
        ddb.put_item(TableName=table, Item={"UserId": {"S": user}, "GameTitle": {"S": game},
                                            "TopScore": {"N": str(score)}, "Secret": {"S": "x"}})
    return table


def role_with(mesh, statements):
    iam = mesh.as_admin("iam")
    account = mesh.account("mesh")
    name = unique("fgac")
    iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust_policy(f"arn:aws:iam::{account}:root"))
    iam.put_role_policy(RoleName=name, PolicyName="p",
                        PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": statements}))
    creds = session_creds(mesh.as_admin("sts").assume_role(RoleArn=f"arn:aws:iam::{account}:role/{name}",
                                                          RoleSessionName="fgac"))
    return mesh.client("dynamodb", creds)


def denied(call):
    with pytest.raises(botocore.exceptions.ClientError) as e:
        call()
    assert e.value.response["Error"]["Code"] == "AccessDeniedException"
    assert "is not authorized to perform: dynamodb:" in e.value.response["Error"]["Message"]


def test_leading_keys_limit_items_to_a_partition(mesh, games):
    arn = TABLE_ARN.format(region=mesh.region, account=mesh.account("mesh"), table=games)
    ddb = role_with(mesh, [{"Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:Query",
                                                          "dynamodb:Scan", "dynamodb:PutItem"],
                            "Resource": [arn, arn + "/index/*"],
                            "Condition": {"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["ali*", "chess"]},
                                          "Null": {"dynamodb:LeadingKeys": "false"}}}])
    key = {"UserId": {"S": "alice"}, "GameTitle": {"S": "chess"}}
    assert ddb.get_item(TableName=games, Key=key)["Item"]["TopScore"] == {"N": "10"}
    denied(lambda: ddb.get_item(TableName=games, Key={"UserId": {"S": "bob"}, "GameTitle": {"S": "chess"}}))
    ddb.update_item(TableName=games, Key=key, UpdateExpression="SET Wins = :w", ExpressionAttributeValues={":w": {"N": "1"}})
    denied(lambda: ddb.put_item(TableName=games, Item={"UserId": {"S": "bob"}, "GameTitle": {"S": "go"}}))
    # Query: the table's partition key; on the index, the index's.
    assert len(ddb.query(TableName=games, KeyConditionExpression="UserId = :u",
                         ExpressionAttributeValues={":u": {"S": "alice"}})["Items"]) == 2
    denied(lambda: ddb.query(TableName=games, KeyConditionExpression="UserId = :u",
                             ExpressionAttributeValues={":u": {"S": "bob"}}))
    assert len(ddb.query(TableName=games, IndexName="ByGame", KeyConditionExpression="GameTitle = :g",
                         ExpressionAttributeValues={":g": {"S": "chess"}})["Items"]) == 2
    denied(lambda: ddb.query(TableName=games, IndexName="ByGame", KeyConditionExpression="GameTitle = :g",
                             ExpressionAttributeValues={":g": {"S": "go"}}))
    # Scan reaches no leading key, so the Null check refuses it.
    denied(lambda: ddb.scan(TableName=games))


def test_a_batch_is_one_request_whose_leading_keys_are_all_its_items(mesh, games):
    # The guide's first example allows BatchGetItem and BatchWriteItem under the same
    # ForAllValues dynamodb:LeadingKeys condition as the single-item operations: a batch's context
    # holds every item's partition key, so one item outside the condition refuses the whole call.
    arn = TABLE_ARN.format(region=mesh.region, account=mesh.account("mesh"), table=games)
    ddb = role_with(mesh, [{"Effect": "Allow", "Action": ["dynamodb:BatchGetItem", "dynamodb:BatchWriteItem"],
                            "Resource": arn,
                            "Condition": {"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["ali*"]},
                                          "Null": {"dynamodb:LeadingKeys": "false"}}}])
    alice = [{"UserId": {"S": "alice"}, "GameTitle": {"S": g}} for g in ("chess", "go")]
    bob = {"UserId": {"S": "bob"}, "GameTitle": {"S": "chess"}}
    got = ddb.batch_get_item(RequestItems={games: {"Keys": alice, "ProjectionExpression": "GameTitle"}})
    assert sorted(i["GameTitle"]["S"] for i in got["Responses"][games]) == ["chess", "go"]
    denied(lambda: ddb.batch_get_item(RequestItems={games: {"Keys": alice + [bob]}}))
    ddb.batch_write_item(RequestItems={games: [{"PutRequest": {"Item": {"UserId": {"S": "alice"}, "GameTitle": {"S": "shogi"}}}}]})
    denied(lambda: ddb.batch_write_item(RequestItems={games: [
        {"PutRequest": {"Item": {"UserId": {"S": "alice"}, "GameTitle": {"S": "xiangqi"}}}},
        {"DeleteRequest": {"Key": bob}}]}))
    admin = mesh.as_admin("dynamodb")
    assert "Item" in admin.get_item(TableName=games, Key=bob)
    assert "Item" not in admin.get_item(TableName=games, Key={"UserId": {"S": "alice"}, "GameTitle": {"S": "xiangqi"}})
    admin.delete_item(TableName=games, Key={"UserId": {"S": "alice"}, "GameTitle": {"S": "shogi"}})
    # Without a set operator, several values are read the strict way (the IAM User Guide asks for
    # ForAllValues/ForAnyValue with multivalued keys): an Allow needs every value to match, so the
    # second key of a batch cannot slip past it.
    plain = role_with(mesh, [{"Effect": "Allow", "Action": ["dynamodb:BatchGetItem"], "Resource": arn,
                              "Condition": {"StringLike": {"dynamodb:LeadingKeys": "ali*"}}}])
    assert len(plain.batch_get_item(RequestItems={games: {"Keys": alice}})["Responses"][games]) == 2
    denied(lambda: plain.batch_get_item(RequestItems={games: {"Keys": alice + [bob]}}))


def test_attributes_limit_what_a_request_names(mesh, games):
    arn = TABLE_ARN.format(region=mesh.region, account=mesh.account("mesh"), table=games)
    allowed = ["UserId", "GameTitle", "TopScore", "Wins", "Address"]
    ddb = role_with(mesh, [{"Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:PutItem"],
                            "Resource": arn,
                            "Condition": {"ForAllValues:StringEquals": {"dynamodb:Attributes": allowed},
                                          "StringEqualsIfExists": {"dynamodb:Select": "SPECIFIC_ATTRIBUTES",
                                                                   "dynamodb:ReturnValues": ["NONE", "UPDATED_NEW"]}}}])
    key = {"UserId": {"S": "alice"}, "GameTitle": {"S": "go"}}
    ddb.update_item(TableName=games, Key=key, UpdateExpression="SET TopScore = TopScore + :one",
                    ExpressionAttributeValues={":one": {"N": "1"}})
    # Named in an update, read by an update, or only in a condition: all count.
    denied(lambda: ddb.update_item(TableName=games, Key=key, UpdateExpression="SET Secret = :s",
                                   ExpressionAttributeValues={":s": {"S": "y"}}))
    denied(lambda: ddb.update_item(TableName=games, Key=key, UpdateExpression="SET TopScore = Secret"))
    denied(lambda: ddb.update_item(TableName=games, Key=key, UpdateExpression="SET Wins = :w",
                                   ConditionExpression="attribute_exists(Secret)", ExpressionAttributeValues={":w": {"N": "1"}}))
    denied(lambda: ddb.update_item(TableName=games, Key=key, UpdateExpression="REMOVE Secret"))
    # A whole item is all of its attributes.
    denied(lambda: ddb.put_item(TableName=games, Item={**key, "Secret": {"S": "z"}}))
    ddb.put_item(TableName=games, Item={**key, "TopScore": {"N": "7"}})
    # ReturnValues ALL_NEW is outside the allowed values; a read must project allowed attributes
    # (a projection of Address.City names Address).
    denied(lambda: ddb.update_item(TableName=games, Key=key, UpdateExpression="SET Wins = :w",
                                   ExpressionAttributeValues={":w": {"N": "2"}}, ReturnValues="ALL_NEW"))
    denied(lambda: ddb.get_item(TableName=games, Key=key))
    got = ddb.get_item(TableName=games, Key=key, ProjectionExpression="TopScore, Address.City")
    assert got["Item"] == {"TopScore": {"N": "7"}}
    denied(lambda: ddb.get_item(TableName=games, Key=key, ProjectionExpression="Secret"))


def test_consumed_capacity_is_answered_when_asked(mesh, games):
    """DynamoDB returns ConsumedCapacity when ReturnConsumedCapacity is TOTAL or INDEXES (API
    reference); units as the Developer Guide's read/write capacity mode counts them: a write unit per
    1 KB (the larger of the item before and after), a read unit per 4 KB (half when eventually
    consistent, and a read that finds nothing still costs one)."""
    ddb = mesh.as_admin("dynamodb")
    item = {"UserId": {"S": "carol"}, "GameTitle": {"S": "chess"}, "TopScore": {"N": "3"}, "Notes": {"S": "x" * 1500}}
    put = ddb.put_item(TableName=games, Item=item, ReturnConsumedCapacity="TOTAL")
    assert put["ConsumedCapacity"]["TableName"] == games
    # 1.5 KB: two write units on the table, two on the ByGame index the item is in.
    assert put["ConsumedCapacity"]["CapacityUnits"] == 4.0
    indexed = ddb.put_item(TableName=games, Item=item, ReturnConsumedCapacity="INDEXES")["ConsumedCapacity"]
    assert indexed["Table"]["CapacityUnits"] == 2.0 and indexed["GlobalSecondaryIndexes"]["ByGame"]["CapacityUnits"] == 2.0
    key = {"UserId": {"S": "carol"}, "GameTitle": {"S": "chess"}}
    assert ddb.get_item(TableName=games, Key=key, ReturnConsumedCapacity="TOTAL")["ConsumedCapacity"]["CapacityUnits"] == 0.5
    missing = {"UserId": {"S": "nobody"}, "GameTitle": {"S": "chess"}}
    got = ddb.get_item(TableName=games, Key=missing, ConsistentRead=True, ReturnConsumedCapacity="TOTAL")
    assert got["ConsumedCapacity"]["CapacityUnits"] == 1.0
    queried = ddb.query(TableName=games, IndexName="ByGame", KeyConditionExpression="GameTitle = :g",
                        ExpressionAttributeValues={":g": {"S": "chess"}}, ReturnConsumedCapacity="INDEXES")
    assert "ByGame" in queried["ConsumedCapacity"]["GlobalSecondaryIndexes"]
    # Not asked, not answered.
    assert "ConsumedCapacity" not in ddb.get_item(TableName=games, Key=key)
    deleted = ddb.delete_item(TableName=games, Key=key, ReturnConsumedCapacity="TOTAL")
    assert deleted["ConsumedCapacity"]["CapacityUnits"] == 4.0
