"""``newscrawl demo``: the whole product offline in one command, against the bundled replica outlet."""

from __future__ import annotations

import os
import time

import click

from crawler.commands.common import db_option, fail, open_db
from crawler.commands.crawl import full_images_option, image_settings, images_option


@click.command("demo")
@db_option
@click.option(
    "--size",
    default=72,
    show_default=True,
    type=click.IntRange(min=60),
    help="Article pages in the replica outlet.",
)
@click.option(
    "--port",
    default=8765,
    show_default=True,
    help="Port of the replica. Its article URLs carry the port, so an archive that holds the replica "
    "refuses another port (a second demo on the same port adds nothing twice).",
)
@click.option(
    "--progress/--no-progress", default=None, help="Live table (default: on when stderr is a terminal)."
)
@images_option
@full_images_option
def demo(db_path: str, size: int, port: int, progress, images: bool, full_images: bool) -> None:
    """Start the local replica outlet, crawl it into the archive and say how to browse it.

    Needs no network: the replica is a bankingnews.gr-style site served on 127.0.0.1.

    Example:

        newscrawl demo && newscrawl serve --db news.db
    """
    from crawler.commands.crawl import crawl_and_report
    from crawler.replica import ReplicaServer
    from storage.images import image_counts
    from storage.reports import outlet_counts

    started = time.monotonic()
    served_before = _replica_origin(db_path)
    if served_before and served_before != f"http://127.0.0.1:{port}":
        fail(
            f"archive {db_path} holds the replica served at {served_before}; its article URLs carry that "
            f"port, so run the demo with --port {served_before.rsplit(':', 1)[1]} (or pass another --db)",
            2,
        )
    try:
        server = ReplicaServer(port=port, size=size)
    except OSError as exc:
        fail(
            f"cannot serve the replica on 127.0.0.1:{port} ({exc.strerror}); is one running already? "
            "Stop it, or use another --port with a new --db",
            2,
        )
    with server:
        click.echo(f"Replica outlet serving {size} articles at {server.url}", err=True)
        os.environ["NEWSCRAWL_REPLICA_URL"] = server.url
        summaries = crawl_and_report(
            ("replica",), db_path, None, None, False, progress, image_settings(images, full_images)
        )
    db = open_db(db_path)
    articles, pictures = outlet_counts(db, "replica")
    errors = sum(s["errors"] for s in summaries)
    kept = image_counts(db)["files"]
    click.echo(
        f"\nArchive {db_path}: {articles} articles, {pictures} images ({kept} distinct pictures kept); this run: "
        f"{sum(s['new'] for s in summaries)} new, {sum(s['updated'] for s in summaries)} updated, "
        f"{errors} errors (the replica's fault pages), {time.monotonic() - started:.1f}s."
    )
    click.echo(f"Browse it:  newscrawl serve --db {db_path}   (then open http://127.0.0.1:8001/news)")
    click.echo(f"Search it:  newscrawl search τραπεζες --db {db_path}")


def _replica_origin(db_path: str) -> str | None:
    """The origin (``http://127.0.0.1:PORT``) the archive's replica articles were crawled from."""
    from pathlib import Path

    from storage.reports import outlet_origin

    if not Path(db_path).is_file():
        return None
    return outlet_origin(open_db(db_path), "replica")
