"""The worker: leases article requests, fetches and extracts them with the outlet's spider, pushes outcomes.

Each outlet gets its own Scrapy crawler in the worker process, built from the outlet's spider
class with the same settings, middlewares (robots.txt, origins, retries, redirects) and
``ExtractPipeline`` as a local crawl. The archive is not here: ``RemoteSession`` takes the
place of ``CrawlSession`` and turns each outcome the spider and pipeline report into a message
for the coordinator, sent together with the acknowledgement of the request's lease.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from dataclasses import dataclass, field
from typing import Any

import redis
import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from twisted.internet import task
from twisted.python.failure import Failure

from crawler.cluster.connection import OutletKeys, text
from crawler.cluster.images import IMAGES_FETCHED, image_fields
from crawler.cluster.jobs import JobStream, decode
from crawler.cluster.limiter import ClusterLimiter, declared_limits
from crawler.outlet import Outlet
from crawler.session import CrawlSession, parse_iso

logger = logging.getLogger(__name__)


@dataclass
class WorkerState:
    """What the worker's crawlers share: the Redis client, its consumer name and idleness."""

    client: redis.Redis
    consumer: str = field(default_factory=lambda: f"{socket.gethostname()}-{os.getpid()}")
    lease_seconds: float = 15.0
    last_busy: float = field(default_factory=time.monotonic)
    spiders: list = field(default_factory=list)

    def busy(self) -> bool:
        return any(spider.leases for spider in self.spiders)

    def idle_for(self) -> float:
        if self.busy():
            self.last_busy = time.monotonic()
        return time.monotonic() - self.last_busy

    def pages(self) -> dict[str, int]:
        return {spider.outlet.name: spider.session.counts["pages_fetched"] for spider in self.spiders}

    def images(self) -> int:
        """Pictures this worker fetched (answers received) for the articles it extracted."""
        return sum(spider.crawler.stats.get_value(IMAGES_FETCHED, 0) for spider in self.spiders)


@dataclass
class RemoteSession(CrawlSession):
    """A CrawlSession without an archive: outcomes are reported to the coordinator instead.

    The spider and ``ExtractPipeline`` call it exactly as they call a local session; the
    decisions that need the archive (what is due, when to revisit) stay with the coordinator.
    """

    report: Any = None

    def __post_init__(self) -> None:
        self.db = None  # no archive on a worker: every archive write is a no-op (``write``)
        self.run_id = None
        self.counts["pages_fetched"] += 0

    def write(self, fn, *args, **kwargs):
        return None  # nothing is written to an archive on a worker

    def heartbeat(self, force: bool = False) -> None:
        return None  # the coordinator saves the run's counts

    def remember(self, rows: list[dict]) -> None:
        return None

    def failed(self, url: str, status: int | None, reason: str, article: bool = True) -> None:
        self.counts["errors"] += 1
        self.report(url, {"kind": "failed", "status": status, "reason": reason})

    def unchanged(self, url: str) -> None:
        self.counts["unchanged"] += 1
        self.report(url, {"kind": "unchanged"})

    def skipped(self, url: str, published_at: str | None) -> None:
        self.report(url, {"kind": "skipped", "published_at": published_at})


