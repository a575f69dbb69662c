"""End-to-end tests of `datamesh whoami` against a stand-in STS endpoint (fake_sts.py) that checks
signatures with botocore: keys from the environment, a shared-credentials profile, an assume-role
profile, wrong secrets, throttling, clock skew, endpoint overrides and output formats."""
import json
import os
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
from fake_sts import FakeSts  # noqa: E402
from mesh_cli import assert_no_secrets  # noqa: E402

DATAMESH = os.environ.get("DATAMESH_BIN", "datamesh")
ACCOUNT = "111122223333"


@pytest.fixture
def sts():
    with FakeSts() as fake:
        yield fake


@pytest.fixture
def home(tmp_path):
    (tmp_path / ".aws").mkdir()
    return tmp_path


def run(args, env, home):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    clean["HOME"] = str(home)
    clean.update(env)
    r = subprocess.run([DATAMESH, *args], env=clean, capture_output=True, text=True, timeout=60)
    assert_no_secrets(args, clean, r)
    return r


def env_keys(user, sts):
    return {"AWS_ACCESS_KEY_ID": user.access_key, "AWS_SECRET_ACCESS_KEY": user.secret,
            "AWS_ENDPOINT_URL": sts.url, "AWS_REGION": "eu-west-1"}


def test_keys_from_environment(sts, home):
    user = sts.add_user(ACCOUNT, "alice")
    r = run(["whoami"], env_keys(user, sts), home)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == {"Account": ACCOUNT, "Arn": user.arn, "UserId": user.user_id}
    assert sts.requests == [("GetCallerIdentity", user.access_key, None)]


def test_profile_from_shared_credentials_file(sts, home):
    alice, bob = sts.add_user(ACCOUNT, "alice"), sts.add_user("444455556666", "bob")
    creds = home / "creds.ini"
    creds.write_text(f"[default]\naws_access_key_id = {alice.access_key}\naws_secret_access_key = {alice.secret}\n"
                     f"[bob]\naws_access_key_id = {bob.access_key}\naws_secret_access_key = {bob.secret}\n")
    env = {"AWS_SHARED_CREDENTIALS_FILE": str(creds), "AWS_ENDPOINT_URL_STS": sts.url}
    r = run(["whoami", "--profile", "bob"], env, home)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["Arn"] == bob.arn
    r = run(["whoami"], {**env, "AWS_PROFILE": "default"}, home)
    assert json.loads(r.stdout)["Arn"] == alice.arn


def test_assume_role_profile_signs_second_call_with_temporary_credentials(sts, home):
    source = sts.add_user(ACCOUNT, "admin")
    role_arn = sts.add_role("999988887777", "DataMeshProducer", [source.arn])
    (home / ".aws" / "credentials").write_text(
        f"[src]\naws_access_key_id = {source.access_key}\naws_secret_access_key = {source.secret}\n")
    (home / ".aws" / "config").write_text(
        f"[profile producer]\nrole_arn = {role_arn}\nsource_profile = src\nrole_session_name = e2e-session\n"
        f"external_id = ext-123\nduration_seconds = 900\nregion = eu-west-1\n")
    r = run(["whoami", "--profile", "producer", "--endpoint-url", sts.url], {}, home)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["Account"] == "999988887777"
    assert out["Arn"] == "arn:aws:sts::999988887777:assumed-role/DataMeshProducer/e2e-session"
    (first, first_key, first_token), (second, second_key, second_token) = sts.requests
    assert (first, first_key, first_token) == ("AssumeRole", source.access_key, None)
    assert second == "GetCallerIdentity"
    temp = sts.principals[second_key]
    assert second_key.startswith("ASIA") and second_token == temp.token and temp.token


def test_assume_role_refused_by_trust_is_an_error(sts, home):
    source = sts.add_user(ACCOUNT, "mallory")
    role_arn = sts.add_role("999988887777", "Locked", ["arn:aws:iam::999988887777:user/someone-else"])
    (home / ".aws" / "config").write_text(
        f"[profile locked]\nrole_arn = {role_arn}\nsource_profile = src\n"
        f"[profile src]\naws_access_key_id = {source.access_key}\naws_secret_access_key = {source.secret}\n")
    r = run(["whoami", "--profile", "locked"], {"AWS_ENDPOINT_URL": sts.url}, home)
    assert r.returncode != 0
    assert "AccessDenied" in r.stderr and role_arn in r.stderr


