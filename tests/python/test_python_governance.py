"""Governance from Python: a DataMeshProducer given rules (a dict or a file) decides routine
requests by them and refuses decisions by hand without notes when the rules say so; a bad rules
file is refused whole with its line; DataMeshEvents reads every change in order and, resumed from
a saved checkpoint, loses nothing. Embedded and through `datamesh local serve`."""
import datetime
import json
import logging
import signal
import threading
import time

import pytest

from datamesh import (DataMeshAdmin, DataMeshConsumer, DataMeshEvents, DataMeshMacros, DataMeshProducer,
                      InvalidArgumentError)
from mesh_cli import free_port, python_mesh, serve_on

REGION = "us-east-1"
RULES = {
    "require_decision_notes": True,
    "max_expiry": "7d",
    "rules": [
        {"name": "describe-only", "when": {"permissions_within": ["DESCRIBE"]}, "decide": "approve"},
        {"name": "no-insert", "when": {"permissions_within": ["INSERT"]}, "decide": "deny", "note": "read only"},
    ],
}


def set_up(m):
    DataMeshAdmin(m["mesh_id"], REGION, "INFO", m["creds"]["Mesh"], **m["where"]).initialize_mesh_account()
    macros = DataMeshMacros(m["mesh_id"], REGION, "INFO", **m["where"])
    for kind, entry in (("Producer", "ProducerAdmin"), ("Consumer", "ConsumerAdmin")):
        macros.bootstrap_account(kind, m["creds"]["Mesh"], m["creds"][entry])


@pytest.fixture(params=["embedded", "server"])
def mesh(request, tmp_path):
    with python_mesh(request.param, tmp_path) as m:
        set_up(m)
        yield m


def persona(cls, m, entry, **extra):
    return cls(m["mesh_id"], REGION, "INFO", m["creds"][entry], **m["where"], **extra)


def test_rules_decide_and_require_notes(mesh):
    producer = persona(DataMeshProducer, mesh, "Producer", rules=RULES)
    consumer = persona(DataMeshConsumer, mesh, "Consumer")
    db = producer.create_data_products("sales", table_name_regex="orders|customers", domain="retail")["DatabaseName"]
    describe = consumer.request_access_to_product(None, db, ["orders"], ["DESCRIBE"])["SubscriptionId"]
    insert = consumer.request_access_to_product(None, db, ["cust.*"], ["INSERT"])["SubscriptionId"]
    select = consumer.request_access_to_product(None, db, ["orders"], ["SELECT"])["SubscriptionId"]
    decided = {d["SubscriptionId"]: d for d in producer.process_requests()["Decisions"]}
    assert (decided[describe]["Decision"], decided[describe]["Rule"]) == ("approved", "describe-only")
    assert "ExpiresAt" in decided[describe]  # capped by max_expiry
    assert (decided[insert]["Decision"], decided[insert]["Rule"]) == ("denied", "no-insert")
    assert decided[select]["Decision"] == "pending"
    assert producer.get_subscription(insert)["History"][-1]["Note"] == "rule no-insert: read only"
    # By hand, the rules want a reason; refused before anything changes.
    with pytest.raises(InvalidArgumentError, match="decision notes"):
        producer.approve_access_request(select)
    with pytest.raises(InvalidArgumentError):
        producer.deny_access_request(select)
    assert producer.get_subscription(select)["Status"] == "Pending"
    producer.approve_access_request(select, decision_notes="reports")
    assert producer.get_subscription(select)["Status"] == "Active"
    # Other rules given to one call decide by those, from a file this time.
    path = mesh["dir"] / "rules.json"
    path.write_text(json.dumps({"rules": [{"name": "all", "decide": "deny"}]}))
    again = consumer.request_access_to_product(None, db, ["customers"], ["SELECT"])["SubscriptionId"]
    assert producer.process_requests(path)["Decisions"] == [{"SubscriptionId": again, "Decision": "denied", "Rule": "all"}]
    # A producer without rules has none to process by.
    with pytest.raises(InvalidArgumentError, match="no rules"):
        persona(DataMeshProducer, mesh, "Producer").process_requests()


def test_a_bad_rules_file_is_refused_whole(mesh):
    bad = mesh["dir"] / "bad.yaml"
    bad.write_text("require_reason: true\nrules:\n  - name: a\n    decied: approve\n")
    with pytest.raises(InvalidArgumentError, match=r"bad.yaml:4: .*unknown field 'decied'"):
        persona(DataMeshProducer, mesh, "Producer", rules=bad)
    producer = persona(DataMeshProducer, mesh, "Producer", rules={"require_decision_notes": True})
    with pytest.raises(InvalidArgumentError, match="unknown field 'require_notes'"):
        producer.use_rules({"require_notes": True})
    with pytest.raises(InvalidArgumentError):
        producer.use_rules(42)
    # The rules held before still hold.
    consumer = persona(DataMeshConsumer, mesh, "Consumer")
    db = producer.create_data_products("sales", table_name_regex="orders", domain="retail")["DatabaseName"]
    sub = consumer.request_access_to_product(None, db, ["orders"], ["SELECT"])["SubscriptionId"]
    with pytest.raises(InvalidArgumentError):
        producer.approve_access_request(sub)


