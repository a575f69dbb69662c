"""Request members the local mesh does not model are refused with the service's validation error,
never ignored; those it models are honoured. Each case names the API reference it follows."""
import json

import pytest
from botocore.exceptions import ClientError

from conftest import error_code, unique

TRUST_ACCOUNT = lambda account: json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:root"}, "Action": "sts:AssumeRole"}]})


def refused(call, code, fragment="not supported by the local mesh", **kwargs):
    with pytest.raises(ClientError) as e:
        call(**kwargs)
    assert error_code(e) == code and fragment in str(e.value), str(e.value)


def test_sts_session_tags_and_managed_session_policies_are_refused(mesh):
    sts = mesh.as_admin("sts", "producer")
    arn = f"arn:aws:iam::{mesh.account('producer')}:role/whatever"
    refused(sts.assume_role, "ValidationError", RoleArn=arn, RoleSessionName="session", Tags=[{"Key": "k", "Value": "v"}])
    refused(sts.assume_role, "ValidationError", RoleArn=arn, RoleSessionName="session",
            PolicyArns=[{"arn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}])


def test_permissions_boundaries_narrow_what_policies_allow(mesh):
    # "Permissions boundaries for IAM entities" (IAM User Guide): effective permissions are those
    # both the identity-based policies and the boundary allow.
    iam = mesh.as_admin("iam", "producer")
    account = mesh.account("producer")
    boundary = iam.create_policy(PolicyName=unique("boundary"), PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"}]}))
    role = unique("bounded")
    iam.create_role(RoleName=role, AssumeRolePolicyDocument=TRUST_ACCOUNT(account),
                    PermissionsBoundary=boundary["Policy"]["Arn"])
    iam.attach_role_policy(RoleName=role, PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
    creds = mesh.as_admin("sts", "producer").assume_role(RoleArn=f"arn:aws:iam::{account}:role/{role}",
                                                         RoleSessionName="bounded")["Credentials"]
    session = {"AccessKeyId": creds["AccessKeyId"], "SecretAccessKey": creds["SecretAccessKey"],
               "SessionToken": creds["SessionToken"]}
    mesh.client("s3", session).list_buckets()  # within the boundary
    with pytest.raises(ClientError) as e:
        mesh.client("iam", session).list_roles()  # the policy allows it, the boundary does not
    assert error_code(e) == "AccessDenied"
    user = unique("bounded-user")
    iam.create_user(UserName=user, PermissionsBoundary=boundary["Policy"]["Arn"])
    assert iam.get_user(UserName=user)["User"]["PermissionsBoundary"]["PermissionsBoundaryArn"] == boundary["Policy"]["Arn"]


def test_glue_governed_tables_are_refused_and_partition_segments_honoured(mesh):
    glue = mesh.as_admin("glue", "producer")
    db = unique("segments").lower()
    glue.create_database(DatabaseInput={"Name": db})
    refused(glue.create_table, "InvalidInputException", DatabaseName=db,
            TableInput={"Name": "x"}, PartitionIndexes=[{"Keys": ["y"], "IndexName": "i"}])
    glue.create_table(DatabaseName=db, TableInput={"Name": "t", "PartitionKeys": [{"Name": "y", "Type": "string"}],
                                                   "StorageDescriptor": {"Location": "s3://b/t/",
                                                                         "Columns": [{"Name": "c", "Type": "int"}]}})
    refused(glue.get_table, "InvalidInputException", DatabaseName=db, Name="t", TransactionId="tx1")
    glue.batch_create_partition(DatabaseName=db, TableName="t", PartitionInputList=[
        {"Values": [str(2000 + i)], "StorageDescriptor": {"Columns": [{"Name": "c", "Type": "int"}]}} for i in range(20)])
    # GetPartitions Segment (Glue API Reference): the segments split the partitions between them.
    seen = []
    for n in range(3):
        part = glue.get_partitions(DatabaseName=db, TableName="t", Segment={"SegmentNumber": n, "TotalSegments": 3})
        seen += [p["Values"][0] for p in part["Partitions"]]
    assert sorted(seen) == [str(2000 + i) for i in range(20)]
    bare = glue.get_partitions(DatabaseName=db, TableName="t", ExcludeColumnSchema=True)["Partitions"]
    assert bare and all("Columns" not in p.get("StorageDescriptor", {}) for p in bare)


def test_lake_formation_and_ram_filters(mesh):
    refused(mesh.as_admin("lakeformation", "mesh").list_permissions, "InvalidInputException", IncludeRelated="TRUE")
    ram = mesh.as_admin("ram", "mesh")
    assert ram.get_resource_shares(resourceOwner="SELF", tagFilters=[{"tagKey": "team"}])["resourceShares"] == []
    refused(ram.get_resource_shares, "InvalidParameterException", resourceOwner="SELF",
            permissionArn="arn:aws:ram::aws:permission/AWSRAMDefaultPermissionGlueTable")


def test_dynamodb_table_options(mesh):
    ddb = mesh.as_admin("dynamodb", "mesh")
    base = dict(BillingMode="PAY_PER_REQUEST", KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"},
                                      {"AttributeName": "s", "AttributeType": "S"}])
    refused(ddb.create_table, "ValidationException", TableName=unique("lsi"), **dict(base, KeySchema=[
        {"AttributeName": "id", "KeyType": "HASH"}, {"AttributeName": "s", "KeyType": "RANGE"}]),
        LocalSecondaryIndexes=[{"IndexName": "local", "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"},
                                                                 {"AttributeName": "s", "KeyType": "RANGE"}],
                                "Projection": {"ProjectionType": "ALL"}}])
    simple = dict(base, AttributeDefinitions=base["AttributeDefinitions"][:1])
    refused(ddb.create_table, "ValidationException", TableName=unique("sse"), SSESpecification={"Enabled": True}, **simple)
    name = unique("classy")
    ddb.create_table(TableName=name, TableClass="STANDARD_INFREQUENT_ACCESS", **simple)
    assert ddb.describe_table(TableName=name)["Table"]["TableClassSummary"]["TableClass"] == "STANDARD_INFREQUENT_ACCESS"


def test_s3_bucket_options_and_expected_owner(mesh):
    s3 = mesh.as_admin("s3", "producer")
    with pytest.raises(ClientError) as e:
        s3.create_bucket(Bucket=unique("public").lower(), ACL="public-read")
    assert error_code(e) == "NotImplemented"
    name = unique("owned").lower()
    s3.create_bucket(Bucket=name, ACL="private")
    s3.head_bucket(Bucket=name, ExpectedBucketOwner=mesh.account("producer"))
    with pytest.raises(ClientError) as e:
        s3.head_bucket(Bucket=name, ExpectedBucketOwner=mesh.account("consumer"))
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_smaller_gaps_closed(mesh):
    # IAM ListPolicies PolicyUsageFilter (IAM API Reference): PermissionsBoundary lists the policies
    # set as a boundary, with their usage count.
    iam = mesh.as_admin("iam", "producer")
    doc = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]})
    used = iam.create_policy(PolicyName=unique("edge"), PolicyDocument=doc)["Policy"]["Arn"]
    iam.create_user(UserName=unique("edged"), PermissionsBoundary=used)
    listed = iam.list_policies(Scope="Local", PolicyUsageFilter="PermissionsBoundary")["Policies"]
    assert used in [p["Arn"] for p in listed]
    assert [p for p in listed if p["Arn"] == used][0]["PermissionsBoundaryUsageCount"] >= 1
    # DynamoDB Query/Scan Select (API Reference): ALL_PROJECTED_ATTRIBUTES only on an index.
    ddb = mesh.as_admin("dynamodb", "mesh")
    name = unique("projected")
    ddb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST", KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}])
    with pytest.raises(ClientError) as e:
        ddb.scan(TableName=name, Select="ALL_PROJECTED_ATTRIBUTES")
    assert error_code(e) == "ValidationException"
    # Glue resource policies live on the caller's catalog only.
    with pytest.raises(ClientError) as e:
        mesh.as_admin("glue", "producer").get_resource_policy(
            ResourceArn=f"arn:aws:glue:us-east-1:{mesh.account('producer')}:database/sales")
    assert error_code(e) == "InvalidInputException"
    # RAM GetResourceShareAssociations: principal only with PRINCIPAL associations.
    with pytest.raises(ClientError) as e:
        mesh.as_admin("ram").get_resource_share_associations(associationType="RESOURCE", principal="333333333333")
    assert error_code(e) == "InvalidParameterException"