def test_wrong_secret_is_signature_does_not_match(sts, home):
    user = sts.add_user(ACCOUNT, "alice")
    env = env_keys(user, sts)
    env["AWS_SECRET_ACCESS_KEY"] = user.secret[:-1] + ("x" if user.secret[-1] != "x" else "y")
    r = run(["whoami"], env, home)
    assert r.returncode == 254
    assert "SignatureDoesNotMatch" in r.stderr
    assert r.stdout == ""


def test_unknown_key_is_invalid_client_token_id(sts, home):
    r = run(["whoami"], {"AWS_ACCESS_KEY_ID": "AKIAUNKNOWN000000000", "AWS_SECRET_ACCESS_KEY": "x" * 40,
                         "AWS_ENDPOINT_URL": sts.url}, home)
    assert r.returncode == 254 and "InvalidClientTokenId" in r.stderr


def test_two_throttling_answers_are_retried_through(sts, home):
    user = sts.add_user(ACCOUNT, "alice")
    sts.throttle_next = 2
    r = run(["whoami"], env_keys(user, sts), home)
    assert r.returncode == 0, r.stderr
    assert [a for a, _, _ in sts.requests] == ["Throttled", "Throttled", "GetCallerIdentity"]


def test_max_attempts_bounds_the_retries(sts, home):
    user = sts.add_user(ACCOUNT, "alice")
    sts.throttle_next = 2
    r = run(["whoami"], {**env_keys(user, sts), "AWS_MAX_ATTEMPTS": "2"}, home)
    assert r.returncode == 254 and "Throttling" in r.stderr
    assert len(sts.requests) == 2


def test_clock_skew_is_corrected_and_retried(sts, home):
    user = sts.add_user(ACCOUNT, "alice")
    sts.clock_offset = __import__("datetime").timedelta(hours=2)
    r = run(["whoami"], env_keys(user, sts), home)
    assert r.returncode == 0, r.stderr
    assert [a for a, _, _ in sts.requests] == ["GetCallerIdentity"]


def test_missing_credentials_say_where_we_looked(sts, home):
    r = run(["whoami"], {"AWS_ENDPOINT_URL": sts.url}, home)
    assert r.returncode == 255
    assert "NoCredentials" in r.stderr and "AWS_ACCESS_KEY_ID" in r.stderr
    assert str(home / ".aws" / "credentials") in r.stderr


def test_missing_profile_is_named(sts, home):
    r = run(["whoami", "--profile", "nope"], {"AWS_ENDPOINT_URL": sts.url}, home)
    assert r.returncode == 255 and "nope" in r.stderr


def test_table_output(sts, home):
    user = sts.add_user(ACCOUNT, "alice")
    r = run(["whoami", "--output", "table"], env_keys(user, sts), home)
    assert r.returncode == 0, r.stderr
    # The AWS CLI's layout: the title box, then the keys as a header row over their values, made
    # vertical (key | value rows) when the row is wider than the 80 columns of a non-terminal.
    lines = r.stdout.splitlines()
    assert "GetCallerIdentity" in lines[1] and len({len(line) for line in lines}) == 1, r.stdout
    assert any(line.startswith("|  Account") and ACCOUNT in line for line in lines), r.stdout
    assert user.arn in r.stdout


def test_service_specific_endpoint_wins_over_general(sts, home):
    user = sts.add_user(ACCOUNT, "alice")
    env = {**env_keys(user, sts), "AWS_ENDPOINT_URL": "http://127.0.0.1:9", "AWS_ENDPOINT_URL_STS": sts.url}
    r = run(["whoami"], env, home)
    assert r.returncode == 0, r.stderr


def test_unreachable_endpoint_is_a_clear_local_error(home):
    r = run(["whoami"], {"AWS_ACCESS_KEY_ID": "AKIAX", "AWS_SECRET_ACCESS_KEY": "y", "AWS_MAX_ATTEMPTS": "1",
                         "AWS_ENDPOINT_URL": "http://127.0.0.1:9"}, home)
    assert r.returncode == 255 and "ConnectionError" in r.stderr


def test_bad_arguments_are_usage_errors(home):
    r = run(["whoami", "--output", "xml"], {}, home)
    assert r.returncode == 252 and "xml" in r.stderr and "valid choices are: json | text | table | yaml" in r.stderr
    r = run(["frobnicate"], {}, home)
    assert r.returncode == 252


def test_version_and_help(home):
    r = run(["--version"], {}, home)
    assert r.returncode == 0 and r.stdout.startswith("datamesh ")
    r = run(["--help"], {}, home)
    assert r.returncode == 0 and "whoami" in r.stdout
