"""DataMeshProducer: publishes data products and decides on their subscriptions."""
import json
import os

from ._persona import Persona, arguments
from .errors import InvalidArgumentError


def rules_arguments(rules):
    """A producer's rules as the library reads them: a path (str or os.PathLike) to a YAML or JSON
    file, or a dict written as that file would be."""
    if isinstance(rules, dict):
        return {"rules_text": json.dumps(rules)}
    if isinstance(rules, (str, os.PathLike)):
        return {"rules_file": os.fspath(rules)}
    raise InvalidArgumentError("InvalidArgument", "rules must be a path to a rules file or a dict")


class DataMeshProducer(Persona):
    """A producer account: construct it with the producer account's credentials (its
    DataMeshProducer role, or a principal that may assume it).

    datamesh's keyword-only `rules` (a rules file's path, or a dict of the same) are the
    producer's rules: process_requests decides by them, and with require_decision_notes the
    decisions by hand (approve, deny, update) must carry notes."""

    _persona = "producer"

    def __init__(self, data_mesh_account_id, region_name="us-east-1", log_level="INFO", use_credentials=None, *,
                 endpoint_url=None, local_mesh=None, max_concurrency=8, rules=None):
        super().__init__(data_mesh_account_id, region_name, log_level, use_credentials, endpoint_url=endpoint_url,
                         local_mesh=local_mesh, max_concurrency=max_concurrency)
        if rules is not None:
            self.use_rules(rules)

    def create_data_products(self, source_database_name: str, create_public_metadata: bool = True,
                             table_name_regex: str = None, domain: str = None, data_product_name: str = None,
                             sync_mesh_catalog_schedule: str = None, sync_mesh_crawler_role_arn: str = None,
                             expose_data_mesh_db_name: str = None, expose_table_references_with_suffix: str = "_link",
                             use_original_table_name: bool = False):
        """Publishes the tables of `source_database_name` that match `table_name_regex` (all when
        None) in the mesh, tagged with `domain` and `data_product_name`. Running it again
        completes what is missing. Returns {"DatabaseName": mesh database, "Tables": [{"SourceTable",
        "TargetDatabase", "TargetTable", "LinkDatabase", "LinkTable"}, ...]}."""
        return self._call("create_data_products", **arguments(locals()))

    def migrate_tables_to_mesh(self, source_database_name: str, create_public_metadata: bool = True,
                               table_name_regex: str = None, domain: str = None, data_product_name: str = None,
                               sync_mesh_catalog_schedule: str = None, sync_mesh_crawler_role_arn: str = None,
                               expose_data_mesh_db_name: str = None, expose_table_references_with_suffix: str = "_link",
                               use_original_table_name: bool = False):
        """As create_data_products, keeping the database and table names; the originals become
        links to their mesh copies. Returns the same shape."""
        return self._call("migrate_tables_to_mesh", **arguments(locals()))

    def get_data_product(self, database_name: str, table_name_regex: str):
        """The mesh tables of `database_name` matching `table_name_regex`:
        [{"Database", "TableName", "Location"}, ...]."""
        return self._call("get_data_product", database_name=database_name, table_name_regex=table_name_regex)

    def list_pending_access_requests(self):
        """The requests to this producer's products awaiting a decision: {"Subscriptions":
        [{"SubscriptionId", "DatabaseName", "TableName", "RequestedGrants", "SubscriberPrincipal",
        "CreationDate", "CreatedBy"}, ...]}."""
        return self._call("list_pending_access_requests")

    def approve_access_request(self, request_id: str, grant_permissions: list = None,
                               grantable_permissions: list = None, decision_notes: str = None, *,
                               expires_at: str = None, expires_in=None):
        """Grants the request (the permissions asked for, unless `grant_permissions` says
        otherwise; all grantable unless `grantable_permissions` says otherwise). datamesh's
        `expires_at` (YYYY-MM-DD HH:MM:SS UTC) ends the access then, or `expires_in` (a duration
        such as "30d", or seconds) that long after the approval is recorded. Returns None."""
        self._call("approve_access_request", **arguments(locals()))

    def deny_access_request(self, request_id: str, decision_notes: str = None):
        """Denies the request; nothing is granted or shared. Returns None."""
        self._call("deny_access_request", request_id=request_id, decision_notes=decision_notes)

    def update_subscription_permissions(self, subscription_id: str, grant_permissions: list, notes: str,
                                        grantable_permissions: list = None, *, expires_at: str = None,
                                        expires_in=None):
        """Changes what an Active subscription holds: grants what is added, revokes what is
        removed; datamesh's `expires_at` (or `expires_in`, counted from the change) sets a new end
        of the access. Returns None."""
        self._call("update_subscription_permissions", **arguments(locals()))

    def delete_subscription(self, subscription_id: str, reason: str):
        """Revokes every grant of the subscription; its record is kept, Deleted. Returns None."""
        self._call("delete_subscription", subscription_id=subscription_id, reason=reason)

    def get_subscription(self, request_id: str):
        """One subscription to this producer's products, with its History."""
        return self._call("get_subscription", request_id=request_id)

    # datamesh's own additions.

    def list_subscriptions(self, status: str = None, database_name: str = None, subscriber: str = None):
        """The subscriptions to this producer's products: {"Subscriptions": [...]}, filtered."""
        return self._call("list_subscriptions", status=status, database_name=database_name, subscriber=subscriber)

    def expire_subscriptions(self):
        """Ends the subscriptions whose expires_at has passed: {"Subscriptions": [...]}."""
        return self._call("expire_subscriptions")

    def use_rules(self, rules):
        """Makes `rules` (a rules file's path, or a dict of the same) the producer's rules; a file
        that does not parse is refused whole (InvalidArgumentError naming its line), and the rules
        held before stay. Returns None."""
        self._call("use_rules", **rules_arguments(rules))

    def process_requests(self, rules=None):
        """Decides the pending requests `rules` cover (else the producer's rules): {"Decisions":
        [{"SubscriptionId", "Decision" (approved, denied, pending or failed), "Rule",
        "ExpiresAt"?, "Error"?}, ...]}. A request that could not be decided stays pending, with
        its Error."""
        return self._call("process_requests", **(rules_arguments(rules) if rules is not None else {}))

    def revoke_deleted_subscriptions(self):
        """Revokes the grants of subscriptions their consumers deleted: {"Subscriptions": [...]}."""
        return self._call("revoke_deleted_subscriptions")

    def verify_subscriptions(self, subscription_id: str = None, repair: bool = False):
        """What the records say each consumer holds against what AWS holds; `repair` mends it."""
        return self._call("verify_subscriptions", subscription_id=subscription_id, repair=repair)

    def list_data_products(self, domain: str = None, owner: str = None, search: str = None):
        """What the mesh offers: {"DataProducts": [...]}, filtered."""
        return self._call("list_data_products", domain=domain, owner=owner, search=search)
