"""The CLI as people script it, with the AWS CLI as the yardstick: --query and the output formats
on real results (golden files), help and the answers to mistyped commands and flags, exit codes,
errors that name the AWS operation and the credentials, finding products and subscriptions,
request-access's owner, `local serve`'s refusals, and --debug's wire log without secrets.

Golden files live in tests/python/golden; DATAMESH_UPDATE_GOLDEN=1 rewrites them."""
import hashlib
import json
import os
import pathlib
import re
import socket
import sqlite3
import subprocess
import time

import pytest

from mesh_cli import DATAMESH, assert_no_secrets, clean_env, cli, new_mesh, set_up_mesh

GOLDEN = pathlib.Path(__file__).parent / "golden"
UPDATE = os.environ.get("DATAMESH_UPDATE_GOLDEN") == "1"
PRODUCER, CONSUMER = "222222222222", "333333333333"
MESH_DB = "sales-" + PRODUCER


def golden(name, text):
    path = GOLDEN / name
    if UPDATE:
        path.write_text(text)
    assert text == path.read_text(), f"{name} differs from its golden file (DATAMESH_UPDATE_GOLDEN=1 rewrites it)"


def run(*args, env=None):
    full = clean_env()
    full.update(env or {})
    r = subprocess.run([DATAMESH, *args], capture_output=True, text=True, timeout=120, env=full)
    assert_no_secrets(args, full, r)
    return r


@pytest.fixture(scope="module")
def mesh(tmp_path_factory):
    """An embedded mesh with two products of one database and a pending and an active subscription."""
    d = tmp_path_factory.mktemp("scripting")
    db, creds = new_mesh(d)
    common = ["--local", db, "--credentials-file", creds, "--quiet"]
    set_up_mesh(common)
    cli("create-data-product", *common, "--source-database-name", "sales", "--table-name-regex", "orders|customers",
        "--domain", "retail", "--data-product-name", "shop")
    cli("create-data-product", *common, "--source-database-name", "sales", "--table-name-regex", "products",
        "--domain", "catalog", "--data-product-name", "items")
    active = cli("request-access", *common, "--database-name", MESH_DB, "--tables", "orders",
                 "--request-permissions", "SELECT", "DESCRIBE")["SubscriptionId"]
    cli("approve-subscription", *common, "--request-id", active)
    pending = cli("request-access", *common, "--database-name", MESH_DB, "--tables", "products",
                  "--request-permissions", "SELECT")["SubscriptionId"]
    return {"dir": d, "db": db, "creds": creds, "common": common, "active": active, "pending": pending}


# --- help and mistakes -------------------------------------------------------------------------

def test_help_is_golden_and_every_command_has_its_own():
    r = run("help")
    assert r.returncode == 0
    golden("help.txt", r.stdout)
    assert run("--help").stdout == r.stdout
    commands = re.findall(r"^  ([a-z][a-z-]+)", r.stdout.split("Subcommands:")[1], re.M)
    assert "list-data-products" in commands and "request-access" in commands
    for command in commands:
        own = run(command, "help")
        assert own.returncode == 0 and f"datamesh {command}" in own.stdout, command
        assert run(command, "--help").stdout == own.stdout
    golden("help-list-data-products.txt", run("list-data-products", "help").stdout)
    assert run("local", "serve", "help").stdout.startswith("Serve a local mesh")


def test_a_mistyped_command_gets_suggestions_and_exit_252():
    r = run("aprove-subscription")
    assert r.returncode == 252 and "Invalid choice: 'aprove-subscription', maybe you meant" in r.stderr
    assert "* approve-subscription" in r.stderr
    r = run("doctor")
    assert r.returncode == 252 and "Invalid choice: 'doctor'" in r.stderr and "list-data-products" in r.stderr
    r = run()
    assert r.returncode == 252 and "the following arguments are required: command" in r.stderr


def test_an_unknown_flag_is_named_with_suggestions_and_its_value_never_repeated(mesh):
    secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    r = run("request-access", "--tabels", "orders", "--credentials-json",
            json.dumps({"AccessKeyId": "AKIAEXAMPLE", "SecretAccessKey": secret}))
    assert r.returncode == 252
    assert "--tabels: maybe you meant --tables" in r.stderr and "--credentials-json" in r.stderr
    assert secret not in r.stderr + r.stdout and "AKIAEXAMPLE" not in r.stderr + r.stdout


# --- output and --query ------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["json", "text", "table", "yaml"])
def test_each_output_format_of_a_real_result_is_golden(mesh, fmt):
    r = run("list-data-products", *mesh["common"], "--output", fmt)
    assert r.returncode == 0, r.stderr
    golden(f"list-data-products.{fmt}", r.stdout)


