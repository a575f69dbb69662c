"""STS on the local mesh, through boto3: identities, AssumeRole exactly where trust allows,
temporary credentials that act in the role's account and expire."""
import json

import pytest
from botocore.exceptions import ClientError

from conftest import error_code, session_creds, trust_policy, unique


def make_role(mesh, owner, trust, **extra):
    iam = mesh.as_admin("iam", owner)
    name = unique("role")
    role = iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust, **extra)["Role"]
    return role


def test_get_caller_identity_of_each_admin(mesh):
    for role in ("mesh", "producer", "consumer"):
        ident = mesh.as_admin("sts", role).get_caller_identity()
        assert ident["Account"] == mesh.account(role)
        assert ident["Arn"] == f"arn:aws:iam::{mesh.account(role)}:user/Administrator"
        assert ident["UserId"].startswith("AIDA")


def test_assume_role_same_account_trusting_the_user(mesh):
    admin_arn = f"arn:aws:iam::{mesh.account('producer')}:user/Administrator"
    role = make_role(mesh, "producer", trust_policy(admin_arn), Path="/AwsDataMesh/")
    out = mesh.as_admin("sts", "producer").assume_role(RoleArn=role["Arn"], RoleSessionName="s1")
    creds = out["Credentials"]
    assert creds["AccessKeyId"].startswith("ASIA") and len(creds["AccessKeyId"]) == 20
    assert creds["SessionToken"] and len(creds["SecretAccessKey"]) == 40
    # The assumed-role ARN carries no path.
    assert out["AssumedRoleUser"]["Arn"] == f"arn:aws:sts::{mesh.account('producer')}:assumed-role/{role['RoleName']}/s1"
    assert out["AssumedRoleUser"]["AssumedRoleId"] == f"{role['RoleId']}:s1"
    ident = mesh.client("sts", session_creds(out)).get_caller_identity()
    assert ident["Arn"] == out["AssumedRoleUser"]["Arn"]


