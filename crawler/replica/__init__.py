"""Deterministic, deliberately messy replicas of Greek news outlets for tests, benchmarks and demos.

``families`` maps each replica outlet's name to a factory of its site object: every site has
``ground_truth()`` (what a correct crawl stores) and ``handle(method, path, headers)`` (its
HTTP answers), so a server, a test or a benchmark can use any of them alike.
"""

from collections.abc import Callable
from typing import Any

from crawler.replica.outlets.amp import AmpSite
from crawler.replica.outlets.custom import CustomSite
from crawler.replica.outlets.drupal import DrupalSite
from crawler.replica.outlets.legacy import LegacySite
from crawler.replica.outlets.wordpress import WordPressSite
from crawler.replica.server import ReplicaServer
from crawler.replica.site import ReplicaSite, Response

families: dict[str, Callable[..., Any]] = {
    "replica": ReplicaSite,
    "replica-wordpress": WordPressSite,
    "replica-drupal": DrupalSite,
    "replica-custom": CustomSite,
    "replica-legacy": LegacySite,
    "replica-amp": AmpSite,
}

__all__ = ["ReplicaServer", "ReplicaSite", "Response", "families"]
