"""``newscrawl outlets``, ``runs`` and ``stats``: what is configured, what ran, what the archive holds."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import click
from rich.table import Table

from crawler.commands.common import console, db_option, existing_db, short_time
from crawler.outlet import all_outlets


def _table(title: str, columns: list[str], rows) -> Table:
    table = Table(title=title, title_justify="left")
    for name in columns:
        table.add_column(name)
    for row in rows:
        table.add_row(*["" if v is None else str(v) for v in row])
    return table


def _open(db_path: str):
    from storage.archive import open_archive

    return open_archive(existing_db(db_path))


@click.command("outlets")
@db_option
def outlets(db_path: str) -> None:
    """List configured outlets with their schedules and last run.

    Example:

        newscrawl outlets --db news.db
    """
    last: dict[str, tuple] = {}
    if Path(db_path).is_file():
        db = _open(db_path)
        for row in db.execute(
            "select outlet, max(started_at), status from crawl_runs group by outlet having started_at = max(started_at)"
        ):
            last[row[0]] = row[1:]
    from dataclasses import replace

    from crawler.scheduler import config_path, load_overrides

    overrides = load_overrides(config_path())
    rows = []
    for configured in all_outlets().values():
        outlet = replace(configured, schedule=overrides.get(configured.name, configured.schedule))
        started, status = last.get(outlet.name, (None, None))
        rows.append(
            (
                outlet.name,
                outlet.base,
                outlet.describe_schedule(),
                short_time(started) or "never",
                status or "",
            )
        )
    console().print(_table("Outlets", ["outlet", "base url", "schedule", "last run", "status"], rows))


@click.command("runs")
@db_option
@click.option("--limit", default=20, show_default=True)
@click.option("--outlet", default=None, help="Only this outlet.")
def runs(db_path: str, limit: int, outlet: str | None) -> None:
    """List recent crawl runs, newest first.

    Example:

        newscrawl runs --db news.db --limit 5
    """
    db = _open(db_path)
    from storage.archive import abort_stale_runs

    with contextlib.suppress(sqlite3.Error):  # a read-only archive is listed as recorded
        abort_stale_runs(db)  # a run whose process is gone shows as aborted, with the counts it saved
    where, params = ("where outlet = ?", [outlet]) if outlet else ("", [])
    rows = db.execute(
        f"select id, outlet, started_at, finished_at, pages_fetched, new, updated, unchanged, errors, status "
        f"from crawl_runs {where} order by id desc limit ?",
        [*params, limit],
    ).fetchall()
    rows = [(r[0], r[1], short_time(r[2]), short_time(r[3]), *r[4:]) for r in rows]
    columns = [
        "run",
        "outlet",
        "started",
        "finished",
        "fetched",
        "new",
        "updated",
        "unchanged",
        "errors",
        "status",
    ]
    console().print(_table("Crawl runs", columns, rows))


@click.command("stats")
@db_option
@click.option("--days", default=14, show_default=True, help="How many recent publication days to list.")
def stats(db_path: str, days: int) -> None:
    """Show archive totals per outlet and articles per day.

    Example:

        newscrawl stats --db news.db
    """
    db = _open(db_path)
    per_outlet = db.execute(
        "select a.outlet, count(*), sum(a.version > 1), (select count(*) from images i join articles b "
        "on b.id = i.article_id where b.outlet = a.outlet), min(a.published_at), max(a.published_at), "
        "(select count(*) from fetch_errors e where e.outlet = a.outlet) "
        "from articles a group by a.outlet order by a.outlet"
    ).fetchall()
    per_outlet = [(*r[:4], short_time(r[4]), short_time(r[5]), r[6]) for r in per_outlet]
    out = console()
    out.print(
        _table(
            "Archive by outlet",
            ["outlet", "articles", "revised", "images", "oldest", "newest", "errors"],
            per_outlet,
        )
    )
    per_day = db.execute(
        "select substr(published_at, 1, 10) as day, outlet, count(*) from articles where published_at is not null "
        "group by day, outlet order by day desc, outlet limit ?",
        [days * max(1, len(per_outlet))],
    ).fetchall()
    out.print(_table("Articles per day (UTC)", ["day", "outlet", "articles"], per_day))
