"""Run crawls of one or more outlets in this process and report what they did.

Twisted's reactor cannot be restarted, so one call of ``run_crawl`` per process: the scheduler
starts a fresh ``newscrawl crawl`` process for every run.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from crawler.outlet import Outlet
from crawler.progress import ProgressDisplay


def project_settings(**overrides) -> Settings:
    """Our settings module, whatever the current directory (no scrapy.cfg needed)."""
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    for key, value in overrides.items():
        settings.set(key, value, priority="cmdline")
    return settings


def spider_class(outlet: Outlet):
    """The spider class an outlet file declares for ``outlet``, or a plain NewsSpider bound to it.

    Found by the outlet itself, whatever the file is named.
    """
    import importlib
    import pkgutil

    import spiders
    from spiders.news import NewsSpider

    for info in pkgutil.iter_modules(spiders.__path__):
        module = importlib.import_module(f"spiders.{info.name}")
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, NewsSpider)
                and getattr(value, "outlet", None) is outlet
            ):
                return value
    return type(f"{outlet.name.title()}Spider", (NewsSpider,), {"name": outlet.name, "outlet": outlet})


def quiet_loggers(log_level: str) -> None:
    """Scrapy at ``log_level``; the libraries' chatter only when debugging."""
    logging.getLogger("scrapy").setLevel(log_level)
    for noisy in ("trafilatura", "htmldate", "courlan", "charset_normalizer"):
        # their warnings ("discarding data") restate what fetch_errors records with a reason
        logging.getLogger(noisy).setLevel(log_level if log_level == "DEBUG" else "ERROR")
    # an unreachable robots.txt is logged with a full traceback; the failed discovery pages
    # that follow say the same in one line each
    logging.getLogger("scrapy.downloadermiddlewares.robotstxt").setLevel(
        log_level if log_level == "DEBUG" else "CRITICAL"
    )


def run_crawl(
    outlets: list[Outlet],
    db: str,
    max_pages: int | None = None,
    since: datetime | None = None,
    progress: bool | None = None,
    log_level: str = "WARNING",
    settings: dict | None = None,
    spider_for: Callable[[Outlet], type] = spider_class,
) -> list[dict]:
    """Crawl ``outlets`` into the archive at ``db``; returns one summary dict per outlet.

    ``spider_for`` gives the spider class of an outlet (the cluster coordinator wraps the
    outlet's own class).
    """
    process = CrawlerProcess(project_settings(LOG_LEVEL=log_level, NEWSCRAWL_DB=db, **(settings or {})))
    quiet_loggers(log_level)
    crawlers = []
    for outlet in outlets:
        crawler = process.create_crawler(spider_for(outlet))
        process.crawl(crawler, db=db, max_pages=max_pages, since=since)
        crawlers.append((outlet, crawler))

    def snapshot() -> list[dict]:
        rows = []
        for outlet, crawler in crawlers:
            session = getattr(crawler.spider, "session", None) if crawler.spider else None
            if session is not None:
                rows.append(session.summary())
            else:
                rows.append(
                    {
                        "outlet": outlet.name,
                        "pages_fetched": 0,
                        "new": 0,
                        "updated": 0,
                        "unchanged": 0,
                        "errors": 0,
                        "status": "starting",
                        "elapsed": 0,
                        "rate": 0.0,
                    }
                )
        return rows

    display = ProgressDisplay(snapshot, live=progress)
    from twisted.internet import task

    loop = task.LoopingCall(display.tick)
    display.start()
    loop.start(0.5, now=False)
    try:
        process.start()
    finally:
        if loop.running:
            loop.stop()
        display.stop()
    return snapshot()
