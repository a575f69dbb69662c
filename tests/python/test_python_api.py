"""The seeds' API in Python: `import datamesh` (built into build/python; PYTHONPATH points there)
driving the whole flow on the embedded mesh and through `datamesh local serve`, every result
checked against the seeds' shapes, every documented form of use_credentials, errors as
exceptions with their codes, calls from many threads, and the Python library's import path."""
import inspect
import json
import logging
import threading

import pytest

import datamesh
from datamesh import (DataMeshAdmin, DataMeshConsumer, DataMeshError, DataMeshMacros, DataMeshProducer,
                      InvalidArgumentError, ServiceError, SubscriptionStateError)
from mesh_cli import python_mesh

REGION = "us-east-1"


@pytest.fixture(params=["embedded", "server"])
def mesh(request, tmp_path):
    with python_mesh(request.param, tmp_path) as m:
        yield m


def persona(cls, m, entry, **extra):
    return cls(m["mesh_id"], REGION, "INFO", m["creds"][entry], **m["where"], **extra)


def set_up(m):
    admin = persona(DataMeshAdmin, m, "Mesh")
    installed = admin.initialize_mesh_account()
    macros = DataMeshMacros(m["mesh_id"], REGION, "INFO", **m["where"])
    for kind, entry in (("Producer", "ProducerAdmin"), ("consumer", "ConsumerAdmin")):
        macros.bootstrap_account(kind, m["creds"]["Mesh"], m["creds"][entry])  # any case, as data-mesh-cli
    return installed


def shaped(value, shape):
    """`value` has every key of the seed's `shape`, each of the shape's type (recursively)."""
    if isinstance(shape, dict):
        assert isinstance(value, dict), value
        for key, sub in shape.items():
            assert key in value, f"{key} missing from {sorted(value)}"
            shaped(value[key], sub)
    elif isinstance(shape, list):
        assert isinstance(value, list), value
        for item in value:
            shaped(item, shape[0])
    else:
        assert isinstance(value, shape), (value, shape)


def test_the_whole_flow_with_the_seeds_shapes(mesh):
    installed = set_up(mesh)
    shaped(installed, {"Manager": str, "ReadOnly": str, "SubscriptionTracker": {"Table": str, "Stream": str}})
    producer = persona(DataMeshProducer, mesh, "Producer")
    consumer = persona(DataMeshConsumer, mesh, "Consumer")

    product = producer.create_data_products(source_database_name="sales", table_name_regex="orders|customers",
                                            domain="retail", data_product_name="shop")
    shaped(product, {"DatabaseName": str, "Tables": [{"SourceTable": str, "LinkTable": str}]})
    mesh_db = product["DatabaseName"]
    assert sorted(t["SourceTable"] for t in product["Tables"]) == ["customers", "orders"]
    tables = producer.get_data_product(mesh_db, ".*")
    shaped(tables, [{"Database": str, "TableName": str, "Location": str}])
    assert consumer.list_data_products(domain="retail")["DataProducts"][0]["Tables"] == ["customers", "orders"]

    request = consumer.request_access_to_product(mesh["producer"], mesh_db, ["orders"], ["SELECT", "DESCRIBE"])
    shaped(request, {"SubscriptionId": str, "DatabaseName": str})
    sub = request["SubscriptionId"]
    pending = producer.list_pending_access_requests()
    shaped(pending, {"Subscriptions": [{"SubscriptionId": str, "DatabaseName": str, "TableName": list,
                                        "RequestedGrants": list, "SubscriberPrincipal": str, "CreationDate": str,
                                        "CreatedBy": str}]})
    assert [s["SubscriptionId"] for s in pending["Subscriptions"]] == [sub]

    assert producer.approve_access_request(sub, decision_notes="ok") is None
    imported = consumer.finalize_subscription(sub)
    assert imported["Status"] == "Active" and imported["ImportedToConsumer"] is True
    listed = consumer.list_product_access()
    assert [s["SubscriptionId"] for s in listed["Subscriptions"]] == [sub]
    assert consumer.get_table_info(mesh_db, "orders")["Name"] == "orders"
    assert producer.update_subscription_permissions(sub, ["DESCRIBE"], "less") is None
    assert producer.get_subscription(sub)["PermittedGrants"] == ["DESCRIBE"]
    assert producer.delete_subscription(sub, "done") is None
    history = consumer.get_subscription(sub)["History"]
    assert [h["Action"] for h in history][-1] == "Delete" and history[-1]["Status"] == "Deleted"

    # Denied, and a subscription the consumer ends itself.
    other = consumer.request_access_to_product(None, mesh_db, "customers", "SELECT")["SubscriptionId"]
    assert producer.deny_access_request(other, "no") is None
    with pytest.raises(SubscriptionStateError) as denied:
        consumer.finalize_subscription(other)
    assert denied.value.code == "NotActive"
    third = consumer.request_access_to_product(None, mesh_db, "customers", ["DESCRIBE"])["SubscriptionId"]
    producer.approve_access_request(third)
    assert consumer.delete_subscription(third, "never mind")["Status"] == "Deleted"


