"""``newscrawl serve``: browse and search the archive in Datasette.

Datasette runs inside this process (uvicorn) rather than as ``datasette serve`` so
the archive is always published as the database ``news`` whatever its file is
called, with our metadata, templates and plugin, and without Datasette's scratch
``_memory`` database. The file is opened normally (not ``--immutable``) because a
crawl may be writing to it: Datasette reads through ``mode=ro`` connections, this
setup defines no writable queries, and arbitrary SQL is limited to read-only SELECTs.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.resources
import os
import signal
import socket
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from crawler.commands.common import db_option

DATABASE_NAME = "news"
REQUIRED_TABLES = ("articles", "images")
# Search queries over a big archive need more than Datasette's 1 s default.
SETTINGS = {
    "sql_time_limit_ms": 3000,
    "facet_time_limit_ms": 1000,
    "allow_download": False,
}


class ServeError(click.ClickException):
    """A problem the user can fix; shown as one line and exit status 2."""

    exit_code = 2


def check_archive(path: Path) -> None:
    """Refuse, with one clear line, anything Datasette could not usefully serve."""
    if not path.exists():
        raise ServeError(f"archive {path} does not exist (crawl something first, or pass --db PATH)")
    if path.is_dir():
        raise ServeError(f"{path} is a directory, not an archive file")
    if any(ch in str(path) for ch in "?#%"):
        # Datasette opens files as SQLite URIs, where these characters have a meaning.
        raise ServeError(f"archive path {path} contains ?, # or %; rename or symlink it")
    from storage.archive import ArchiveError, open_archive

    try:
        db = open_archive(path, readonly=True)
        try:
            tables = set(db.table_names())
        finally:
            db.close()
    except (ArchiveError, sqlite3.Error) as exc:
        raise ServeError(str(exc)) from None
    missing = [t for t in REQUIRED_TABLES if t not in tables]
    if missing:
        raise ServeError(f"{path} is not a newscrawl archive (no {missing[0]} table)")


def writable(path: Path) -> bool:
    """Whether a crawl could be writing to the archive (else Datasette opens it immutable)."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def check_port_free(host: str, port: int) -> None:
    """Fail early with a readable message instead of uvicorn's bind traceback/log."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise ServeError(f"cannot bind to host {host!r}: {exc.strerror}") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(address)
        except OSError as exc:
            raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror}") from None


def load_metadata() -> dict[str, Any]:
    """The metadata.yaml shipped inside the storage package."""
    from datasette.utils import parse_metadata

    text = (importlib.resources.files("storage") / "metadata.yaml").read_text(encoding="utf-8")
    return parse_metadata(text)


def register_plugin() -> None:
    """Load our plugin even when the package's entry points were not installed."""
    from datasette.plugins import pm

    import storage.datasette_plugin as plugin

    if not pm.is_registered(plugin) and pm.get_plugin("newscrawl") is None:
        pm.register(plugin, name="newscrawl")


@contextlib.contextmanager
def templates_dir() -> Iterator[str]:
    """A filesystem path to storage/templates, even from a zipped install."""
    with importlib.resources.as_file(importlib.resources.files("storage") / "templates") as path:
        yield str(path)


def build_datasette(db_path: Path, template_dir: str | None = None) -> Any:
    """A Datasette instance publishing ``db_path`` read-only as ``news``.

    Public so tests and other tools can build the same app without a server.
    """
    from datasette.app import Datasette
    from datasette.database import Database

    # Looked up only after datasette.app is imported: importing this module first
    # registers it with the plugin manager half-initialised (a circular import),
    # and then no error page works at all.
    default_error_handler = importlib.import_module("datasette.handle_exception")

    # Datasette 0.65's default error handler asks rich for a traceback of every
    # error, even a plain 404 raised outside an except block, which makes rich
    # itself raise and turns the 404 into a 500. Plain tracebacks still go to
    # stderr for real 500s.
    default_error_handler.rich = None
    register_plugin()
    ds = Datasette(
        files=[],
        metadata=load_metadata(),
        settings=SETTINGS,
        template_dir=template_dir,
    )
    ds.remove_database("_memory")
    # A file nobody can write (read-only file or directory) is opened immutable: SQLite then
    # needs no WAL shared-memory file, which a read-only directory could not hold.
    ds.add_database(Database(ds, path=str(db_path), is_mutable=writable(db_path)), name=DATABASE_NAME)
    return ds


def run_server(db_path: Path, host: str, port: int, extra_hosts: tuple[str, ...] = ()) -> None:
    """Serve until Ctrl-C or SIGTERM (uvicorn turns both into a clean shutdown).

    Only requests naming this server's own address in ``Host`` are answered (DNS rebinding).
    """
    import uvicorn

    from storage.serve_guard import HostGuard, allowed_hosts

    with templates_dir() as template_dir:
        ds = build_datasette(db_path, template_dir)
        _run_sync(ds.invoke_startup)
        click.echo(
            f"Serving the archive {db_path} at http://{_url_host(host)}:{port}/{DATABASE_NAME} — Ctrl-C to stop"
        )
        sys.stdout.flush()
        # uvicorn shuts down gracefully on SIGINT/SIGTERM and then re-raises the
        # signal; end with status 0 instead of dying from it or printing a traceback.
        previous = signal.signal(signal.SIGTERM, _exit_cleanly)
        try:
            app = HostGuard(ds.app(), allowed_hosts(host, extra_hosts), port)
            uvicorn.run(app, host=host, port=port, log_level="warning", lifespan="on", workers=1)
        except KeyboardInterrupt:
            pass
        finally:
            signal.signal(signal.SIGTERM, previous)


def _exit_cleanly(signum: int, frame: Any) -> None:
    raise SystemExit(0)


def _run_sync(coroutine_function: Any) -> None:
    import asyncio

    asyncio.run(coroutine_function())


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


@click.command("serve")
@db_option
@click.option("--port", default=8001, show_default=True, type=click.IntRange(1, 65535), help="TCP port.")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; keep 127.0.0.1 unless you mean to share the archive.",
)
@click.option(
    "--allow-host",
    "allow_hosts",
    multiple=True,
    help="Also answer requests addressed to this host name (when shared under a name).",
)
def serve(db_path: Path, port: int, host: str, allow_hosts: tuple[str, ...]) -> None:
    """Browse and search the archive in Datasette (read-only).

    The archive is published as the database "news": articles newest first with
    facets on outlet, section and day, accent-insensitive search, images as
    thumbnails and canned queries for the latest articles, search, articles per
    outlet per day, an article with its images and crawl health. It stays
    readable while a crawl writes to it. Ctrl-C stops the server.

    Example:

    \b
        newscrawl serve --db news.db
        newscrawl serve --db /data/archive.db --port 8080
        # then open http://127.0.0.1:8001/news/articles?_search=μαδουρο
    """
    db_path = Path(db_path).expanduser()
    check_archive(db_path)
    check_port_free(host, port)
    from storage.serve_guard import bind_warning

    warning = bind_warning(host, port)
    if warning:
        click.echo(warning, err=True)
    run_server(db_path.resolve(), host, port, allow_hosts)


if __name__ == "__main__":  # pragma: no cover - `python -m crawler.commands.serve`
    serve()
