"""data_mesh_util.DataMeshMacros: datamesh's DataMeshMacros."""
from datamesh import DataMeshMacros  # noqa: F401
