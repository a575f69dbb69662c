"""data_mesh_util.DataMeshProducer: datamesh's DataMeshProducer."""
from datamesh import DataMeshProducer  # noqa: F401
