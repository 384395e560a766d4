"""An outlet's rate and concurrency limits held for the whole cluster, through Redis.

Each worker obeys the outlet's limits on its own as well, but N workers must not hit an outlet
N times harder. So before any request to an outlet leaves a worker (or the coordinator), it
takes a slot from Redis: at most ``concurrency`` requests in flight cluster-wide (a sorted set
of holders whose entries expire, so a killed process frees its slots), and starts spaced at
least ``interval`` seconds apart on Redis's own clock (one ``next start`` time shared by all).
"""

from __future__ import annotations

import asyncio
import uuid

import redis

from crawler.cluster.connection import OutletKeys, text
from crawler.outlet import Outlet

#: A slot of a process that stopped renewing it is freed after this long.
SLOT_TTL_MS = 10_000

_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return -1 end
local start = math.max(now, tonumber(redis.call('GET', KEYS[2]) or '0'))
local interval = tonumber(ARGV[3])
redis.call('SET', KEYS[2], start + interval, 'PX', interval + 60000)
redis.call('ZADD', KEYS[1], start + tonumber(ARGV[4]), ARGV[1])
return start - now
"""

_RENEW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[1]), ARGV[i]) end
return #ARGV - 1
"""


def declared_limits(outlet: Outlet) -> tuple[float, int]:
    """(seconds between requests, requests in flight) the outlet declares for one process.

    With AutoThrottle on, its start delay is the floor: the cluster does not adapt the delay to
    the outlet's latency, so it keeps to the politer end.
    """
    from crawler.runner import project_settings

    settings = project_settings()
    settings.setdict(outlet.settings, priority="spider")
    interval = settings.getfloat("DOWNLOAD_DELAY")
    if settings.getbool("AUTOTHROTTLE_ENABLED"):
        interval = max(interval, settings.getfloat("AUTOTHROTTLE_START_DELAY"))
    return interval, max(1, settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN"))


class ClusterLimiter:
    """Slots for requests to one outlet, shared by every process of the cluster."""

    def __init__(self, client: redis.Redis, keys: OutletKeys, interval: float, concurrency: int) -> None:
        self.client = client
        self.keys = keys
        self.interval = interval
        self.concurrency = concurrency
        self.held: set[str] = set()
        self._acquire = client.register_script(_ACQUIRE)
        self._renew = client.register_script(_RENEW)

    def follow_run(self) -> None:
        """Take the limits the coordinator published for this run, when there is one."""
        published = self.client.hgetall(self.keys.run)
        if published.get(b"interval"):
            self.interval = float(text(published[b"interval"]))
            self.concurrency = int(text(published[b"concurrency"]))

    async def acquire(self) -> str:
        """Wait for a slot; returns its token (give it back with ``release``)."""
        token = uuid.uuid4().hex
        while True:
            wait_ms = int(
                self._acquire(
                    keys=[self.keys.inflight, self.keys.next_slot],
                    args=[token, self.concurrency, int(self.interval * 1000), SLOT_TTL_MS],
                )
            )
            if wait_ms >= 0:
                self.held.add(token)
                if wait_ms:
                    await asyncio.sleep(wait_ms / 1000)
                return token
            await asyncio.sleep(0.02)

    def release(self, token: str) -> None:
        if token in self.held:
            self.held.discard(token)
            self.client.zrem(self.keys.inflight, token)

    def renew(self) -> None:
        """Keep the slots of requests still in flight here."""
        if self.held:
            self._renew(keys=[self.keys.inflight], args=[SLOT_TTL_MS, *self.held])


class ClusterLimitMiddleware:
    """Downloader middleware: every request to the outlet waits for a cluster slot first.

    Placed last before the download handler, so the slot is taken right before the request
    leaves (after robots.txt, retries and redirects decided) and given back as its answer comes.
    The spider carries the limiter (``spider.limiter``); without one the middleware does nothing.
    """

    def __init__(self, crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def _limiter(self) -> ClusterLimiter | None:
        return getattr(self.crawler.spider, "limiter", None)

    async def process_request(self, request, spider=None):
        limiter = self._limiter()
        if limiter is None:
            return None
        self._release(request)
        request.meta["cluster_slot"] = await limiter.acquire()
        return None

    def process_response(self, request, response, spider=None):
        self._release(request)
        return response

    def process_exception(self, request, exception, spider=None):
        self._release(request)
        return None

    def _release(self, request) -> None:
        token = request.meta.pop("cluster_slot", None)
        limiter = self._limiter()
        if token and limiter is not None:
            limiter.release(token)
