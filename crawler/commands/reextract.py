"""``newscrawl reextract``: run extraction again over the pages stored in the archive."""

from __future__ import annotations

import click

from crawler.commands.common import archive_errors, db_option, open_db


@click.command("reextract")
@db_option
@click.option("--outlet", default=None, help="Only this outlet's articles.")
def reextract(db_path: str, outlet: str | None) -> None:
    """Re-extract every archived article from its stored page; new versions only where the result changed.

    Prints how many articles changed and which fields.

    Example:

        newscrawl reextract --outlet replica --db news.db
    """
    from crawler.reextract import reextract as run

    def progress(done: int, total: int) -> None:
        if done % 100 == 0 or done == total:
            click.echo(f"re-extracted {done}/{total}", err=True)

    with archive_errors(db_path):
        db = open_db(db_path, write=True)
        report = run(db, outlet, on_progress=progress)
    counts = report.counts
    click.echo(
        f"{sum(counts.values())} articles: {counts['updated']} updated, {counts['unchanged']} unchanged, "
        f"{counts['failed']} failed"
    )
    if report.fields:
        click.echo("changed fields: " + ", ".join(f"{name} {n}" for name, n in report.fields.most_common()))
