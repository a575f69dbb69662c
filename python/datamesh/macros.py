"""DataMeshMacros: the set-up steps that need two accounts' credentials at once."""
import json

from . import _datamesh
from ._persona import apply_log_level, call_native, credentials_dict


class DataMeshMacros:
    """Runs both halves of setting up an account: its own side with its credentials, then its mesh
    side with the mesh account's."""

    def __init__(self, data_mesh_account_id, region_name="us-east-1", log_level="INFO", *,
                 endpoint_url=None, local_mesh=None, max_concurrency=8):
        level = apply_log_level(log_level)
        self._options = {"data_mesh_account_id": data_mesh_account_id, "region_name": region_name,
                         "log_level": level, "endpoint_url": endpoint_url, "local_mesh": local_mesh,
                         "max_concurrency": max_concurrency}

    def bootstrap_account(self, account_type: str, mesh_credentials, account_credentials,
                          crawler_role_arn: str = None):
        """Sets up an account as a "producer", "consumer" or "both" (any case): its own role, then
        its role in the mesh. Returns {"Producer"?: {...}, "Consumer"?: {...}}."""
        args = {"options": self._options, "account_type": account_type,
                "mesh_credentials": credentials_dict(mesh_credentials),
                "account_credentials": credentials_dict(account_credentials), "crawler_role_arn": crawler_role_arn}
        return json.loads(call_native(_datamesh.bootstrap_account, json.dumps(args)))
