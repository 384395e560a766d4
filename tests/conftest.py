"""Shared fixtures. The replica outlet every crawl test runs against lives here."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from crawler.replica import ReplicaServer


@pytest.fixture(scope="session")
def replica() -> Iterator[ReplicaServer]:
    """One replica (size 72, seed 1) for the whole session; do not advance its clock.

    Its fault counters ("500 on the first request") are shared too: tests that need
    them fresh, or that move the clock, use ``fresh_replica``.
    """
    with ReplicaServer(port=0, size=72, seed=1, slow_seconds=10) as server:
        yield server


@pytest.fixture
def fresh_replica() -> Iterator[ReplicaServer]:
    """A replica of its own for one test: clock at the start, fault counters unused, slow page 6 s."""
    with ReplicaServer(port=0, size=72, seed=1, slow_seconds=6) as server:
        yield server