def test_events_in_order_and_resumed_without_loss(mesh):
    producer = persona(DataMeshProducer, mesh, "Producer")
    consumer = persona(DataMeshConsumer, mesh, "Consumer")
    events = persona(DataMeshEvents, mesh, "Producer")
    db = producer.create_data_products("sales", table_name_regex="orders", domain="retail")["DatabaseName"]
    first = consumer.request_access_to_product(None, db, ["orders"], ["SELECT"], reason="reports")["SubscriptionId"]
    producer.approve_access_request(first, expires_at="2999-01-01 00:00:00")
    # A follower handles two events and is stopped; the checkpoint it saved is where it resumes.
    saved = None
    seen = []
    for event, checkpoint in events.follow(poll_seconds=0.05):
        seen.append((event["Type"], event["SubscriptionId"]))
        saved = checkpoint
        if len(seen) == 2:
            break
    assert seen == [("requested", first), ("approved", first)]
    producer.update_subscription_permissions(first, ["DESCRIBE"], "less")
    second = consumer.request_access_to_product(None, db, ["orders"], ["DESCRIBE"])["SubscriptionId"]
    producer.deny_access_request(second, "no")
    rest = events.read(checkpoint=json.loads(json.dumps(saved)))
    assert [(e["Type"], e["SubscriptionId"]) for e in rest["Events"]] == [
        ("modified", first), ("requested", second), ("denied", second)]
    modified = rest["Events"][0]
    assert (modified["PermissionsBefore"], modified["PermissionsAfter"]) == (["SELECT"], ["DESCRIBE"])
    assert modified["ExpiresAt"] == "2999-01-01 00:00:00"
    # From the end, nothing new; filtered by type; the consumer sees its own.
    assert events.read(checkpoint=rest["Checkpoint"])["Events"] == []
    assert [e["Type"] for e in events.read(types=["denied"])["Events"]] == ["denied"]
    mine = persona(DataMeshEvents, mesh, "Consumer", audience="consumer").read()["Events"]
    assert len(mine) == 5
    with pytest.raises(InvalidArgumentError):
        events.read(types=["approve"])
    with pytest.raises(InvalidArgumentError):
        events.read(checkpoint={"Shards": []})
    with pytest.raises(InvalidArgumentError):
        persona(DataMeshEvents, mesh, "Producer", audience="everyone")


def test_follow_waits_out_a_mesh_that_stops_answering(tmp_path, caplog):
    """The endpoint goes away under a follower (a dropped connection is transient): it logs a
    warning, tries again with backoff, and goes on once the endpoint answers again."""
    with python_mesh("embedded", tmp_path) as made:
        db, port = made["where"]["local_mesh"], free_port()
    servers = [serve_on(db, port)]
    m = dict(made, where={"endpoint_url": f"http://127.0.0.1:{port}"})
    try:
        set_up(m)
        producer = persona(DataMeshProducer, m, "Producer")
        consumer = persona(DataMeshConsumer, m, "Consumer")
        db_name = producer.create_data_products("sales", table_name_regex="orders", domain="retail")["DatabaseName"]
        first = consumer.request_access_to_product(None, db_name, ["orders"], ["SELECT"])["SubscriptionId"]
        events = persona(DataMeshEvents, m, "Producer")

        def outage():
            servers[0].send_signal(signal.SIGTERM)
            servers[0].wait(timeout=30)
            time.sleep(2)
            servers.append(serve_on(db, port))
            consumer.request_access_to_product(None, db_name, ["orders"], ["DESCRIBE"])

        seen = []
        with caplog.at_level(logging.WARNING, logger="datamesh"):
            for event, _ in events.follow(poll_seconds=0.05):
                seen.append(event["Type"])
                if len(seen) == 1:
                    assert event["SubscriptionId"] == first
                    threading.Thread(target=outage, daemon=True).start()
                if len(seen) == 2:
                    break
        assert seen == ["requested", "requested"]
        assert any("trying again" in r.getMessage() for r in caplog.records)
    finally:
        for s in servers:
            if s.poll() is None:
                s.send_signal(signal.SIGTERM)
                s.wait(timeout=30)


def test_an_expiry_span_counts_from_the_decision(mesh):
    producer = persona(DataMeshProducer, mesh, "Producer")
    consumer = persona(DataMeshConsumer, mesh, "Consumer")
    db = producer.create_data_products("sales", table_name_regex="orders", domain="retail")["DatabaseName"]
    sub = consumer.request_access_to_product(None, db, ["orders"], ["SELECT"])["SubscriptionId"]
    for bad in ("soon", "0s", -5, 1.5, 10**12, "999999999d"):
        with pytest.raises(InvalidArgumentError):
            producer.approve_access_request(sub, expires_in=bad)
    with pytest.raises(InvalidArgumentError, match="not both"):
        producer.approve_access_request(sub, expires_at="2999-01-01 00:00:00", expires_in="1d")
    assert producer.get_subscription(sub)["Status"] == "Pending"
    before = datetime.datetime.now(datetime.timezone.utc)
    producer.approve_access_request(sub, expires_in="30d")
    ends = datetime.datetime.strptime(producer.get_subscription(sub)["ExpiresAt"], "%Y-%m-%d %H:%M:%S")
    ends = ends.replace(tzinfo=datetime.timezone.utc)
    assert datetime.timedelta(days=30, seconds=-1) <= ends - before <= datetime.timedelta(days=30, seconds=60)
    producer.update_subscription_permissions(sub, ["SELECT"], "an hour from now", expires_in=3600)
    ends = datetime.datetime.strptime(producer.get_subscription(sub)["ExpiresAt"], "%Y-%m-%d %H:%M:%S")
    assert datetime.timedelta(hours=1, seconds=-1) <= ends.replace(tzinfo=datetime.timezone.utc) - before <= datetime.timedelta(hours=1, seconds=60)
