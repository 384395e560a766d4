"""``newscrawl schedule``: the long-running background crawler."""

from __future__ import annotations

import sys

import click

from crawler.commands.common import db_option, fail


@click.command("schedule")
@click.argument("outlets", nargs=-1)
@db_option
@click.option(
    "--interval",
    type=click.FloatRange(min=1),
    default=None,
    help="Seconds between runs for every selected outlet (overrides schedules; for trying it out).",
)
@click.option(
    "--config",
    "config",
    default=None,
    help="TOML file with per-outlet schedules (default $NEWSCRAWL_CONFIG or ~/.config/newscrawl/schedule.toml).",
)
@click.option(
    "--log-file", default=None, type=click.Path(dir_okay=False), help="Also append logs to this file."
)
@click.option(
    "--grace",
    default=30.0,
    show_default=True,
    help="Seconds a running crawl gets to stop cleanly on SIGTERM before it is killed.",
)
@click.option(
    "--cluster",
    is_flag=True,
    help="Run each crawl as `newscrawl cluster crawl`: pages are fetched by `cluster worker` processes.",
)
@click.option("--redis", "redis_url", default=None, envvar="NEWSCRAWL_REDIS", help="Redis URL for --cluster.")
def schedule(outlets, db_path, interval, config, log_file, grace, cluster, redis_url) -> None:
    """Crawl OUTLETS (all when none is named) on their schedules until stopped.

    Each crawl runs in its own process; one outlet never runs twice at once; runs missed while
    the machine slept are made up once. SIGTERM or Ctrl-C asks each running crawl to stop (it
    closes its run as aborted, keeping what it stored; the next run resumes from the frontier),
    kills it if it has not stopped after --grace seconds, and exits 0.

    Example:

        newscrawl schedule replica --interval 60 --db news.db --log-file crawl.log

    With --cluster --redis URL each run is a cluster crawl (workers: `newscrawl cluster worker`).
    """
    from crawler.outlet import all_outlets, get_outlet
    from crawler.scheduler import (
        CrawlScheduler,
        ScheduleConfigError,
        config_path,
        load_overrides,
        plan_for,
        serve_forever,
        setup_logging,
    )

    if cluster and not redis_url:
        fail("--cluster needs --redis URL (the Redis the workers take pages from)", 2)
    try:
        selected = [get_outlet(n) for n in outlets] if outlets else list(all_outlets().values())
    except KeyError as exc:
        fail(exc.args[0], 2)
    try:
        overrides = load_overrides(config_path(config), required=config is not None)
    except ScheduleConfigError as exc:
        fail(str(exc), 2)
    setup_logging(log_file)
    plans = plan_for(selected, interval, overrides)
    sys.exit(
        serve_forever(
            CrawlScheduler(
                plans,
                db_path,
                log_file=log_file,
                grace=grace,
                cluster_redis=redis_url if cluster else None,
            )
        )
    )
