"""``newscrawl crawl``: crawl outlets now, with live progress and a summary table."""

from __future__ import annotations

import click
from rich.console import Console

from crawler.commands.common import console as make_console
from crawler.commands.common import db_option, fail, parse_since
from crawler.outlet import all_outlets, get_outlet
from crawler.progress import summary_table


def select_outlets(outlet_names: tuple[str, ...]) -> list:
    """The named outlets (all when none is named); exit 2 naming an unknown one."""
    try:
        return [get_outlet(n) for n in outlet_names] if outlet_names else list(all_outlets().values())
    except KeyError as exc:
        fail(exc.args[0], 2)


def crawl_and_report(
    outlet_names: tuple[str, ...],
    db_path: str,
    max_pages,
    since,
    verbose: bool,
    progress=None,
    run=None,
) -> list[dict]:
    """Shared by ``crawl``, ``demo`` and ``cluster crawl``: resolve outlets, crawl, print the summary.

    ``run`` replaces ``run_crawl`` (same arguments), for the cluster coordinator.
    """
    from crawler.runner import run_crawl

    run = run or run_crawl
    outlets = select_outlets(outlet_names)
    try:
        from storage.archive import check_writable

        check_writable(db_path)
        summaries = run(
            outlets,
            db_path,
            max_pages=max_pages,
            since=since,
            progress=progress,
            log_level="INFO" if verbose else "WARNING",
        )
    except Exception as exc:  # an archive that cannot be opened or written, mostly
        from storage.archive import ArchiveError

        if isinstance(exc, ArchiveError):
            fail(str(exc), 1)
        raise
    console = make_console()
    console.print(summary_table(summaries))
    print_run_errors(console, summaries)
    return summaries


def print_run_errors(console: Console, summaries: list[dict], limit: int = 10) -> None:
    """The URLs that failed in these runs, with their reasons: what a user checks first."""
    from storage.archive import open_archive

    for s in summaries:
        if not s.get("errors") or "run_id" not in s:
            continue
        db = open_archive(s["db_path"])
        rows = db.execute(
            "select url, reason from fetch_errors where run_id = ? order by last_try limit ?",
            [s["run_id"], limit],
        ).fetchall()
        console.print(f"{s['outlet']}: {s['errors']} failed URL(s) this run (all in fetch_errors):")
        for url, reason in rows:
            console.print(f"  {reason}: {url}", highlight=False, soft_wrap=True)


@click.command("crawl")
@click.argument("outlets", nargs=-1)
@db_option
@click.option(
    "--max-pages", type=click.IntRange(min=1), default=None, help="Fetch at most N article pages per outlet."
)
@click.option("--since", default=None, help="Skip articles older than this (2026-01-05, or 12h, 3d, 2w).")
@click.option(
    "--progress/--no-progress", default=None, help="Live table (default: on when stderr is a terminal)."
)
@click.option("-v", "--verbose", is_flag=True, help="Show Scrapy's log.")
def crawl(outlets, db_path, max_pages, since, progress, verbose) -> None:
    """Crawl OUTLETS now (all configured outlets when none is named) into the archive.

    Only new articles and articles due for a revisit are fetched; the crawl can be killed at
    any time and the next run picks up where it stopped. Exits 1 when an outlet failed entirely.

    Example:

        newscrawl crawl replica --db news.db --max-pages 50
    """
    since_dt = parse_since(since)
    summaries = crawl_and_report(outlets, db_path, max_pages, since_dt, verbose, progress)
    exit_on_failure(summaries)


def exit_on_failure(summaries: list[dict]) -> None:
    """Exit 1 with one line when the archive broke or an outlet failed entirely."""
    broken = [s["archive_error"] for s in summaries if s.get("archive_error")]
    if broken:
        fail(f"crawl stopped: {broken[0]}", 1)
    failed = [s["outlet"] for s in summaries if s["status"] in ("failed", "starting", "running")]
    if failed:
        fail(f"crawl failed entirely for: {', '.join(failed)} (see `newscrawl runs` and fetch_errors)", 1)
