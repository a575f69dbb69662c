"""What the CLI-level Python tests share: running the datamesh CLI, and a `datamesh local serve`
started on a free port of 127.0.0.1 and stopped (SIGTERM, clean exit checked) afterwards."""
import contextlib
import json
import os
import signal
import socket
import subprocess

DATAMESH = os.environ.get("DATAMESH_BIN", "datamesh")


def clean_env():
    """The environment without AWS settings, so that only the test's own options count."""
    return {k: v for k, v in os.environ.items() if not k.startswith("AWS_") and k != "DATAMESH_LOCAL"}


SECRET_FIELDS = ("SecretAccessKey", "SessionToken", "aws_secret_access_key", "aws_session_token")
FILE_FLAGS = ("--credentials-file", "--credentials_file", "--write-credentials", "--write_credentials")


def ini_secrets(path):
    found = set()
    if os.path.isfile(path):
        for line in open(path):
            key, _, value = line.partition("=")
            if key.strip() in SECRET_FIELDS and value.strip():
                found.add(value.strip())
    return found


def secrets_of(args, env):
    """Every secret the command could know: those of the credentials files it names (read after the
    run, so that a file it wrote counts), of an AWS config folder it wrote, and of its environment."""
    found = set()
    args = list(args)
    for i, a in enumerate(args):
        name, _, inline = a.partition("=")
        path = inline if inline else (args[i + 1] if i + 1 < len(args) else None)
        if name in FILE_FLAGS and path and os.path.isfile(path):
            try:
                doc = json.load(open(path))
            except ValueError:
                continue
            for entry in doc.values() if isinstance(doc, dict) else []:
                if isinstance(entry, dict):
                    found.update(str(entry[f]) for f in SECRET_FIELDS if entry.get(f))
        if name in ("--use-credentials", "--use_credentials") and path:
            try:
                given = json.loads(path)
                found.update(str(given[f]) for f in SECRET_FIELDS if isinstance(given, dict) and given.get(f))
            except ValueError:
                pass
        if name in ("--write-aws-config", "--write_aws_config") and path:
            found.update(ini_secrets(os.path.join(path, "credentials")))
    env = env or {}
    for var in ("AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        if env.get(var):
            found.add(env[var])
    for path in (env.get("AWS_SHARED_CREDENTIALS_FILE"), env.get("AWS_CONFIG_FILE"),
                 os.path.join(env.get("HOME", "/nonexistent"), ".aws", "credentials"),
                 os.path.join(env.get("HOME", "/nonexistent"), ".aws", "config")):
        if path:
            found.update(ini_secrets(path))
    return {s for s in found if len(s) >= 8}


def assert_no_secrets(args, env, result):
    """No output, error or log line of any command ever carries a secret key or session token."""
    for secret in secrets_of(args, env):
        for stream, text in (("stdout", result.stdout), ("stderr", result.stderr)):
            assert secret not in (text or ""), f"{args[0]} printed a secret on {stream}"


def run_cli(*args):
    """Runs datamesh; the completed process, whatever its exit code."""
    return cli(*args, check=False)


def cli(*args, check=True):
    env = clean_env()
    r = subprocess.run([DATAMESH, *args], capture_output=True, text=True, timeout=300, env=env)
    assert_no_secrets(args, env, r)
    if check:
        assert r.returncode == 0, f"{args[0]} failed: {r.stderr}"
        return json.loads(r.stdout) if r.stdout.strip().startswith(("{", "[")) else r.stdout
    return r


def new_mesh(directory):
    """A local mesh in `directory` (mesh.db, creds.json): (database path, credentials file path)."""
    db, creds = str(directory / "mesh.db"), str(directory / "creds.json")
    cli("local", "init", "--db", db, "--write-credentials", creds)
    return db, creds


def set_up_mesh(common, demo_database=None):
    """The mesh account installed, the producer (with example data) and the consumer enabled,
    through the CLI with `common` options (where, credentials)."""
    demo = ["local", "demo-data"] + (["--database", demo_database] if demo_database else [])
    for step in (demo, ["install-mesh-objects"], ["enable-account", "--account-type", "producer"],
                 ["enable-account", "--account-type", "consumer"]):
        cli(*step, *common)


@contextlib.contextmanager
def served(db):
    """Serves the local mesh in `db`; yields its URL."""
    server = subprocess.Popen([DATAMESH, "local", "serve", "--db", db, "--port", "0"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = server.stdout.readline()
    assert "listening on " in line, line + server.stderr.read()
    try:
        yield line.split("listening on ")[1].split(" ")[0]
    finally:
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=30) == 0


@contextlib.contextmanager
def python_mesh(kind, directory):
    """A local mesh with the demo data for the Python API, `kind` "embedded" or "server" (served
    for the test's length); yields {"where" (the keyword arguments that reach it), "creds" (the
    credentials file's entries), "mesh_id", "producer", "consumer", "dir"}."""
    db, creds_file = str(directory / "mesh.db"), str(directory / "creds.json")
    cli("local", "init", "--db", db, "--write-credentials", creds_file)
    cli("local", "demo-data", "--local", db, "--credentials-file", creds_file, "--quiet")
    creds = json.load(open(creds_file))
    with served(db) as url:
        yield {"where": {"local_mesh": db} if kind == "embedded" else {"endpoint_url": url}, "creds": creds,
               "mesh_id": creds["Mesh"]["AccountId"], "producer": creds["Producer"]["AccountId"],
               "consumer": creds["Consumer"]["AccountId"], "dir": directory}


def free_port():
    """A port on 127.0.0.1 nothing listens on now (for a server a test stops and starts again)."""
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


def serve_on(db, port):
    """`datamesh local serve` of `db` on `port`, started; the caller stops it (SIGTERM)."""
    server = subprocess.Popen([DATAMESH, "local", "serve", "--db", db, "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = server.stdout.readline()
    assert "listening on " in line, line + server.stderr.read()
    return server
