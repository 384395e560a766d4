"""Opening the archive and writing to it safely.

A crawl, the scheduler, ``newscrawl search`` and Datasette may all touch the
same file at once, so every connection gets WAL mode and a long busy
timeout, and every write transaction starts with ``BEGIN IMMEDIATE``: taking
the write lock up front means two writers queue on the busy timeout instead
of one failing with "database is locked" when it upgrades a read lock.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from storage.schema import MIGRATIONS

BUSY_TIMEOUT_MS = 30000


class ArchiveError(Exception):
    """The archive file cannot be used; the message is one line for the user."""


def utcnow() -> str:
    """Current time as the UTC ISO 8601 text every table stores."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def row_dicts(cursor: sqlite3.Cursor) -> list[dict]:
    """Fetch all rows of ``cursor`` as dicts keyed by column name."""
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def open_archive(path: str | Path) -> Database:
    """Open (creating if needed) the archive at ``path`` and upgrade its schema."""
    path = Path(path)
    if path.is_dir():
        raise ArchiveError(f"{path} is a directory, not an archive file")
    if not path.parent.is_dir():
        raise ArchiveError(f"cannot create archive {path}: directory {path.parent} does not exist")
    try:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        raise ArchiveError(f"cannot open archive {path}: {exc}") from None
    try:
        db = Database(conn)
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        _check_ownership(db, path)
        _configure(db)
        _migrate(db, path)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise ArchiveError(describe_error(path, exc)) from None
    except ArchiveError:
        conn.close()
        raise
    return db


def _check_ownership(db: Database, path: Path) -> None:
    """Refuse (before changing anything) a SQLite file that some other program made."""
    if MIGRATIONS.applied(db):
        return
    if any(not name.startswith(("_", "sqlite_")) for name in db.table_names()):
        raise ArchiveError(f"{path} is a SQLite database of another program, not a newscrawl archive")


def _configure(db: Database) -> None:
    db.execute("PRAGMA foreign_keys = ON")
    if db.journal_mode != "wal":
        db.enable_wal()
    db.execute("PRAGMA synchronous = NORMAL")


def _migrate(db: Database, path: Path) -> None:
    known = {m.name for m in MIGRATIONS._migrations}
    unknown = [m.name for m in MIGRATIONS.applied(db) if m.name not in known]
    if unknown:
        raise ArchiveError(
            f"archive {path} was written by a newer newscrawl (unknown migration {unknown[0]}); upgrade newscrawl"
        )
    if not MIGRATIONS.pending(db):
        return
    # One immediate transaction: two processes opening an old archive at once
    # queue here, and the second then finds nothing pending.
    with transaction(db):
        MIGRATIONS.apply(db)


def describe_error(path: str | Path, exc: sqlite3.DatabaseError) -> str:
    """One line for the user about an archive SQLite refused to open or write."""
    message = str(exc)
    if "full" in message:
        return f"archive {path}: the disk is full; free some space and run again"
    if "not a database" in message or "malformed" in message:
        return f"{path} is not a newscrawl archive (not a SQLite database)"
    folder = Path(path).parent
    if "readonly" in message or "read-only" in message or not os.access(folder, os.W_OK):
        return f"archive {path} is read-only; newscrawl needs write access to it and its directory"
    if "unable to open" in message:
        return f"cannot open archive {path}: check the path and permissions"
    if "locked" in message:
        return f"archive {path} is locked by another process; try again later"
    return f"archive {path}: {message}"


def check_writable(path: str | Path) -> None:
    """Open the archive and prove it takes writes, or raise ArchiveError.

    A WAL archive on a read-only file or filesystem opens fine and even begins a write
    transaction; only the first real write fails. A crawl checks up front instead of failing
    page after page.
    """
    db = open_archive(path)
    conn = db.conn
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("DELETE FROM outlets WHERE 0")
    except sqlite3.DatabaseError as exc:
        raise ArchiveError(describe_error(path, exc)) from None
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        conn.close()


@contextlib.contextmanager
def transaction(db: Database) -> Iterator[Database]:
    """Group writes into one transaction (a savepoint when already inside one).

    The archive functions use this themselves, so wrapping many calls in one
    ``with transaction(db):`` turns many small commits into one.
    """
    conn = db.conn
    if conn.in_transaction:
        name = f"sp_{secrets.token_hex(8)}"
        conn.execute(f"SAVEPOINT {name}")
        try:
            yield db
        except BaseException:
            if conn.in_transaction:
                conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
                conn.execute(f"RELEASE SAVEPOINT {name}")
            raise
        else:
            conn.execute(f"RELEASE SAVEPOINT {name}")
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    else:
        try:
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise


class Batch:
    """Commit every ``every`` items instead of after each one.

    A pipeline calls ``step()`` after each item; the open transaction is
    committed when ``every`` steps accumulated and when the block ends (or
    rolled back if it ends with an exception, losing at most one batch).
    """

    def __init__(self, db: Database, every: int = 100) -> None:
        if every < 1:
            raise ValueError("Batch(every=...) must be at least 1")
        self.db = db
        self.every = every
        self.pending = 0
        self._tx: contextlib.AbstractContextManager | None = None

    def __enter__(self) -> Batch:
        self._begin()
        return self

    def _begin(self) -> None:
        self._tx = transaction(self.db)
        self._tx.__enter__()

    def _end(self, exc: BaseException | None) -> None:
        tx, self._tx = self._tx, None
        if tx is not None:
            tx.__exit__(type(exc) if exc else None, exc, exc.__traceback__ if exc else None)
        self.pending = 0

    def step(self) -> None:
        """Count one item; commit when the batch is full."""
        self.pending += 1
        if self.pending >= self.every:
            self.commit()

    def commit(self) -> None:
        """Commit what is pending now and keep batching."""
        self._end(None)
        self._begin()

    def __exit__(self, exc_type, exc, tb) -> None:
        self._end(exc)
