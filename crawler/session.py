"""One outlet's crawl run: its archive connection, its counters and its decisions on what to fetch.

The spider decides *what* to request, the pipelines *what* to store; both share this object so
the counters the user watches and the ``crawl_runs`` row agree, and so the frontier survives a
killed process in the archive itself.

Writes are group-committed: every write of the process joins one open transaction that is
committed after ``commit_articles`` stored articles or ``commit_seconds``, whichever comes
first (a timer commits an idle one). The outlets crawled in one process share one connection,
so they never wait on each other's write lock. A SIGKILL loses only the open batch, frontier
marks included, so the next run fetches those articles again.
"""

from __future__ import annotations

import functools
import sqlite3
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlite_utils import Database

from crawler.outlet import Outlet
from storage import archive
from storage.clock import iso, parse_iso, utcnow
from storage.crawllog import save_run_counts

#: Seconds between saves of a running run's counts (what a killed run shows as aborted).
HEARTBEAT_SECONDS = 2.0

COUNTERS = ("pages_fetched", "new", "updated", "unchanged", "errors")

# One connection and one open batch per archive file in this process.
_SHARED: dict[str, tuple[Database, archive.Batch]] = {}


def shared_archive(db_path: str | Path, every: int, seconds: float) -> tuple[Database, archive.Batch]:
    """The process's connection to ``db_path`` and its group-commit batch (opened on first use)."""
    key = str(Path(db_path).resolve())
    if key not in _SHARED:
        db = archive.open_archive(db_path)
        _SHARED[key] = (db, archive.Batch(db, every=every, seconds=seconds, lazy=True))
    return _SHARED[key]


def archive_write(method: Callable) -> Callable:
    """Run a session method that writes through :meth:`CrawlSession.write`'s guard."""

    @functools.wraps(method)
    def guarded(self: CrawlSession, *args, **kwargs):
        return self.write(method, self, *args, **kwargs)

    return guarded


