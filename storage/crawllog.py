"""Crawl runs and fetch errors: what happened, so failures can be retried and reported."""

from __future__ import annotations

import os

from sqlite_utils import Database

from storage.articles import ensure_outlet
from storage.clock import iso
from storage.db import transaction

RUN_STATUSES = ("running", "ok", "partial", "failed", "aborted")
RUN_COUNTS = ("pages_fetched", "new", "updated", "unchanged", "errors")


def start_run(db: Database, outlet: str) -> int:
    """Open a crawl run for ``outlet`` and return its id.

    Runs left 'running' by a killed process are closed as 'aborted' first, so a crawl that
    resumes after a SIGKILL also tidies up the record of the one it replaces.
    """
    abort_stale_runs(db)
    with transaction(db):
        ensure_outlet(db, outlet)
        cursor = db.execute(
            "INSERT INTO crawl_runs (outlet, started_at, status, pid) VALUES (?, ?, 'running', ?)",
            [outlet, iso(), os.getpid()],
        )
    return cursor.lastrowid


def finish_run(db: Database, run_id: int, counts: dict, status: str) -> None:
    """Close a run with its final ``counts`` (keys from ``RUN_COUNTS``) and ``status``."""
    if status not in RUN_STATUSES:
        raise ValueError(f"unknown run status {status!r}; expected one of {', '.join(RUN_STATUSES)}")
    unknown = sorted(set(counts) - set(RUN_COUNTS))
    if unknown:
        raise ValueError(f"unknown run count {unknown[0]!r}; expected keys from {', '.join(RUN_COUNTS)}")
    values = {name: int(counts.get(name, 0)) for name in RUN_COUNTS}
    assignments = ", ".join(f"{name} = ?" for name in values)
    with transaction(db):
        cursor = db.execute(
            f"UPDATE crawl_runs SET {assignments}, status = ?, finished_at = ? WHERE id = ?",
            [*values.values(), status, iso(), run_id],
        )
        if cursor.rowcount == 0:
            raise ValueError(f"no crawl run with id {run_id}")


def _pid_alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a killed crawl nobody has reaped yet is a zombie: gone, though its pid still answers
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return fh.read().rsplit(")", 1)[-1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def abort_stale_runs(db: Database) -> int:
    """Mark runs still 'running' whose process is gone as 'aborted'; return how many.

    A crawl killed by a reboot or SIGKILL never calls ``finish_run``; without
    this its run would look active forever.
    """
    with transaction(db):
        stale = [
            run_id
            for run_id, pid in db.execute("SELECT id, pid FROM crawl_runs WHERE status = 'running'")
            if not _pid_alive(pid)
        ]
        now = iso()
        for run_id in stale:
            db.execute(
                "UPDATE crawl_runs SET status = 'aborted', finished_at = ? WHERE id = ?", [now, run_id]
            )
    return len(stale)


def record_error(
    db: Database,
    url: str,
    outlet: str | None,
    status: int | None,
    reason: str,
    run_id: int | None = None,
) -> int:
    """Remember a failed fetch; a repeat for the same URL bumps ``attempts``. Returns the attempts."""
    now = iso()
    with transaction(db):
        row = db.execute(
            "INSERT INTO fetch_errors (url, outlet, status, reason, attempts, first_try, last_try, run_id) "
            "VALUES (?, ?, ?, ?, 1, ?, ?, ?) "
            "ON CONFLICT(url) DO UPDATE SET attempts = fetch_errors.attempts + 1, status = excluded.status, "
            "reason = excluded.reason, last_try = excluded.last_try, "
            "outlet = COALESCE(excluded.outlet, fetch_errors.outlet), "
            "run_id = COALESCE(excluded.run_id, fetch_errors.run_id) RETURNING attempts",
            [url, outlet, status, reason, now, now, run_id],
        ).fetchall()[0]
    return row[0]


def clear_error(db: Database, url: str) -> bool:
    """Forget the error for ``url`` after a successful fetch; True if there was one."""
    with transaction(db):
        cursor = db.execute("DELETE FROM fetch_errors WHERE url = ?", [url])
    return cursor.rowcount > 0


def save_run_counts(db: Database, run_id: int, counts: dict) -> None:
    """Write a running run's counts so far (its heartbeat).

    A crawl killed with SIGKILL never reaches ``finish_run``; the counts it last saved are what
    its run shows once ``abort_stale_runs`` marks it aborted.
    """
    values = {name: int(counts.get(name, 0)) for name in RUN_COUNTS}
    assignments = ", ".join(f"{name} = ?" for name in values)
    with transaction(db):
        db.execute(
            f"UPDATE crawl_runs SET {assignments} WHERE id = ? AND status = 'running'",
            [*values.values(), run_id],
        )
