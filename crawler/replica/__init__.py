"""A deterministic, deliberately messy replica of a Greek news outlet for tests, benchmarks and demos."""

from crawler.replica.server import ReplicaServer
from crawler.replica.site import ReplicaSite, Response

__all__ = ["ReplicaServer", "ReplicaSite", "Response"]