class WorkerSpider:
    """Mixed in front of an outlet's spider class: requests come from Redis, outcomes go back."""

    state: WorkerState

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any):
        # the plain Spider construction: NewsSpider's would open the archive, which is not here
        spider = scrapy.Spider.from_crawler.__func__(cls, crawler, *args, **kwargs)
        state = spider.state
        keys = OutletKeys(spider.outlet.name)
        spider.stream = JobStream(state.client, keys, state.lease_seconds)
        spider.limiter = ClusterLimiter(state.client, keys, *declared_limits(spider.outlet))
        spider.session = RemoteSession(spider.outlet, "", report=spider.report)
        spider.leases: dict[str, list[bytes]] = {}
        spider.jobs: dict[bytes, dict[bytes, bytes]] = {}
        spider.outbox: list[tuple[list[bytes], dict[str, Any]]] = []
        spider.exchange_call = None
        spider.capacity = max(2, crawler.settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN"))
        spider.loops = []
        state.spiders.append(spider)
        crawler.signals.connect(spider.on_opened, signal=signals.spider_opened)
        crawler.signals.connect(spider.on_idle, signal=signals.spider_idle)
        crawler.signals.connect(spider.on_worker_closed, signal=signals.spider_closed)
        crawler.signals.connect(spider.on_item_error, signal=signals.item_error)
        crawler.signals.connect(spider.on_spider_error, signal=signals.spider_error)
        return spider

    async def start(self):
        """No discovery here: requests arrive from the coordinator through Redis."""
        return
        yield

    # -- taking requests -------------------------------------------------------------------
    def on_opened(self, spider) -> None:
        self.limiter.follow_run()
        # renewed four times per lease: a worker starved of CPU for a moment keeps its requests
        for call, every in ((self.take, 0.05), (self.renew, self.state.lease_seconds / 4)):
            loop = task.LoopingCall(self._guarded, call)
            loop.start(every, now=False)
            self.loops.append(loop)

    @staticmethod
    def _guarded(call) -> None:
        try:
            call()
        except redis.RedisError as exc:
            logger.error("Redis: %s", exc)

    def take(self) -> None:
        """Send the outcomes waiting here and lease as many new requests as can be in flight.

        No more in hand than can be in flight: requests waiting here for a slot would starve
        other workers.
        """
        self.exchange_call = None
        stopping = getattr(self, "stopping", False)
        free = 0 if stopping else min(self.capacity, self.limiter.concurrency) - len(self.leases)
        done, self.outbox = self.outbox, []
        try:
            entries = self.stream.exchange(done, self.state.consumer, free)
        except redis.RedisError:
            self.outbox = done + self.outbox  # sent with the next exchange; their leases are still ours
            raise
        for entry_id, fields in entries:
            try:
                job = decode(fields)
            except ValueError:  # Redis is shared: a malformed entry is answered, never a stalled worker
                url = text(fields.get(b"url"))
                self.outbox.append(
                    ([entry_id], {"url": url, "kind": "error", "reason": "a malformed request"})
                )
                continue
            url = job.get("url", "")
            self.jobs[entry_id] = fields
            if url in self.leases:  # a re-queued copy of a request already in hand
                self.leases[url].append(entry_id)
                continue
            self.leases[url] = [entry_id]
            refusal = self.outlet.refusal(url)
            if refusal is not None or not self.outlet.is_article(url):
                reason = refusal or "not an article URL of this outlet"
                self.report(url, {"kind": "error", "reason": reason, "refused": "1"})
                continue
            self.session.since = parse_iso(job.get("since"))
            request = self.article_request(url, job.get("headers") or {}, source=job.get("source") or "")
            if request is None:
                self.report(url, {"kind": "error", "reason": "the outlet is paused on this worker"})
                continue
            request.meta["image_mode"] = job.get("image_mode") or "thumbs"
            self.crawler.engine.crawl(request)

    def renew(self) -> None:
        self.limiter.follow_run()
        self.stream.renew(self.state.consumer, [i for ids in self.leases.values() for i in ids])
        self.limiter.renew()

    def parse_article(self, response):
        for item in super().parse_article(response):
            item["image_mode"] = response.meta.get("image_mode", "thumbs")
            yield item

    def on_idle(self, spider) -> None:
        if not getattr(self, "stopping", False):
            raise DontCloseSpider

    # -- outcomes --------------------------------------------------------------------------
    def report(self, url: str, outcome: dict[str, Any]) -> None:
        """Send the outcome for ``url`` and retire its lease(s), with the others of this reactor turn.

        Until it is sent the lease stays in Redis, so a worker killed meanwhile loses nothing.
        """
        ids = self.leases.pop(url, [])
        for entry_id in ids:
            self.jobs.pop(entry_id, None)
        self.outbox.append((ids, {"url": url, "worker": self.state.consumer, **outcome}))
        if self.exchange_call is None:  # and refill at once rather than at the next tick
            from twisted.internet import reactor

            self.exchange_call = reactor.callLater(0, self._guarded, self.take)

    def on_article_error(self, failure: Failure):
        from crawler.origins import OffOutletRequest
        from spiders.news import describe_failure

        request = failure.request
        status, reason = describe_failure(failure)
        if status is not None:
            self.session.fetched()
        self.session.counts["errors"] += 1
        outcome = {"kind": "error", "status": status, "reason": reason}
        if isinstance(failure.value, OffOutletRequest):  # recorded as a refusal, as in a local crawl
            outcome.update(reason=str(failure.value), refused="1")
        self.report(request.meta.get("archive_url", request.url), outcome)

    def on_item_error(self, item, response, spider, failure: Failure) -> None:
        if spider is self and item.get("archive_url") in self.leases:
            self.report(
                item["archive_url"], {"kind": "error", "reason": f"extraction crashed: {failure.value}"}
            )

    def on_spider_error(self, failure: Failure, response, spider) -> None:
        url = response.meta.get("archive_url") if response is not None else None
        if spider is self and url in self.leases:
            self.report(url, {"kind": "error", "reason": f"page handling crashed: {failure.value}"})

    def on_worker_closed(self, spider, reason: str) -> None:
        """Stopping (SIGTERM, idle exit): what is still leased here goes back for another worker."""
        self.stopping = True
        for loop in self.loops:
            if loop.running:
                loop.stop()
        if self.exchange_call is not None and self.exchange_call.active():
            self.exchange_call.cancel()
        self._guarded(self.take)  # the outcomes not sent yet
        entries = [(entry_id, fields) for entry_id, fields in self.jobs.items()]
        if entries:
            self.stream.requeue(entries)
            logger.warning("%s: returned %d leased request(s)", self.outlet.name, len(entries))
        self.leases.clear()
        self.jobs.clear()


class ResultPipeline:
    """Last item pipeline of a worker: the extracted article goes to the coordinator."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item: dict) -> dict:
        spider = self.crawler.spider
        spider.report(
            item["archive_url"],
            {
                "kind": "article",
                "final_url": item["url"],
                "status": item["status"],
                "headers": item["headers"],
                "fetched_at": item["fetched_at"],
                "article": item["article"].to_dict(),
                "body": item["body"],
                **image_fields(item),
            },
        )
        item.pop("body", None)
        item.pop("cluster_images", None)
        return item


def worker_class(spider_cls: type) -> type:
    return type(f"Worker{spider_cls.__name__}", (WorkerSpider, spider_cls), {})


def worker_settings() -> dict:
    """The local crawl's pipelines up to the archive (extraction, acceptance, images), then Redis instead.

    Images are on here: each job says whether its coordinator wants them.
    """
    from crawler.cluster.coordinator import split_pipelines

    before_archive, _ = split_pipelines()
    return {
        "ITEM_PIPELINES": {**before_archive, "crawler.cluster.worker.ResultPipeline": 800},
        "NEWSCRAWL_IMAGES": True,
    }


def run_worker(
    redis_url: str,
    outlets: list[Outlet],
    idle_exit: float | None = None,
    lease: float = 15.0,
    log_level: str = "WARNING",
    announce=None,
) -> WorkerState:
    """Serve ``outlets`` until SIGTERM/SIGINT, or until ``idle_exit`` seconds pass without work."""
    from scrapy.crawler import CrawlerProcess

    from crawler.cluster.connection import connect
    from crawler.cluster.coordinator import role_settings
    from crawler.runner import project_settings, quiet_loggers, spider_class

    client = connect(redis_url)
    state = WorkerState(client, lease_seconds=lease)
    if announce is not None:
        announce(state.consumer)
    overrides = {**role_settings(redis_url, lease=lease, coordinator=False), **worker_settings()}
    process = CrawlerProcess(project_settings(LOG_LEVEL=log_level, **overrides))
    quiet_loggers(log_level)
    for outlet in outlets:
        crawler = process.create_crawler(worker_class(spider_class(outlet)))
        process.crawl(crawler, state=state)

    def check_idle() -> None:
        if idle_exit is not None and state.idle_for() >= idle_exit:
            print(f"worker {state.consumer}: no work for {idle_exit:g} s, exiting", flush=True)
            for spider in state.spiders:
                spider.stopping = True
            idle_loop.stop()
            process.stop()

    idle_loop = task.LoopingCall(check_idle)
    idle_loop.start(0.5, now=False)
    process.start()
    return state
