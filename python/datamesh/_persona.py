"""What every persona class shares: the seeds' constructor arguments, credentials in each form
the seeds allow, logging through the `datamesh` logger, and calls into the C++ library."""
import atexit
import json
import logging
import threading

from . import _datamesh
from .errors import InvalidArgumentError, from_native

logger = logging.getLogger("datamesh")
_LEVELS = {"TRACE": 5, "DEBUG": logging.DEBUG, "INFO": logging.INFO, "WARNING": logging.WARNING,
           "WARN": logging.WARNING, "ERROR": logging.ERROR, "CRITICAL": logging.CRITICAL}
_handler_lock = threading.Lock()
_handler_set = False


def _forward(levelno, message):
    logger.log(levelno, message)


def _install_log_handler():
    global _handler_set
    with _handler_lock:
        if not _handler_set:
            _datamesh.set_log_handler(_forward)
            atexit.register(_datamesh.set_log_handler, None)
            _handler_set = True


def credentials_dict(use_credentials):
    """The credentials object the library takes, from what a caller may pass: None (the standard
    chain), the documented dict, or any object with access_key, secret_key and token (boto3's
    Credentials and its frozen ReadOnlyCredentials)."""
    if use_credentials is None:
        return None
    if isinstance(use_credentials, dict):
        return dict(use_credentials)
    if all(hasattr(use_credentials, a) for a in ("access_key", "secret_key")):
        if hasattr(use_credentials, "get_frozen_credentials"):
            use_credentials = use_credentials.get_frozen_credentials()  # refreshable: one consistent set
        out = {"AccessKeyId": use_credentials.access_key, "SecretAccessKey": use_credentials.secret_key}
        if getattr(use_credentials, "token", None):
            out["SessionToken"] = use_credentials.token
        return out
    raise InvalidArgumentError("InvalidArgument", "use_credentials must be None, a dict with AccessKeyId and "
                               "SecretAccessKey, or an object with access_key, secret_key and token")


def call_native(fn, *args):
    try:
        return fn(*args)
    except _datamesh.Error as e:
        raise from_native(e.args) from None


def arguments(local_vars):
    """A method's keyword arguments from its locals(), to pass on as they are."""
    return {k: v for k, v in local_vars.items() if k != "self"}


def apply_log_level(log_level):
    """Checks `log_level` (a Python logging name) and sets the datamesh logger to it; the name
    upper-cased, for the library."""
    level = str(log_level).upper()
    if level not in _LEVELS:
        raise InvalidArgumentError("InvalidArgument", f"log_level must be one of {', '.join(_LEVELS)}, got {log_level!r}")
    _install_log_handler()
    logger.setLevel(_LEVELS[level])
    return level


class Persona:
    """A persona acting with its account's credentials. An instance may be shared between threads:
    its calls run one at a time, and while one runs (in C++, without the GIL) other threads run
    Python and other instances' calls."""

    _persona = ""

    def __init__(self, data_mesh_account_id, region_name="us-east-1", log_level="INFO", use_credentials=None, *,
                 endpoint_url=None, local_mesh=None, max_concurrency=8):
        level = apply_log_level(log_level)
        self._options = {"data_mesh_account_id": data_mesh_account_id, "region_name": region_name,
                         "log_level": level, "use_credentials": credentials_dict(use_credentials),
                         "endpoint_url": endpoint_url, "local_mesh": local_mesh, "max_concurrency": max_concurrency,
                         **self._more_options()}
        self._native = call_native(_datamesh.Handle, self._persona, json.dumps(self._options))
        self.data_mesh_account_id = data_mesh_account_id
        self.region_name = region_name

    def _more_options(self):
        """What a class adds to the options its handle is opened with."""
        return {}

    def _call(self, method, **kwargs):
        return json.loads(call_native(self._native.call, method, json.dumps(kwargs)))

    def __repr__(self):
        return f"{type(self).__name__}(data_mesh_account_id={self.data_mesh_account_id!r}, region_name={self.region_name!r})"
