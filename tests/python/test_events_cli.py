"""`datamesh events`: every subscription change, once and in order, from the tracker's DynamoDB
stream, on the embedded mesh and through `local serve`, with a follower running beside the flow that
is killed (SIGKILL) mid-flow and restarted from its checkpoint, and a webhook receiver that answers
500 at first (delivery retried) and then gets every event."""
import json
import os
import signal
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from mesh_cli import DATAMESH, clean_env, cli, free_port, new_mesh, run_cli, serve_on, served, set_up_mesh


class Receiver:
    """A webhook on 127.0.0.1 that refuses the first `failures` POSTs with HTTP 500."""

    def __init__(self, failures):
        self.events, self.refused, self.failures = [], 0, failures
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if receiver.refused < receiver.failures:
                    receiver.refused += 1
                    self.send_response(500)
                else:
                    receiver.events.append(json.loads(body))
                    self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()


@pytest.fixture(params=["embedded", "server"])
def mesh(request, tmp_path):
    db, creds = new_mesh(tmp_path)
    with served(db) as url:
        where = ["--local", db] if request.param == "embedded" else ["--endpoint-url", url]
        common = [*where, "--credentials-file", creds, "--quiet"]
        set_up_mesh(common)
        cli("create-data-product", *common, "--source-database-name", "sales")
        yield {"common": common, "dir": tmp_path, "mesh_db": "sales-" + json.load(open(creds))["Producer"]["AccountId"]}


def follower(m, out_path, *extra):
    out = open(out_path, "a")
    return subprocess.Popen([DATAMESH, "events", *m["common"], "--follow", "--poll-seconds", "0.1", "--checkpoint",
                             str(m["dir"] / "checkpoint.json"), *extra], stdout=out, stderr=subprocess.PIPE, text=True,
                            env=clean_env())


def lines(path):
    return [json.loads(line) for line in open(path) if line.strip()]


