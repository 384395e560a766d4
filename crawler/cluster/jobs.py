"""The leased request stream and the result stream of one outlet's cluster crawl.

Requests go into a Redis Stream read by the consumer group ``workers``: ``XREADGROUP`` hands an
entry to one worker and keeps it in that worker's pending list (its lease) until the worker
pushes the outcome and acknowledges the entry, both in one transaction. A live worker renews its
leases (``XCLAIM`` of its own entries resets their idle time); the coordinator moves entries idle
longer than the lease back to the stream (``XAUTOCLAIM``), so a request leased by a worker that
died is fetched again by another. Delivery is at least once; the coordinator stores each
canonical URL once per run, whatever arrives twice.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import redis
from redis.exceptions import ResponseError

from crawler.cluster.connection import OutletKeys, text

WORKERS = "workers"
COORDINATOR = "coordinator"
logger = logging.getLogger(__name__)

Entry = tuple[bytes, dict[bytes, bytes]]


def ensure_group(client: redis.Redis, stream: str, group: str) -> None:
    """Create ``group`` on ``stream`` (and the stream) unless it exists; from the first entry on."""
    try:
        client.xgroup_create(stream, group, id="0", mkstream=True)
    except ResponseError as exc:
        if "BUSYGROUP" not in str(exc):
            raise


def encode(result: dict[str, Any]) -> dict[str, bytes | str]:
    """A job or outcome as stream fields: text as is, bytes as is, anything else as JSON."""
    fields: dict[str, bytes | str] = {}
    for key, value in result.items():
        if value is None:
            continue
        fields[key] = value if isinstance(value, (bytes, str)) else json.dumps(value, ensure_ascii=False)
    return fields


def decode(fields: dict[bytes, bytes], binary: tuple[str, ...] = ("body",)) -> dict[str, Any]:
    """Stream fields back as a dict; JSON fields (``headers``, ``article``, ``status``, ``images``)
    parsed; the page and the pictures' bytes (``thumb:N``, ``original:N``) left as bytes."""
    out: dict[str, Any] = {}
    for raw_key, raw in fields.items():
        key = text(raw_key)
        if key in binary or key.startswith(("thumb:", "original:")):
            out[key] = raw
        elif key in ("headers", "article", "status", "images"):
            out[key] = json.loads(raw)
        else:
            out[key] = text(raw)
    return out


class JobStream:
    """One outlet's request and result streams, seen from either role."""

    def __init__(self, client: redis.Redis, keys: OutletKeys, lease_seconds: float = 15.0) -> None:
        self.client = client
        self.keys = keys
        self.lease_ms = int(lease_seconds * 1000)

    # -- coordinator ---------------------------------------------------------------------
    def reset(self) -> None:
        """Start a run from empty streams: what an earlier (killed) coordinator left is in its archive's
        frontier, which the new run reads; a late outcome of an old request is simply not waited for."""
        self.client.delete(self.keys.jobs, self.keys.results, self.keys.images)
        ensure_group(self.client, self.keys.jobs, WORKERS)
        ensure_group(self.client, self.keys.results, COORDINATOR)

    def publish(self, job: dict[str, Any]) -> bytes:
        """Queue a request; returns its stream entry id."""
        return self.client.xadd(self.keys.jobs, encode(job))

    def outcomes(self, count: int = 500) -> list[Entry]:
        """Outcomes waiting for the coordinator (without blocking)."""
        try:
            reply = self.client.xreadgroup(COORDINATOR, COORDINATOR, {self.keys.results: ">"}, count=count)
        except ResponseError as exc:
            if "NOGROUP" not in str(exc):
                raise
            ensure_group(self.client, self.keys.results, COORDINATOR)
            return []
        return [entry for _stream, entries in reply for entry in entries]

    def consumed(self, ids: list[bytes]) -> None:
        """Outcomes stored: acknowledge and drop them so the stream stays small."""
        if ids:
            pipe = self.client.pipeline(transaction=True)
            pipe.xack(self.keys.results, COORDINATOR, *ids)
            pipe.xdel(self.keys.results, *ids)
            pipe.execute()

    def requeue_stale(self) -> int:
        """Put back requests leased by a worker that stopped renewing them; how many."""
        moved, start = 0, "0-0"
        while True:
            reply = self.client.xautoclaim(
                self.keys.jobs, WORKERS, COORDINATOR, self.lease_ms, start_id=start, count=100
            )
            start, entries = reply[0], reply[1]
            live = [(entry_id, fields) for entry_id, fields in entries if fields]
            if live:
                self.requeue(live)
                moved += len(live)
            if text(start) in ("0-0", "0"):
                return moved

    # -- both ------------------------------------------------------------------------------
    def requeue(self, entries: list[Entry]) -> None:
        """Add each entry again as a fresh request and retire the leased copy, atomically."""
        pipe = self.client.pipeline(transaction=True)
        for entry_id, fields in entries:
            pipe.xadd(self.keys.jobs, fields)
            pipe.xack(self.keys.jobs, WORKERS, entry_id)
            pipe.xdel(self.keys.jobs, entry_id)
        pipe.execute()

    # -- worker ----------------------------------------------------------------------------
    def lease(self, consumer: str, count: int) -> list[Entry]:
        """Up to ``count`` new requests, leased to ``consumer`` (without blocking)."""
        try:
            reply = self.client.xreadgroup(WORKERS, consumer, {self.keys.jobs: ">"}, count=count)
        except ResponseError as exc:
            if "NOGROUP" not in str(exc):
                raise
            ensure_group(self.client, self.keys.jobs, WORKERS)
            return []
        return [entry for _stream, entries in reply for entry in entries if entry[1]]

    def renew(self, consumer: str, ids: list[bytes]) -> None:
        """Still working on these: reset their idle time so the coordinator leaves them with us."""
        if ids:
            self.client.xclaim(self.keys.jobs, WORKERS, consumer, 0, ids, justid=True)

    def finish(self, ids: list[bytes], outcome: dict[str, Any]) -> None:
        """Push the outcome and retire the leased requests in one transaction."""
        self.exchange([(ids, outcome)], "", 0)

    def exchange(
        self, done: list[tuple[list[bytes], dict[str, Any]]], consumer: str, count: int
    ) -> list[Entry]:
        """Push outcomes and retire their leased requests, then lease up to ``count`` new ones.

        One transaction and one round trip, however many: each round trip stalls the worker's
        reactor until Redis answers, which on a busy machine is when Redis next gets a core.
        """
        pipe = self.client.pipeline(transaction=True)
        for ids, outcome in done:
            pipe.xadd(self.keys.results, encode(outcome))
            if ids:
                pipe.xack(self.keys.jobs, WORKERS, *ids)
                pipe.xdel(self.keys.jobs, *ids)
        if count > 0:
            pipe.xreadgroup(WORKERS, consumer, {self.keys.jobs: ">"}, count=count)
        if not len(pipe):
            return []
        try:
            replies = pipe.execute()
        except ResponseError as exc:
            if "NOGROUP" not in str(exc):
                raise
            ensure_group(self.client, self.keys.jobs, WORKERS)
            return []
        if count <= 0:
            return []
        return [entry for _stream, entries in replies[-1] or () for entry in entries if entry[1]]