def test_query_selects_as_jmespath_and_text_is_tab_separated(mesh):
    r = run("list-data-products", *mesh["common"], "--query", "DataProducts[?Domain=='retail'].Tables[]", "--output", "text")
    assert r.returncode == 0 and r.stdout == "customers\torders\n"
    r = run("request-access", *mesh["common"], "--database-name", MESH_DB, "--tables", "orders",
            "--request-permissions", "SELECT", "DESCRIBE", "--query", "SubscriptionId", "--output", "text")
    assert r.stdout.strip() == mesh["active"]  # the same open request: the id a script reads
    r = run("list-subscriptions", *mesh["common"], "--query", "length(Subscriptions)")
    assert r.stdout.strip() == "2"


def test_a_bad_query_is_refused_before_anything_runs(mesh):
    r = run("list-data-products", *mesh["common"], "--query", "DataProducts[?")
    assert r.returncode == 252 and "Bad value for --query DataProducts[?" in r.stderr and r.stdout == ""


def test_output_comes_from_aws_default_output_then_the_profile(mesh, tmp_path):
    r = run("list-data-products", *mesh["common"], "--query", "DataProducts[0].DataProduct", env={"AWS_DEFAULT_OUTPUT": "text"})
    assert r.stdout == "items\n"
    config = tmp_path / "config"
    config.write_text("[profile scripted]\noutput = yaml\nregion = us-east-1\n")
    r = run("list-data-products", *mesh["common"], "--profile", "scripted", "--query", "DataProducts[0].Tables",
            env={"AWS_CONFIG_FILE": str(config)})
    assert r.returncode == 0 and r.stdout == "- products\n", r.stderr
    r = run("list-data-products", *mesh["common"], env={"AWS_DEFAULT_OUTPUT": "xml"})
    assert r.returncode == 252 and "AWS_DEFAULT_OUTPUT" in r.stderr
    assert run("list-data-products", *mesh["common"], "--no-cli-pager").returncode == 0


# --- exit codes and errors ---------------------------------------------------------------------

def test_invalid_argument_values_exit_252(mesh):
    cases = [
        ["create-data-product", "--source-database-name", "sales", "--table-name-regex", "orders("],
        ["request-access", "--database-name", MESH_DB, "--tables", "orders", "--request-permissions", "SELECTT"],
        ["request-access", "--owner-account-id", "12345", "--database-name", MESH_DB, "--tables", "orders",
         "--request-permissions", "SELECT"],
        ["list-subscriptions", "--status", "Sleeping"],
        ["local", "init", "--db", str(mesh["dir"] / "x.db"), "--write-credentials", str(mesh["dir"] / "x.json"),
         "--mesh-account", "abc"],
    ]
    for args in cases:
        r = run(*args, *mesh["common"])
        assert r.returncode == 252, (args, r.returncode, r.stderr)


def test_a_service_error_names_the_aws_operation_and_the_credentials(mesh, tmp_path):
    creds = json.load(open(mesh["creds"]))
    creds["Consumer"]["SecretAccessKey"] = "x" * 40
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(creds))
    r = run("list-subscriptions", "--local", mesh["db"], "--credentials-file", str(bad))
    assert r.returncode == 254, r.stderr
    assert re.search(r"An error occurred \(\w+\) when calling the GetCallerIdentity operation", r.stderr), r.stderr
    assert f"acting with the Consumer entry of {bad}" in r.stderr


# --- finding products and subscriptions ---------------------------------------------------------

def test_products_are_listed_and_filtered_for_consumers_and_producers(mesh):
    listed = cli("list-data-products", *mesh["common"])["DataProducts"]
    assert [(p["DataProduct"], p["Domain"], p["Tables"], p["OwnerAccountId"]) for p in listed] == [
        ("items", "catalog", ["products"], PRODUCER), ("shop", "retail", ["customers", "orders"], PRODUCER)]
    assert all(p["DatabaseName"] == MESH_DB and p["Location"].startswith("s3://") for p in listed)
    assert cli("list-data-products", *mesh["common"], "--persona", "producer") == {"DataProducts": listed}
    assert cli("list-data-products", *mesh["common"], "--persona", "mesh") == {"DataProducts": listed}
    by = lambda *f: [p["DataProduct"] for p in cli("list-data-products", *mesh["common"], *f)["DataProducts"]]
    assert by("--domain", "retail") == ["shop"]
    assert by("--owner", PRODUCER) == ["items", "shop"] and by("--owner", "999999999999") == []
    assert by("--search", "CUSTOMER") == ["shop"]  # a table name, any case
    assert by("--search", "order_id") == ["shop"]  # a column
    assert by("--search", "nothing-like-it") == []


