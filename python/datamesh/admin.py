"""DataMeshAdmin: creates the data mesh, and enables accounts to act as producers and consumers."""
from ._persona import Persona


class DataMeshAdmin(Persona):
    """Sets up the mesh account, and producer and consumer accounts on both sides.

    Construct it with the credentials of the account being set up: the mesh account's for
    initialize_mesh_account and enable_account_as_*, a producer's or consumer's own for
    initialize_producer_account and initialize_consumer_account. Every method may be run again: it
    completes what is missing.
    """

    _persona = "admin"

    def initialize_mesh_account(self):
        """Sets up the mesh account: the manager and read-only roles, Lake Formation settings,
        catalog sharing and the subscription tracker. Returns {"Manager": role ARN, "ReadOnly":
        role ARN, "SubscriptionTracker": {"Table": ARN, "Stream": ARN}}."""
        return self._call("initialize_mesh_account")

    def initialize_producer_account(self, crawler_role_arn: str = None):
        """Sets up this account's DataMeshProducer role (with policy, user and group); the role may
        pass `crawler_role_arn` to Glue crawlers. Returns None."""
        self._call("initialize_producer_account", crawler_role_arn=crawler_role_arn)

    def initialize_consumer_account(self):
        """Sets up this account's DataMeshConsumer role (with policy, user and group). Returns None."""
        self._call("initialize_consumer_account")

    def enable_account_as_producer(self, account_id: str, enable_crawler_role: str = None):
        """In the mesh account: lets `account_id` publish data products and grant on them.
        Returns None."""
        self._call("enable_account_as_producer", account_id=account_id, enable_crawler_role=enable_crawler_role)

    def enable_account_as_consumer(self, account_id: str):
        """In the mesh account: lets `account_id` request subscriptions and accept shares.
        Returns None."""
        self._call("enable_account_as_consumer", account_id=account_id)

    # datamesh's own additions.

    def verify_subscriptions(self, subscription_id: str = None):
        """Every producer's subscriptions (or one) against the grants AWS holds, read only."""
        return self._call("verify_subscriptions", subscription_id=subscription_id)

    def list_data_products(self, domain: str = None, owner: str = None, search: str = None):
        """What the mesh offers: {"DataProducts": [{DatabaseName, OwnerAccountId, Domain,
        DataProduct, Tables, Description, Location}, ...]}, filtered."""
        return self._call("list_data_products", domain=domain, owner=owner, search=search)
