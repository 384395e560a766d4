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
import time
from collections.abc import Iterator
from pathlib import Path

from sqlite_utils import Database

from storage.schema import MIGRATIONS

BUSY_TIMEOUT_MS = 30000


class ArchiveError(Exception):
    """The archive file cannot be used; the message is one line for the user."""


def row_dicts(cursor: sqlite3.Cursor) -> list[dict]:
    """Fetch all rows of ``cursor`` as dicts keyed by column name."""
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def open_archive(path: str | Path, readonly: bool = False) -> Database:
    """Open (creating if needed) the archive at ``path`` and upgrade its schema.

    ``readonly=True`` (search, serve, reports) opens an existing archive without writing when
    the file or its directory cannot be written: a copy on read-only media is still readable.
    """
    path = Path(path)
    if readonly:
        return _open_readonly(path)
    if path.is_dir():
        raise ArchiveError(f"{path} is a directory, not an archive file")
    if not path.parent.is_dir():
        raise ArchiveError(f"cannot create archive {path}: directory {path.parent} does not exist")
    try:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        raise ArchiveError(f"cannot open archive {path}: {exc}") from None
    return _prepared(conn, path, _prepare_writable)


def _prepared(conn: sqlite3.Connection, path: Path, prepare) -> Database:
    """``prepare(db, path)`` the new connection; any refusal closes it and is one ArchiveError line."""
    db = Database(conn)
    try:
        prepare(db, path)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise ArchiveError(describe_error(path, exc)) from None
    except ArchiveError:
        conn.close()
        raise
    return db


def _prepare_writable(db: Database, path: Path) -> None:
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    _check_ownership(db, path)
    _configure(db)
    _migrate(db, path)