def test_subscriptions_are_filtered_for_both_personas(mesh):
    ids = lambda *f: sorted(s["SubscriptionId"] for s in cli("list-subscriptions", *mesh["common"], *f)["Subscriptions"])
    both = sorted([mesh["active"], mesh["pending"]])
    assert ids() == both
    assert ids("--status", "Active") == [mesh["active"]]
    assert ids("--persona", "producer") == both
    assert ids("--persona", "producer", "--status", "Pending") == [mesh["pending"]]
    assert ids("--persona", "producer", "--subscriber", CONSUMER, "--database", MESH_DB) == both
    assert ids("--database", "elsewhere") == []
    assert ids("--owner", "999999999999") == []


def test_request_access_takes_the_owner_from_the_product_and_refuses_another(mesh):
    before = cli("list-subscriptions", *mesh["common"], "--persona", "producer")
    r = run("request-access", *mesh["common"], "--owner-account-id", "444444444444", "--database-name", MESH_DB,
            "--tables", "customers", "--request-permissions", "SELECT")
    assert r.returncode == 252 and f"published by account {PRODUCER}, not 444444444444" in r.stderr
    assert cli("list-subscriptions", *mesh["common"], "--persona", "producer") == before  # nothing filed


# --- local serve -------------------------------------------------------------------------------

def test_serve_refuses_a_port_in_use(mesh):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        r = run("local", "serve", "--db", mesh["db"], "--port", str(port))
    assert r.returncode != 0 and "cannot listen on 127.0.0.1:" + str(port) in r.stderr


def test_serve_refuses_what_is_not_a_local_mesh_and_changes_nothing(tmp_path):
    typo = tmp_path / "typo.db"
    r = run("local", "serve", "--db", str(typo), "--port", "0")
    assert r.returncode == 255 and "no local mesh at" in r.stderr and "--init" in r.stderr
    assert not typo.exists()
    text = tmp_path / "notes.txt"
    text.write_text("not a database\n")
    r = run("local", "serve", "--db", str(text), "--port", "0")
    assert r.returncode == 255 and "not an SQLite database" in r.stderr and text.read_text() == "not a database\n"
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as c:
        c.execute("CREATE TABLE mine (x)")
    digest = hashlib.sha256(other.read_bytes()).hexdigest()
    r = run("local", "serve", "--db", str(other), "--port", "0")
    assert r.returncode == 255 and "not a local mesh" in r.stderr
    assert hashlib.sha256(other.read_bytes()).hexdigest() == digest
    r = run("whoami", "--local", str(other))
    assert r.returncode == 255 and "not a local mesh" in r.stderr


def test_a_mesh_is_never_made_in_a_file_that_holds_something_else(tmp_path):
    # `local serve --init` once added the mesh's tables to another program's database: --init and
    # `local init` make a mesh only where there is none yet (no file, an empty file or database).
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as c:
        c.execute("CREATE TABLE mine (x)")
        c.execute("INSERT INTO mine VALUES (1)")
    # Another program's table that happens to be called resources, with a kind column.
    alike = tmp_path / "alike.db"
    with sqlite3.connect(alike) as c:
        c.execute("CREATE TABLE resources (kind TEXT, name TEXT)")
        c.execute("INSERT INTO resources VALUES ('account', 'x')")
    text = tmp_path / "notes.txt"
    text.write_text("not a database\n")
    for target in (other, alike, text):
        digest = hashlib.sha256(target.read_bytes()).hexdigest()
        for args in (["local", "serve", "--db", str(target), "--port", "0", "--init"],
                     ["local", "init", "--db", str(target), "--write-credentials", str(tmp_path / "c.json")]):
            r = run(*args)
            assert r.returncode == 255 and "NotALocalMesh" in r.stderr and "not a local mesh" in r.stderr, r.stderr
            assert hashlib.sha256(target.read_bytes()).hexdigest() == digest
            assert not (tmp_path / "c.json").exists()
    assert "its tables: mine" in run("whoami", "--local", str(other)).stderr
    # An empty file (as mktemp makes) and an empty SQLite database are places a mesh may be made.
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    blank = tmp_path / "blank.db"
    with sqlite3.connect(blank) as c:
        c.execute("CREATE TABLE gone (x)")
        c.execute("DROP TABLE gone")
    assert blank.read_bytes()[:16] == b"SQLite format 3\x00"
    for target in (empty, blank):
        r = run("whoami", "--local", str(target))
        assert r.returncode == 255 and "NoLocalMesh" in r.stderr and "local init" in r.stderr, r.stderr
        creds = tmp_path / (target.stem + ".json")
        r = run("local", "init", "--db", str(target), "--write-credentials", str(creds))
        assert r.returncode == 0, r.stderr
        assert run("whoami", "--local", str(target), "--credentials-file", str(creds)).returncode == 0


