"""IAM on the local mesh through boto3: every operation the mesh uses, its shapes, and the errors
IAM answers with."""
import json

import pytest
from botocore.exceptions import ClientError

from conftest import allow_all_policy, error_code, trust_policy, unique

ADMIN_POLICY = "arn:aws:iam::aws:policy/AdministratorAccess"


def policy(action="s3:GetObject", resource="*"):
    return json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": action, "Resource": resource}]})


@pytest.fixture
def iam(mesh):
    return mesh.as_admin("iam", "mesh")


def test_create_and_get_role_with_path_tags_and_decoded_trust(mesh, iam):
    name = unique("DataMeshManager")
    trust = trust_policy(mesh.account("producer"))
    role = iam.create_role(RoleName=name, Path="/AwsDataMesh/", AssumeRolePolicyDocument=trust,
                           Description="manager", Tags=[{"Key": "Solution", "Value": "DataMeshUtils"}])["Role"]
    assert role["Arn"] == f"arn:aws:iam::{mesh.account('mesh')}:role/AwsDataMesh/{name}"
    assert role["RoleId"].startswith("AROA") and role["Path"] == "/AwsDataMesh/"
    got = iam.get_role(RoleName=name)["Role"]
    # boto3 decodes the URL-encoded document IAM sends: it must come back as the same policy.
    assert got["AssumeRolePolicyDocument"] == json.loads(trust)
    assert got["Tags"] == [{"Key": "Solution", "Value": "DataMeshUtils"}]
    assert got["Description"] == "manager" and got["MaxSessionDuration"] == 3600
    # Lookups ignore case, as IAM's do.
    assert iam.get_role(RoleName=name.upper())["Role"]["RoleName"] == name


def test_role_errors(mesh, iam):
    name = unique("dup")
    iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust_policy(mesh.account("mesh")))
    for n in (name, name.upper()):
        with pytest.raises(ClientError) as e:
            iam.create_role(RoleName=n, AssumeRolePolicyDocument=trust_policy(mesh.account("mesh")))
        assert error_code(e) == "EntityAlreadyExists"
        assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    with pytest.raises(ClientError) as e:
        iam.get_role(RoleName=unique("missing"))
    assert error_code(e) == "NoSuchEntity" and e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    with pytest.raises(ClientError) as e:
        iam.create_role(RoleName="bad name!", AssumeRolePolicyDocument=trust_policy(mesh.account("mesh")))
    assert error_code(e) == "ValidationError" and "roleName" in str(e.value)
    with pytest.raises(ClientError) as e:
        iam.create_role(RoleName=unique("r"), Path="no-slashes", AssumeRolePolicyDocument=trust_policy(mesh.account("mesh")))
    assert error_code(e) == "ValidationError"


