"""The coordinator: discovery as in a local crawl, article requests to Redis, the only archive writer.

The outlet's own spider runs unchanged, with two differences made by composition: a downloader
middleware answers each article request with the outcome a worker pushed for it (instead of
downloading the page here), and the spider turns that outcome into the same session calls and
item a local crawl makes, so ``ArchivePipeline`` and ``CrawlSession`` store it exactly as
``newscrawl crawl`` does. Errors reach the spider's own errback as the failures Scrapy would raise.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from typing import Any

import redis
from scrapy import signals
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import task
from twisted.internet.defer import Deferred

from crawler.cluster.connection import ClusterError, OutletKeys, connect, text, watch_shutdown_signals
from crawler.cluster.images import image_mode, known_images, mark_known, outcome_images
from crawler.cluster.jobs import JobStream, decode
from crawler.cluster.limiter import ClusterLimiter, declared_limits
from crawler.items import Article
from crawler.outlet import Outlet
from crawler.session import iso

logger = logging.getLogger(__name__)

#: A coordinator that stops renewing its lock (killed) gives the outlet up after this long.
LOCK_TTL_MS = 6000
# once a shutdown began, how long requests wait for an unreachable Redis before they are given up
SHUTDOWN_GRACE = 10.0
ERROR_LOG_EVERY = 30.0  # seconds between two log lines about the same Redis outage
_RENEW_LOCK = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
"""


def claim_outlets(
    client: redis.Redis,
    outlets: list[Outlet],
    since=None,
    delay: float | None = None,
    concurrency: int | None = None,
) -> str:
    """Become the one coordinator of ``outlets`` and start their runs afresh; returns the lock token.

    A killed coordinator's lock lapses within LOCK_TTL_MS, so a restart waits that long at most.
    """
    token = uuid.uuid4().hex
    for outlet in outlets:
        keys = OutletKeys(outlet.name)
        deadline = time.monotonic() + LOCK_TTL_MS / 1000 + 2
        while not client.set(keys.coordinator, token, nx=True, px=LOCK_TTL_MS):
            if time.monotonic() > deadline:
                raise ClusterError(f"another coordinator is crawling {outlet.name} through this Redis")
            time.sleep(0.25)
        JobStream(client, keys).reset()
        interval, slots = declared_limits(outlet)
        run = {
            "interval": delay if delay is not None else interval,
            "concurrency": concurrency or slots,
            "since": iso(since) if since else "",
            "started": iso_now(),
        }
        client.delete(keys.run)
        client.hset(keys.run, mapping={k: str(v) for k, v in run.items()})
    return token


