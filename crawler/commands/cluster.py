"""``newscrawl cluster crawl`` and ``newscrawl cluster worker``: one crawl spread over several machines."""

from __future__ import annotations

import click

from crawler.commands.common import db_option, fail, parse_since

redis_option = click.option(
    "--redis",
    "redis_url",
    required=True,
    envvar="NEWSCRAWL_REDIS",
    help="Redis URL shared by the coordinator and the workers, e.g. redis://10.0.0.5:6379/0 (env NEWSCRAWL_REDIS).",
)
lease_option = click.option(
    "--lease",
    type=click.FloatRange(min=2),
    default=15.0,
    show_default=True,
    help="Seconds after which a request leased by a worker that stopped answering goes to another.",
)


@click.group("cluster")
def cluster() -> None:
    """Crawl with several machines: one coordinator owns the archive, workers fetch and extract.

    Example (on the archive's machine, then on each worker machine):

        newscrawl cluster crawl replica --redis redis://10.0.0.5:6379/0 --db news.db
        newscrawl cluster worker --redis redis://10.0.0.5:6379/0
    """


@cluster.command("crawl")
@click.argument("outlets", nargs=-1)
@redis_option
@db_option
@click.option(
    "--max-pages", type=click.IntRange(min=1), default=None, help="Fetch at most N article pages per outlet."
)
@click.option("--since", default=None, help="Skip articles older than this (2026-01-05, or 12h, 3d, 2w).")
@click.option(
    "--delay",
    type=click.FloatRange(min=0),
    default=None,
    help="Seconds between two requests to an outlet, cluster-wide (default: the outlet's own).",
)
@click.option(
    "--concurrency",
    type=click.IntRange(min=1),
    default=None,
    help="Requests in flight to an outlet, cluster-wide (default: the outlet's own).",
)
@lease_option
@click.option(
    "--progress/--no-progress", default=None, help="Live table (default: on when stderr is a terminal)."
)
@click.option("-v", "--verbose", is_flag=True, help="Show Scrapy's log.")
def crawl(
    outlets, redis_url, db_path, max_pages, since, delay, concurrency, lease, progress, verbose
) -> None:
    """Coordinate a crawl of OUTLETS (all when none is named): discovery here, pages on the workers.

    This process is the only writer of the archive: it finds what is new or due from the
    archive's frontier, queues those pages in Redis for `newscrawl cluster worker` processes,
    and stores what they send back exactly as `newscrawl crawl` would. It exits when the run is
    done (0, or 1 when an outlet failed entirely) with the same summary. Killed, it is simply
    started again: what it had not stored is fetched again.

    Example:

        newscrawl cluster crawl replica --redis redis://127.0.0.1:6379/0 --db news.db
    """
    from crawler.cluster.connection import ClusterError
    from crawler.cluster.coordinator import coordinate
    from crawler.commands.crawl import crawl_and_report, exit_on_failure

    since_dt = parse_since(since)

    def run(outlet_list, db, **options):
        return coordinate(
            redis_url, outlet_list, db, delay=delay, concurrency=concurrency, lease=lease, **options
        )

    try:
        summaries = crawl_and_report(outlets, db_path, max_pages, since_dt, verbose, progress, run=run)
    except ClusterError as exc:
        fail(str(exc), 1)
    exit_on_failure(summaries)


@cluster.command("worker")
@click.argument("outlets", nargs=-1)
@redis_option
@click.option(
    "--idle-exit",
    type=click.FloatRange(min=0),
    default=None,
    help="Exit 0 after this many seconds without work (default: run until SIGTERM).",
)
@lease_option
@click.option("-v", "--verbose", is_flag=True, help="Show Scrapy's log.")
def worker(outlets, redis_url, idle_exit, lease, verbose) -> None:
    """Fetch and extract pages a coordinator queued, for OUTLETS (all when none is named).

    Runs any number of times on any number of machines; robots.txt, the outlet's origins and
    its rate limits (held for the whole cluster) apply here. SIGTERM returns the pages not yet
    done to the queue and exits 0.

    Example:

        newscrawl cluster worker --redis redis://10.0.0.5:6379/0 --idle-exit 60
    """
    from crawler.cluster.connection import ClusterError
    from crawler.cluster.worker import run_worker
    from crawler.commands.crawl import select_outlets

    selected = select_outlets(outlets)
    try:
        state = run_worker(
            redis_url,
            selected,
            idle_exit=idle_exit,
            lease=lease,
            log_level="INFO" if verbose else "WARNING",
            announce=lambda consumer: click.echo(
                f"worker {consumer} serving {', '.join(o.name for o in selected)} from {redis_url}"
            ),
        )
    except ClusterError as exc:
        fail(str(exc), 1)
    pages = state.pages()
    click.echo(
        f"worker {state.consumer}: {sum(pages.values())} pages fetched ("
        + ", ".join(f"{name} {n}" for name, n in pages.items())
        + f"), {state.images()} images fetched"
    )
