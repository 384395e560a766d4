"""Redis clients for the cluster, and the names of every key it uses.

Every command retries through a Redis restart (connection refused, ``LOADING`` while the AOF is
read back), so a coordinator or worker rides out a restarted Redis instead of losing its state;
only the first contact fails fast, with a message naming the URL. Once the process is told to
stop (SIGTERM, Ctrl-C) commands stop retrying, so a Redis gone for good cannot hold a shutdown.
"""

from __future__ import annotations

import signal
import threading
from dataclasses import dataclass

import redis
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

#: Every key lives under this prefix, so one Redis can serve other applications too.
PREFIX = "newscrawl"
#: Seconds of a Redis outage a running coordinator or worker waits through (about).
OUTAGE_TOLERANCE_TRIES = 90


#: Set when the process was told to stop: Redis commands then fail at once instead of retrying.
SHUTDOWN = threading.Event()


class OutageRetry(Retry):
    """Retries through a Redis restart, except once the process is shutting down."""

    def call_with_retry(self, do, fail, is_retryable=None, with_failure_count=False):
        def retryable(error: Exception) -> bool:
            return not SHUTDOWN.is_set() and (is_retryable is None or is_retryable(error))

        return super().call_with_retry(do, fail, retryable, with_failure_count)


def watch_shutdown_signals() -> None:
    """Set ``SHUTDOWN`` on SIGTERM/SIGINT, then run the handler already installed (Scrapy's).

    Call it from the main thread once Scrapy installed its handlers (e.g. at spider_opened).
    """
    for sig in (signal.SIGTERM, signal.SIGINT):
        previous = signal.getsignal(sig)
        if getattr(previous, "sets_shutdown", False):
            continue

        def handler(signum, frame, previous=previous):
            SHUTDOWN.set()
            if callable(previous):
                previous(signum, frame)

        handler.sets_shutdown = True  # type: ignore[attr-defined]
        signal.signal(sig, handler)


class ClusterError(RuntimeError):
    """A cluster command cannot run; the message is one line for the user."""


def connect(url: str) -> redis.Redis:
    """A client for ``url`` that retries through restarts; ClusterError when Redis cannot be reached now."""
    try:
        probe = redis.Redis.from_url(url, socket_connect_timeout=5, socket_timeout=5)
        probe.ping()
        probe.close()
    except ValueError as exc:
        raise ClusterError(f"not a Redis URL: {url} ({exc})") from None
    except redis.RedisError as exc:
        raise ClusterError(f"cannot reach Redis at {url}: {exc}") from None
    return redis.Redis.from_url(
        url,
        socket_connect_timeout=5,
        socket_timeout=30,
        retry=OutageRetry(ExponentialBackoff(cap=1.0, base=0.05), OUTAGE_TOLERANCE_TRIES),
        retry_on_error=[RedisConnectionError, RedisTimeoutError],
    )


@dataclass(frozen=True)
class OutletKeys:
    """The Redis keys of one outlet's cluster crawl."""

    outlet: str

    def _key(self, name: str) -> str:
        return f"{PREFIX}:{self.outlet}:{name}"

    @property
    def jobs(self) -> str:
        """Stream of article requests; consumer group ``workers`` leases them."""
        return self._key("jobs")

    @property
    def results(self) -> str:
        """Stream of outcomes (article, unchanged, failed, skipped, error) for the coordinator."""
        return self._key("results")

    @property
    def run(self) -> str:
        """Hash of the current run's settings: politeness limits and ``--since``."""
        return self._key("run")

    @property
    def coordinator(self) -> str:
        """The coordinator's lock: one archive writer per outlet."""
        return self._key("coordinator")

    @property
    def images(self) -> str:
        """Set of picture addresses the archive holds (for this run): workers do not fetch them again."""
        return self._key("images")

    @property
    def inflight(self) -> str:
        """Sorted set of requests to the outlet in flight anywhere in the cluster (score: expiry ms)."""
        return self._key("limit:inflight")

    @property
    def next_slot(self) -> str:
        """When (Redis clock, ms) the next request to the outlet may start."""
        return self._key("limit:next")


def text(value: bytes | str | None) -> str:
    """A Redis reply field as text."""
    if value is None:
        return ""
    return value.decode("utf-8") if isinstance(value, bytes) else value