def wait_for(predicate, what, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_follower_sees_every_change_once_in_order_across_a_kill(mesh):
    m, out = mesh, mesh["dir"] / "events.jsonl"
    hook = Receiver(failures=2)
    try:
        first = follower(m, out, "--webhook", hook.url)
        sub = cli("request-access", *m["common"], "--database-name", m["mesh_db"], "--tables", "orders",
                  "--request-permissions", "SELECT", "DESCRIBE")["SubscriptionId"]
        cli("approve-subscription", *m["common"], "--request-id", sub)
        wait_for(lambda: len(lines(out)) >= 2, "the first two events")
        first.send_signal(signal.SIGKILL)  # no chance to tidy up: only the checkpoint file remains
        first.wait(timeout=30)
        cli("import-subscription", *m["common"], "--subscription-id", sub)
        cli("modify-subscription", *m["common"], "--subscription-id", sub, "--grant-permissions", "DESCRIBE",
            "--notes", "less")
        other = cli("request-access", *m["common"], "--database-name", m["mesh_db"], "--tables", "customers",
                    "--request-permissions", "SELECT")["SubscriptionId"]
        cli("deny-subscription", *m["common"], "--request-id", other, "--decision-notes", "no")
        cli("delete-subscription", *m["common"], "--subscription-id", sub, "--reason", "done")
        second = follower(m, out, "--webhook", hook.url)
        expected = ["requested", "approved", "imported", "modified", "requested", "denied", "deleted"]
        wait_for(lambda: len({(e["SequenceNumber"], e["Type"]) for e in lines(out)}) >= len(expected), "every event")
        wait_for(lambda: len(hook.events) >= len(expected), "the webhook's events")
        second.send_signal(signal.SIGTERM)
        assert second.wait(timeout=30) == 0, second.stderr.read()
    finally:
        hook.stop()
    seen = lines(out)
    # At least once: the one event in flight when the first follower was killed may come twice,
    # and nothing else does.
    unique = []
    for e in seen:
        if not unique or (e["SequenceNumber"], e["Type"]) != (unique[-1]["SequenceNumber"], unique[-1]["Type"]):
            unique.append(e)
    assert len(seen) - len(unique) <= 1
    assert [e["Type"] for e in unique] == expected
    assert [e["SubscriptionId"] for e in unique] == [sub, sub, sub, sub, other, other, sub]
    modified = unique[3]
    assert modified["PermissionsBefore"] == ["DESCRIBE", "SELECT"] and modified["PermissionsAfter"] == ["DESCRIBE"]
    assert unique[5]["Note"] == "no" and unique[1]["Principal"].endswith("datamesh-producer-" + unique[1]["OwnerPrincipal"])
    # The webhook got every event, in order, after its two refusals were retried.
    assert hook.refused == 2
    hooked = []
    for e in hook.events:
        if not hooked or (e["SequenceNumber"], e["Type"]) != (hooked[-1]["SequenceNumber"], hooked[-1]["Type"]):
            hooked.append(e)
    assert [e["Type"] for e in hooked] == expected


def test_filters_exec_and_refusals(mesh):
    m = mesh
    sub = cli("request-access", *m["common"], "--database-name", m["mesh_db"], "--tables", "orders",
              "--request-permissions", "SELECT")["SubscriptionId"]
    cli("approve-subscription", *m["common"], "--request-id", sub)
    approved = run_cli("events", *m["common"], "--type", "approved")
    assert [json.loads(line)["Type"] for line in approved.stdout.splitlines()] == ["approved"]
    assert run_cli("events", *m["common"], "--since", "1d").stdout.count("\n") == 2
    assert run_cli("events", *m["common"], "--since", "2999-01-01 00:00:00").stdout == ""
    # The consumer sees its own subscriptions' events; --exec gets each on its stdin.
    got = m["dir"] / "exec.jsonl"
    r = run_cli("events", *m["common"], "--persona", "consumer", "--exec", f"cat >> {got}")
    assert r.returncode == 0 and [json.loads(line)["Type"] for line in open(got)] == ["requested", "approved"]
    # A command that keeps failing stops the reader, and the event stays undelivered.
    r = run_cli("events", *m["common"], "--exec", "exit 3", "--delivery-attempts", "2", "--checkpoint",
                str(m["dir"] / "cp.json"))
    assert r.returncode == 255 and "status 3" in r.stderr
    assert not os.path.exists(m["dir"] / "cp.json") or json.load(open(m["dir"] / "cp.json"))["Shards"] == {}
    assert run_cli("events", *m["common"], "--type", "exploded").returncode == 252
    assert run_cli("events", *m["common"], "--since", "yesterday-ish").returncode == 252


def test_the_readme_follower_decides_expires_and_delivers_everything(mesh):
    """README's `events --follow --apply-rules rules.yaml --webhook URL --checkpoint F`: routine
    requests decided by the rules, access that ends by rule revoked on time, and every change,
    decisions and expiry included, delivered to the webhook."""
    m, out = mesh, mesh["dir"] / "events.jsonl"
    rules = m["dir"] / "rules.yaml"
    rules.write_text("rules:\n"
                     "  - name: short-describe\n"
                     "    when: {permissions_within: [DESCRIBE]}\n"
                     "    decide: approve\n"
                     "    expires_in: 3s\n"
                     "  - name: no-insert\n"
                     "    when: {permissions_within: [INSERT]}\n"
                     "    decide: deny\n")
    hook = Receiver(failures=1)
    try:
        running = follower(m, out, "--webhook", hook.url, "--apply-rules", str(rules))
        brief = cli("request-access", *m["common"], "--database-name", m["mesh_db"], "--tables", "orders",
                    "--request-permissions", "DESCRIBE")["SubscriptionId"]
        refused = cli("request-access", *m["common"], "--database-name", m["mesh_db"], "--tables", "customers",
                      "--request-permissions", "INSERT")["SubscriptionId"]
        left = cli("request-access", *m["common"], "--database-name", m["mesh_db"], "--tables", "customers",
                   "--request-permissions", "SELECT")["SubscriptionId"]
        expected = {(brief, "requested"), (brief, "approved"), (brief, "expired"), (refused, "requested"),
                    (refused, "denied"), (left, "requested")}
        wait_for(lambda: expected <= {(e["SubscriptionId"], e["Type"]) for e in hook.events}, "every event at the hook",
                 timeout=90)
        running.send_signal(signal.SIGTERM)
        assert running.wait(timeout=30) == 0, running.stderr.read()
    finally:
        hook.stop()
    assert hook.refused == 1
    got = {(e["SubscriptionId"], e["Type"]): e for e in hook.events}
    assert got[(brief, "approved")]["Note"] == "rule short-describe" and "ExpiresAt" in got[(brief, "approved")]
    assert got[(brief, "expired")]["PermissionsAfter"] == [] and got[(brief, "expired")]["Note"].startswith("expired")
    assert got[(refused, "denied")]["Note"] == "rule no-insert"
    assert cli("get-subscription", *m["common"], "--request-id", left)["Status"] == "Pending"
    assert cli("get-subscription", *m["common"], "--request-id", brief)["Status"] == "Deleted"
    # In the order they happened, each once (the one retried POST aside).
    order = [(e["SubscriptionId"], e["Type"]) for e in lines(out)]
    assert order.index((brief, "requested")) < order.index((brief, "approved")) < order.index((brief, "expired"))
    assert len(order) == len(set(order))


def test_a_follower_waits_out_a_mesh_that_stops_answering(tmp_path):
    """The endpoint goes away mid-follow (a dropped connection is transient): the follower says so
    on stderr, tries again with backoff, and carries on once the endpoint answers again."""
    db, creds = new_mesh(tmp_path)
    port = free_port()
    server = serve_on(db, port)
    common = ["--endpoint-url", f"http://127.0.0.1:{port}", "--credentials-file", creds, "--quiet"]
    err_path = tmp_path / "follower.err"
    running = None
    try:
        set_up_mesh(common)
        cli("create-data-product", *common, "--source-database-name", "sales")
        mesh_db = "sales-" + json.load(open(creds))["Producer"]["AccountId"]
        out = tmp_path / "events.jsonl"
        running = subprocess.Popen([DATAMESH, "events", *common, "--follow", "--poll-seconds", "0.1"],
                                   stdout=open(out, "w"), stderr=open(err_path, "w"), text=True, env=clean_env())
        first = cli("request-access", *common, "--database-name", mesh_db, "--tables", "orders",
                    "--request-permissions", "SELECT")["SubscriptionId"]
        wait_for(lambda: [e["SubscriptionId"] for e in lines(out)] == [first], "the first event")
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        wait_for(lambda: "trying again in" in err_path.read_text(), "the follower to say it waits", timeout=60)
        assert running.poll() is None, err_path.read_text()
        server = serve_on(db, port)
        second = cli("request-access", *common, "--database-name", mesh_db, "--tables", "customers",
                     "--request-permissions", "SELECT")["SubscriptionId"]
        wait_for(lambda: [e["SubscriptionId"] for e in lines(out)] == [first, second], "the event after the outage",
                 timeout=90)
        running.send_signal(signal.SIGTERM)
        assert running.wait(timeout=30) == 0, err_path.read_text()
        assert "ConnectionError" in err_path.read_text()
    finally:
        if running and running.poll() is None:
            running.kill()
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
