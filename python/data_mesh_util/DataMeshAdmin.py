"""data_mesh_util.DataMeshAdmin: datamesh's DataMeshAdmin."""
from datamesh import DataMeshAdmin  # noqa: F401
