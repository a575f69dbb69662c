"""The exceptions datamesh raises: every one a DataMeshError carrying the AWS error code, the
message and the AWS operation that failed (empty when the error arose before any call)."""


class DataMeshError(Exception):
    """A datamesh call failed.

    code: the AWS error code ("AccessDeniedException") or datamesh's own ("InvalidArgument").
    message: what went wrong. operation: the AWS operation whose call failed ("GetTable"), or "".
    http_status: the HTTP status AWS answered (0 when nothing was answered). request_id: AWS's.
    """

    def __init__(self, code, message, operation="", http_status=0, request_id=""):
        super().__init__(f"{code}: {message}" + (f" (when calling the {operation} operation)" if operation else ""))
        self.code = code
        self.message = message
        self.operation = operation
        self.http_status = http_status
        self.request_id = request_id


class ServiceError(DataMeshError):
    """AWS (or the local mesh) answered the request with an error."""


class AccessDeniedError(ServiceError):
    """AWS refused the caller the action (AccessDenied, AccessDeniedException)."""


class NotFoundError(ServiceError):
    """What the call named does not exist (EntityNotFoundException, NoSuchEntity, ...)."""


class ThrottlingError(ServiceError):
    """AWS kept throttling the requests after every retry."""


class TransientError(DataMeshError):
    """The service could not be reached, or kept failing, after every retry."""


class InvalidArgumentError(DataMeshError, ValueError):
    """An argument's value is invalid; nothing was changed."""


class SubscriptionStateError(DataMeshError):
    """The subscription is not in a state that allows the call (e.g. importing a Denied one)."""


class ConfigurationError(DataMeshError):
    """Credentials, region, endpoint or local mesh settings are missing or wrong."""


_NOT_FOUND = {"EntityNotFoundException", "NoSuchEntity", "ResourceNotFoundException", "NoSuchSubscription",
              "NoSuchBucket", "NotFoundException"}
_STATE = {"InvalidTransition", "NotActive", "GrantsNotReady", "LegacySubscription", "SubscriptionChanged",
          "NotOwner", "NotSubscriber", "NotOwnProduct"}
_CONFIG = {"InvalidCredentialsFile", "NoCredentials", "InvalidConfig", "NoLocalMesh", "NotALocalMesh", "InvalidEndpoint",
           "AccountNotSetUp", "MeshNotInstalled", "WrongAccount", "ConsumerNotEnabled", "NotDataLakeAdmin"}


def from_native(args):
    """The exception for a failure the extension reported as (code, message, operation, kind,
    http_status, request_id)."""
    code, message, operation, kind, status, request_id = args
    if kind == "throttling":
        cls = ThrottlingError
    elif kind == "transient" and status == 0:
        cls = TransientError
    elif code in ("InvalidArgument", "ParamValidation", "InvalidRules", "InvalidCheckpoint"):
        cls = InvalidArgumentError
    elif code in _STATE:
        cls = SubscriptionStateError
    elif code in _CONFIG:
        cls = ConfigurationError
    elif status:
        cls = (AccessDeniedError if code in ("AccessDenied", "AccessDeniedException")
               else NotFoundError if code in _NOT_FOUND else ServiceError)
    else:
        cls = DataMeshError
    return cls(code, message, operation, status, request_id)
