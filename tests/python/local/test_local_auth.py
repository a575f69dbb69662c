"""Authentication on the local mesh: unknown, wrong, missing and expired credentials, tampered
session tokens, clock skew and presigned URLs, each answered with the service's own error."""
import datetime
import urllib.error
import urllib.request

import botocore.auth
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

from conftest import error_code, session_creds, trust_policy, unique


def bad_secret(creds):
    return dict(creds, SecretAccessKey=creds["SecretAccessKey"][:-1] + ("A" if creds["SecretAccessKey"][-1] != "A" else "B"))


@pytest.mark.parametrize("service,call,code,status", [
    ("sts", lambda c: c.get_caller_identity(), "InvalidClientTokenId", 403),
    ("iam", lambda c: c.get_user(), "InvalidClientTokenId", 403),
    ("s3", lambda c: c.create_bucket(Bucket="never-made-bucket-x1"), "InvalidAccessKeyId", 403),
])
def test_unknown_access_key(mesh, service, call, code, status):
    client = mesh.client(service, {"AccessKeyId": "AKIAUNKNOWNUNKNOWN00", "SecretAccessKey": "x" * 40})
    with pytest.raises(ClientError) as e:
        call(client)
    assert error_code(e) == code
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == status


@pytest.mark.parametrize("service,call,code", [
    ("sts", lambda c: c.get_caller_identity(), "SignatureDoesNotMatch"),
    ("iam", lambda c: c.get_user(), "SignatureDoesNotMatch"),
    ("s3", lambda c: c.create_bucket(Bucket="never-made-bucket-x2"), "SignatureDoesNotMatch"),
])
def test_wrong_secret(mesh, service, call, code):
    with pytest.raises(ClientError) as e:
        call(mesh.client(service, bad_secret(mesh.admin("mesh"))))
    assert error_code(e) == code


def raw_post(mesh, body, headers=None):
    req = urllib.request.Request(mesh.url + "/", data=body.encode(), method="POST",
                                 headers={"Content-Type": "application/x-www-form-urlencoded", **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def test_missing_authentication(mesh):
    status, body = raw_post(mesh, "Action=GetCallerIdentity&Version=2011-06-15")
    assert status == 403 and "<Code>MissingAuthenticationToken</Code>" in body


def test_malformed_authorization_header(mesh):
    status, body = raw_post(mesh, "Action=GetCallerIdentity&Version=2011-06-15",
                            {"Authorization": "AWS4-HMAC-SHA256 Credential=AKIA/x", "X-Amz-Date": "20260101T000000Z"})
    assert status == 400 and "<Code>IncompleteSignature</Code>" in body


def assumed_session(mesh):
    iam = mesh.as_admin("iam", "producer")
    role = iam.create_role(RoleName=unique("auth"), AssumeRolePolicyDocument=trust_policy(mesh.account("mesh")))["Role"]
    iam.attach_role_policy(RoleName=role["RoleName"], PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
    return mesh.as_admin("sts", "mesh").assume_role(RoleArn=role["Arn"], RoleSessionName="auth")


def test_expired_session(mesh):
    out = assumed_session(mesh)
    key = out["Credentials"]["AccessKeyId"]
    mesh.sql("UPDATE resources SET doc = json_set(doc, '$.Expiration', '2001-01-01T00:00:00Z') "
             "WHERE kind = 'sts_session' AND key = ?", key)
    with pytest.raises(ClientError) as e:
        mesh.client("sts", session_creds(out)).get_caller_identity()
    assert error_code(e) == "ExpiredToken"
    with pytest.raises(ClientError) as e:
        mesh.client("s3", session_creds(out)).create_bucket(Bucket=unique("expired"))
    assert error_code(e) == "ExpiredToken"


def test_tampered_or_missing_session_token(mesh):
    out = assumed_session(mesh)
    creds = session_creds(out)
    tampered = dict(creds, SessionToken=creds["SessionToken"][:-4] + "AAAA")
    with pytest.raises(ClientError) as e:
        mesh.client("sts", tampered).get_caller_identity()
    assert error_code(e) == "InvalidClientTokenId"
    missing = {k: v for k, v in creds.items() if k != "SessionToken"}
    with pytest.raises(ClientError) as e:
        mesh.client("iam", missing).get_role(RoleName="x")
    assert error_code(e) == "InvalidClientTokenId"
    # A long-term key sent with a session token is refused too.
    with pytest.raises(ClientError) as e:
        mesh.client("sts", dict(mesh.admin("mesh"), SessionToken=creds["SessionToken"])).get_caller_identity()
    assert error_code(e) == "InvalidClientTokenId"


def signed_at(mesh, when, service="sts", body="Action=GetCallerIdentity&Version=2011-06-15", method="POST", path="/"):
    creds = mesh.admin("mesh")
    request = AWSRequest(method=method, url=mesh.url + path, data=body.encode(),
                         headers={"Content-Type": "application/x-www-form-urlencoded"} if body else {})
    real = botocore.auth.datetime.datetime

    class Fixed(real):
        @classmethod
        def utcnow(cls):
            return when

    botocore.auth.datetime.datetime = Fixed
    try:
        auth_cls = botocore.auth.S3SigV4Auth if service == "s3" else SigV4Auth
        auth_cls(Credentials(creds["AccessKeyId"], creds["SecretAccessKey"]), service, mesh.region).add_auth(request)
    finally:
        botocore.auth.datetime.datetime = real
    req = urllib.request.Request(mesh.url + path, data=body.encode() if body else None, method=method,
                                 headers=dict(request.headers.items()))
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def test_clock_skew_beyond_fifteen_minutes(mesh):
    now = datetime.datetime.utcnow()
    status, body = signed_at(mesh, now - datetime.timedelta(minutes=5))
    assert status == 200, body
    status, body = signed_at(mesh, now - datetime.timedelta(minutes=20))
    assert status == 403 and "<Code>SignatureDoesNotMatch</Code>" in body and "expired" in body
    status, body = signed_at(mesh, now + datetime.timedelta(minutes=20), service="s3", body="",
                             method="PUT", path="/skewed-bucket-name")
    assert status == 403 and "<Code>RequestTimeTooSkewed</Code>" in body


def test_presigned_url(mesh):
    sts = mesh.as_admin("sts", "mesh")
    url = sts.generate_presigned_url("get_caller_identity", ExpiresIn=300, HttpMethod="GET")
    with urllib.request.urlopen(url, timeout=10) as r:
        body = r.read().decode()
    assert f"<Account>{mesh.account('mesh')}</Account>" in body
    tampered = url.replace("X-Amz-Expires=300", "X-Amz-Expires=301")
    try:
        urllib.request.urlopen(tampered, timeout=10)
        raise AssertionError("tampered presigned URL was accepted")
    except urllib.error.HTTPError as e:
        assert e.code == 403 and "SignatureDoesNotMatch" in e.read().decode()


def test_health_endpoint(mesh):
    assert mesh.health() == {"status": "ok"}
