"""data_mesh_util.DataMeshConsumer: datamesh's DataMeshConsumer."""
from datamesh import DataMeshConsumer  # noqa: F401