def _prepare_readonly(db: Database, path: Path) -> None:
    _check_ownership(db, path)
    if not MIGRATIONS.applied(db) and not db.table_names():
        raise ArchiveError(f"{path} is not a newscrawl archive (an empty file)")
    _check_version(db, path)
    if MIGRATIONS.pending(db):
        raise ArchiveError(
            f"archive {path} was written by an older newscrawl and is read-only here; "
            "open it once with write access to upgrade it"
        )


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _open_readonly(path: Path) -> Database:
    """Open an existing archive for reading, without creating, migrating or journaling anything.

    Where both the file and its directory are writable this is the ordinary open (which also
    upgrades an old archive). Otherwise SQLite is asked for a read-only connection; when WAL's
    shared-memory file cannot be created (a read-only directory), the file is opened as
    immutable, which is true there: nothing can write to it.
    """
    if path.is_dir():
        raise ArchiveError(f"{path} is a directory, not an archive file")
    if not path.is_file():
        raise ArchiveError(f"no archive at {path}")
    if path.stat().st_size == 0:
        raise ArchiveError(f"{path} is not a newscrawl archive (an empty file)")
    if _writable(path):
        return open_archive(path)
    uri = path.resolve().as_uri()
    conn = None
    for suffix in ("?mode=ro", "?mode=ro&immutable=1"):
        try:
            conn = sqlite3.connect(uri + suffix, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            break
        except sqlite3.DatabaseError as exc:
            if conn is not None:
                conn.close()
                conn = None
            if "not a database" in str(exc) or "malformed" in str(exc):
                raise ArchiveError(describe_error(path, exc)) from None
    if conn is None:
        raise ArchiveError(f"cannot read archive {path}: check the path and permissions")
    return _prepared(conn, path, _prepare_readonly)


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


def _check_version(db: Database, path: Path) -> None:
    known = {m.name for m in MIGRATIONS._migrations}
    unknown = [m.name for m in MIGRATIONS.applied(db) if m.name not in known]
    if unknown:
        raise ArchiveError(
            f"archive {path} was written by a newer newscrawl (unknown migration {unknown[0]}); upgrade newscrawl"
        )


def _migrate(db: Database, path: Path) -> None:
    _check_version(db, path)
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
    if conn.in_transaction and getattr(db, "_newscrawl_batch", None) is not None:
        # Inside a group commit: no savepoint per write (FTS5 flushes its pending index at every
        # savepoint); a failed write drops the whole open batch instead.
        try:
            yield db
        except BaseException:
            db._newscrawl_batch.deferred.clear()
            if conn.in_transaction:
                conn.execute("ROLLBACK")
                db.__dict__.pop("_newscrawl_outlets", None)
            raise
        return
    if conn.in_transaction:
        name = f"sp_{secrets.token_hex(8)}"
        conn.execute(f"SAVEPOINT {name}")
        try:
            yield db
        except BaseException:
            db.__dict__.pop("_newscrawl_outlets", None)
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
        db.__dict__.pop("_newscrawl_outlets", None)
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
    """Group commit: one transaction for many writes, committed every ``every`` items or ``seconds``.

    SQLite's cost per write is mostly the commit (and FTS5 writes one index segment per
    transaction), so the crawl and ``reextract`` store many articles per transaction. While a
    batch is open, archive writes join its transaction without savepoints; a write that fails
    rolls back the whole open batch. ``step()`` commits when ``every`` items accumulated or the
    batch is ``seconds`` old, ``tick()`` (a timer) commits an old idle batch so the write lock
    is not held, and the end of the block commits (or rolls back on an exception). ``lazy=True``
    leaves the next transaction to the next ``begin()``; otherwise a commit opens it at once. A
    killed process loses at most the open batch, whose frontier marks are lost with it, so the
    next run fetches those articles again.

    ``defer(sql, row)`` queues a row for one ``executemany`` just before the batch commits: the
    search index takes its rows that way, because FTS5 indexes a hundred rows given together
    about a quarter cheaper than a hundred single inserts between other statements.
    """

    def __init__(self, db: Database, every: int = 100, seconds: float = 1.0, lazy: bool = False) -> None:
        if every < 1:
            raise ValueError("Batch(every=...) must be at least 1")
        self.db = db
        self.every = every
        self.seconds = seconds
        self.pending = 0
        self.opened = 0.0
        self.lazy = lazy  # lazy: after a commit, the next begin() opens the next batch
        self.deferred: dict[str, list[tuple]] = {}  # sql -> rows, written at commit
        db._newscrawl_batch = self

    def __enter__(self) -> Batch:
        self.begin()
        return self

    @property
    def open(self) -> bool:
        return self.db.conn.in_transaction

    def begin(self) -> None:
        """Open the batch's transaction unless one is open already."""
        self.db._newscrawl_batch = self
        if not self.open:
            self.db.conn.execute("BEGIN IMMEDIATE")
            self.opened = time.monotonic()
            self.pending = 0

    def step(self) -> None:
        """Count one item; commit when the batch is full or old enough."""
        self.pending += 1
        if self.due():
            self.commit()

    def due(self) -> bool:
        """Whether the open batch holds ``every`` items or is older than ``seconds``."""
        return self.open and (self.pending >= self.every or time.monotonic() - self.opened >= self.seconds)

    def tick(self) -> None:
        """Commit an open batch that is old enough (call from a timer)."""
        if self.due():
            self.commit()

    def defer(self, sql: str, row: tuple) -> None:
        """Queue ``row`` for ``sql``, written with its kind in one ``executemany`` before the commit."""
        self.deferred.setdefault(sql, []).append(row)

    def flush(self) -> None:
        """Write the deferred rows now (before a commit, or before a write that must see them)."""
        while self.deferred:
            sql = next(iter(self.deferred))
            self.db.conn.executemany(sql, self.deferred.pop(sql))

    def commit(self) -> None:
        """Commit what is pending now and (unless lazy) open the next batch."""
        conn = self.db.conn
        self.pending = 0
        if conn.in_transaction:
            try:
                self.flush()
                conn.execute("COMMIT")
            except BaseException:
                self.rollback()
                raise
        if not self.lazy:
            self.begin()

    def rollback(self) -> None:
        """Drop the open batch (after a write error the archive refuses)."""
        self.pending = 0
        self.deferred.clear()
        self.db.__dict__.pop("_newscrawl_outlets", None)  # outlets registered in it are gone too
        if self.db.conn.in_transaction:
            self.db.conn.execute("ROLLBACK")

    def close(self) -> None:
        """Stop batching: later writes commit on their own again."""
        if getattr(self.db, "_newscrawl_batch", None) is self:
            self.db._newscrawl_batch = None

    def __exit__(self, exc_type, exc, tb) -> None:
        self.lazy = True
        try:
            if exc is None:
                self.commit()
            else:
                self.rollback()
        finally:
            self.close()
