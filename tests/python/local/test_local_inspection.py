"""The reads people inspect a mesh with, through boto3: IAM lists, S3 ListBuckets, Glue
GetCrawlers, Lake Formation ListLFTags and ListResources, RAM ListResources. Each test names the
API reference it follows."""
import json

import pytest
from botocore.exceptions import ClientError

from conftest import error_code, unique

TRUST = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "glue.amazonaws.com"}, "Action": "sts:AssumeRole"}]})


def test_list_roles_by_path_with_marker_paging(mesh):
    # ListRoles (IAM API Reference): PathPrefix filters, MaxItems pages with IsTruncated/Marker, and
    # the list leaves out PermissionsBoundary, RoleLastUsed and Tags.
    iam = mesh.as_admin("iam", "producer")
    path = f"/{unique('team').lower()}/"
    made = sorted(f"{unique('role')}" for _ in range(5))
    for name in made:
        iam.create_role(RoleName=name, Path=path, AssumeRolePolicyDocument=TRUST, Tags=[{"Key": "k", "Value": "v"}])
    iam.create_role(RoleName=unique("elsewhere"), AssumeRolePolicyDocument=TRUST)
    seen, marker = [], None
    while True:
        page = iam.list_roles(PathPrefix=path, MaxItems=2, **({"Marker": marker} if marker else {}))
        seen += page["Roles"]
        assert len(page["Roles"]) <= 2
        if not page["IsTruncated"]:
            assert "Marker" not in page
            break
        marker = page["Marker"]
    assert sorted(r["RoleName"] for r in seen) == made
    assert all(r["Path"] == path and "Tags" not in r and "RoleLastUsed" not in r for r in seen)
    assert iam.get_role(RoleName=made[0])["Role"]["Tags"] == [{"Key": "k", "Value": "v"}]
    everything = iam.get_paginator("list_roles").paginate().build_full_result()["Roles"]
    assert set(made) <= {r["RoleName"] for r in everything} and len(everything) > len(made)
    with pytest.raises(ClientError) as e:
        iam.list_roles(Marker="not-a-marker!")
    assert error_code(e) == "ValidationError"


def test_list_users_groups_policies_and_role_policies(mesh):
    iam = mesh.as_admin("iam", "producer")
    user, group, role = unique("user"), unique("group"), unique("role")
    iam.create_user(UserName=user, Path="/people/")
    iam.create_group(GroupName=group, Path="/teams/")
    iam.create_role(RoleName=role, AssumeRolePolicyDocument=TRUST)
    doc = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}]})
    for name in ("b-inline", "a-inline"):
        iam.put_role_policy(RoleName=role, PolicyName=name, PolicyDocument=doc)
    policy = iam.create_policy(PolicyName=unique("policy"), Path="/mesh/", PolicyDocument=doc)["Policy"]
    iam.attach_role_policy(RoleName=role, PolicyArn=policy["Arn"])
    assert [u["UserName"] for u in iam.list_users(PathPrefix="/people/")["Users"]] == [user]
    assert [g["GroupName"] for g in iam.list_groups(PathPrefix="/teams/")["Groups"]] == [group]
    assert sorted(iam.list_role_policies(RoleName=role)["PolicyNames"]) == ["a-inline", "b-inline"]
    # ListPolicies: Scope Local is the account's own, AWS the AWS managed ones; OnlyAttached.
    local = iam.list_policies(Scope="Local", PathPrefix="/mesh/")["Policies"]
    assert [p["Arn"] for p in local] == [policy["Arn"]] and local[0]["AttachmentCount"] == 1
    aws = iam.list_policies(Scope="AWS")["Policies"]
    assert aws and all(p["Arn"].startswith("arn:aws:iam::aws:policy/") for p in aws)
    attached = iam.list_policies(Scope="Local", OnlyAttached=True)["Policies"]
    assert policy["Arn"] in [p["Arn"] for p in attached]
    with pytest.raises(ClientError) as e:
        iam.list_role_policies(RoleName=unique("missing"))
    assert error_code(e) == "NoSuchEntity"


def test_list_buckets_shows_the_callers_own(mesh):
    # ListBuckets (S3 API Reference): the buckets the caller's account owns, with their owner.
    producer, consumer = mesh.as_admin("s3", "producer"), mesh.as_admin("s3", "consumer")
    name = unique("inspect-bucket").lower()
    producer.create_bucket(Bucket=name)
    out = producer.list_buckets()
    assert name in [b["Name"] for b in out["Buckets"]] and out["Owner"]["ID"]
    assert name not in [b["Name"] for b in consumer.list_buckets()["Buckets"]]


