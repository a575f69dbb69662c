"""DataMeshConsumer: requests subscriptions to data products and imports them."""
from ._persona import Persona


class DataMeshConsumer(Persona):
    """A consumer account: construct it with the consumer account's credentials (its
    DataMeshConsumer role, or a principal that may assume it)."""

    _persona = "consumer"

    def request_access_to_product(self, owner_account_id: str, database_name: str, tables: list,
                                  request_permissions: list, *, reason: str = None):
        """Requests `request_permissions` on `tables` (names or regular expressions) of the mesh
        database `database_name`. The request goes to the product's producer: `owner_account_id`
        may be None and, when given, must name that producer. An identical open request is returned
        rather than filed again. datamesh's `reason` says why. Returns {"Type", "DatabaseName",
        "TableName", "SubscriptionId", "Status"}."""
        return self._call("request_access_to_product", owner_account_id=owner_account_id,
                          database_name=database_name, tables=tables, request_permissions=request_permissions,
                          reason=reason)

    def finalize_subscription(self, subscription_id: str):
        """Imports an Active subscription: accepts its shares, links the mesh database into this
        account, marks it ImportedToConsumer. Returns the subscription."""
        return self._call("finalize_subscription", subscription_id=subscription_id)

    def list_product_access(self, status: str = None, database_name: str = None, owner: str = None):
        """This account's subscriptions, whatever their status unless filtered:
        {"Subscriptions": [...]}."""
        return self._call("list_product_access", status=status, database_name=database_name, owner=owner)

    def get_subscription(self, request_id: str):
        """One of this account's subscriptions, with its History."""
        return self._call("get_subscription", request_id=request_id)

    def get_table_info(self, database_name: str, table_name: str):
        """The mesh table's definition, as Glue's GetTable answers it."""
        return self._call("get_table_info", database_name=database_name, table_name=table_name)

    def delete_subscription(self, subscription_id: str, reason: str):
        """Ends this account's subscription: it is marked Deleted, and its producer revokes the
        grants. Returns the subscription."""
        return self._call("delete_subscription", subscription_id=subscription_id, reason=reason)

    # datamesh's own addition.

    def list_data_products(self, domain: str = None, owner: str = None, search: str = None):
        """What the mesh offers: {"DataProducts": [...]}, filtered."""
        return self._call("list_data_products", domain=domain, owner=owner, search=search)