def release_outlets(client: redis.Redis, outlets: list[Outlet], token: str) -> None:
    """Give the outlets' coordinator locks back; with Redis gone they lapse by themselves."""
    try:
        for outlet in outlets:
            keys = OutletKeys(outlet.name)
            if text(client.get(keys.coordinator)) == token:
                client.delete(keys.coordinator, keys.run)
    except redis.RedisError as exc:
        logger.error("Redis: %s; the coordinator lock lapses in %d s", exc, LOCK_TTL_MS // 1000)


def iso_now() -> str:
    from crawler.session import utcnow

    return iso(utcnow())


class ResultHub:
    """Coordinator side of one outlet: publishes requests and hands each outcome to its waiter."""

    def __init__(self, client: redis.Redis, outlet: Outlet, token: str, lease_seconds: float) -> None:
        self.client = client
        self.keys = OutletKeys(outlet.name)
        self.stream = JobStream(client, self.keys, lease_seconds)
        self.token = token
        self.waiting: dict[str, Deferred] = {}
        self.jobs: dict[str, dict] = {}
        self.published: dict[str, tuple[bytes, float]] = {}  # url -> (stream entry, when last seen)
        self.lease_seconds = lease_seconds
        self.stopping: Callable[[], bool] = lambda: False  # set by the spider: a shutdown began
        self.down_since: float | None = None  # when Redis last stopped answering
        self._last_error_log = 0.0
        self.since = text(client.hget(self.keys.run, "since"))
        self._renew_lock = client.register_script(_RENEW_LOCK)
        self._loops: list[task.LoopingCall] = []

    def start(self) -> None:
        watch_shutdown_signals()  # Scrapy's handlers are in place by now: ours runs first
        for call, every in ((self.poll, 0.02), (self.maintain, 1.5)):
            loop = task.LoopingCall(self._guarded, call)
            loop.start(every, now=False)
            self._loops.append(loop)

    def stop(self) -> None:
        for loop in self._loops:
            if loop.running:
                loop.stop()

    def _guarded(self, call) -> None:
        """A failed poll is logged and the next one tried (a stopped loop would hang the run).

        While Redis is away the run waits for it, since the workers' outcomes are kept there;
        once a shutdown (SIGTERM, Ctrl-C) has begun it waits ``SHUTDOWN_GRACE`` seconds more,
        then gives up the requests still waiting, so the run closes: they are fetched next run.
        """
        try:
            call()
        except redis.RedisError as exc:
            now = time.monotonic()
            if self.down_since is None:
                self.down_since = now
            if now - self._last_error_log >= ERROR_LOG_EVERY:
                self._last_error_log = now
                logger.error("Redis: %s", exc)
            if self.waiting and self.stopping() and now - self.down_since >= SHUTDOWN_GRACE:
                self.abandon(f"Redis unreachable while stopping ({exc}); left for the next run")
        else:
            if self.down_since is not None:
                logger.warning("Redis answers again after %.0f s", time.monotonic() - self.down_since)
                self.down_since = None
                self._last_error_log = 0.0

    def abandon(self, reason: str) -> None:
        """Fail every request still waiting for a worker's outcome (nothing of them is stored)."""
        waiting, self.waiting = self.waiting, {}
        logger.error("%s: %d request(s) not fetched: %s", self.keys.outlet, len(waiting), reason)
        for url, waiter in waiting.items():
            self.jobs.pop(url, None)
            self.published.pop(url, None)
            waiter.errback(ClusterError(reason))

    def dispatch(self, request: Request, images: str = "thumbs", known: list[str] = ()) -> Deferred:
        """Queue an article request for the workers; fires with the outcome a worker pushes.

        ``images`` says what to do with the article's pictures (``IMAGE_MODES``); ``known`` are
        those the archive already holds, which no worker fetches again.
        """
        url = request.meta["archive_url"]
        waiter = self.waiting.get(url)
        if waiter is None:
            waiter = self.waiting[url] = Deferred()
            if known:
                mark_known(self.client, self.keys, list(known))
            job = {
                "url": url,
                "headers": {k.decode("latin-1"): v[0].decode("latin-1") for k, v in request.headers.items()},
                "source": request.meta.get("source") or "",
                "since": self.since,
                "image_mode": images,
            }
            self.jobs[url] = job
            self.published[url] = (self.stream.publish(job), time.monotonic())
        return waiter

    def poll(self, count: int = 8) -> None:
        """Hand a few outcomes on (each is stored as its waiter resumes).

        Few per tick: storing is the reactor's work, and a long stretch of it would let the
        discovery pages being downloaded meanwhile run into their timeout.
        """
        entries = self.stream.outcomes(count)
        if not entries:
            return
        for _entry_id, fields in entries:
            outcome = decode(fields)
            url = outcome.get("url", "")
            waiter = self.waiting.pop(url, None)
            self.published.pop(url, None)
            self.jobs.pop(url, None)
            if waiter is not None:  # else a second answer to a re-leased request, or an old run's
                waiter.callback(outcome)
        self.stream.consumed([entry_id for entry_id, _ in entries])

    def maintain(self) -> None:
        if not self._renew_lock(keys=[self.keys.coordinator], args=[self.token, LOCK_TTL_MS]):
            # lapsed while Redis was away (or restarted without the key): take it back if free
            self.client.set(self.keys.coordinator, self.token, nx=True, px=LOCK_TTL_MS)
        moved = self.stream.requeue_stale()
        if moved:
            logger.warning("%s: re-queued %d request(s) a worker stopped renewing", self.keys.outlet, moved)
        if self.client.xlen(self.keys.results):
            return  # outcomes not read yet: a request is only missing once they are
        lost = self.republish_lost()
        if lost:
            logger.warning("%s: queued %d request(s) again that Redis no longer held", self.keys.outlet, lost)

    def republish_lost(self, batch: int = 200) -> int:
        """Queue again the oldest waiting requests that are neither queued nor leased any more.

        Only a Redis that lost writes (restarted without its append-only file, or failed over)
        loses a request; without this the run would wait for it forever. A request a worker
        re-queued has a new entry, so it may be queued twice here: one more fetch, stored once.
        """
        horizon = time.monotonic() - 2 * self.lease_seconds
        oldest = sorted((seen, url) for url, (_, seen) in self.published.items() if seen < horizon)[:batch]
        if not oldest:
            return 0
        pipe = self.client.pipeline(transaction=False)
        for _, url in oldest:
            pipe.xrange(self.keys.jobs, self.published[url][0], self.published[url][0])
        present = pipe.execute()
        lost = 0
        now = time.monotonic()
        for (_, url), found in zip(oldest, present, strict=True):
            if found:
                self.published[url] = (self.published[url][0], now)
            else:
                self.published[url] = (self.stream.publish(self.jobs[url]), now)
                lost += 1
        return lost


def outcome_response(request: Request, outcome: dict[str, Any]) -> Response:
    """The response (or the failure) a local download would have produced for this outcome."""
    kind = outcome.get("kind")
    if kind == "error":
        status, reason = outcome.get("status"), outcome.get("reason") or "failed on a worker"
        if outcome.get("refused"):
            from crawler.origins import OffOutletRequest

            raise OffOutletRequest(reason)
        if status:
            raise HttpError(Response(request.url, status=int(status), request=request), reason)
        raise IgnoreRequest(reason)
    request.meta["cluster_outcome"] = outcome
    if kind == "unchanged":
        return Response(request.url, status=304, request=request)
    if kind == "article":
        headers = {
            k: v
            for k, v in (outcome.get("headers") or {}).items()
            if k.lower() not in ("content-encoding", "transfer-encoding")
        }
        return Response(
            outcome.get("final_url") or request.url,
            status=int(outcome.get("status") or 200),
            headers=headers,
            body=outcome.get("body") or b"",
            request=request,
        )
    return Response(request.url, status=200, request=request)  # failed / skipped: said in meta


class DispatchMiddleware:
    """Downloader middleware of the coordinator: article requests go to the workers, not the network.

    Discovery pages (no ``archive_url``) are fetched here as in a local crawl.
    """

    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.images = image_mode(crawler.settings)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def process_request(self, request: Request, spider=None):
        spider = self.crawler.spider
        hub = getattr(spider, "hub", None)
        if hub is None or "archive_url" not in request.meta:
            return None
        known = []
        if self.images != "off":  # an article fetched again: its pictures are not
            known = known_images(spider.session.db, request.meta["archive_url"])
        outcome = await maybe_deferred_to_future(hub.dispatch(request, self.images, known))
        return outcome_response(request, outcome)


class CoordinatorSpider:
    """Mixed in front of an outlet's spider class: the coordinator's share of the work."""

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any):
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        client = connect(settings.get("NEWSCRAWL_CLUSTER_REDIS"))
        spider.hub = ResultHub(
            client,
            spider.outlet,
            settings.get("NEWSCRAWL_CLUSTER_TOKEN"),
            settings.getfloat("NEWSCRAWL_CLUSTER_LEASE", 15.0),
        )
        spider.limiter = ClusterLimiter(client, spider.hub.keys, *declared_limits(spider.outlet))
        spider.limiter.follow_run()
        spider.hub.stopping = lambda: crawler.engine is not None and not crawler.engine.running
        crawler.signals.connect(spider.hub.start, signal=signals.spider_opened)
        crawler.signals.connect(spider.hub.stop, signal=signals.spider_closed)
        return spider

    def parse_article(self, response: Response):
        outcome = response.meta.get("cluster_outcome") or {}
        url = response.meta["archive_url"]
        kind = outcome.get("kind")
        if kind == "failed":
            self.session.fetched()
            self.session.failed(url, outcome.get("status"), outcome.get("reason") or "failed on a worker")
            return
        if kind == "skipped":
            self.session.fetched()
            self.session.skipped(url, outcome.get("published_at") or None)
            return
        if kind == "unchanged":
            yield from super().parse_article(response)  # a 304: counted and rescheduled
            return
        if kind != "article":
            self.session.fetched()
            self.session.failed(url, None, f"a worker sent an unknown outcome: {kind}"[:200])
            return
        article = Article.from_dict(outcome.get("article") or {"url": ""})
        # whatever is in Redis is checked like a page: stored only under this outlet's URLs
        if not (self.outlet.owns(response.url) and self.outlet.is_article(article.url)):
            self.session.fetched()
            self.session.failed(url, response.status, f"a worker sent a page outside {self.outlet.name}")
            return
        article.outlet = self.outlet.name
        for item in super().parse_article(response):
            # exactly what the worker fetched and extracted, as ExtractPipeline would hand it on
            item["headers"] = outcome.get("headers") or item["headers"]
            item["fetched_at"] = outcome.get("fetched_at") or item["fetched_at"]
            item["article"] = article
            # and the pictures it fetched, stored just before the article (StoreImagesPipeline)
            item["cluster_images"] = outcome_images(outcome)
            yield item


