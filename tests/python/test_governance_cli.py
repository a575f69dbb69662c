"""Governance from the command line: reasons on requests, access that expires (on time, recorded
as expired, seen as an event), and a producer's rules deciding routine requests (process-requests
and events --follow --apply-rules); a bad rules file is refused whole, with its line, and changes
nothing."""
import datetime
import json
import signal
import subprocess
import time

import pytest

from mesh_cli import DATAMESH, clean_env, cli, new_mesh, run_cli, set_up_mesh

RULES = """\
require_reason: true
require_decision_notes: true
max_expiry: 7d
rules:
  - name: catalog-by-hand
    when:
      table_tags: {Domain: catalog}
    decide: deny
    note: catalog tables are decided by hand
  - name: describe-only
    when:
      permissions_within: [DESCRIBE]
      subscribers: ["333333333333"]
    decide: approve
    expires_in: 30d
"""


@pytest.fixture
def mesh(tmp_path):
    db, creds = new_mesh(tmp_path)
    common = ["--local", db, "--credentials-file", creds, "--quiet"]
    set_up_mesh(common)
    cli("create-data-product", *common, "--source-database-name", "sales", "--table-name-regex", "orders|customers",
        "--domain", "retail")
    cli("create-data-product", *common, "--source-database-name", "sales", "--table-name-regex", "products",
        "--domain", "catalog")
    (tmp_path / "rules.yaml").write_text(RULES)
    return {"common": common, "dir": tmp_path, "db": "sales-222222222222", "rules": str(tmp_path / "rules.yaml")}


def request(m, table, *perms, reason=None):
    extra = ["--reason", reason] if reason else []
    return cli("request-access", *m["common"], "--database-name", m["db"], "--tables", table,
               "--request-permissions", *perms, *extra)["SubscriptionId"]


def test_rules_approve_deny_and_leave_as_written(mesh):
    m = mesh
    describe = request(m, "orders", "DESCRIBE", reason="dashboards")
    catalog = request(m, "products", "DESCRIBE", reason="pricing")
    select = request(m, "orders", "SELECT", reason="reports")
    silent = request(m, "customers", "DESCRIBE")
    # A regular expression is resolved to the tables it names before tags are looked at.
    by_regex = request(m, "prod.*", "DESCRIBE", reason="pricing")
    # An approving rule needs every table; this one reaches a catalog table and is denied whole.
    both = request(m, "orders|products", "DESCRIBE", reason="joins")
    pending = cli("list-pending-requests", *m["common"])["Subscriptions"]
    assert {p["SubscriptionId"]: p.get("Reason") for p in pending}[describe] == "dashboards"
    decided = {d["SubscriptionId"]: d for d in cli("process-requests", *m["common"], "--rules", m["rules"])["Decisions"]}
    assert (decided[describe]["Decision"], decided[describe]["Rule"]) == ("approved", "describe-only")
    assert (decided[catalog]["Decision"], decided[catalog]["Rule"]) == ("denied", "catalog-by-hand")
    assert (decided[select]["Decision"], decided[select]["Rule"]) == ("pending", "")
    assert (decided[silent]["Decision"], decided[silent]["Rule"]) == ("denied", "require_reason")
    assert (decided[by_regex]["Decision"], decided[by_regex]["Rule"]) == ("denied", "catalog-by-hand")
    assert (decided[both]["Decision"], decided[both]["Rule"]) == ("denied", "catalog-by-hand")
    # The approval lasts the rules' cap (7 days), not the rule's 30, and notes its rule.
    approved = cli("get-subscription", *m["common"], "--request-id", describe)
    assert approved["Status"] == "Active" and approved["ExpiresAt"] == decided[describe]["ExpiresAt"]
    days = (time.mktime(time.strptime(approved["ExpiresAt"], "%Y-%m-%d %H:%M:%S")) - time.mktime(time.gmtime())) / 86400
    assert 6.9 < days <= 7.0
    assert approved["History"][-1]["Note"] == "rule describe-only"
    assert cli("get-subscription", *m["common"], "--request-id", catalog)["History"][-1]["Note"] == \
        "rule catalog-by-hand: catalog tables are decided by hand"
    # Again: only what is still pending is looked at, and it stays pending.
    again = cli("process-requests", *m["common"], "--rules", m["rules"])["Decisions"]
    assert [(d["SubscriptionId"], d["Decision"]) for d in again] == [(select, "pending")]