def test_a_retried_accept_with_its_client_token_replays_the_answer(mesh):
    # AcceptResourceShareInvitation (RAM API Reference): clientToken makes the call idempotent.
    mesh_account, consumer = mesh.account("mesh"), mesh.account("consumer")
    lf = mesh.as_admin("lakeformation", "mesh")
    settings = lf.get_data_lake_settings()["DataLakeSettings"]
    settings["CreateDatabaseDefaultPermissions"], settings["CreateTableDefaultPermissions"] = [], []
    lf.put_data_lake_settings(DataLakeSettings=settings)
    db = unique("tokened").lower()
    mesh.as_admin("glue", "mesh").create_database(DatabaseInput={"Name": db})
    lf.grant_permissions(Principal={"DataLakePrincipalIdentifier": consumer},
                         Resource={"Database": {"CatalogId": mesh_account, "Name": db}}, Permissions=["DESCRIBE"])
    ram = mesh.as_admin("ram", "consumer")
    arn = f"arn:aws:glue:us-east-1:{mesh_account}:database/{db}"
    share = [r for r in mesh.as_admin("ram", "mesh").list_resources(resourceOwner="SELF")["resources"] if r["arn"] == arn][0]
    inv = ram.get_resource_share_invitations(resourceShareArns=[share["resourceShareArn"]])["resourceShareInvitations"][0]
    first = ram.accept_resource_share_invitation(resourceShareInvitationArn=inv["resourceShareInvitationArn"], clientToken="t-1")
    again = ram.accept_resource_share_invitation(resourceShareInvitationArn=inv["resourceShareInvitationArn"], clientToken="t-1")
    assert again["resourceShareInvitation"] == first["resourceShareInvitation"] and again["clientToken"] == "t-1"
    with pytest.raises(ClientError) as e:
        ram.accept_resource_share_invitation(resourceShareInvitationArn=inv["resourceShareInvitationArn"], clientToken="t-2")
    assert error_code(e) == "ResourceShareInvitationAlreadyAcceptedException"