def test_every_documented_form_of_use_credentials(mesh, monkeypatch):
    set_up(mesh)
    c = mesh["creds"]["Consumer"]

    class Creds:  # what boto3's Credentials offers
        access_key, secret_key, token = c["AccessKeyId"], c["SecretAccessKey"], None

    import botocore.credentials
    forms = [c, {k: v for k, v in c.items() if k != "AccountId"}, Creds(),
             botocore.credentials.Credentials(c["AccessKeyId"], c["SecretAccessKey"])]
    for form in forms:
        consumer = DataMeshConsumer(mesh["mesh_id"], REGION, "INFO", form, **mesh["where"])
        assert consumer.list_product_access() == {"Subscriptions": []}
    # None: the standard chain, here the environment.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", c["AccessKeyId"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", c["SecretAccessKey"])
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
    assert DataMeshConsumer(mesh["mesh_id"], REGION, use_credentials=None, **mesh["where"]).list_product_access() == {
        "Subscriptions": []}
    with pytest.raises(InvalidArgumentError):
        DataMeshConsumer(mesh["mesh_id"], REGION, "INFO", 42, **mesh["where"])


def test_errors_are_exceptions_with_the_aws_code_and_operation(mesh):
    set_up(mesh)
    producer = persona(DataMeshProducer, mesh, "Producer")
    with pytest.raises(InvalidArgumentError) as bad:
        producer.create_data_products("sales", table_name_regex="orders(")
    assert isinstance(bad.value, ValueError) and bad.value.code == "InvalidArgument"
    with pytest.raises(DataMeshError) as unknown:
        producer.get_subscription("no-such-subscription")
    assert unknown.value.code == "NoSuchSubscription"
    wrong = dict(mesh["creds"]["Producer"], SecretAccessKey="x" * 40)
    with pytest.raises(ServiceError) as refused:
        DataMeshProducer(mesh["mesh_id"], REGION, "INFO", wrong, **mesh["where"]).list_pending_access_requests()
    assert refused.value.operation == "GetCallerIdentity" and refused.value.http_status == 403
    assert refused.value.code in ("SignatureDoesNotMatch", "InvalidClientTokenId")
    with pytest.raises(InvalidArgumentError):
        DataMeshProducer(mesh["mesh_id"], REGION, "LOUD", mesh["creds"]["Producer"], **mesh["where"])


def test_calls_from_many_threads(mesh):
    set_up(mesh)
    producer = persona(DataMeshProducer, mesh, "Producer", max_concurrency=4)
    producer.create_data_products("sales")
    consumers = [persona(DataMeshConsumer, mesh, "Consumer") for _ in range(4)]
    ids, errors = [], []
    lock = threading.Lock()

    def request(i):
        try:
            # Four threads on their own instances, four on one shared instance.
            c = consumers[i] if i < 4 else consumers[0]
            table = ["orders", "customers", "products"][i % 3]
            r = c.request_access_to_product(None, f"sales-{mesh['producer']}", [table], ["SELECT"])
            with lock:
                ids.append((table, r["SubscriptionId"]))
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=request, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    ticks = 0
    while any(t.is_alive() for t in threads):  # the GIL is free while the calls run
        ticks += 1
    for t in threads:
        t.join()
    assert not errors, errors
    assert ticks > 0
    by_table = {}
    for table, sub in ids:
        by_table.setdefault(table, set()).add(sub)
    assert all(len(subs) == 1 for subs in by_table.values()), by_table  # one request per table, however raced
    pending = producer.list_pending_access_requests()["Subscriptions"]
    assert sorted(s["SubscriptionId"] for s in pending) == sorted(next(iter(v)) for v in by_table.values())


