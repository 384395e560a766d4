"""``newscrawl reextract``: run extraction again over the pages stored in the archive."""

from __future__ import annotations

import click

from crawler.commands.common import db_option, existing_db


@click.command("reextract")
@db_option
@click.option("--outlet", default=None, help="Only this outlet's articles.")
def reextract(db_path: str, outlet: str | None) -> None:
    """Re-extract every archived article from its stored page; new versions only where the result changed.

    Example:

        newscrawl reextract --outlet replica --db news.db
    """
    from crawler.reextract import reextract as run
    from storage.archive import open_archive

    db = open_archive(existing_db(db_path))

    def progress(done: int, total: int) -> None:
        if done % 100 == 0 or done == total:
            click.echo(f"re-extracted {done}/{total}", err=True)

    counts = run(db, outlet, on_progress=progress)
    click.echo(
        f"{sum(counts.values())} articles: {counts['updated']} updated, {counts['unchanged']} unchanged, "
        f"{counts['failed']} failed"
    )