def test_cross_account_assume_role_acts_in_the_roles_account(mesh):
    role = make_role(mesh, "producer", trust_policy(f"arn:aws:iam::{mesh.account('mesh')}:root"))
    out = mesh.as_admin("sts", "mesh").assume_role(RoleArn=role["Arn"], RoleSessionName="cross")
    session = mesh.client("sts", session_creds(out))
    assert session.get_caller_identity()["Account"] == mesh.account("producer")
    # The session can use IAM in the producer account only through the role's own policies.
    with pytest.raises(ClientError) as e:
        mesh.client("iam", session_creds(out)).get_role(RoleName=role["RoleName"])
    assert error_code(e) == "AccessDenied"
    mesh.as_admin("iam", "producer").attach_role_policy(
        RoleName=role["RoleName"], PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
    assert mesh.client("iam", session_creds(out)).get_role(RoleName=role["RoleName"])["Role"]["Arn"] == role["Arn"]


def test_trust_for_another_account_refuses(mesh):
    role = make_role(mesh, "producer", trust_policy(mesh.account("consumer")))
    with pytest.raises(ClientError) as e:
        mesh.as_admin("sts", "mesh").assume_role(RoleArn=role["Arn"], RoleSessionName="nope")
    assert error_code(e) == "AccessDenied"
    assert "is not authorized to perform: sts:AssumeRole" in str(e.value)
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_external_id_condition(mesh):
    role = make_role(mesh, "producer", trust_policy(mesh.account("mesh"),
                                                    condition={"StringEquals": {"sts:ExternalId": "secret-123"}}))
    sts = mesh.as_admin("sts", "mesh")
    for bad in ({}, {"ExternalId": "wrong-id"}):
        with pytest.raises(ClientError) as e:
            sts.assume_role(RoleArn=role["Arn"], RoleSessionName="ext", **bad)
        assert error_code(e) == "AccessDenied"
    assert sts.assume_role(RoleArn=role["Arn"], RoleSessionName="ext", ExternalId="secret-123")["Credentials"]


def test_cross_account_needs_the_callers_own_permission(mesh):
    # A mesh-account user with no policies is named by the trust policy, yet cannot assume a
    # role in another account: its own account has not allowed it.
    iam = mesh.as_admin("iam", "mesh")
    user = iam.create_user(UserName=unique("nobody"))["User"]
    key = iam.create_access_key(UserName=user["UserName"])["AccessKey"]
    role = make_role(mesh, "producer", trust_policy(user["Arn"]))
    with pytest.raises(ClientError) as e:
        mesh.client("sts", key).assume_role(RoleArn=role["Arn"], RoleSessionName="xx-session")
    assert error_code(e) == "AccessDenied"
    group = iam.create_group(GroupName=unique("assumers"))["Group"]
    iam.add_user_to_group(GroupName=group["GroupName"], UserName=user["UserName"])
    iam.attach_group_policy(GroupName=group["GroupName"], PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
    assert mesh.client("sts", key).assume_role(RoleArn=role["Arn"], RoleSessionName="xx-session")["Credentials"]


def test_role_principal_and_role_chaining(mesh):
    first = make_role(mesh, "producer", trust_policy(mesh.account("mesh")))
    second = make_role(mesh, "consumer", trust_policy(first["Arn"]))
    mesh.as_admin("iam", "producer").attach_role_policy(
        RoleName=first["RoleName"], PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
    hop1 = mesh.as_admin("sts", "mesh").assume_role(RoleArn=first["Arn"], RoleSessionName="hop1")
    sts1 = mesh.client("sts", session_creds(hop1))
    with pytest.raises(ClientError) as e:
        sts1.assume_role(RoleArn=second["Arn"], RoleSessionName="hop2", DurationSeconds=7200)
    assert error_code(e) == "ValidationError" and "role chaining" in str(e.value)
    hop2 = sts1.assume_role(RoleArn=second["Arn"], RoleSessionName="hop2")
    assert mesh.client("sts", session_creds(hop2)).get_caller_identity()["Account"] == mesh.account("consumer")


def test_duration_and_session_name_bounds(mesh):
    role = make_role(mesh, "producer", trust_policy(mesh.account("mesh")), MaxSessionDuration=7200)
    sts = mesh.as_admin("sts", "mesh")
    assert sts.assume_role(RoleArn=role["Arn"], RoleSessionName="long", DurationSeconds=7200)["Credentials"]
    with pytest.raises(ClientError) as e:
        sts.assume_role(RoleArn=role["Arn"], RoleSessionName="toolong", DurationSeconds=7201)
    assert error_code(e) == "ValidationError" and "MaxSessionDuration" in str(e.value)
    # The service checks its bounds itself, whatever the client validated.
    unchecked = mesh.client("sts", mesh.admin("mesh"), parameter_validation=False)
    for bad in ({"RoleSessionName": "short", "DurationSeconds": 899}, {"RoleSessionName": "bad name!"},
                {"RoleSessionName": "x"}):
        with pytest.raises(ClientError) as e:
            unchecked.assume_role(RoleArn=role["Arn"], **bad)
        assert error_code(e) == "ValidationError", bad
        assert "roleSessionName" in str(e.value) or "durationSeconds" in str(e.value)


def test_missing_role_is_refused_like_an_untrusted_one(mesh):
    with pytest.raises(ClientError) as e:
        mesh.as_admin("sts", "mesh").assume_role(
            RoleArn=f"arn:aws:iam::{mesh.account('producer')}:role/DoesNotExist", RoleSessionName="xx-session")
    assert error_code(e) == "AccessDenied"


def test_wildcard_principal_still_needs_identity_permission_across_accounts(mesh):
    role = make_role(mesh, "producer", trust_policy("*"))
    assert mesh.as_admin("sts", "consumer").assume_role(RoleArn=role["Arn"], RoleSessionName="any")["Credentials"]


def test_session_policy_narrows_the_role(mesh):
    role = make_role(mesh, "producer", trust_policy(mesh.account("mesh")))
    mesh.as_admin("iam", "producer").attach_role_policy(
        RoleName=role["RoleName"], PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
    narrow = json.dumps({"Version": "2012-10-17",
                         "Statement": [{"Effect": "Allow", "Action": "iam:GetRole", "Resource": "*"}]})
    out = mesh.as_admin("sts", "mesh").assume_role(RoleArn=role["Arn"], RoleSessionName="narrow", Policy=narrow)
    iam = mesh.client("iam", session_creds(out))
    assert iam.get_role(RoleName=role["RoleName"])
    with pytest.raises(ClientError) as e:
        iam.create_user(UserName=unique("u"))
    assert error_code(e) == "AccessDenied"
