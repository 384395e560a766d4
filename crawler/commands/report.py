"""``newscrawl outlets``, ``runs`` and ``stats``: what is configured, what ran, what the archive holds."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import click
from rich.table import Table

from crawler.commands.common import archive_errors, console, db_option, fail, open_db, short_time
from crawler.outlet import all_outlets


def _table(title: str, columns: list[str], rows) -> Table:
    table = Table(title=title, title_justify="left")
    for name in columns:
        table.add_column(name)
    for row in rows:
        table.add_row(*["" if v is None else str(v) for v in row])
    return table


@click.command("outlets")
@db_option
def outlets(db_path: str) -> None:
    """List configured outlets with their schedules and last run.

    Example:

        newscrawl outlets --db news.db
    """
    from storage.reports import last_runs

    last: dict[str, tuple] = {}
    if Path(db_path).exists():
        with archive_errors(db_path):
            last = last_runs(open_db(db_path))
    from dataclasses import replace

    from crawler.scheduler import ScheduleConfigError, config_path, load_overrides

    try:
        overrides = load_overrides(config_path())
    except ScheduleConfigError as exc:
        fail(str(exc), 2)
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
    from storage.archive import abort_stale_runs
    from storage.reports import recent_runs

    with archive_errors(db_path):
        db = open_db(db_path)
        with contextlib.suppress(sqlite3.Error):  # a read-only archive is listed as recorded
            abort_stale_runs(db)  # a run whose process is gone shows as aborted, with the counts it saved
        rows = recent_runs(db, limit, outlet)
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
    from storage.reports import articles_per_day, outlet_totals

    with archive_errors(db_path):
        db = open_db(db_path)
        per_outlet = outlet_totals(db)
        per_day = articles_per_day(db, days * max(1, len(per_outlet)))
    per_outlet = [(*r[:4], short_time(r[4]), short_time(r[5]), r[6]) for r in per_outlet]
    out = console()
    out.print(
        _table(
            "Archive by outlet",
            ["outlet", "articles", "revised", "images", "oldest", "newest", "errors"],
            per_outlet,
        )
    )
    out.print(_table("Articles per day (UTC)", ["day", "outlet", "articles"], per_day))
