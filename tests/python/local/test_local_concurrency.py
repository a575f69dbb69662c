"""Many writers at once: threads against one server, and two servers on the same SQLite file.
No write may be lost, and a name may be taken only once."""
import concurrent.futures
import os
import subprocess

from botocore.exceptions import ClientError

from conftest import DATAMESH, error_code, trust_policy, unique


def test_concurrent_writers_lose_nothing(mesh):
    iam = mesh.as_admin("iam", "mesh")
    names = [unique("concurrent") for _ in range(64)]
    with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(lambda n: mesh.as_admin("iam", "mesh").create_user(UserName=n), names))
    for n in names:
        assert iam.get_user(UserName=n)["User"]["UserName"] == n


def test_a_contested_name_is_taken_once(mesh):
    name = unique("contested")

    def attempt(_):
        try:
            mesh.as_admin("iam", "mesh").create_role(RoleName=name, AssumeRolePolicyDocument=trust_policy(mesh.account("mesh")))
            return "created"
        except ClientError as e:
            return error_code_of(e)

    with concurrent.futures.ThreadPoolExecutor(max_workers=12) as pool:
        results = list(pool.map(attempt, range(24)))
    assert results.count("created") == 1
    assert set(results) == {"created", "EntityAlreadyExists"}


def error_code_of(e):
    return e.response["Error"]["Code"]


def test_two_servers_share_one_database(mesh, tmp_path):
    second = subprocess.Popen([DATAMESH, "local", "serve", "--db", mesh.db, "--port", "0"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = second.stdout.readline()
        url2 = line.split("listening on ")[1].split(" ")[0]
        import boto3
        creds = mesh.admin("mesh")

        def client(url):
            return boto3.client("iam", endpoint_url=url, region_name=mesh.region,
                                aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"])

        names = [unique("twoservers") for _ in range(40)]
        with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(lambda i_n: client(mesh.url if i_n[0] % 2 else url2).create_user(UserName=i_n[1]),
                          enumerate(names)))
        for url in (mesh.url, url2):
            for n in names:
                assert client(url).get_user(UserName=n)["User"]["UserName"] == n
    finally:
        second.terminate()
        assert second.wait(timeout=30) == 0


def test_the_cli_in_process_and_the_server_write_together(mesh, tmp_path):
    # The embedded mesh (datamesh --local) reads what the server wrote, signed and verified.
    env = dict(os.environ, DATAMESH_LOCAL=mesh.db)
    out = subprocess.run([DATAMESH, "whoami", "--credentials-file", mesh.creds_path, "--entry", "ConsumerAdmin"],
                         env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert mesh.account("consumer") in out.stdout