def coordinator_class(spider_cls: type) -> type:
    return type(f"Cluster{spider_cls.__name__}", (CoordinatorSpider, spider_cls), {})


def role_settings(redis_url: str, token: str = "", lease: float = 15.0, coordinator: bool = True) -> dict:
    """Settings shared by both roles, and those of the coordinator alone.

    Politeness is held by the cluster limiter (last downloader middleware), so the per-process
    delay is off; concurrency per outlet stays declared by the outlet.
    """
    from crawler.runner import project_settings

    project = project_settings()
    middlewares = dict(project.getdict("DOWNLOADER_MIDDLEWARES"))
    middlewares["crawler.cluster.limiter.ClusterLimitMiddleware"] = 990
    settings: dict[str, Any] = {
        "NEWSCRAWL_CLUSTER_REDIS": redis_url,
        "NEWSCRAWL_CLUSTER_LEASE": lease,
        "DOWNLOAD_DELAY": 0,
        "AUTOTHROTTLE_ENABLED": False,
        "DOWNLOADER_MIDDLEWARES": middlewares,
    }
    if not coordinator:
        # whether an outlet is reachable is the coordinator's call for the run: a worker that
        # stopped serving an outlet after one refused connection would strand its requests
        middlewares["crawler.reachability.UnreachableOutletMiddleware"] = None
    if coordinator:
        middlewares["crawler.cluster.coordinator.DispatchMiddleware"] = 50
        settings["NEWSCRAWL_CLUSTER_TOKEN"] = token
        # every due article request waits in Redis, not in this process's downloader
        settings["CONCURRENT_REQUESTS"] = 100_000
        settings["ITEM_PIPELINES"] = split_pipelines()[1]
    return settings


