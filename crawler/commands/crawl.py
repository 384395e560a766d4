"""``newscrawl crawl``: crawl outlets now, with live progress and a summary table."""

from __future__ import annotations

import click
from rich.console import Console

from crawler.commands.common import console as make_console
from crawler.commands.common import db_option, fail, parse_since
from crawler.outlet import all_outlets, get_outlet
from crawler.progress import summary_table

#: Exit status of ``newscrawl crawl`` when every outlet asked for is being crawled by another process.
EXIT_ALREADY_RUNNING = 3


def take_leases(outlets: list, db_path: str, console: Console) -> list:
    """The outlets this process may crawl now; one line for each another process is crawling."""
    from crawler.lease import LeaseHeld, acquire

    free = []
    for outlet in outlets:
        try:
            acquire(db_path, outlet.name)
        except LeaseHeld as exc:
            console.print(f"newscrawl: {exc}", highlight=False, soft_wrap=True)
            continue
        free.append(outlet)
    return free


def report_busy(outlets: list, db_path: str, console: Console) -> list:
    """The outlets nobody is crawling into ``db_path`` now; one line for each somebody is."""
    from crawler.lease import held_message, holder

    free = []
    for outlet in outlets:
        busy = holder(db_path, outlet.name)
        if busy is None:
            free.append(outlet)
        else:
            console.print(
                f"newscrawl: {held_message(db_path, outlet.name, busy)}", highlight=False, soft_wrap=True
            )
    return free


def image_settings(images: bool = True, full_images: bool = False) -> dict:
    """Scrapy settings for ``--no-images`` / ``--full-images``."""
    return {"NEWSCRAWL_IMAGES": images, "NEWSCRAWL_FULL_IMAGES": images and full_images}


images_option = click.option(
    "--images/--no-images",
    default=True,
    show_default=True,
    help="Keep a thumbnail (at most 480 px wide) of every article image in the archive.",
)
full_images_option = click.option(
    "--full-images", is_flag=True, help="Keep the original image files too (up to 2 MiB each)."
)


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
    settings: dict | None = None,
    max_discovery: int | None = None,
    run=None,
) -> list[dict]:
    """Shared by ``crawl``, ``demo`` and ``cluster crawl``: resolve outlets, crawl, print the summary.

    ``run`` replaces ``run_crawl`` (same arguments), for the cluster coordinator.
    """
    from crawler.lease import watch_parent
    from crawler.runner import run_crawl

    run = run or run_crawl
    outlets = select_outlets(outlet_names)
    settings = {**(settings or {}), **({"NEWSCRAWL_MAX_DISCOVERY": max_discovery} if max_discovery else {})}
    try:
        from storage.archive import check_writable

        # who is crawling what first: a running crawl may hold the archive's write lock for a
        # moment, and "locked, try again" would hide the reason that matters
        outlets = report_busy(outlets, db_path, make_console(stderr=True))
        if not outlets:
            raise SystemExit(EXIT_ALREADY_RUNNING)
        check_writable(db_path)
        outlets = take_leases(outlets, db_path, make_console(stderr=True))
        if not outlets:
            raise SystemExit(EXIT_ALREADY_RUNNING)
        watch_parent()
        summaries = run(
            outlets,
            db_path,
            max_pages=max_pages,
            since=since,
            progress=progress,
            log_level="INFO" if verbose else "WARNING",
            settings=settings,
        )
    except Exception as exc:  # an archive that cannot be opened or written, mostly
        from storage.archive import ArchiveError

        if isinstance(exc, ArchiveError):
            fail(str(exc), 1)
        raise
    console = make_console()
    console.print(summary_table(summaries))
    print_limits(console, summaries)
    print_run_errors(console, summaries)
    return summaries


def print_limits(console: Console, summaries: list[dict]) -> None:
    """The bounds a run reached (discovery budget, sitemap nesting, refusals recorded)."""
    for s in summaries:
        for message in s.get("limits") or ():
            console.print(f"{s['outlet']}: {message}", highlight=False, soft_wrap=True)


def print_run_errors(console: Console, summaries: list[dict], limit: int = 10) -> None:
    """The URLs that failed in these runs, with their reasons: what a user checks first."""
    from storage.archive import open_archive

    for s in summaries:
        if s.get("unreachable"):
            console.print(f"{s['outlet']}: unreachable: {s['unreachable']}", highlight=False, soft_wrap=True)
            continue
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
@click.option(
    "--max-discovery",
    type=click.IntRange(min=1),
    default=None,
    help="Make at most N sitemap, feed and listing requests per outlet (default 1000).",
)
@click.option("--since", default=None, help="Skip articles older than this (2026-01-05, or 12h, 3d, 2w).")
@click.option(
    "--progress/--no-progress", default=None, help="Live table (default: on when stderr is a terminal)."
)
@images_option
@full_images_option
@click.option("-v", "--verbose", is_flag=True, help="Show Scrapy's log.")
def crawl(outlets, db_path, max_pages, max_discovery, since, progress, images, full_images, verbose) -> None:
    """Crawl OUTLETS now (all configured outlets when none is named) into the archive.

    Only new articles and articles due for a revisit are fetched; the crawl can be killed at
    any time and the next run picks up where it stopped. Exits 1 when an outlet failed entirely,
    3 when every outlet named is already being crawled into this archive by another process.

    Article images are fetched under the same rules as pages (robots.txt, delays, only the
    outlet's origins) and kept as thumbnails, so the archive shows them after the outlet
    drops them; a failed image is listed in fetch_errors and never costs its article.

    Example:

        newscrawl crawl replica --db news.db --max-pages 50
    """
    since_dt = parse_since(since)
    summaries = crawl_and_report(
        outlets,
        db_path,
        max_pages,
        since_dt,
        verbose,
        progress,
        image_settings(images, full_images),
        max_discovery=max_discovery,
    )
    exit_on_failure(summaries)


def exit_on_failure(summaries: list[dict]) -> None:
    """Exit 1 with one line when the archive broke or an outlet failed entirely."""
    broken = [s["archive_error"] for s in summaries if s.get("archive_error")]
    if broken:
        fail(f"crawl stopped: {broken[0]}", 1)
    failed = [s["outlet"] for s in summaries if s["status"] in ("failed", "starting", "running")]
    if failed:
        unreachable = [s["outlet"] for s in summaries if s.get("unreachable")]
        hint = (
            "unreachable: check the network or the base URL"
            if set(failed) <= set(unreachable)
            else "see `newscrawl runs` and fetch_errors"
        )
        fail(f"crawl failed entirely for: {', '.join(failed)} ({hint})", 1)