@pytest.mark.parametrize("text,line,problem", [
    ("rules:\n  - name: a\n    decied: approve\n", 3, "unknown field 'decied'"),
    ("rules:\n  - name: a\n    decide: maybe\n", 3, "decide must be approve or deny"),
    ("max_expiry: forever\n", 1, "is not a duration"),
    ("rules:\n  - name: a\n    decide: approve\n    expires_in: 999999999d\n", 4, "at most 36500d"),
    ("max_expiry: 0s\n", 1, "longer than 0s"),
    ("rules:\n  - name: a\n    decide: approve\n    when: {owners: [x]}\n", 4, "unknown field 'owners'"),
    ("rules: [\n  - name: a\n", 2, "illegal block entry"),
])
def test_a_bad_rules_file_is_refused_whole_with_its_line(mesh, text, line, problem):
    m = mesh
    sub = request(m, "orders", "DESCRIBE", reason="r")
    bad = m["dir"] / "bad.yaml"
    bad.write_text(text)
    r = run_cli("process-requests", *m["common"], "--rules", str(bad))
    assert r.returncode == 252, r.stderr
    assert f"{bad}:{line}: " in r.stderr and problem in r.stderr, r.stderr
    assert cli("get-subscription", *m["common"], "--request-id", sub)["Status"] == "Pending"


def test_access_expires_on_time_and_says_so(mesh):
    m = mesh
    sub = request(m, "orders", "SELECT")
    r = run_cli("approve-subscription", *m["common"], "--request-id", sub, "--expires-at", "2001-01-01 00:00:00")
    assert r.returncode == 252 and "already passed" in r.stderr
    r = run_cli("approve-subscription", *m["common"], "--request-id", sub, "--expires-at", "2999-01-01 00:00:00",
                "--expires-in", "1d")
    assert r.returncode == 252
    for span, problem in (("0s", "longer than 0s"), ("999999d", "at most 36500d")):
        r = run_cli("approve-subscription", *m["common"], "--request-id", sub, "--expires-in", span)
        assert r.returncode == 252 and f"--expires-in must be {problem}" in r.stderr, r.stderr
    # A span counts from the approval's record, cut down to a whole second: this access ends 4 to 5
    # seconds after it (room for a busy machine between the two commands).
    approved = cli("approve-subscription", *m["common"], "--request-id", sub, "--expires-in", "5s")
    assert approved["Status"] == "Active" and "ExpiresAt" in approved
    assert cli("expire-subscriptions", *m["common"])["Subscriptions"] == []
    ends = datetime.datetime.strptime(approved["ExpiresAt"], "%Y-%m-%d %H:%M:%S").replace(tzinfo=datetime.timezone.utc)
    time.sleep(max(0.0, (ends - datetime.datetime.now(datetime.timezone.utc)).total_seconds()) + 1.1)
    expired = cli("expire-subscriptions", *m["common"])["Subscriptions"]
    assert [s["SubscriptionId"] for s in expired] == [sub] and expired[0]["Status"] == "Deleted"
    events = [json.loads(line) for line in run_cli("events", *m["common"], "--type", "expired").stdout.splitlines()]
    assert [(e["Type"], e["SubscriptionId"], e["PermissionsAfter"]) for e in events] == [("expired", sub, [])]


