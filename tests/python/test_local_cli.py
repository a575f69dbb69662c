"""`datamesh local init` and `local serve` from the command line, and `datamesh whoami` against the
local mesh both ways: --endpoint-url to a server, and --local FILE in process."""
import json
import os
import signal
import subprocess

from mesh_cli import assert_no_secrets

DATAMESH = os.environ.get("DATAMESH_BIN", "datamesh")


def run(*args, env=None):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") and k != "DATAMESH_LOCAL"}
    clean.update(env or {})
    r = subprocess.run([DATAMESH, *args], capture_output=True, text=True, timeout=60, env=clean)
    assert_no_secrets(args, clean, r)
    return r


def init(tmp_path, *extra):
    return run("local", "init", "--db", str(tmp_path / "mesh.db"), "--write-credentials", str(tmp_path / "creds.json"),
               *extra)


def test_init_writes_the_specs_credentials_file(tmp_path):
    r = init(tmp_path, "--region", "eu-west-1", "--mesh-account", "123456789012", "--producer-account",
             "210987654321", "--consumer-account", "111122223333", "--write-aws-config", str(tmp_path / "aws"))
    assert r.returncode == 0, r.stderr
    creds = json.load(open(tmp_path / "creds.json"))
    assert creds["AWS_REGION"] == "eu-west-1"
    assert creds["Mesh"]["AccountId"] == "123456789012"
    assert creds["Producer"]["AccountId"] == creds["ProducerAdmin"]["AccountId"] == "210987654321"
    assert creds["Consumer"]["AccountId"] == creds["ConsumerAdmin"]["AccountId"] == "111122223333"
    for entry in ("Mesh", "Producer", "ProducerAdmin", "Consumer", "ConsumerAdmin"):
        assert creds[entry]["AccessKeyId"].startswith("AKIA") and len(creds[entry]["SecretAccessKey"]) == 40
    assert oct(os.stat(tmp_path / "creds.json").st_mode & 0o777) == "0o600"
    config = (tmp_path / "aws" / "config").read_text()
    assert "[profile producer-admin]" in config and "region = eu-west-1" in config
    assert "[consumer]" in (tmp_path / "aws" / "credentials").read_text()


def test_init_again_keeps_everything(tmp_path):
    assert init(tmp_path).returncode == 0
    first = json.load(open(tmp_path / "creds.json"))
    r = init(tmp_path, "--producer-account", "222222222222", "--producer-account", "555555555555")
    assert r.returncode == 0, r.stderr
    second = json.load(open(tmp_path / "creds.json"))
    assert second["Mesh"] == first["Mesh"] and second["Producer"] == first["Producer"]
    assert {a["AccountId"] for a in second["Accounts"]} >= {"555555555555", first["Mesh"]["AccountId"]}


def test_init_refuses_bad_accounts_and_changes_nothing(tmp_path):
    assert init(tmp_path).returncode == 0
    before = (tmp_path / "creds.json").read_text()
    for bad in (["--mesh-account", "12345"], ["--producer-account", "111111111111"],
                ["--mesh-account", "333333333333"]):
        r = init(tmp_path, *bad)
        assert r.returncode != 0 and r.stderr, bad
    assert (tmp_path / "creds.json").read_text() == before
    r = run("local", "init", "--db", str(tmp_path / "x.db"))
    assert r.returncode == 252 and "write-credentials" in r.stderr


def test_whoami_in_process_and_through_the_server(tmp_path):
    assert init(tmp_path).returncode == 0
    creds_file = str(tmp_path / "creds.json")
    creds = json.load(open(creds_file))
    local = run("whoami", "--local", str(tmp_path / "mesh.db"), "--credentials-file", creds_file, "--entry", "Producer")
    assert local.returncode == 0, local.stderr
    assert json.loads(local.stdout)["Account"] == creds["Producer"]["AccountId"]
    via_env = run("whoami", "--credentials-file", creds_file, env={"DATAMESH_LOCAL": str(tmp_path / "mesh.db")})
    assert json.loads(via_env.stdout)["Account"] == creds["Mesh"]["AccountId"]

    server = subprocess.Popen([DATAMESH, "local", "serve", "--db", str(tmp_path / "mesh.db"), "--port", "0"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = server.stdout.readline().split("listening on ")[1].split(" ")[0]
        remote = run("whoami", "--endpoint-url", url, "--credentials-file", creds_file, "--entry", "Consumer")
        assert remote.returncode == 0, remote.stderr
        assert json.loads(remote.stdout)["Account"] == creds["Consumer"]["AccountId"]
        # A wrong secret is refused by the server's signature check.
        bad = dict(creds)
        bad["Mesh"] = dict(creds["Mesh"], SecretAccessKey="x" * 40)
        (tmp_path / "bad.json").write_text(json.dumps(bad))
        r = run("whoami", "--endpoint-url", url, "--credentials-file", str(tmp_path / "bad.json"))
        assert r.returncode == 254 and "SignatureDoesNotMatch" in r.stderr
    finally:
        server.send_signal(signal.SIGINT)
        assert server.wait(timeout=30) == 0
        assert "SIGINT" in server.stderr.read()


def test_local_mesh_errors_are_clear(tmp_path):
    r = run("whoami", "--local", str(tmp_path / "none.db"))
    assert r.returncode == 255 and "local init" in r.stderr
    assert init(tmp_path).returncode == 0
    (tmp_path / "broken.json").write_text("{not json")
    r = run("whoami", "--local", str(tmp_path / "mesh.db"), "--credentials-file", str(tmp_path / "broken.json"))
    assert r.returncode == 255 and "broken.json" in r.stderr
    r = run("whoami", "--local", str(tmp_path / "mesh.db"), "--credentials-file", str(tmp_path / "creds.json"),
            "--entry", "Nobody")
    assert r.returncode == 255 and "Nobody" in r.stderr
    r = run("local", "serve", "--db", str(tmp_path / "mesh.db"), "--port", "70000")
    assert r.returncode == 252
