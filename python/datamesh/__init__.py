"""datamesh: build and run a data mesh on AWS Lake Formation, from Python.

The classes and methods of the "AWS Data Mesh Utils" library, on datamesh's C++ engine:

    from datamesh import DataMeshAdmin, DataMeshProducer, DataMeshConsumer, DataMeshMacros

Results are dicts and lists; failures raise DataMeshError (see datamesh.errors). Besides the
seeds' arguments, every class takes keyword-only endpoint_url (e.g. a `datamesh local serve`),
local_mesh (an embedded local mesh file) and max_concurrency. Log lines go to the "datamesh"
logger at the constructor's log_level. DataMeshEvents reads the subscription events; a
DataMeshProducer given `rules` decides routine requests by them (process_requests).
"""
from ._datamesh import __version__
from .admin import DataMeshAdmin
from .consumer import DataMeshConsumer
from .events import DataMeshEvents
from .errors import (AccessDeniedError, ConfigurationError, DataMeshError, InvalidArgumentError, NotFoundError,
                     ServiceError, SubscriptionStateError, ThrottlingError, TransientError)
from .macros import DataMeshMacros
from .producer import DataMeshProducer

__all__ = ["DataMeshAdmin", "DataMeshProducer", "DataMeshConsumer", "DataMeshMacros", "DataMeshEvents", "DataMeshError",
           "ServiceError", "AccessDeniedError", "NotFoundError", "ThrottlingError", "TransientError",
           "InvalidArgumentError", "SubscriptionStateError", "ConfigurationError", "__version__"]