def test_get_crawlers_pages(mesh):
    # GetCrawlers (Glue API Reference): MaxResults and NextToken.
    glue = mesh.as_admin("glue", "mesh")
    iam = mesh.as_admin("iam", "mesh")
    role = iam.create_role(RoleName=unique("crawler"), AssumeRolePolicyDocument=TRUST)["Role"]["Arn"]
    names = sorted(unique("crawler") for _ in range(3))
    for n in names:
        glue.create_crawler(Name=n, Role=role, DatabaseName="db", Targets={"S3Targets": [{"Path": "s3://b/p/"}]})
    pages = list(glue.get_paginator("get_crawlers").paginate(PaginationConfig={"PageSize": 2}))
    found = [c["Name"] for p in pages for c in p["Crawlers"]]
    assert set(names) <= set(found) and len(found) == len(set(found)) and len(pages) >= 2


def test_lake_formation_tags_and_resources(mesh):
    # ListLFTags and ListResources (Lake Formation API Reference).
    lf = mesh.as_admin("lakeformation", "producer")
    key = unique("domain")
    lf.create_lf_tag(TagKey=key, TagValues=["sales", "hr"])
    tags = lf.get_paginator("list_lf_tags").paginate().build_full_result()["LFTags"]
    mine = [t for t in tags if t["TagKey"] == key]
    assert len(mine) == 1 and sorted(mine[0]["TagValues"]) == ["hr", "sales"]
    assert key not in [t["TagKey"] for t in lf.list_lf_tags(ResourceShareType="FOREIGN").get("LFTags", [])]
    bucket = unique("lake").lower()
    arn = f"arn:aws:s3:::{bucket}/data"
    role = mesh.as_admin("iam", "producer").create_role(RoleName=unique("lfrole"), AssumeRolePolicyDocument=TRUST)["Role"]["Arn"]
    lf.register_resource(ResourceArn=arn, RoleArn=role)
    lf.register_resource(ResourceArn=f"arn:aws:s3:::{bucket}-other", RoleArn=role)
    found = lf.list_resources(FilterConditionList=[
        {"Field": "RESOURCE_ARN", "ComparisonOperator": "BEGINS_WITH", "StringValueList": [f"arn:aws:s3:::{bucket}/"]}])
    assert [r["ResourceArn"] for r in found["ResourceInfoList"]] == [arn]
    assert found["ResourceInfoList"][0]["RoleArn"] == role
    both = lf.list_resources(FilterConditionList=[
        {"Field": "ROLE_ARN", "ComparisonOperator": "EQ", "StringValueList": [role]}])["ResourceInfoList"]
    assert len(both) == 2


def test_ram_list_resources(mesh):
    # ListResources (RAM API Reference): by resourceOwner, with resourceType and share filters.
    mesh_account, consumer = mesh.account("mesh"), mesh.account("consumer")
    lf_mesh = mesh.as_admin("lakeformation", "mesh")
    settings = lf_mesh.get_data_lake_settings()["DataLakeSettings"]
    settings["CreateDatabaseDefaultPermissions"] = []
    settings["CreateTableDefaultPermissions"] = []
    lf_mesh.put_data_lake_settings(DataLakeSettings=settings)
    glue = mesh.as_admin("glue", "mesh")
    db = unique("listed").lower()
    glue.create_database(DatabaseInput={"Name": db})
    glue.create_table(DatabaseName=db, TableInput={"Name": "t", "StorageDescriptor": {"Location": "s3://x/t/"}})
    lf_mesh.grant_permissions(Principal={"DataLakePrincipalIdentifier": consumer},
                              Resource={"Table": {"CatalogId": mesh_account, "DatabaseName": db, "Name": "t"}},
                              Permissions=["DESCRIBE"])
    ram_mesh, ram_consumer = mesh.as_admin("ram", "mesh"), mesh.as_admin("ram", "consumer")
    table_arn = f"arn:aws:glue:us-east-1:{mesh_account}:table/{db}/t"
    mine = ram_mesh.list_resources(resourceOwner="SELF", resourceType="glue:Table")["resources"]
    entry = [r for r in mine if r["arn"] == table_arn]
    assert len(entry) == 1 and entry[0]["type"] == "glue:Table" and entry[0]["status"] == "AVAILABLE"
    assert not [r for r in ram_mesh.list_resources(resourceOwner="SELF", resourceType="glue:Database")["resources"]
                if r["arn"] == table_arn]
    # The consumer sees it once it accepted the invitation.
    assert table_arn not in [r["arn"] for r in ram_consumer.list_resources(resourceOwner="OTHER-ACCOUNTS")["resources"]]
    for inv in ram_consumer.get_resource_share_invitations(resourceShareArns=[entry[0]["resourceShareArn"]])["resourceShareInvitations"]:
        ram_consumer.accept_resource_share_invitation(resourceShareInvitationArn=inv["resourceShareInvitationArn"])
    assert table_arn in [r["arn"] for r in ram_consumer.list_resources(resourceOwner="OTHER-ACCOUNTS")["resources"]]
    with pytest.raises(ClientError) as e:
        ram_mesh.list_resources(resourceOwner="SELF", resourceType="s3:Bucket")
    assert error_code(e) == "InvalidResourceTypeException"