#: The local crawl's image pipeline, and what takes its place on each side of a cluster.
LOCAL_IMAGES = "crawler.images.ArchiveImagesPipeline"
WORKER_IMAGES = "crawler.cluster.images.WorkerImagesPipeline"
STORED_IMAGES = "crawler.cluster.images.StoreImagesPipeline"


def split_pipelines() -> tuple[dict[str, int], dict[str, int]]:
    """The local crawl's item pipelines, split at the archive: (the workers' share, the coordinator's).

    Extraction and acceptance run where the page was fetched; storing runs where the archive
    is. Images are fetched and thumbnailed where the page was fetched too (the worker, last
    before the outcome leaves). The coordinator stores them just before the article: a group
    commit may fall between two writes, and a coordinator killed right after it must not leave
    an article stored (so not fetched again) without its pictures.
    """
    from crawler.runner import project_settings

    pipelines = project_settings().getdict("ITEM_PIPELINES")
    archive = pipelines.get("crawler.pipelines.ArchivePipeline", 800)
    images = pipelines.pop(LOCAL_IMAGES, None) is not None
    before = {path: order for path, order in pipelines.items() if order is not None and order < archive}
    after = {path: order for path, order in pipelines.items() if order is not None and order >= archive}
    if images:
        before[WORKER_IMAGES] = archive - 1
        after[STORED_IMAGES] = archive - 1
    return before, after


def coordinate(
    redis_url: str,
    outlets: list[Outlet],
    db: str,
    delay: float | None = None,
    concurrency: int | None = None,
    lease: float = 15.0,
    **options: Any,
) -> list[dict]:
    """``run_crawl`` as the coordinator of ``outlets``; the same summaries."""
    from crawler.runner import run_crawl, spider_class

    client = connect(redis_url)
    token = claim_outlets(client, outlets, options.get("since"), delay, concurrency)
    try:
        return run_crawl(
            outlets,
            db,
            settings={**(options.pop("settings", None) or {}), **role_settings(redis_url, token, lease)},
            spider_for=lambda outlet: coordinator_class(spider_class(outlet)),
            **options,
        )
    finally:
        release_outlets(client, outlets, token)