@dataclass
class CrawlSession:
    """State of one outlet's run; created by the spider, read by pipelines and the progress display."""

    outlet: Outlet
    db_path: str | Path
    max_pages: int | None = None
    since: datetime | None = None
    counts: Counter = field(default_factory=Counter)
    requested_articles: int = 0
    consecutive_errors: int = 0
    paused: bool = False
    status: str = "running"
    started: float = field(default_factory=time.monotonic)
    archive_error: str | None = None
    #: why the outlet could not be reached at all (set by crawler.reachability), or None
    unreachable: str | None = None
    on_archive_error: Callable[[], object] | None = None
    commit_articles: int = 100
    commit_seconds: float = 1.0
    max_discovery: int | None = None
    max_refusals_recorded: int = 2000
    discovery_requests: int = 0
    discovery_skipped: int = 0
    refused_urls: set = field(default_factory=set)
    limits: dict = field(default_factory=dict)
    last_heartbeat: float = field(default_factory=time.monotonic)

    def __post_init__(self) -> None:
        self.db, self.batch = shared_archive(self.db_path, self.commit_articles, self.commit_seconds)
        archive.ensure_outlet(self.db, self.outlet.name, self.outlet.base)
        self.run_id = archive.start_run(self.db, self.outlet.name)
        for name in COUNTERS:
            self.counts[name] += 0
        self._ticker = None

    def start_ticker(self) -> None:
        """Commit an idle batch from a timer (call once the reactor runs)."""
        from twisted.internet import task

        self._ticker = task.LoopingCall(self.write, self.batch.tick, begin=False)
        self._ticker.start(max(self.commit_seconds / 4, 0.05), now=False)

    # -- what to fetch -------------------------------------------------------------------
    def budget_left(self) -> bool:
        return self.max_pages is None or self.requested_articles < self.max_pages

    def discovery_allowed(self) -> bool:
        """Count one more discovery request (sitemap, feed, listing) against the run's budget.

        False once the budget is spent: the request is not made, and the summary says so.
        """
        if self.discovery_spent():
            self.discovery_skipped += 1
            self.limits["discovery"] = None  # worded in summary(): the count keeps growing
            return False
        self.discovery_requests += 1
        return True

    def discovery_spent(self) -> bool:
        return self.max_discovery is not None and self.discovery_requests >= self.max_discovery

    def describe_limit(self, name: str, text: str | None) -> str:
        if name == "discovery":
            return (
                f"discovery budget of {self.max_discovery} requests reached; {self.discovery_skipped} "
                "sitemap/feed/listing URL(s) not fetched (raise it with --max-discovery)"
            )
        return text or name

    def limit_hit(self, name: str, message: str) -> None:
        """Note a bound the run reached, for the summary (one message per bound)."""
        self.limits[name] = message

    def too_old(self, when: str | None) -> bool:
        dt = parse_iso(when)
        return bool(self.since and dt and dt < self.since)

    def fetch_decision(self, url: str) -> dict[str, str] | None:
        """None to skip ``url``; otherwise the request headers to send (conditional for known pages).

        Call after ``remember``: the frontier decides. A URL is due when it is pending (new, or its
        sitemap ``lastmod`` moved) or when the outlet's revisit ladder came round; an article the
        archive already holds is then asked for with If-None-Match/If-Modified-Since.
        """
        row = archive.frontier_get(self.db, url)
        if row is None:
            return {}
        if self.too_old(row.get("news_publication_date") or row.get("lastmod")):
            return None
        due_at = parse_iso(row.get("next_visit_at"))
        if row["state"] == "pending":
            due = due_at is None or due_at <= utcnow()
        else:
            due = row["state"] in ("done", "error") and due_at is not None and due_at <= utcnow()
        if not due:
            return None
        known = archive.known_article(self.db, url) or {}
        headers = {}
        if known.get("etag"):
            headers["If-None-Match"] = known["etag"]
        if known.get("last_modified"):
            headers["If-Modified-Since"] = known["last_modified"]
        return headers

    # -- writing -------------------------------------------------------------------------
    def write(self, fn: Callable, *args, begin: bool = True, **kwargs):
        """Call an archive write; None instead once the archive refuses writes.

        A full disk, a file turned read-only or an I/O error fails every later write too, so the
        first one pauses the run and asks the spider to stop (``on_archive_error``); the user
        gets that one reason, not a traceback per page. Each write is one transaction, so
        nothing half-stored stays behind. Constraint violations are bugs and still raise.
        """
        if self.archive_error is not None:
            return None
        try:
            if begin:
                self.batch.begin()
            result = fn(*args, **kwargs)
            self.batch.tick()
            return result
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.IntegrityError):
                raise
            self.batch.rollback()
            self.archive_error = archive.describe_error(self.db_path, exc)
            self.paused = True
            if self.on_archive_error is not None:
                self.on_archive_error()
            return None

    @archive_write
    def remember(self, rows: list[dict]) -> None:
        archive.frontier_add(self.db, [{**row, "outlet": self.outlet.name} for row in rows])

    def leftovers(self) -> list[dict]:
        """Frontier entries a previous (killed or failed) run did not finish."""
        return archive.frontier_pending(self.db, self.outlet.name)

    # -- outcomes ------------------------------------------------------------------------
    def next_visit(self, url: str, published_at: str | None) -> str | None:
        """When the revisit ladder wants ``url`` again, counting the visit about to be recorded."""
        row = archive.frontier_get(self.db, url)
        visits = (row["visits"] if row else 0) + 1
        now = utcnow()
        delay = self.outlet.revisit_delay(now - (parse_iso(published_at) or now), visits)
        return iso(now + delay) if delay else None

    @archive_write
    def stored(self, url: str, outcome: str, published_at: str | None) -> None:
        self.batch.pending += 1
        self.counts[outcome] += 1
        self.consecutive_errors = 0
        archive.frontier_mark(self.db, url, "done", next_visit_at=self.next_visit(url, published_at))
        archive.clear_error(self.db, url)

    @archive_write
    def unchanged(self, url: str) -> None:
        self.batch.pending += 1
        self.counts["unchanged"] += 1
        self.consecutive_errors = 0
        known = archive.known_article(self.db, url) or {}
        archive.touch_article(self.db, url, iso())
        archive.frontier_mark(
            self.db, url, "done", next_visit_at=self.next_visit(url, known.get("published_at"))
        )

    @archive_write
    def skipped(self, url: str, published_at: str | None) -> None:
        """Fetched but older than ``--since``: left pending with its date, so a later crawl with the
        same cutoff skips it without fetching and one without a cutoff archives it."""
        self.counts["skipped"] += 1
        archive.frontier_skip(self.db, url, published_at)

    def fetched(self) -> None:
        self.counts["pages_fetched"] += 1
        self.heartbeat()

    def heartbeat(self, force: bool = False) -> None:
        """Save the counts so far every few seconds, so a killed run keeps what it reached."""
        now = time.monotonic()
        if force or now - self.last_heartbeat >= HEARTBEAT_SECONDS:
            self.last_heartbeat = now
            self.write(save_run_counts, self.db, self.run_id, {k: self.counts[k] for k in COUNTERS})

    @archive_write
    def refused(self, url: str, reason: str, article: bool = False) -> None:
        """A URL the outlet pointed at that is not its to crawl: recorded once, never requested.

        Counted as an error but not as a failure in a row: a hostile sitemap full of foreign
        URLs must not pause the outlet's real articles. Past ``max_refusals_recorded`` the rest
        are only counted, so a sitemap cannot fill the archive with refusals.
        """
        if url in self.refused_urls:
            return
        self.refused_urls.add(url)
        self.counts["errors"] += 1
        self.counts["refused"] += 1
        if len(self.refused_urls) > self.max_refusals_recorded:
            self.limits["refusals"] = (
                f"{self.counts['refused']} refused URLs; only the first {self.max_refusals_recorded} "
                "are in fetch_errors"
            )
            return
        archive.record_error(self.db, url, self.outlet.name, None, reason, run_id=self.run_id)
        if article:
            archive.frontier_mark(self.db, url, "error", next_visit_at=None)

    @archive_write
    def failed(self, url: str, status: int | None, reason: str, article: bool = True) -> None:
        self.counts["errors"] += 1
        self.consecutive_errors += 1
        attempts = archive.record_error(self.db, url, self.outlet.name, status, reason, run_id=self.run_id)
        if article:
            # a transient failure (network, timeout, 5xx, 429) is due again next run, until it has
            # failed 3 times; a 404 or a page without an article waits for its sitemap lastmod to move
            transient = status is None or status >= 500 or status == 429
            retry_at = iso() if transient and attempts < 3 else None
            archive.frontier_mark(self.db, url, "error", next_visit_at=retry_at)
        self.heartbeat()

    def finish(self, reason: str) -> str:
        self.on_archive_error = None  # the spider is closing already
        if self._ticker is not None and self._ticker.running:
            self._ticker.stop()
        c = self.counts
        stored = c["new"] + c["updated"] + c["unchanged"]
        if self.archive_error is not None:
            status = "failed"
        elif reason == "shutdown":
            status = "aborted"
        elif self.paused or (c["pages_fetched"] == 0 and c["errors"] > 0):
            status = "failed" if stored == 0 else "partial"
        elif c["errors"] and stored == 0 and c["pages_fetched"] <= c["errors"]:
            status = "failed"
        else:
            status = "ok"
        self.status = status
        self.write(archive.finish_run, self.db, self.run_id, {k: c[k] for k in COUNTERS}, status)
        self.write(self.batch.commit, begin=False)
        return status

    def rate(self) -> float:
        elapsed = max(time.monotonic() - self.started, 1e-6)
        return self.counts["pages_fetched"] / elapsed

    def summary(self) -> dict:
        return {
            "outlet": self.outlet.name,
            "run_id": self.run_id,
            "db_path": str(self.db_path),
            **{k: self.counts[k] for k in COUNTERS},
            "status": self.status,
            "archive_error": self.archive_error,
            "unreachable": self.unreachable,
            "skipped": self.counts["skipped"],
            "elapsed": round(time.monotonic() - self.started, 1),
            "rate": round(self.rate(), 1),
            "refused": self.counts["refused"],
            "discovery_requests": self.discovery_requests,
            "limits": [self.describe_limit(name, text) for name, text in self.limits.items()],
        }