def test_log_level_drives_the_datamesh_logger(mesh, caplog):
    set_up(mesh)
    with caplog.at_level(logging.DEBUG, logger="datamesh"):
        persona(DataMeshConsumer, mesh, "Consumer", ).list_product_access()
        quiet = len(caplog.records)
        DataMeshConsumer(mesh["mesh_id"], REGION, "DEBUG", mesh["creds"]["Consumer"], **mesh["where"]).list_product_access()
    assert len(caplog.records) > quiet
    assert any("attempt 1" in r.getMessage() for r in caplog.records)
    assert all(mesh["creds"]["Consumer"]["SecretAccessKey"] not in r.getMessage() for r in caplog.records)


def test_the_python_librarys_import_path(mesh):
    from data_mesh_util import DataMeshAdmin as dma
    from data_mesh_util import DataMeshConsumer as dmc
    from data_mesh_util import DataMeshMacros as macros
    from data_mesh_util import DataMeshProducer as dmp
    from data_mesh_util.DataMeshProducer import DataMeshProducer as direct
    assert dmp.DataMeshProducer is direct is DataMeshProducer
    assert dma.DataMeshAdmin is DataMeshAdmin and dmc.DataMeshConsumer is DataMeshConsumer
    assert macros.DataMeshMacros is DataMeshMacros
    # A script written for the Python library, as it would run.
    mesh_admin = dma.DataMeshAdmin(data_mesh_account_id=mesh["mesh_id"], region_name=REGION, log_level="INFO",
                                   use_credentials=mesh["creds"]["Mesh"], **mesh["where"])
    mesh_admin.initialize_mesh_account()
    m = macros.DataMeshMacros(data_mesh_account_id=mesh["mesh_id"], region_name=REGION, log_level="INFO", **mesh["where"])
    m.bootstrap_account(account_type="both", mesh_credentials=mesh["creds"]["Mesh"],
                        account_credentials=mesh["creds"]["ProducerAdmin"])
    producer = dmp.DataMeshProducer(data_mesh_account_id=mesh["mesh_id"], region_name=REGION, log_level="INFO",
                                    use_credentials=mesh["creds"]["Producer"], **mesh["where"])
    out = producer.create_data_products(source_database_name="sales", table_name_regex="orders")
    assert out["DatabaseName"] == f"sales-{mesh['producer']}"


def test_signatures_are_the_seeds():
    def params(f):
        return [(p.name, p.default) for p in inspect.signature(f).parameters.values()
                if p.kind is not inspect.Parameter.KEYWORD_ONLY][1:]
    base = [("data_mesh_account_id", inspect.Parameter.empty), ("region_name", "us-east-1"), ("log_level", "INFO"),
            ("use_credentials", None)]
    for cls in (DataMeshAdmin, DataMeshProducer, DataMeshConsumer):
        assert params(cls.__init__) == base
    assert params(DataMeshProducer.create_data_products) == [
        ("source_database_name", inspect.Parameter.empty), ("create_public_metadata", True), ("table_name_regex", None),
        ("domain", None), ("data_product_name", None), ("sync_mesh_catalog_schedule", None),
        ("sync_mesh_crawler_role_arn", None), ("expose_data_mesh_db_name", None),
        ("expose_table_references_with_suffix", "_link"), ("use_original_table_name", False)]
    assert params(DataMeshProducer.approve_access_request) == [
        ("request_id", inspect.Parameter.empty), ("grant_permissions", None), ("grantable_permissions", None),
        ("decision_notes", None)]
    assert params(DataMeshAdmin.enable_account_as_producer) == [("account_id", inspect.Parameter.empty),
                                                                ("enable_crawler_role", None)]
    for cls in (DataMeshAdmin, DataMeshProducer, DataMeshConsumer, DataMeshMacros):
        for name, member in inspect.getmembers(cls, inspect.isfunction):
            if not name.startswith("_"):
                assert member.__doc__, f"{cls.__name__}.{name} has no docstring"
    assert datamesh.__version__
