"""S3 bucket operations on the local mesh through boto3 (path-style addressing)."""
import json

import pytest
from botocore.exceptions import ClientError

from conftest import error_code, unique


def s3(mesh, role="producer", region=None):
    return mesh.as_admin("s3", role, region=region, s3={"addressing_style": "path"})


def bucket_policy(bucket, principal):
    return json.dumps({"Version": "2012-10-17", "Statement": [{
        "Sid": "MeshRead", "Effect": "Allow", "Principal": {"AWS": principal},
        "Action": ["s3:GetObject", "s3:ListBucket"],
        "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"]}]})


def test_create_head_and_policies(mesh):
    client = s3(mesh)
    bucket = unique("sales-data")
    assert client.create_bucket(Bucket=bucket)["Location"] == f"/{bucket}"
    client.head_bucket(Bucket=bucket)
    with pytest.raises(ClientError) as e:
        client.get_bucket_policy(Bucket=bucket)
    assert error_code(e) == "NoSuchBucketPolicy"
    text = bucket_policy(bucket, f"arn:aws:iam::{mesh.account('mesh')}:root")
    client.put_bucket_policy(Bucket=bucket, Policy=text)
    assert json.loads(client.get_bucket_policy(Bucket=bucket)["Policy"]) == json.loads(text)
    client.delete_bucket_policy(Bucket=bucket)
    with pytest.raises(ClientError) as e:
        client.get_bucket_policy(Bucket=bucket)
    assert error_code(e) == "NoSuchBucketPolicy"


def test_bucket_names_are_global(mesh):
    bucket = unique("shared-name")
    s3(mesh, "producer").create_bucket(Bucket=bucket)
    # Again by the owner in us-east-1: S3's legacy answer is success.
    s3(mesh, "producer").create_bucket(Bucket=bucket)
    with pytest.raises(ClientError) as e:
        s3(mesh, "consumer").create_bucket(Bucket=bucket)
    assert error_code(e) == "BucketAlreadyExists"
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409


def test_other_regions_need_a_matching_location_constraint(mesh):
    client = s3(mesh, "producer", region="eu-west-1")
    bucket = unique("eu-bucket")
    with pytest.raises(ClientError) as e:
        client.create_bucket(Bucket=bucket)
    assert error_code(e) == "IllegalLocationConstraintException"
    client.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    with pytest.raises(ClientError) as e:
        client.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    assert error_code(e) == "BucketAlreadyOwnedByYou"


def test_missing_and_invalid_buckets(mesh):
    client = s3(mesh)
    for op in (lambda: client.get_bucket_policy(Bucket="no-such-bucket-here-1"),
               lambda: client.put_bucket_policy(Bucket="no-such-bucket-here-1", Policy="{}")):
        with pytest.raises(ClientError) as e:
            op()
        assert error_code(e) == "NoSuchBucket"
    with pytest.raises(ClientError) as e:
        client.head_bucket(Bucket="no-such-bucket-here-1")
    assert error_code(e) == "404"
    with pytest.raises(ClientError) as e:
        client.create_bucket(Bucket="Bad_Name")
    assert error_code(e) == "InvalidBucketName"


@pytest.mark.parametrize("make_policy,fragment", [
    (lambda b, m: "[]", "first byte"),
    (lambda b, m: json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{b}/*"}]}), "Principal"),
    (lambda b, m: bucket_policy("some-other-bucket", f"arn:aws:iam::{m}:root"), "invalid resource"),
    (lambda b, m: json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": m}, "Action": "iam:CreateRole", "Resource": f"arn:aws:s3:::{b}"}]}), "invalid action"),
    (lambda b, m: bucket_policy(b, f"arn:aws:iam::{m}:role/NoSuchRole"), "Invalid principal"),
])
def test_malformed_bucket_policies(mesh, make_policy, fragment):
    client = s3(mesh)
    bucket = unique("policy-checks")
    client.create_bucket(Bucket=bucket)
    with pytest.raises(ClientError) as e:
        client.put_bucket_policy(Bucket=bucket, Policy=make_policy(bucket, mesh.account("mesh")))
    assert error_code(e) == "MalformedPolicy"
    assert fragment.lower() in str(e.value).lower()


def test_only_the_owner_account_manages_the_policy(mesh):
    bucket = unique("owned")
    s3(mesh, "producer").create_bucket(Bucket=bucket)
    for op in (lambda c: c.get_bucket_policy(Bucket=bucket),
               lambda c: c.put_bucket_policy(Bucket=bucket, Policy=bucket_policy(bucket, mesh.account("consumer"))),
               lambda c: c.delete_bucket_policy(Bucket=bucket)):
        with pytest.raises(ClientError) as e:
            op(s3(mesh, "consumer"))
        assert error_code(e) == "AccessDenied"
    with pytest.raises(ClientError) as e:
        s3(mesh, "consumer").head_bucket(Bucket=bucket)
    assert error_code(e) == "403"


def test_bucket_policy_integrity_by_checksum_header(mesh):
    # PutBucketPolicy requires an integrity check of its body: Content-MD5, or an x-amz-checksum-*
    # header, which SDKs send instead since 2025 ("Checking object integrity", S3 User Guide).
    import base64
    import zlib
    s3 = mesh.as_admin("s3", "producer")
    bucket = unique("checksummed").lower()
    s3.create_bucket(Bucket=bucket)
    policy = json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{mesh.account('consumer')}:root"},
        "Action": "s3:ListBucket", "Resource": f"arn:aws:s3:::{bucket}"}]})

    def with_crc32(wrong):
        def swap(request, **kwargs):
            if "Content-MD5" in request.headers:
                del request.headers["Content-MD5"]
            crc = zlib.crc32(request.body if isinstance(request.body, bytes) else request.body.encode()) ^ (1 if wrong else 0)
            request.headers["x-amz-checksum-crc32"] = base64.b64encode(crc.to_bytes(4, "big")).decode()
        return swap
    for wrong in (True, False):
        client = mesh.as_admin("s3", "producer")
        client.meta.events.register("before-sign.s3.PutBucketPolicy", with_crc32(wrong))
        if wrong:
            with pytest.raises(ClientError) as e:
                client.put_bucket_policy(Bucket=bucket, Policy=policy)
            assert error_code(e) == "BadDigest"
        else:
            client.put_bucket_policy(Bucket=bucket, Policy=policy)
    assert json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])["Statement"][0]["Action"] == "s3:ListBucket"
