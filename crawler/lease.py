"""One crawl per outlet and archive at a time, whoever starts it, and no crawl outliving its scheduler.

The lease is a lock file beside the archive (``news.db.replica.crawl-lock``) held with an
exclusive ``flock`` for the whole crawl. The kernel releases it when the process ends, however
it ends (SIGKILL, a crash, a reboot), so a stale lease never blocks the next crawl; while the
process lives, a second scheduler, a ``newscrawl crawl`` typed beside the scheduler and an
orphaned crawl all see it. The file holds the holder's pid, host and start time so the refusal
can say who holds it.

A crawl started by the scheduler watches its parent: when the scheduler dies (even by SIGKILL)
the crawl is reparented, notices within a second, stops cleanly and, if that takes too long,
exits anyway. Its run then shows as aborted with the counts it last saved.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import signal
import socket
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

log = logging.getLogger("newscrawl.lease")

#: Set by the scheduler in a crawl child's environment: the pid the child must outlive no longer.
PARENT_ENV = "NEWSCRAWL_PARENT_PID"
#: Seconds a crawl whose scheduler died gets to close its run before it exits regardless.
ORPHAN_GRACE_SECONDS = 5.0

_held: dict[str, int] = {}  # lock path -> open descriptor, for the life of the process


class LeaseHeld(RuntimeError):
    """Another live process is crawling this outlet into this archive; the message says which."""


@dataclass(frozen=True)
class Holder:
    pid: int | None
    host: str | None
    since: str | None

    def describe(self) -> str:
        who = f"pid {self.pid}" if self.pid else "another process"
        if self.host and self.host != socket.gethostname():
            who += f" on {self.host}"
        return who + (f" since {self.since}" if self.since else "")


def lease_path(db_path: str | Path, outlet: str) -> Path:
    """The lock file of ``outlet`` beside the archive ``db_path``."""
    db = Path(db_path).expanduser().absolute()
    return db.with_name(f"{db.name}.{outlet}.crawl-lock")


def _read_holder(path: Path) -> Holder:
    try:
        data = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        data = {}
    return Holder(data.get("pid"), data.get("host"), data.get("since"))


def holder(db_path: str | Path, outlet: str) -> Holder | None:
    """Who holds the outlet's lease now, or None when nobody does (checked, not taken)."""
    path = lease_path(db_path, outlet)
    if str(path) in _held:
        return Holder(os.getpid(), socket.gethostname(), None)
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return _read_holder(path)
    finally:
        os.close(fd)
    return None


def held_message(db_path: str | Path, outlet: str, who: Holder) -> str:
    return f"{outlet} is already being crawled into {db_path} by {who.describe()}; not starting a second crawl of it"


def acquire(db_path: str | Path, outlet: str) -> None:
    """Take the outlet's lease for the rest of this process, or raise LeaseHeld naming the holder."""
    path = lease_path(db_path, outlet)
    if str(path) in _held:
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        who = _read_holder(path)
        raise LeaseHeld(held_message(db_path, outlet, who)) from None
    record = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "since": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    os.ftruncate(fd, 0)
    os.pwrite(fd, json.dumps(record).encode(), 0)
    _held[str(path)] = fd


def watch_parent() -> None:
    """When started by the scheduler (``NEWSCRAWL_PARENT_PID``), stop when the scheduler is gone.

    Polls ``getppid`` once a second (a reparented child has a new parent): on a change it sends
    itself SIGTERM, which Scrapy turns into a clean close (the run ends ``aborted`` with its
    counts), and exits after ``ORPHAN_GRACE_SECONDS`` if that close hangs on a slow download.
    """
    expected = os.environ.get(PARENT_ENV)
    if not expected or not expected.isdigit():
        return
    parent = int(expected)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        log.warning("the scheduler (pid %s) is gone; stopping this crawl", parent)
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(ORPHAN_GRACE_SECONDS)
        os._exit(3)

    threading.Thread(target=watch, name="newscrawl-parent-watch", daemon=True).start()
