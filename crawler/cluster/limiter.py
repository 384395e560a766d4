"""An outlet's rate and concurrency limits held for the whole cluster, through Redis.

Each worker obeys the outlet's limits on its own as well, but N workers must not hit an outlet
N times harder. So before any request to an outlet leaves a worker (or the coordinator), it
takes a slot from Redis: at most ``concurrency`` requests in flight cluster-wide (a sorted set
of holders whose entries expire, so a killed process frees its slots), and starts spaced at
least ``interval`` seconds apart on Redis's own clock (one ``next start`` time shared by all).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections import deque

import redis

from crawler.cluster.connection import OutletKeys, text
from crawler.outlet import Outlet

logger = logging.getLogger(__name__)

#: A slot of a process that stopped renewing it is freed after this long.
SLOT_TTL_MS = 10_000
#: While the outlet is full, how often a process asks Redis again (a local release wakes it sooner).
POLL_SECONDS = 0.02

# ARGV: n released tokens, the tokens, concurrency, interval ms, slot TTL ms, then the tokens asking
# for a slot. Frees the released slots, then grants as many of the asked as are free, in order,
# each start ``interval`` after the previous; returns the wait (ms) of each granted token.
_GRANT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local released = tonumber(ARGV[1])
for i = 2, released + 1 do redis.call('ZREM', KEYS[1], ARGV[i]) end
local base = released + 1
local concurrency = tonumber(ARGV[base + 1])
local interval = tonumber(ARGV[base + 2])
local ttl = tonumber(ARGV[base + 3])
if #ARGV < base + 4 then return {} end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local free = concurrency - redis.call('ZCARD', KEYS[1])
local nxt = tonumber(redis.call('GET', KEYS[2]) or '0')
local waits = {}
for i = base + 4, #ARGV do
  if free <= 0 then break end
  local start = math.max(now, nxt)
  nxt = start + interval
  redis.call('ZADD', KEYS[1], start + ttl, ARGV[i])
  waits[#waits + 1] = start - now
  free = free - 1
end
if #waits > 0 then redis.call('SET', KEYS[2], nxt, 'PX', interval + 60000) end
return waits
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
    """Slots for requests to one outlet, shared by every process of the cluster.

    Round trips to Redis are few, because each one stalls the reactor (and on a busy machine
    Redis answers only when it next gets a core): the requests that ask for a slot in one
    reactor turn are granted together by one script call, which also frees the slots given
    back since the last one. While the outlet is full, the waiting requests ask again together
    when a slot is given back here, or every ``POLL_SECONDS`` for slots freed elsewhere.
    """

    def __init__(self, client: redis.Redis, keys: OutletKeys, interval: float, concurrency: int) -> None:
        self.client = client
        self.keys = keys
        self.interval = interval
        self.concurrency = concurrency
        self.held: set[str] = set()
        self._asking: deque[tuple[str, asyncio.Future]] = deque()
        self._releasing: list[str] = []
        self._next_pass: asyncio.TimerHandle | None = None
        self._grant = client.register_script(_GRANT)
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
        granted = asyncio.get_running_loop().create_future()
        self._asking.append((token, granted))
        self._schedule(0)
        wait_ms = await granted
        if wait_ms:
            await asyncio.sleep(wait_ms / 1000)
        return token

    def release(self, token: str) -> None:
        """Give the slot back (with the next grant, at the latest at the end of this reactor turn)."""
        if token in self.held:
            self.held.discard(token)
            self._releasing.append(token)
            self._schedule(0)

    def _schedule(self, delay: float) -> None:
        loop = asyncio.get_event_loop()
        if self._next_pass is not None:
            if delay > 0 or self._next_pass.when() <= loop.time():
                return  # one is due already (sooner, or as soon)
            self._next_pass.cancel()
        self._next_pass = loop.call_later(delay, self._pass)

    def _pass(self) -> None:
        """One round trip: free the released slots, grant what is free to the requests asking."""
        self._next_pass = None
        while self._asking and self._asking[0][1].done():  # its request was cancelled meanwhile
            self._asking.popleft()
        asking = [token for token, future in self._asking if not future.done()]
        releasing, self._releasing = self._releasing, []
        if not asking and not releasing:
            return
        try:
            waits = self._grant(
                keys=[self.keys.inflight, self.keys.next_slot],
                args=[
                    len(releasing),
                    *releasing,
                    self.concurrency,
                    int(self.interval * 1000),
                    SLOT_TTL_MS,
                    *asking,
                ],
            )
        except redis.RedisError as exc:
            logger.error("Redis: %s", exc)
            self._releasing = releasing + self._releasing  # unsent: sent with the next pass
            waits = []
        for wait_ms in waits:
            token, future = self._asking.popleft()
            while future.done():  # cancelled before this pass: it was not asked for
                token, future = self._asking.popleft()
            self.held.add(token)
            future.set_result(int(wait_ms))
        if self._asking or self._releasing:
            self._schedule(0 if self._releasing else POLL_SECONDS)

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