@pytest.mark.parametrize("document,fragment", [
    ("not json", "Syntax errors"),
    (json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole"}]}), "Principal"),
    (json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Maybe", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]}), "effect"),
    (json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::222222222222:role/NoSuchRole"}, "Action": "sts:AssumeRole"}]}), "Invalid principal"),
    (json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole", "Resource": "*"}]}), "Resource"),
])
def test_malformed_trust_policies(iam, document, fragment):
    with pytest.raises(ClientError) as e:
        iam.create_role(RoleName=unique("bad"), AssumeRolePolicyDocument=document)
    assert error_code(e) == "MalformedPolicyDocument"
    assert fragment.lower() in str(e.value).lower()


def test_update_trust_and_inline_policies(mesh, iam):
    name = unique("inline")
    iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust_policy(mesh.account("mesh")))
    new_trust = trust_policy(mesh.account("consumer"))
    iam.update_assume_role_policy(RoleName=name, PolicyDocument=new_trust)
    assert iam.get_role(RoleName=name)["Role"]["AssumeRolePolicyDocument"] == json.loads(new_trust)
    iam.put_role_policy(RoleName=name, PolicyName="Access", PolicyDocument=policy())
    got = iam.get_role_policy(RoleName=name, PolicyName="Access")
    assert got["PolicyDocument"] == json.loads(policy()) and got["RoleName"] == name
    with pytest.raises(ClientError) as e:
        iam.get_role_policy(RoleName=name, PolicyName="Other")
    assert error_code(e) == "NoSuchEntity"
    with pytest.raises(ClientError) as e:
        iam.put_role_policy(RoleName=name, PolicyName="P", PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*"}]}))
    assert error_code(e) == "MalformedPolicyDocument" and "principal" in str(e.value)
    big = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": f"s3:GetObject", "Resource": f"arn:aws:s3:::bucket-{i:05d}/*"} for i in range(250)]})
    with pytest.raises(ClientError) as e:
        iam.put_role_policy(RoleName=name, PolicyName="Big", PolicyDocument=big)
    assert error_code(e) == "LimitExceeded"


def test_managed_policy_versions(mesh, iam):
    created = iam.create_policy(PolicyName=unique("DataMeshReadOnlyPolicy"), Path="/AwsDataMesh/",
                                PolicyDocument=policy("s3:GetObject"), Description="read")["Policy"]
    arn = created["Arn"]
    assert arn.startswith(f"arn:aws:iam::{mesh.account('mesh')}:policy/AwsDataMesh/")
    assert created["DefaultVersionId"] == "v1" and created["AttachmentCount"] == 0 and created["PolicyId"].startswith("ANPA")
    with pytest.raises(ClientError) as e:
        iam.create_policy(PolicyName=created["PolicyName"], PolicyDocument=policy())
    assert error_code(e) == "EntityAlreadyExists"
    for i in range(2, 6):
        v = iam.create_policy_version(PolicyArn=arn, PolicyDocument=policy(f"s3:Get{i}"), SetAsDefault=(i == 3))
        assert v["PolicyVersion"]["VersionId"] == f"v{i}"
    with pytest.raises(ClientError) as e:
        iam.create_policy_version(PolicyArn=arn, PolicyDocument=policy())
    assert error_code(e) == "LimitExceeded"
    assert iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"] == "v3"
    assert iam.get_policy_version(PolicyArn=arn, VersionId="v3")["PolicyVersion"]["Document"] == json.loads(policy("s3:Get3"))
    with pytest.raises(ClientError) as e:
        iam.delete_policy_version(PolicyArn=arn, VersionId="v3")
    assert error_code(e) == "DeleteConflict" and e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    iam.delete_policy_version(PolicyArn=arn, VersionId="v1")
    versions = [v["VersionId"] for v in iam.list_policy_versions(PolicyArn=arn)["Versions"]]
    assert sorted(versions) == ["v2", "v3", "v4", "v5"]
    # Version ids are never reused.
    assert iam.create_policy_version(PolicyArn=arn, PolicyDocument=policy())["PolicyVersion"]["VersionId"] == "v6"
    with pytest.raises(ClientError) as e:
        iam.get_policy_version(PolicyArn=arn, VersionId="v1")
    assert error_code(e) == "NoSuchEntity"
    with pytest.raises(ClientError) as e:
        iam.get_policy(PolicyArn=f"arn:aws:iam::{mesh.account('mesh')}:policy/{unique('none')}")
    assert error_code(e) == "NoSuchEntity"


def test_attach_and_list_role_policies_with_paging(mesh, iam):
    name = unique("attach")
    iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust_policy(mesh.account("mesh")))
    arns = [iam.create_policy(PolicyName=unique(f"p{i}"), PolicyDocument=policy())["Policy"]["Arn"] for i in range(9)]
    for arn in arns + [ADMIN_POLICY, ADMIN_POLICY]:
        iam.attach_role_policy(RoleName=name, PolicyArn=arn)
    extra = iam.create_policy(PolicyName=unique("p-extra"), PolicyDocument=policy())["Policy"]["Arn"]
    with pytest.raises(ClientError) as e:
        iam.attach_role_policy(RoleName=name, PolicyArn=extra)
    assert error_code(e) == "LimitExceeded"
    with pytest.raises(ClientError) as e:
        iam.attach_role_policy(RoleName=name, PolicyArn=f"arn:aws:iam::{mesh.account('mesh')}:policy/nothing-here")
    assert error_code(e) == "NoSuchEntity"
    page = iam.list_attached_role_policies(RoleName=name, MaxItems=4)
    assert len(page["AttachedPolicies"]) == 4 and page["IsTruncated"] is True
    paginator = iam.get_paginator("list_attached_role_policies")
    listed = [p["PolicyArn"] for pg in paginator.paginate(RoleName=name, PaginationConfig={"PageSize": 3})
              for p in pg["AttachedPolicies"]]
    assert sorted(listed) == sorted(arns + [ADMIN_POLICY])
    assert iam.get_policy(PolicyArn=arns[0])["Policy"]["AttachmentCount"] == 1


def test_users_groups_and_access_keys(mesh, iam):
    user = iam.create_user(UserName=unique("DataMeshProducer"), Path="/AwsDataMesh/")["User"]
    assert user["UserId"].startswith("AIDA") and user["Arn"].endswith(f":user/AwsDataMesh/{user['UserName']}")
    with pytest.raises(ClientError) as e:
        iam.create_user(UserName=user["UserName"])
    assert error_code(e) == "EntityAlreadyExists"
    assert iam.get_user(UserName=user["UserName"])["User"]["Arn"] == user["Arn"]
    assert iam.get_user()["User"]["UserName"] == "Administrator"  # no name: the caller
    group = iam.create_group(GroupName=user["UserName"] + "Group", Path="/AwsDataMesh/")["Group"]
    assert group["GroupId"].startswith("AGPA")
    iam.add_user_to_group(GroupName=group["GroupName"], UserName=user["UserName"])
    iam.add_user_to_group(GroupName=group["GroupName"], UserName=user["UserName"])  # idempotent
    members = iam.get_group(GroupName=group["GroupName"])
    assert [u["UserName"] for u in members["Users"]] == [user["UserName"]]
    with pytest.raises(ClientError) as e:
        iam.add_user_to_group(GroupName=group["GroupName"], UserName=unique("ghost"))
    assert error_code(e) == "NoSuchEntity"

    key = iam.create_access_key(UserName=user["UserName"])["AccessKey"]
    assert key["AccessKeyId"].startswith("AKIA") and key["Status"] == "Active"
    as_user = mesh.client("iam", key)
    with pytest.raises(ClientError) as e:
        as_user.create_role(RoleName=unique("r"), AssumeRolePolicyDocument=trust_policy(mesh.account("mesh")))
    assert error_code(e) == "AccessDenied"
    # Permissions arrive through the group.
    iam.attach_group_policy(GroupName=group["GroupName"], PolicyArn=ADMIN_POLICY)
    assert as_user.create_role(RoleName=unique("r"), AssumeRolePolicyDocument=trust_policy(mesh.account("mesh")))
    iam.create_access_key(UserName=user["UserName"])
    with pytest.raises(ClientError) as e:
        iam.create_access_key(UserName=user["UserName"])
    assert error_code(e) == "LimitExceeded"


def test_get_user_without_name_from_a_role_session(mesh):
    iam = mesh.as_admin("iam", "producer")
    role = iam.create_role(RoleName=unique("r"), AssumeRolePolicyDocument=trust_policy(mesh.account("mesh")))["Role"]
    iam.attach_role_policy(RoleName=role["RoleName"], PolicyArn=ADMIN_POLICY)
    c = mesh.as_admin("sts", "mesh").assume_role(RoleArn=role["Arn"], RoleSessionName="session")["Credentials"]
    with pytest.raises(ClientError) as e:
        mesh.client("iam", c).get_user()
    assert error_code(e) == "ValidationError"


def test_lake_formation_service_linked_role(mesh):
    iam = mesh.as_admin("iam", "consumer")
    role = iam.create_service_linked_role(AWSServiceName="lakeformation.amazonaws.com")["Role"]
    assert role["RoleName"] == "AWSServiceRoleForLakeFormationDataAccess"
    assert role["Path"] == "/aws-service-role/lakeformation.amazonaws.com/"
    assert role["Arn"] == (f"arn:aws:iam::{mesh.account('consumer')}:role/aws-service-role/"
                           "lakeformation.amazonaws.com/AWSServiceRoleForLakeFormationDataAccess")
    with pytest.raises(ClientError) as e:
        iam.create_service_linked_role(AWSServiceName="lakeformation.amazonaws.com")
    assert error_code(e) == "InvalidInput" and "has been taken" in str(e.value)
    with pytest.raises(ClientError) as e:
        iam.update_assume_role_policy(RoleName=role["RoleName"], PolicyDocument=trust_policy(mesh.account("mesh")))
    assert error_code(e) == "UnmodifiableEntity"
    attached = iam.list_attached_role_policies(RoleName=role["RoleName"])["AttachedPolicies"]
    assert attached[0]["PolicyName"] == "AWSLakeFormationDataAccessServiceRolePolicy"


def test_aws_managed_policy_reads(iam):
    p = iam.get_policy(PolicyArn=ADMIN_POLICY)["Policy"]
    assert p["PolicyName"] == "AdministratorAccess" and p["DefaultVersionId"] == "v1"
    doc = iam.get_policy_version(PolicyArn=ADMIN_POLICY, VersionId="v1")["PolicyVersion"]["Document"]
    assert doc["Statement"][0]["Action"] == "*"
