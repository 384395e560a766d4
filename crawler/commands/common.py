"""Small helpers every command shares: one clear line for errors, the archive path option."""

from __future__ import annotations

import contextlib
import re
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import NoReturn

import click

db_option = click.option(
    "--db",
    "db_path",
    default="news.db",
    show_default=True,
    envvar="NEWSCRAWL_DB",
    type=click.Path(dir_okay=False),
    help="The SQLite archive (env NEWSCRAWL_DB).",
)


def fail(message: str, code: int = 1) -> NoReturn:
    """Print one line to stderr and exit: users get a reason, never a traceback."""
    click.echo(f"newscrawl: {message}", err=True)
    sys.exit(code)


def existing_db(path: str) -> str:
    if Path(path).is_dir():
        fail(f"{path} is a directory, not an archive file", 2)
    if not Path(path).is_file():
        fail(f"no archive at {path} (run `newscrawl crawl` or `newscrawl demo` first, or pass --db)", 2)
    return path


def open_db(path: str, write: bool = False, create: bool = False):
    """The archive at ``path`` for a command, or one line and exit 2 when it cannot serve.

    Read-only commands open it read-only (a copy on read-only media works); ``write`` proves
    up front that writes are possible, so a read-only file fails before any work starts.
    """
    from storage.archive import ArchiveError, check_writable, open_archive

    if not create:
        existing_db(path)
    try:
        if write:
            check_writable(path)
        return open_archive(path, readonly=not write)
    except ArchiveError as exc:
        fail(str(exc), 2)


@contextlib.contextmanager
def archive_errors(path: str) -> Iterator[None]:
    """Turn an archive SQLite refuses mid-command (corrupt pages, disk full) into one line, exit 2."""
    import sqlite3

    from storage.archive import ArchiveError, describe_error

    try:
        yield
    except ArchiveError as exc:
        fail(str(exc), 2)
    except sqlite3.DatabaseError as exc:
        fail(describe_error(path, exc), 2)


def parse_since(value: str | None) -> datetime | None:
    """An ISO date/datetime, or a relative age such as ``12h``, ``3d``, ``2w``."""
    if not value:
        return None
    match = re.fullmatch(r"\s*(\d+)\s*([hdw])\s*", value)
    if match:
        n, unit = int(match.group(1)), match.group(2)
        delta = {"h": timedelta(hours=n), "d": timedelta(days=n), "w": timedelta(weeks=n)}[unit]
        return datetime.now(UTC) - delta
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a date (use 2026-01-05, 2026-01-05T14:30 or 12h/3d/2w)"
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def console(stderr: bool = False):
    """A rich console; when output is piped, wide enough that tables are not cut to 80 columns."""
    from rich.console import Console

    probe = Console(stderr=stderr)
    return probe if probe.is_terminal else Console(stderr=stderr, width=200)


def short_time(value: str | None) -> str:
    """``2026-01-05T12:30:45.123+00:00`` -> ``2026-01-05 12:30`` (UTC) for tables."""
    if not value:
        return ""
    return value.replace("T", " ")[:16]