def test_a_mesh_locked_by_another_process_is_waited_for_not_called_something_else(mesh):
    # Another process holding the file (a write, a checkpoint, the last connection closing) once
    # made the look at the file answer "not a local mesh" and a follower stop (CI, stop 22).
    # locking_mode=EXCLUSIVE keeps every other connection out until this one closes.
    holder = sqlite3.connect(mesh["db"], isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("SELECT count(*) FROM resources").fetchone()
    try:
        waiting = subprocess.Popen([DATAMESH, "whoami", *mesh["common"]], stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True, env=clean_env())
        time.sleep(1.0)
        assert waiting.poll() is None, waiting.stderr.read()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    out, err = waiting.communicate(timeout=60)
    assert waiting.returncode == 0, err
    assert json.loads(out)["Account"] == json.loads(pathlib.Path(mesh["creds"]).read_text())["Mesh"]["AccountId"]


def test_serve_init_makes_a_mesh_then_serves_it(tmp_path):
    db, creds = tmp_path / "new.db", tmp_path / "new.json"
    server = subprocess.Popen([DATAMESH, "local", "serve", "--db", str(db), "--port", "0", "--init",
                               "--write-credentials", str(creds)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, env=clean_env())
    try:
        line = server.stdout.readline()
        assert "listening on" in line, server.stderr.read()
        url = line.split("listening on ")[1].split(" ")[0]
        who = cli("whoami", "--endpoint-url", url, "--credentials-file", str(creds))
        assert who["Arn"].endswith(":user/" + "DataMeshAdmin") or "Account" in who
    finally:
        server.terminate()
        server.wait(timeout=30)


# --- --debug -----------------------------------------------------------------------------------

def test_debug_logs_the_wire_with_every_secret_redacted(mesh):
    r = run("list-subscriptions", *mesh["common"], "--debug")
    assert r.returncode == 0
    assert "sts.AssumeRole request: POST" in r.stderr and "sts.AssumeRole response: HTTP 200" in r.stderr
    assert "Authorization: <redacted>" in r.stderr
    assert "<SecretAccessKey><redacted></SecretAccessKey>" in r.stderr
    assert not re.search(r"<SecretAccessKey>(?!<redacted>)", r.stderr)
    assert not re.search(r"<SessionToken>(?!<redacted>)", r.stderr)
    assert not re.search(r"X-Amz-Security-Token: (?!<redacted>)", r.stderr, re.I)


# --- completion, man pages, reruns --------------------------------------------------------------

def complete(words):
    """What bash completion offers after `datamesh <words>` (the last word being completed)."""
    script = run("completion", "bash").stdout
    line = "datamesh " + " ".join(words)
    probe = (script + f'\nCOMP_WORDS=(datamesh {" ".join(repr(w) for w in words)})\n'
             f'COMP_CWORD={len(words)}\nCOMP_LINE={line!r}\n_datamesh\nprintf "%s\\n" "${{COMPREPLY[@]}}"\n')
    r = subprocess.run(["bash", "-c", probe], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return r.stdout.split()


def test_bash_completion_offers_commands_subcommands_and_flags():
    assert "list-data-products" in complete(["list-"]) and "request-access" not in complete(["list-"])
    assert complete(["local", "se"]) == ["serve"]
    flags = complete(["request-access", "--t"])
    assert "--tables" in flags and "--tables" in flags
    assert "--output" in complete(["request-access", "--ou"])  # global flags too
    for shell in ("zsh", "fish"):
        r = run("completion", shell)
        assert r.returncode == 0 and "list-data-products" in r.stdout and "request-permissions" in r.stdout
    assert run("completion", "powershell").returncode == 252


def test_man_pages_cover_every_command(tmp_path):
    r = run("man", "--output-dir", str(tmp_path))
    assert r.returncode == 0, r.stderr
    pages = sorted(p.name for p in tmp_path.iterdir())
    assert "datamesh.1" in pages and "datamesh-list-data-products.1" in pages and "datamesh-local-serve.1" in pages
    page = (tmp_path / "datamesh-request-access.1").read_text()
    assert page.startswith(".TH DATAMESH\\-REQUEST\\-ACCESS 1") and "\\-\\-owner\\-account\\-id" in page
    assert "EXIT STATUS" in (tmp_path / "datamesh.1").read_text()


def test_a_rerun_says_what_already_existed(mesh):
    args = ["create-data-product", "--local", mesh["db"], "--credentials-file", mesh["creds"],
            "--source-database-name", "sales", "--table-name-regex", "products", "--domain", "catalog",
            "--data-product-name", "items"]
    r = run(*args)
    assert r.returncode == 0, r.stderr
    assert f"Glue table {MESH_DB}.products already existed" in r.stderr
    assert re.search(r"create-data-product: 0 created, \d+ already existed", r.stderr), r.stderr
    assert "created " not in r.stderr.replace("0 created", "")
    quiet = run(*args, "--quiet")
    assert quiet.returncode == 0 and quiet.stderr == ""
