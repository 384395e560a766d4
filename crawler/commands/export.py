"""``newscrawl export``: the archive's articles as JSON Lines or CSV, streamed."""

from __future__ import annotations

import sys
from datetime import UTC

import click

from crawler.commands.common import db_option, existing_db, fail, parse_since


@click.command("export")
@db_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "csv"]),
    default="jsonl",
    show_default=True,
    help="jsonl: one JSON object per article; csv: one row per article, lists joined with ' | '.",
)
@click.option("--outlet", default=None, help="Only this outlet's articles.")
@click.option(
    "--since", default=None, help="Only articles published since (2026-01-05, 2026-01-05T14:30, 12h, 3d, 2w)."
)
@click.option(
    "--output",
    "-o",
    default="-",
    type=click.Path(dir_okay=False, allow_dash=True),
    help="File to write (default: standard output).",
)
def export(db_path: str, fmt: str, outlet: str | None, since: str | None, output: str) -> None:
    """Write every stored article as JSON Lines (default) or CSV.

    Each object has the keys `newscrawl extract --format json` prints, plus id and
    first_seen_at; images are a list of {url, caption, alt, position} in reading order.
    Articles are read and written one at a time, so any archive size exports in constant memory.

    Example:

    \b
        newscrawl export --db news.db > articles.jsonl
        newscrawl export --db news.db --format csv --outlet replica --since 3d -o recent.csv
    """
    from storage.archive import ArchiveError, open_archive
    from storage.export import iter_articles, write_csv, write_jsonl

    since_dt = parse_since(since)
    try:
        db = open_archive(existing_db(db_path))
    except ArchiveError as exc:
        fail(str(exc), 2)
    if outlet is not None and not db.execute("SELECT 1 FROM outlets WHERE name = ?", [outlet]).fetchone():
        known = ", ".join(r[0] for r in db.execute("SELECT name FROM outlets ORDER BY name")) or "none"
        fail(f"no outlet {outlet!r} in {db_path} (known: {known})", 2)
    records = iter_articles(db, outlet, since_dt.astimezone(UTC).isoformat() if since_dt else None)
    writer = write_csv if fmt == "csv" else write_jsonl
    try:
        if output == "-":
            count = writer(records, sys.stdout)
            sys.stdout.flush()
        else:
            with open(output, "w", encoding="utf-8", newline="" if fmt == "csv" else None) as out:
                count = writer(records, out)
    except BrokenPipeError:  # `newscrawl export | head`
        sys.stderr.close()
        sys.exit(0)
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror}", 1)
    if output != "-":
        click.echo(f"{count} articles written to {output}", err=True)