def test_a_follower_applies_the_rules_as_requests_arrive(mesh):
    m = mesh
    follower = subprocess.Popen([DATAMESH, "events", *m["common"], "--follow", "--poll-seconds", "0.1",
                                 "--apply-rules", m["rules"]], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                text=True, env=clean_env())
    try:
        sub = request(m, "orders", "DESCRIBE", reason="dashboards")
        deadline = time.time() + 30
        while time.time() < deadline:
            if cli("get-subscription", *m["common"], "--request-id", sub)["Status"] == "Active":
                break
            time.sleep(0.2)
        assert cli("get-subscription", *m["common"], "--request-id", sub)["History"][-1]["Note"] == "rule describe-only"
        # Access that runs out ends while the follower runs.
        short = request(m, "customers", "SELECT", reason="once")
        cli("approve-subscription", *m["common"], "--request-id", short, "--expires-in", "1s")
        deadline = time.time() + 30
        while time.time() < deadline:
            if cli("get-subscription", *m["common"], "--request-id", short)["Status"] == "Deleted":
                break
            time.sleep(0.2)
        assert cli("get-subscription", *m["common"], "--request-id", short)["History"][-1]["Note"].startswith("expired")
    finally:
        follower.send_signal(signal.SIGTERM)
        assert follower.wait(timeout=30) == 0, follower.stderr.read()


def test_one_run_with_the_rules_also_ends_access_that_expired(mesh):
    # Decisions read only the producer's inbox; a run of events --apply-rules (without --follow)
    # starts with the producer's full sweep, so access that ran out ends there too.
    m = mesh
    sub = request(m, "customers", "SELECT", reason="a quick look")
    cli("approve-subscription", *m["common"], "--request-id", sub, "--expires-in", "1s")
    time.sleep(1.5)
    assert cli("get-subscription", *m["common"], "--request-id", sub)["Status"] == "Active"
    # --type requested: the run does not see the approval's event (and its ExpiresAt) at all.
    r = run_cli("events", *m["common"], "--apply-rules", m["rules"], "--type", "requested")
    assert r.returncode == 0, r.stderr
    ended = cli("get-subscription", *m["common"], "--request-id", sub)
    assert ended["Status"] == "Deleted" and ended["History"][-1]["Note"].startswith("expired")


def test_rules_from_the_environment_hold_for_every_decision(mesh, monkeypatch):
    m = mesh
    sub = request(m, "orders", "SELECT", reason="reports")
    monkeypatch.setenv("DATAMESH_RULES", m["rules"])
    r = run_cli("deny-subscription", *m["common"], "--request-id", sub)
    assert r.returncode == 252 and "require decision notes" in r.stderr, r.stderr
    assert cli("get-subscription", *m["common"], "--request-id", sub)["Status"] == "Pending"
    assert [d["Decision"] for d in cli("process-requests", *m["common"])["Decisions"]] == ["pending"]
    monkeypatch.setenv("DATAMESH_RULES", str(m["dir"] / "missing.yaml"))
    r = run_cli("deny-subscription", *m["common"], "--request-id", sub, "--decision-notes", "no")
    assert r.returncode == 252 and "missing.yaml" in r.stderr, r.stderr
    monkeypatch.delenv("DATAMESH_RULES")
    r = run_cli("process-requests", *m["common"])
    assert r.returncode == 252 and "needs a rules file" in r.stderr, r.stderr
    assert cli("deny-subscription", *m["common"], "--request-id", sub)["Status"] == "Denied"


def test_decisions_by_hand_must_say_why_when_the_rules_say_so(mesh):
    m = mesh
    sub = request(m, "orders", "SELECT", reason="reports")
    r = run_cli("approve-subscription", *m["common"], "--request-id", sub, "--rules", m["rules"])
    assert r.returncode == 252 and "require decision notes" in r.stderr
    assert cli("get-subscription", *m["common"], "--request-id", sub)["Status"] == "Pending"
    r = run_cli("deny-subscription", *m["common"], "--request-id", sub, "--rules", m["rules"])
    assert r.returncode == 252
    approved = cli("approve-subscription", *m["common"], "--request-id", sub, "--rules", m["rules"],
                   "--decision-notes", "quarterly reports")
    assert approved["Status"] == "Active" and approved["History"][-1]["Note"] == "quarterly reports"
