"""Workflows at the speed of the network (issue 13), through the CLI: results that do not depend on
--max-concurrency, progress on stderr (a live line on a terminal, a line a phase otherwise, nothing
with --quiet) while stdout carries only the result, and a concurrent create-data-product killed at
any point that converges when run again."""
import json
import os
import pty
import re
import select
import signal
import subprocess
import time

import pytest

from mesh_cli import DATAMESH, clean_env, cli, served

TABLES = 24


def new_mesh(tmp_path, name):
    d = tmp_path / name
    d.mkdir()
    db, creds = str(d / "mesh.db"), str(d / "creds.json")
    cli("local", "init", "--db", db, "--write-credentials", creds)
    common = ["--local", db, "--credentials-file", creds]
    cli("local", "demo-data", *common, "--database", "big", "--tables", str(TABLES), "--partitions", "3")
    cli("install-mesh-objects", *common)
    cli("enable-account", "--account-type", "producer", *common)
    cli("enable-account", "--account-type", "consumer", *common)
    return db, creds, json.load(open(creds))


def normalised(text):
    text = re.sub(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d+)?Z?", "<time>", text)
    return re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<id>", text)


def flow(db, creds, accounts, concurrency):
    """create, request every table, approve, import; the outputs, normalised."""
    common = ["--local", db, "--credentials-file", creds, "--max-concurrency", str(concurrency), "--quiet"]
    producer = accounts["Producer"]["AccountId"]
    outputs = [cli("create-data-product", *common, "--source-database-name", "big")]
    tables = [f"t{i:05d}" for i in range(1, TABLES + 1)]
    request = cli("request-access", *common, "--owner-account-id", producer, "--database-name", f"big-{producer}",
                  "--tables", *tables, "--request-permissions", "SELECT", "DESCRIBE")
    outputs.append(request)
    outputs.append(cli("approve-subscription", *common, "--request-id", request["SubscriptionId"]))
    outputs.append(cli("import-subscription", *common, "--subscription-id", request["SubscriptionId"]))
    outputs.append(cli("get-data-product", *common, "--database-name", f"big-{producer}", "--table-name-regex", ".*"))
    return normalised(json.dumps(outputs, sort_keys=True))


def test_results_do_not_depend_on_the_concurrency(tmp_path):
    one = flow(*new_mesh(tmp_path, "one"), 1)
    many = flow(*new_mesh(tmp_path, "many"), 16)
    assert one == many
    assert '"t00024"' in one


def test_progress_goes_to_stderr_a_line_a_phase_and_quiet_silences_it(tmp_path):
    db, creds, _ = new_mesh(tmp_path, "m")
    with served(db) as url:
        r = subprocess.run([DATAMESH, "create-data-product", "--endpoint-url", url, "--credentials-file", creds,
                            "--source-database-name", "big"], capture_output=True, text=True, env=clean_env())
        assert r.returncode == 0, r.stderr
        json.loads(r.stdout)  # stdout is the result alone
        lines = r.stderr.splitlines()
        assert any(f"create-data-product: publishing tables {TABLES}/{TABLES} in " in line for line in lines), r.stderr
        assert any("create-data-product: linking tables" in line for line in lines), r.stderr
        assert all(" info " in line for line in lines), r.stderr
        quiet = subprocess.run([DATAMESH, "create-data-product", "--endpoint-url", url, "--credentials-file", creds,
                                "--source-database-name", "big", "--quiet"], capture_output=True, text=True,
                               env=clean_env())
        assert quiet.returncode == 0 and quiet.stderr == ""
        assert json.loads(quiet.stdout) == json.loads(r.stdout)


def test_on_a_terminal_progress_is_one_live_line(tmp_path):
    db, creds, _ = new_mesh(tmp_path, "m")
    master, slave = pty.openpty()
    p = subprocess.Popen([DATAMESH, "create-data-product", "--local", db, "--credentials-file", creds,
                          "--source-database-name", "big"], stdout=subprocess.PIPE, stderr=slave, env=clean_env())
    os.close(slave)
    out = p.stdout.read()
    assert p.wait(timeout=120) == 0
    seen = b""
    while select.select([master], [], [], 0.5)[0]:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    os.close(master)
    json.loads(out)
    # What the workflow made is told in lines of their own (above the live line), then a count.
    text = seen.decode()
    told = re.findall(r"\d{4}-\d\d-\d\d [\d:.]+ info [^\r\n]*\r\n", text)
    assert any("created Glue table big-" in line for line in told), text
    assert told[-1].endswith("create-data-product: 74 created, 0 already existed\r\n"), told[-1]
    live = text
    for line in told:
        live = live.replace(line, "", 1)
    assert "\r\x1b[K" in live and "create-data-product: publishing tables" in live, live
    assert "\n" not in live  # the live line is redrawn in place, never scrolled
    assert live.endswith("\r\x1b[K")  # and erased at the end


def test_a_bad_concurrency_is_refused(tmp_path):
    db, creds, _ = new_mesh(tmp_path, "m")
    for bad in ("0", "-3", "many", "100000"):
        r = cli("create-data-product", "--local", db, "--credentials-file", creds, "--source-database-name", "big",
                "--max-concurrency", bad, check=False)
        assert r.returncode != 0 and "max-concurrency" in r.stderr and r.stdout == ""


@pytest.mark.parametrize("kill_after", [0.05, 0.12, 0.2, 0.3, 0.45])
def test_a_concurrent_publication_killed_at_any_point_converges_when_run_again(tmp_path, kill_after):
    clean_db, clean_creds, _ = new_mesh(tmp_path, "clean")
    expected = cli("create-data-product", "--local", clean_db, "--credentials-file", clean_creds,
                   "--source-database-name", "big", "--quiet")
    db, creds, accounts = new_mesh(tmp_path, "killed")
    cmd = [DATAMESH, "create-data-product", "--local", db, "--credentials-file", creds, "--source-database-name",
           "big", "--quiet", "--max-concurrency", "8"]
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=clean_env())
    time.sleep(kill_after)
    p.send_signal(signal.SIGKILL)
    p.wait(timeout=60)
    again = cli(*cmd[1:])
    assert again == expected
    producer = accounts["Producer"]["AccountId"]
    got = cli("get-data-product", "--local", db, "--credentials-file", creds, "--database-name", f"big-{producer}",
              "--table-name-regex", ".*")
    assert len(got) == TABLES
