"""What the CLI-level Python tests share: running the datamesh CLI, and a `datamesh local serve`
started on a free port of 127.0.0.1 and stopped (SIGTERM, clean exit checked) afterwards."""
import contextlib
import json
import os
import signal
import subprocess

DATAMESH = os.environ.get("DATAMESH_BIN", "datamesh")


def clean_env():
    """The environment without AWS settings, so that only the test's own options count."""
    return {k: v for k, v in os.environ.items() if not k.startswith("AWS_") and k != "DATAMESH_LOCAL"}


def cli(*args, check=True):
    r = subprocess.run([DATAMESH, *args], capture_output=True, text=True, timeout=300, env=clean_env())
    if check:
        assert r.returncode == 0, f"{args[0]} failed: {r.stderr}"
        return json.loads(r.stdout) if r.stdout.strip().startswith(("{", "[")) else r.stdout
    return r


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
