"""The Python "AWS Data Mesh Utils" library's import path, served by datamesh: scripts written
for it (`from data_mesh_util import DataMeshProducer as dmp; dmp.DataMeshProducer(...)`) run
unchanged."""
from . import DataMeshAdmin, DataMeshConsumer, DataMeshMacros, DataMeshProducer  # noqa: F401
